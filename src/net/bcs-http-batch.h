/* bcs-http-batch.h — JSON $batch for Graph and Business Central */
#pragma once

#include "bcs-http.h"

G_BEGIN_DECLS

/* Sends REQUESTS (BcsHttpRequest of SERVICE, at most MAX_ITEMS) as one POST
 * to BATCH_PATH; item URLs are made relative by removing URL_PREFIX (the
 * API's base, may be NULL). Each item's result is written onto it; items
 * answered 429/503 are sent again after their Retry-After, a bounded number
 * of times. Fails only when the batch as a whole failed. */
void      bcs_http_batch_async  (BcsHttp             *http,
                                 BcsService           service,
                                 const char          *batch_path,
                                 const char          *url_prefix,
                                 GPtrArray           *requests,
                                 guint                max_items,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
gboolean  bcs_http_batch_finish (BcsHttp             *http,
                                 GAsyncResult        *result,
                                 GError             **error);

/* The callback of a client's bcs_http_batch_async whose USER_DATA is the
 * client's own GTask: returns the batch's outcome (TRUE or its error) on
 * that task, and drops it */
void      bcs_http_batch_return_on_task (GObject      *http,
                                         GAsyncResult *result,
                                         gpointer      user_data);

G_END_DECLS
