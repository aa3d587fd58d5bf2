/* bcs-bc-client.h — typed calls to the Business Central API v2.0
 *
 * Everything goes through a BcsHttp (auth, throttling, errors). The API
 * base is given by the caller: online
 * "{bc}/v2.0/{tenant}/{environment}/api/v2.0" (bcs_bc_online_api_base), or
 * on-premises "{base}/api/v2.0". At most 5 requests are in flight, as
 * Business Central allows per user. Rows are JsonObjects in the API's shape. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bcs-http.h"

G_BEGIN_DECLS

#define BCS_BC_MAX_BATCH     100
#define BCS_BC_MAX_IN_FLIGHT   5

#define BCS_TYPE_BC_CLIENT (bcs_bc_client_get_type ())
G_DECLARE_FINAL_TYPE (BcsBcClient, bcs_bc_client, BCS, BC_CLIENT, GObject)

/* "{bc_base}/v2.0/{tenant}/{environment}/api/v2.0" (escaped) */
char           *bcs_bc_online_api_base              (const char      *bc_base,
                                                     const char      *tenant,
                                                     const char      *environment);

/* API_BASE: absolute, on the scheme, host and port of the BcsHttp's
 * Business Central base URL, ending in "/api/v2.0" */
BcsBcClient    *bcs_bc_client_new                   (BcsHttp         *http,
                                                     const char      *api_base);
BcsHttp        *bcs_bc_client_get_http              (BcsBcClient     *self);
const char     *bcs_bc_client_get_api_base          (BcsBcClient     *self);

/* GET {bc}/environments/v1.2 (online only) → JsonObject */
void            bcs_bc_client_list_environments_async  (BcsBcClient   *self,
                                                        GCancellable  *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer       user_data);
GPtrArray      *bcs_bc_client_list_environments_finish (BcsBcClient   *self,
                                                        GAsyncResult  *result,
                                                        GError       **error);

/* GET /companies → JsonObject */
void            bcs_bc_client_list_companies_async  (BcsBcClient     *self,
                                                     GCancellable    *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer         user_data);
GPtrArray      *bcs_bc_client_list_companies_finish (BcsBcClient     *self,
                                                     GAsyncResult    *result,
                                                     GError         **error);

/* The contacts of COMPANY_ID, all pages. FILTER: an OData $filter
 * expression as Business Central reads it (not escaped; NULL: none);
 * SELECT: a $select list or NULL; PAGE_SIZE: Prefer: odata.maxpagesize
 * (0: the server's). → JsonObject */
void            bcs_bc_client_list_contacts_async   (BcsBcClient     *self,
                                                     const char      *company_id,
                                                     const char      *filter,
                                                     const char      *select,
                                                     guint            page_size,
                                                     GCancellable    *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer         user_data);
GPtrArray      *bcs_bc_client_list_contacts_finish  (BcsBcClient     *self,
                                                     GAsyncResult    *result,
                                                     GError         **error);

/* Called for each contact row of a page as the page arrives */
typedef void (*BcsBcRowFunc) (JsonObject *row,
                              gpointer    user_data);

/* As bcs_bc_client_list_contacts_async, but hands each row to ROW_FUNC as
 * its page arrives instead of collecting them (memory of one page).
 * ROW_DATA must stay valid until CALLBACK runs. */
void            bcs_bc_client_list_contacts_each_async  (BcsBcClient   *self,
                                                         const char    *company_id,
                                                         const char    *filter,
                                                         const char    *select,
                                                         guint          page_size,
                                                         BcsBcRowFunc   row_func,
                                                         gpointer       row_data,
                                                         GCancellable  *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer       user_data);
gboolean        bcs_bc_client_list_contacts_each_finish (BcsBcClient   *self,
                                                         GAsyncResult  *result,
                                                         GError       **error);

/* Only the ids ($select=id) of the contacts matching FILTER → char * */
void            bcs_bc_client_list_contact_ids_async  (BcsBcClient   *self,
                                                       const char    *company_id,
                                                       const char    *filter,
                                                       guint          page_size,
                                                       GCancellable  *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer       user_data);
GPtrArray      *bcs_bc_client_list_contact_ids_finish (BcsBcClient   *self,
                                                       GAsyncResult  *result,
                                                       GError       **error);

/* Users of the automation API → JsonObject {userSecurityId, userName,
 * displayName, state, expiryDate, contactEmail} */
void            bcs_bc_client_list_users_async      (BcsBcClient     *self,
                                                     const char      *company_id,
                                                     GCancellable    *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer         user_data);
GPtrArray      *bcs_bc_client_list_users_finish     (BcsBcClient     *self,
                                                     GAsyncResult    *result,
                                                     GError         **error);

/* Single requests, ready to send or to put into a $batch. Update and
 * delete need the row's ETAG (If-Match): without one they fail with
 * BCS_ERROR_INVALID_INPUT and nothing is sent. */
BcsHttpRequest *bcs_bc_client_new_get_request       (BcsBcClient     *self,
                                                     const char      *company_id,
                                                     const char      *contact_id);
BcsHttpRequest *bcs_bc_client_new_create_request    (BcsBcClient     *self,
                                                     const char      *company_id,
                                                     JsonObject      *contact);
BcsHttpRequest *bcs_bc_client_new_update_request    (BcsBcClient     *self,
                                                     const char      *company_id,
                                                     const char      *contact_id,
                                                     JsonObject      *changes,
                                                     const char      *etag,
                                                     GError         **error);
BcsHttpRequest *bcs_bc_client_new_delete_request    (BcsBcClient     *self,
                                                     const char      *company_id,
                                                     const char      *contact_id,
                                                     const char      *etag,
                                                     GError         **error);

/* Sends one of the requests above; returns the row (NULL for a delete; a
 * delete of a row already gone succeeds). When the row changed meanwhile
 * (409), it is read again: BCS_ERROR_CONFLICT, with the fresh row in
 * *FRESH_ROW (NULL when it is gone). */
void            bcs_bc_client_send_async            (BcsBcClient     *self,
                                                     BcsHttpRequest  *request,
                                                     GCancellable    *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer         user_data);
JsonObject     *bcs_bc_client_send_finish           (BcsBcClient     *self,
                                                     GAsyncResult    *result,
                                                     JsonObject     **fresh_row,
                                                     GError         **error);

/* Up to 100 REQUESTS as one $batch; each item's result is written onto it;
 * throttled items are sent again. More than 100: BCS_ERROR_INVALID_INPUT. */
void            bcs_bc_client_batch_async           (BcsBcClient     *self,
                                                     GPtrArray       *requests,
                                                     GCancellable    *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer         user_data);
gboolean        bcs_bc_client_batch_finish          (BcsBcClient     *self,
                                                     GAsyncResult    *result,
                                                     GError         **error);

G_END_DECLS
