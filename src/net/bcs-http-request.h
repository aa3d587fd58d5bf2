/* bcs-http-request.h — one prepared request to a service, and its result
 *
 * A request is built once (method, path, body, headers) and sent either on
 * its own through bcs_http_send_async() or as one item of a $batch; in both
 * cases the result (status, headers, JSON, error) is written back onto the
 * request by bcs_http_request_set_result(), so one parser serves both. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bcs-service.h"

G_BEGIN_DECLS

#define BCS_TYPE_HTTP_REQUEST (bcs_http_request_get_type ())
G_DECLARE_FINAL_TYPE (BcsHttpRequest, bcs_http_request, BCS, HTTP_REQUEST, GObject)

/* PATH is relative to the service's base URL ("/me/contactFolders") or an
 * absolute URL on the same scheme, host and port as that base (a nextLink). */
BcsHttpRequest     *bcs_http_request_new                  (BcsService       service,
                                                           const char      *method,
                                                           const char      *path);
BcsService          bcs_http_request_get_service          (BcsHttpRequest  *self);
const char         *bcs_http_request_get_method           (BcsHttpRequest  *self);
const char         *bcs_http_request_get_path             (BcsHttpRequest  *self);
void                bcs_http_request_set_path             (BcsHttpRequest  *self,
                                                           const char      *path);
/* GET, HEAD, PUT, DELETE, OPTIONS: safe to send again after a dropped connection */
gboolean            bcs_http_request_is_idempotent        (BcsHttpRequest  *self);

/* Takes a reference on BODY (sent as application/json) */
void                bcs_http_request_set_json_body        (BcsHttpRequest  *self,
                                                           JsonNode        *body);
void                bcs_http_request_set_object_body      (BcsHttpRequest  *self,
                                                           JsonObject      *body);
JsonNode           *bcs_http_request_get_json_body        (BcsHttpRequest  *self);
/* An application/x-www-form-urlencoded body from NULL-terminated name, value pairs */
void                bcs_http_request_set_form_body        (BcsHttpRequest  *self,
                                                           const char      *first_name,
                                                           ...) G_GNUC_NULL_TERMINATED;
GBytes             *bcs_http_request_get_form_body        (BcsHttpRequest  *self);

/* Extra request headers (If-Match, Prefer, …) */
void                bcs_http_request_add_header           (BcsHttpRequest  *self,
                                                           const char      *name,
                                                           const char      *value);
SoupMessageHeaders *bcs_http_request_get_headers          (BcsHttpRequest  *self);

/* $batch: the item's id (set by the batch builder when NULL) and the
 * requests it depends on (sent in the same batch) */
const char         *bcs_http_request_get_batch_id         (BcsHttpRequest  *self);
void                bcs_http_request_set_batch_id         (BcsHttpRequest  *self,
                                                           const char      *id);
void                bcs_http_request_add_depends_on       (BcsHttpRequest  *self,
                                                           BcsHttpRequest  *other);
GPtrArray          *bcs_http_request_get_depends_on       (BcsHttpRequest  *self);

/* Set by BcsHttp before sending: the kind of credentials it carried */
void                bcs_http_request_set_used_basic_auth  (BcsHttpRequest  *self,
                                                           gboolean         basic);
gboolean            bcs_http_request_get_used_basic_auth  (BcsHttpRequest  *self);

/* The result: written by BcsHttp or by the $batch parser. HEADERS may be
 * NULL; the error, if any, is derived from STATUS and JSON (bcs-http-error.c). */
void                bcs_http_request_set_result           (BcsHttpRequest  *self,
                                                           guint            status,
                                                           SoupMessageHeaders *headers,
                                                           JsonNode        *json);
/* A result that is an error without a usable HTTP answer */
void                bcs_http_request_set_error            (BcsHttpRequest  *self,
                                                           const GError    *error);
void                bcs_http_request_clear_result         (BcsHttpRequest  *self);
gboolean            bcs_http_request_has_result           (BcsHttpRequest  *self);
guint               bcs_http_request_get_status           (BcsHttpRequest  *self);
SoupMessageHeaders *bcs_http_request_get_response_headers (BcsHttpRequest  *self);
/* NULL for an empty body (204) */
JsonNode           *bcs_http_request_get_response_json    (BcsHttpRequest  *self);
JsonObject         *bcs_http_request_get_response_object  (BcsHttpRequest  *self);
const GError       *bcs_http_request_get_error            (BcsHttpRequest  *self);
/* FALSE and a copy of the request's error in ERROR when it failed */
gboolean            bcs_http_request_propagate_error      (BcsHttpRequest  *self,
                                                           GError         **error);

/* 'VALUE' for an OData $filter, with ' doubled */
char               *bcs_http_odata_string                 (const char      *value);
/* VALUE escaped for a query string or a path segment (everything but
 * unreserved characters) */
char               *bcs_http_escape                       (const char      *value);

G_END_DECLS
