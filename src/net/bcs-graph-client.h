/* bcs-graph-client.h — typed calls to Microsoft Graph for Outlook contacts
 *
 * Everything goes through a BcsHttp (auth, throttling, errors). The client
 * limits itself to 4 requests in flight, as Outlook allows per mailbox.
 * Contacts are JsonObjects in Graph's own shape; the caller builds bodies. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bcs-http.h"

G_BEGIN_DECLS

#define BCS_GRAPH_MAX_BATCH      20
#define BCS_GRAPH_MAX_IN_FLIGHT   4
#define BCS_GRAPH_PAGE_SIZE    1000

#define BCS_TYPE_GRAPH_CLIENT (bcs_graph_client_get_type ())
G_DECLARE_FINAL_TYPE (BcsGraphClient, bcs_graph_client, BCS, GRAPH_CLIENT, GObject)

BcsGraphClient *bcs_graph_client_new                  (BcsHttp          *http);
BcsHttp        *bcs_graph_client_get_http             (BcsGraphClient   *self);

/* GET /me → {id, displayName, mail, userPrincipalName, …} */
void            bcs_graph_client_get_me_async         (BcsGraphClient   *self,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
JsonObject     *bcs_graph_client_get_me_finish        (BcsGraphClient   *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* The id of the folder named NAME under the default Contacts folder; NULL
 * without an error when there is none */
void            bcs_graph_client_find_folder_async    (BcsGraphClient   *self,
                                                       const char       *name,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
char           *bcs_graph_client_find_folder_finish   (BcsGraphClient   *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);
/* Finds the folder, or creates it; *CREATED tells which */
void            bcs_graph_client_ensure_folder_async  (BcsGraphClient   *self,
                                                       const char       *name,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
char           *bcs_graph_client_ensure_folder_finish (BcsGraphClient   *self,
                                                       GAsyncResult     *result,
                                                       gboolean         *created,
                                                       GError          **error);

/* All contacts of FOLDER_ID, pages of 1,000. SELECT: a $select list or
 * NULL; PROPERTY_ID: an extended property to $expand, or NULL. Returns
 * JsonObject. */
void            bcs_graph_client_list_contacts_async  (BcsGraphClient   *self,
                                                       const char       *folder_id,
                                                       const char       *select,
                                                       const char       *property_id,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
GPtrArray      *bcs_graph_client_list_contacts_finish (BcsGraphClient   *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* Contacts of FOLDER_ID (NULL: all folders) whose extended property
 * PROPERTY_ID has VALUE (JsonObject, the property expanded) */
void            bcs_graph_client_find_by_property_async  (BcsGraphClient *self,
                                                          const char     *folder_id,
                                                          const char     *property_id,
                                                          const char     *value,
                                                          GCancellable   *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer        user_data);
GPtrArray      *bcs_graph_client_find_by_property_finish (BcsGraphClient *self,
                                                          GAsyncResult   *result,
                                                          GError        **error);

/* Single requests, ready to send or to put into a $batch. The update
 * request fails with BCS_ERROR_INVALID_INPUT when CHANGES lacks displayName
 * (Graph may regenerate it otherwise). ETAG (nullable) becomes If-Match. */
BcsHttpRequest *bcs_graph_client_new_get_request      (BcsGraphClient   *self,
                                                       const char       *folder_id,
                                                       const char       *contact_id,
                                                       const char       *property_id);
BcsHttpRequest *bcs_graph_client_new_create_request   (BcsGraphClient   *self,
                                                       const char       *folder_id,
                                                       JsonObject       *contact);
BcsHttpRequest *bcs_graph_client_new_update_request   (BcsGraphClient   *self,
                                                       const char       *folder_id,
                                                       const char       *contact_id,
                                                       JsonObject       *changes,
                                                       const char       *etag,
                                                       GError          **error);
BcsHttpRequest *bcs_graph_client_new_delete_request   (BcsGraphClient   *self,
                                                       const char       *folder_id,
                                                       const char       *contact_id);

/* Sends one of the requests above and returns the contact (NULL for a
 * delete). A delete that finds nothing (404) succeeds: already deleted. */
void            bcs_graph_client_send_async           (BcsGraphClient   *self,
                                                       BcsHttpRequest   *request,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
JsonObject     *bcs_graph_client_send_finish          (BcsGraphClient   *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* One round of the folder's delta: from scratch when DELTA_LINK is NULL
 * (with SELECT), else from the stored link. Items repeated within the
 * round are merged (the last wins); removals are collected.
 * BCS_ERROR_DELTA_EXPIRED when the link is no longer known. */
typedef struct {
  GPtrArray *items;       /* JsonObject: changed or new contacts */
  GPtrArray *removed;     /* char *: ids of deleted contacts */
  char *delta_link;       /* for the next round */
  guint n_pages;
} BcsGraphDelta;

void            bcs_graph_delta_free                  (BcsGraphDelta    *delta);

void            bcs_graph_client_delta_async          (BcsGraphClient   *self,
                                                       const char       *folder_id,
                                                       const char       *delta_link,
                                                       const char       *select,
                                                       guint             page_size,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
BcsGraphDelta  *bcs_graph_client_delta_finish         (BcsGraphClient   *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* Called for each item of a delta page as the page arrives: ITEM is the
 * contact, or {"id", "@removed"} (REMOVED TRUE). An id may come more than
 * once in a round; the last state counts. */
typedef void (*BcsGraphDeltaItemFunc) (JsonObject *item,
                                       gboolean    removed,
                                       gpointer    user_data);

/* As bcs_graph_client_delta_async, but hands the items to ITEM_FUNC page by
 * page instead of collecting them (memory of one page). The result
 * (bcs_graph_client_delta_finish) has empty items and removed, and the
 * delta link. ITEM_DATA must stay valid until CALLBACK runs. */
void            bcs_graph_client_delta_each_async     (BcsGraphClient   *self,
                                                       const char       *delta_link,
                                                       guint             page_size,
                                                       BcsGraphDeltaItemFunc item_func,
                                                       gpointer          item_data,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);

/* Sends up to 20 REQUESTS (BcsHttpRequest) as one $batch and writes each
 * item's result onto it; items answered 429/503 are sent again (only they,
 * after their Retry-After), a bounded number of times. Fails only when the
 * batch as a whole failed; more than 20: BCS_ERROR_INVALID_INPUT. */
void            bcs_graph_client_batch_async          (BcsGraphClient   *self,
                                                       GPtrArray        *requests,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
gboolean        bcs_graph_client_batch_finish         (BcsGraphClient   *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsGraphDelta, bcs_graph_delta_free)

G_END_DECLS
