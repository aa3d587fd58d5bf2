/* bcs-http.h — the one entry point for every HTTP request of the application
 *
 * BcsHttp owns a SoupSession, the base URL and token provider of each
 * service, request counters and the shared backoff state. Every request
 * goes through bcs_http_send_async(), which adds the Authorization header,
 * refreshes once after a 401, waits out 429/503/504 (Retry-After or capped
 * exponential backoff with jitter, shared by all requests to the service),
 * refuses plain http except to loopback and links to other hosts, and turns
 * error JSON into BCS_ERROR codes.
 *
 * Waits are reported with the "waiting" signal (service, status, seconds,
 * a sentence for people such as "Microsoft 365 asked us to wait — resuming
 * in 5 s"). Retries: 429/503/504 for every method; a dropped connection, a
 * body cut short or unreadable JSON only for GET, HEAD, PUT, DELETE and
 * OPTIONS (a POST or PATCH may have been carried out: INVALID_RESPONSE or
 * UNAVAILABLE instead). At most bcs_http_get_max_attempts() sends.
 *
 * Threading: a BcsHttp is used only from the thread-default GMainContext it
 * was created on (one per profile on the main context, or one per sync
 * worker thread, created inside that thread); it is not thread-safe. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bcs-http-request.h"
#include "bcs-service.h"
#include "bcs-token-provider.h"

G_BEGIN_DECLS

#define BCS_TYPE_HTTP (bcs_http_get_type ())
G_DECLARE_FINAL_TYPE (BcsHttp, bcs_http, BCS, HTTP, GObject)

#define BCS_HTTP_DEFAULT_MAX_ATTEMPTS 6

BcsHttp          *bcs_http_new                 (void);

/* The base URL of SERVICE without a trailing slash, e.g.
 * "https://graph.microsoft.com/v1.0". Requests give paths below it. */
void              bcs_http_set_base_url        (BcsHttp           *self,
                                                BcsService         service,
                                                const char        *base_url);
const char       *bcs_http_get_base_url        (BcsHttp           *self,
                                                BcsService         service);
/* NULL for a service without credentials (the identity platform) */
void              bcs_http_set_token_provider  (BcsHttp           *self,
                                                BcsService         service,
                                                BcsTokenProvider  *provider);
/* Sends of one request, including the first (default 6) */
void              bcs_http_set_max_attempts    (BcsHttp           *self,
                                                guint              max_attempts);
guint             bcs_http_get_max_attempts    (BcsHttp           *self);
/* Exponential backoff without Retry-After: BASE·2ⁿ seconds, at most CAP
 * (default 1 s and 60 s; tests make them small) */
void              bcs_http_set_backoff         (BcsHttp           *self,
                                                double             base_seconds,
                                                double             cap_seconds);
/* At most MAX requests to SERVICE on the wire at once (0: no limit) */
void              bcs_http_set_max_in_flight   (BcsHttp           *self,
                                                BcsService         service,
                                                guint              max);
guint             bcs_http_get_max_in_flight   (BcsHttp           *self,
                                                BcsService         service);

/* HTTP requests sent to SERVICE (each attempt counts; a $batch is one) */
guint             bcs_http_get_request_count   (BcsHttp           *self,
                                                BcsService         service);
void              bcs_http_reset_request_counts (BcsHttp          *self);

/* Makes every request to SERVICE wait until SECONDS from now (or longer,
 * when already waiting) and reports it with the "waiting" signal; STATUS
 * (429, 503, …) chooses the message. */
void              bcs_http_defer               (BcsHttp           *self,
                                                BcsService         service,
                                                guint              status,
                                                double             seconds);

/* The absolute URL for PATH: relative to the base, or absolute on the
 * base's scheme, host and port (BCS_ERROR_INSECURE otherwise, and for
 * plain http to a host that is not loopback). */
char             *bcs_http_build_url           (BcsHttp           *self,
                                                BcsService         service,
                                                const char        *path,
                                                GError           **error);

/* Sends REQUEST; its result (status, headers, JSON, error) is written onto
 * it. Fails with the request's error for any status outside 2xx. */
void              bcs_http_send_async          (BcsHttp           *self,
                                                BcsHttpRequest    *request,
                                                GCancellable      *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer           user_data);
gboolean          bcs_http_send_finish         (BcsHttp           *self,
                                                GAsyncResult      *result,
                                                GError           **error);

/* A GET of PATH followed through every @odata.nextLink (only to the base's
 * scheme, host and port). Collects the "value" items of all pages. */
typedef struct {
  GPtrArray *items;          /* JsonNode */
  char *delta_link;          /* @odata.deltaLink of the last page, or NULL */
  guint n_pages;
} BcsHttpPages;

void              bcs_http_pages_free          (BcsHttpPages      *pages);

/* FIRST is the first page's request (headers such as Prefer are repeated
 * on every page); MAX_ITEMS 0: all. */
void              bcs_http_get_pages_async     (BcsHttp           *self,
                                                BcsHttpRequest    *first,
                                                guint              max_items,
                                                GCancellable      *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer           user_data);
BcsHttpPages     *bcs_http_get_pages_finish    (BcsHttp           *self,
                                                GAsyncResult      *result,
                                                GError           **error);

/* Called with each page's "value" array (nullable: a page without one) as
 * it arrives, in the caller's main context; the page is freed after. With
 * bcs_http_get_pages_each_async a page's rows come in consecutive slices
 * (several calls per page, none of them NULL unless the page has no
 * "value"). */
typedef void (*BcsHttpPageFunc) (JsonArray *value,
                                 gpointer   user_data);

/* As bcs_http_get_pages_async, but hands each page to PAGE_FUNC instead of
 * collecting the items: memory stays that of one page. The result
 * (bcs_http_get_pages_finish) has no items, only n_pages and delta_link.
 * PAGE_DATA must stay valid until CALLBACK runs. */
void              bcs_http_get_pages_each_async (BcsHttp           *self,
                                                 BcsHttpRequest    *first,
                                                 BcsHttpPageFunc    page_func,
                                                 gpointer           page_data,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);

/* A POST of an application/x-www-form-urlencoded form (the identity
 * platform); NULL-terminated name, value pairs. Returns the JSON reply. */
void              bcs_http_post_form_async     (BcsHttp           *self,
                                                BcsService         service,
                                                const char        *path,
                                                GCancellable      *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer           user_data,
                                                const char        *first_name,
                                                ...) G_GNUC_NULL_TERMINATED;
JsonNode         *bcs_http_post_form_finish    (BcsHttp           *self,
                                                GAsyncResult      *result,
                                                GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsHttpPages, bcs_http_pages_free)

G_END_DECLS
