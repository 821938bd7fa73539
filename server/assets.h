/* assets.h — the page and its files, compiled into the binary by
 * cmake/EmbedAssets.cmake (the files of server/web, server/openapi.json, Chart.js). */
#ifndef KOFU_SERVER_ASSETS_H
#define KOFU_SERVER_ASSETS_H

#include <stddef.h>

typedef struct server_asset {
    const char *path; /* "/app.js": the URL path it is served at */
    const unsigned char *data;
    size_t len;
} server_asset;

/* Terminated by an entry with path NULL. */
extern const server_asset server_assets[];

#endif
