/* bcs-http-private.h — between the parts of the HTTP layer */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <stdarg.h>

#include "bcs-http-request.h"
#include "bcs-json-page.h"
#include "bcs-http.h"
#include "bcs-service.h"

G_BEGIN_DECLS

void        bcs_http_request_set_form_body_valist (BcsHttpRequest *self,
                                                   const char     *first_name,
                                                   va_list         args);

/* bcs-http-error.c: the one table from a service's answer to BCS_ERROR */
GError     *bcs_http_error_from_response  (BcsService   service,
                                           const char  *method,
                                           const char  *path,
                                           guint        status,
                                           JsonNode    *json,
                                           gboolean     basic_auth);
/* "Microsoft 365", "Business Central", … for messages */
const char *bcs_http_service_display_name (BcsService   service);

/* bcs-http-url.c: the URL for PATH below BASE_URL, or an absolute URL
 * on BASE_URI's scheme, host and port; https unless to loopback */
#define BCS_HTTP_URI_FLAGS (G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY | \
                            G_URI_FLAGS_ENCODED_FRAGMENT | G_URI_FLAGS_SCHEME_NORMALIZE)
GUri       *bcs_http_parse_url            (BcsService   service,
                                           const char  *base_url,
                                           GUri        *base_uri,
                                           const char  *path,
                                           GError     **error);

/* bcs-http-retry.c: Retry-After (whole or fractional seconds, or an
 * HTTP-date) in seconds, or -1 when absent or unreadable */
double      bcs_http_parse_retry_after    (const char  *value,
                                           GDateTime   *now);
/* Capped exponential backoff with jitter for the ATTEMPT-th retry (1-based) */
double      bcs_http_backoff_delay        (guint        attempt,
                                           double       base,
                                           double       cap,
                                           GRand       *rand);
/* bcs-http.c: the backoff of this BcsHttp for the ATTEMPT-th retry */
double      bcs_http_get_backoff_delay    (BcsHttp     *self,
                                           guint        attempt);
/* "Microsoft 365 asked us to wait — resuming in 5 s" */
char       *bcs_http_wait_message         (BcsService   service,
                                           guint        status,
                                           double       seconds);

/* bcs-http-request.c: a GET of a list page whose 2xx body is scanned
 * (bcs-json-page.h) instead of parsed as one tree: the result then has
 * no JSON but a page (owned by the request, set by BcsHttp) */
void        bcs_http_request_set_scan_page     (BcsHttpRequest *self,
                                                gboolean        scan_page);
gboolean    bcs_http_request_get_scan_page     (BcsHttpRequest *self);
void        bcs_http_request_set_response_page (BcsHttpRequest *self,
                                                BcsJsonPage    *page);
BcsJsonPage *bcs_http_request_get_response_page (BcsHttpRequest *self);

G_END_DECLS
