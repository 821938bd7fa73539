/* render_json.c — kofu_node → JSON text through cJSON. Amounts are written
 * as raw integer literals: cJSON keeps numbers as doubles and would print
 * 10^15 as 1e+15, which is not the JSON integer SPEC §5 promises. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"

static cJSON *to_cjson(const kofu_node *n)
{
    switch (kofu_node_type(n)) {
    case KOFU_NODE_INT: {
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, kofu_node_int(n));
        return cJSON_CreateRaw(buf);
    }
    case KOFU_NODE_DECIMAL:
    case KOFU_NODE_STRING:
        return cJSON_CreateString(kofu_node_str(n));
    case KOFU_NODE_BOOL:
        return cJSON_CreateBool(kofu_node_bool(n));
    case KOFU_NODE_ARRAY: {
        cJSON *a = cJSON_CreateArray();
        for (size_t i = 0; a && i < kofu_node_size(n); i++) {
            cJSON *item = to_cjson(kofu_node_at(n, i));
            if (!item) {
                cJSON_Delete(a);
                return NULL;
            }
            cJSON_AddItemToArray(a, item);
        }
        return a;
    }
    case KOFU_NODE_OBJECT:
        break;
    }
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < kofu_node_size(n); i++) {
        cJSON *item = to_cjson(kofu_node_at(n, i));
        if (!item) {
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToObject(o, kofu_node_key_at(n, i), item);
    }
    return o;
}

char *render_json(const kofu_node *n, bool pretty)
{
    cJSON *j = to_cjson(n);
    if (!j)
        return NULL;
    char *s = pretty ? cJSON_Print(j) : cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}
