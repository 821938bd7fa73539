/*
 * test_suggest.c — unit tests for engine/suggest.c: the capped edit distance
 * (with adjacent transpositions) and the "did you mean" choice.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "suggest.h"

Test(suggest, distance_basics)
{
    cr_expect_eq(suggest_distance("network", "network", 3), 0);
    cr_expect_eq(suggest_distance("netwrok", "network", 3), 1);   /* transposition */
    cr_expect_eq(suggest_distance("eligble_cost", "eligible_cost", 3), 1); /* deletion */
    cr_expect_eq(suggest_distance("eligiblee_cost", "eligible_cost", 3), 1); /* insertion */
    cr_expect_eq(suggest_distance("ict", "ixt", 3), 1);           /* substitution */
    cr_expect_eq(suggest_distance("", "abc", 3), 3);
    cr_expect_eq(suggest_distance("abc", "", 3), 3);
    cr_expect_eq(suggest_distance("", "", 3), 0);
    cr_expect_eq(suggest_distance("ab", "ba", 3), 1);
    cr_expect_eq(suggest_distance("abcd", "badc", 3), 2);
}

Test(suggest, distance_is_capped)
{
    /* beyond the cap the answer is cap + 1, whatever the true distance */
    cr_expect_eq(suggest_distance("network", "cooperative", 2), 3);
    cr_expect_eq(suggest_distance("a", "abcdefgh", 3), 4);      /* length gap alone */
    cr_expect_eq(suggest_distance("kitten", "sitting", 3), 3);  /* exactly the cap */
    cr_expect_eq(suggest_distance("kitten", "sitting", 2), 3);
    char longa[80], longb[80];
    memset(longa, 'a', 79);
    longa[79] = '\0';
    memcpy(longb, longa, sizeof longb);
    /* past the longest word considered: never a suggestion */
    cr_expect_eq(suggest_distance(longa, longb, 3), 4);
}

Test(suggest, distance_is_symmetric)
{
    static const char *const words[] = {"network", "netwrok", "eligible_cost", "eligble_cost",
                                        "ict", "specialist", "case", "claim", "", NULL};
    for (int i = 0; words[i]; i++)
        for (int j = 0; words[j]; j++)
            cr_expect_eq(suggest_distance(words[i], words[j], 3),
                         suggest_distance(words[j], words[i], 3), "%s / %s", words[i], words[j]);
}

static const char *const keys[] = {"eligible_cost", "specialist", "ict", NULL};
static const char *const sections[] = {"case", "claim", "fiscal_capacity", "cooperative",
                                       "cooperative.worker", "network", NULL};

Test(suggest, nearest_for_typos)
{
    cr_expect_str_eq(suggest_nearest("eligble_cost", keys), "eligible_cost");
    cr_expect_str_eq(suggest_nearest("eligible_cots", keys), "eligible_cost");
    cr_expect_str_eq(suggest_nearest("specalist", keys), "specialist");
    cr_expect_str_eq(suggest_nearest("itc", keys), "ict");
    cr_expect_str_eq(suggest_nearest("netwrok", sections), "network");
    cr_expect_str_eq(suggest_nearest("cooperativ", sections), "cooperative");
    cr_expect_str_eq(suggest_nearest("cooperative.wroker", sections), "cooperative.worker");
    cr_expect_str_eq(suggest_nearest("cliam", sections), "claim");
}

Test(suggest, no_suggestion_when_far_or_exact)
{
    cr_expect_null(suggest_nearest("budget", keys));
    cr_expect_null(suggest_nearest("x", keys));
    cr_expect_null(suggest_nearest("eligible_cost", keys)); /* distance 0 is not a typo */
    cr_expect_null(suggest_nearest("", keys));
    cr_expect_null(suggest_nearest("network", NULL));
    static const char *const none[] = {NULL};
    cr_expect_null(suggest_nearest("network", none));
}

Test(suggest, cap_grows_with_the_word)
{
    /* short words: at most 2 edits; 9 bytes or more: 3 */
    cr_expect_null(suggest_nearest("xyzt", (const char *const[]){"abct", NULL}));  /* 3 edits, short */
    cr_expect_str_eq(suggest_nearest("elgble_cst", keys), "eligible_cost");        /* 3 edits, long */
    cr_expect_null(suggest_nearest("elgbl_cst", keys));                            /* 4 edits */
}

Test(suggest, the_nearest_wins_and_ties_keep_the_first)
{
    static const char *const c[] = {"abcd", "abce", "abxx", NULL};
    cr_expect_str_eq(suggest_nearest("abcf", c), "abcd");
    cr_expect_str_eq(suggest_nearest("abxy", c), "abxx");
}
