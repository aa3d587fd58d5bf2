/* bcs-bc-client.c — typed calls to the Business Central API v2.0 */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-bc-client.h"
#include "bcs-error.h"
#include "bcs-http-batch.h"
#include "bcs-json.h"

#define API_SUFFIX        "/api/v2.0"
#define AUTOMATION_SUFFIX "/api/microsoft/automation/v2.0"

struct _BcsBcClient
{
  GObject parent_instance;

  BcsHttp *http;
  char *api_base;         /* …/api/v2.0 */
  char *automation_base;  /* …/api/microsoft/automation/v2.0 */
};

G_DEFINE_FINAL_TYPE (BcsBcClient, bcs_bc_client, G_TYPE_OBJECT)

static void
bcs_bc_client_finalize (GObject *object)
{
  BcsBcClient *self = (BcsBcClient *) object;

  g_clear_object (&self->http);
  g_free (self->api_base);
  g_free (self->automation_base);

  G_OBJECT_CLASS (bcs_bc_client_parent_class)->finalize (object);
}

static void
bcs_bc_client_class_init (BcsBcClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_bc_client_finalize;
}

static void
bcs_bc_client_init (BcsBcClient *self)
{
}

char *
bcs_bc_online_api_base (const char *bc_base,
                        const char *tenant,
                        const char *environment)
{
  g_autofree char *base = NULL;
  g_autofree char *escaped_tenant = NULL;
  g_autofree char *escaped_environment = NULL;

  g_return_val_if_fail (bc_base != NULL && tenant != NULL && environment != NULL, NULL);

  base = g_strdup (bc_base);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  escaped_tenant = bcs_http_escape (tenant);
  escaped_environment = bcs_http_escape (environment);
  return g_strdup_printf ("%s/v2.0/%s/%s" API_SUFFIX, base, escaped_tenant, escaped_environment);
}

BcsBcClient *
bcs_bc_client_new (BcsHttp    *http,
                   const char *api_base)
{
  BcsBcClient *self;
  g_autofree char *base = NULL;
  guint max;

  g_return_val_if_fail (BCS_IS_HTTP (http), NULL);
  g_return_val_if_fail (api_base != NULL, NULL);

  base = g_strdup (api_base);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  self = g_object_new (BCS_TYPE_BC_CLIENT, NULL);
  self->http = g_object_ref (http);
  if (g_str_has_suffix (base, API_SUFFIX))
    {
      g_autofree char *root = g_strndup (base, strlen (base) - strlen (API_SUFFIX));

      self->automation_base = g_strconcat (root, AUTOMATION_SUFFIX, NULL);
    }
  else
    self->automation_base = g_strconcat (base, "/..", AUTOMATION_SUFFIX, NULL);
  self->api_base = g_steal_pointer (&base);

  /* Business Central queues more than 5 concurrent requests per user */
  max = bcs_http_get_max_in_flight (http, BCS_SERVICE_BC);
  if (max == 0 || max > BCS_BC_MAX_IN_FLIGHT)
    bcs_http_set_max_in_flight (http, BCS_SERVICE_BC, BCS_BC_MAX_IN_FLIGHT);

  return self;
}

BcsHttp *
bcs_bc_client_get_http (BcsBcClient *self)
{
  g_return_val_if_fail (BCS_IS_BC_CLIENT (self), NULL);
  return self->http;
}

const char *
bcs_bc_client_get_api_base (BcsBcClient *self)
{
  g_return_val_if_fail (BCS_IS_BC_CLIENT (self), NULL);
  return self->api_base;
}

/* "{api}/companies({company})/contacts[(id)]" */
static char *
contacts_url (BcsBcClient *self,
              const char  *company_id,
              const char  *contact_id)
{
  g_autofree char *company = bcs_http_escape (company_id);
  g_autofree char *contact = contact_id != NULL ? bcs_http_escape (contact_id) : NULL;

  if (contact != NULL)
    return g_strdup_printf ("%s/companies(%s)/contacts(%s)", self->api_base, company, contact);
  return g_strdup_printf ("%s/companies(%s)/contacts", self->api_base, company);
}

/* ---- lists ---- */

static void
on_pages (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BcsHttpPages) pages = NULL;
  gboolean ids_only = GPOINTER_TO_INT (g_task_get_task_data (task));
  GPtrArray *out;
  GError *error = NULL;

  pages = bcs_http_get_pages_finish (BCS_HTTP (object), result, &error);
  if (pages == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  out = ids_only ? g_ptr_array_new_full (pages->items->len, g_free)
                 : g_ptr_array_new_full (pages->items->len, (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < pages->items->len; i++)
    {
      JsonObject *row = bcs_json_node_get_object (g_ptr_array_index (pages->items, i));

      if (row == NULL)
        continue;
      if (!ids_only)
        g_ptr_array_add (out, json_object_ref (row));
      else if (bcs_json_get_string (row, "id") != NULL)
        g_ptr_array_add (out, g_strdup (bcs_json_get_string (row, "id")));
    }

  g_task_return_pointer (task, out, (GDestroyNotify) g_ptr_array_unref);
}

static void
get_pages (BcsBcClient         *self,
           const char          *path,
           guint                page_size,
           gboolean             ids_only,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_BC, "GET", path);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, GINT_TO_POINTER (ids_only), NULL);
  if (page_size > 0)
    {
      g_autofree char *prefer = g_strdup_printf ("odata.maxpagesize=%u", page_size);

      bcs_http_request_add_header (request, "Prefer", prefer);
    }
  bcs_http_get_pages_async (self->http, request, 0, cancellable, on_pages, task);
}

static GPtrArray *
pages_finish (BcsBcClient   *self,
              GAsyncResult  *result,
              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bcs_bc_client_list_environments_async (BcsBcClient         *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (BCS_IS_BC_CLIENT (self));

  get_pages (self, "/environments/v1.2", 0, FALSE, bcs_bc_client_list_environments_async,
             cancellable, callback, user_data);
}

GPtrArray *
bcs_bc_client_list_environments_finish (BcsBcClient   *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return pages_finish (self, result, error);
}

void
bcs_bc_client_list_companies_async (BcsBcClient         *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BCS_IS_BC_CLIENT (self));

  path = g_strconcat (self->api_base, "/companies", NULL);
  get_pages (self, path, 0, FALSE, bcs_bc_client_list_companies_async, cancellable, callback, user_data);
}

GPtrArray *
bcs_bc_client_list_companies_finish (BcsBcClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return pages_finish (self, result, error);
}

static char *
contacts_query (BcsBcClient *self,
                const char  *company_id,
                const char  *filter,
                const char  *select)
{
  g_autofree char *base = contacts_url (self, company_id, NULL);
  g_autoptr(GString) path = g_string_new (base);
  char separator = '?';

  if (filter != NULL && *filter != '\0')
    {
      g_autofree char *escaped = bcs_http_escape (filter);

      g_string_append_printf (path, "%c$filter=%s", separator, escaped);
      separator = '&';
    }
  if (select != NULL && *select != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (select, ",", FALSE);

      g_string_append_printf (path, "%c$select=%s", separator, escaped);
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

void
bcs_bc_client_list_contacts_async (BcsBcClient         *self,
                                   const char          *company_id,
                                   const char          *filter,
                                   const char          *select,
                                   guint                page_size,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BCS_IS_BC_CLIENT (self));
  g_return_if_fail (company_id != NULL);

  path = contacts_query (self, company_id, filter, select);
  get_pages (self, path, page_size, FALSE, bcs_bc_client_list_contacts_async, cancellable, callback, user_data);
}

GPtrArray *
bcs_bc_client_list_contacts_finish (BcsBcClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return pages_finish (self, result, error);
}

/* ---- lists handed over page by page ---- */

typedef struct {
  BcsBcRowFunc row_func;
  gpointer row_data;
  GPtrArray *ids;            /* char *, when ROW_FUNC is NULL */
} EachData;

static void
each_data_free (EachData *data)
{
  g_clear_pointer (&data->ids, g_ptr_array_unref);
  g_free (data);
}

static void
on_each_page (JsonArray *value,
              gpointer   user_data)
{
  EachData *data = user_data;
  guint n = value != NULL ? json_array_get_length (value) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = bcs_json_node_get_object (json_array_get_element (value, i));

      if (row == NULL)
        continue;
      if (data->row_func != NULL)
        data->row_func (row, data->row_data);
      else if (bcs_json_get_string (row, "id") != NULL)
        g_ptr_array_add (data->ids, g_strdup (bcs_json_get_string (row, "id")));
    }
}

static void
on_each_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BcsHttpPages) pages = NULL;
  EachData *data = g_task_get_task_data (task);
  GError *error = NULL;

  pages = bcs_http_get_pages_finish (BCS_HTTP (object), result, &error);
  if (pages == NULL)
    g_task_return_error (task, error);
  else if (data->ids != NULL)
    g_task_return_pointer (task, g_steal_pointer (&data->ids), (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_boolean (task, TRUE);
}

static void
get_pages_each (BcsBcClient         *self,
                const char          *path,
                guint                page_size,
                EachData            *data,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_BC, "GET", path);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) each_data_free);
  if (page_size > 0)
    {
      g_autofree char *prefer = g_strdup_printf ("odata.maxpagesize=%u", page_size);

      bcs_http_request_add_header (request, "Prefer", prefer);
    }
  bcs_http_get_pages_each_async (self->http, request, on_each_page, data, cancellable,
                                 on_each_done, task);
}

void
bcs_bc_client_list_contacts_each_async (BcsBcClient         *self,
                                        const char          *company_id,
                                        const char          *filter,
                                        const char          *select,
                                        guint                page_size,
                                        BcsBcRowFunc         row_func,
                                        gpointer             row_data,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *path = NULL;
  EachData *data;

  g_return_if_fail (BCS_IS_BC_CLIENT (self));
  g_return_if_fail (company_id != NULL);
  g_return_if_fail (row_func != NULL);

  data = g_new0 (EachData, 1);
  data->row_func = row_func;
  data->row_data = row_data;
  path = contacts_query (self, company_id, filter, select);
  get_pages_each (self, path, page_size, data, bcs_bc_client_list_contacts_each_async,
                  cancellable, callback, user_data);
}

gboolean
bcs_bc_client_list_contacts_each_finish (BcsBcClient   *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bcs_bc_client_list_contact_ids_async (BcsBcClient         *self,
                                      const char          *company_id,
                                      const char          *filter,
                                      guint                page_size,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *path = NULL;
  EachData *data;

  g_return_if_fail (BCS_IS_BC_CLIENT (self));
  g_return_if_fail (company_id != NULL);

  data = g_new0 (EachData, 1);
  data->ids = g_ptr_array_new_with_free_func (g_free);
  path = contacts_query (self, company_id, filter, "id");
  get_pages_each (self, path, page_size, data, bcs_bc_client_list_contact_ids_async,
                  cancellable, callback, user_data);
}

GPtrArray *
bcs_bc_client_list_contact_ids_finish (BcsBcClient   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return pages_finish (self, result, error);
}

void
bcs_bc_client_list_users_async (BcsBcClient         *self,
                                const char          *company_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *company = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BCS_IS_BC_CLIENT (self));
  g_return_if_fail (company_id != NULL);

  company = bcs_http_escape (company_id);
  path = g_strdup_printf ("%s/companies(%s)/users", self->automation_base, company);
  get_pages (self, path, 0, FALSE, bcs_bc_client_list_users_async, cancellable, callback, user_data);
}

GPtrArray *
bcs_bc_client_list_users_finish (BcsBcClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return pages_finish (self, result, error);
}

/* ---- single requests ---- */

BcsHttpRequest *
bcs_bc_client_new_get_request (BcsBcClient *self,
                               const char  *company_id,
                               const char  *contact_id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (BCS_IS_BC_CLIENT (self), NULL);
  g_return_val_if_fail (company_id != NULL && contact_id != NULL, NULL);

  path = contacts_url (self, company_id, contact_id);
  return bcs_http_request_new (BCS_SERVICE_BC, "GET", path);
}

BcsHttpRequest *
bcs_bc_client_new_create_request (BcsBcClient *self,
                                  const char  *company_id,
                                  JsonObject  *contact)
{
  g_autofree char *path = NULL;
  BcsHttpRequest *request;

  g_return_val_if_fail (BCS_IS_BC_CLIENT (self), NULL);
  g_return_val_if_fail (company_id != NULL && contact != NULL, NULL);

  path = contacts_url (self, company_id, NULL);
  request = bcs_http_request_new (BCS_SERVICE_BC, "POST", path);
  bcs_http_request_set_object_body (request, contact);
  return request;
}

static gboolean
check_etag (const char  *etag,
            GError     **error)
{
  if (etag == NULL || *etag == '\0')
    {
      /* A change without a precondition could overwrite someone's edit */
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                           _("A change to a Business Central contact needs the version (etag) it was read with."));
      return FALSE;
    }
  return TRUE;
}

BcsHttpRequest *
bcs_bc_client_new_update_request (BcsBcClient  *self,
                                  const char   *company_id,
                                  const char   *contact_id,
                                  JsonObject   *changes,
                                  const char   *etag,
                                  GError      **error)
{
  g_autofree char *path = NULL;
  BcsHttpRequest *request;

  g_return_val_if_fail (BCS_IS_BC_CLIENT (self), NULL);
  g_return_val_if_fail (company_id != NULL && contact_id != NULL, NULL);

  if (!check_etag (etag, error))
    return NULL;
  if (changes == NULL)
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                           _("An update of a Business Central contact needs the fields to change."));
      return NULL;
    }

  path = contacts_url (self, company_id, contact_id);
  request = bcs_http_request_new (BCS_SERVICE_BC, "PATCH", path);
  bcs_http_request_set_object_body (request, changes);
  bcs_http_request_add_header (request, "If-Match", etag);
  return request;
}

BcsHttpRequest *
bcs_bc_client_new_delete_request (BcsBcClient  *self,
                                  const char   *company_id,
                                  const char   *contact_id,
                                  const char   *etag,
                                  GError      **error)
{
  g_autofree char *path = NULL;
  BcsHttpRequest *request;

  g_return_val_if_fail (BCS_IS_BC_CLIENT (self), NULL);
  g_return_val_if_fail (company_id != NULL && contact_id != NULL, NULL);

  if (!check_etag (etag, error))
    return NULL;

  path = contacts_url (self, company_id, contact_id);
  request = bcs_http_request_new (BCS_SERVICE_BC, "DELETE", path);
  bcs_http_request_add_header (request, "If-Match", etag);
  return request;
}

typedef struct {
  BcsHttpRequest *request;
  BcsHttpRequest *reread;
  GError *conflict;
  JsonObject *fresh_row;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->request);
  g_clear_object (&data->reread);
  g_clear_error (&data->conflict);
  g_clear_pointer (&data->fresh_row, json_object_unref);
  g_free (data);
}

static void
on_reread (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (bcs_http_send_finish (BCS_HTTP (object), result, &error))
    {
      JsonObject *row = bcs_http_request_get_response_object (data->reread);

      if (row != NULL)
        data->fresh_row = json_object_ref (row);
    }
  else if (!g_error_matches (error, BCS_ERROR, BCS_ERROR_NOT_FOUND))
    {
      /* The conflict is what the caller must hear about */
      g_debug ("could not read the changed row again: %s", error->message);
    }

  g_task_return_error (task, g_steal_pointer (&data->conflict));
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  const char *method = bcs_http_request_get_method (data->request);
  GError *error = NULL;
  JsonObject *row;

  if (!bcs_http_send_finish (BCS_HTTP (object), result, &error))
    {
      if (g_error_matches (error, BCS_ERROR, BCS_ERROR_NOT_FOUND) && g_str_equal (method, "DELETE"))
        {
          g_clear_error (&error);
          g_task_return_pointer (task, NULL, NULL);
          return;
        }
      if (g_error_matches (error, BCS_ERROR, BCS_ERROR_CONFLICT) &&
          (g_str_equal (method, "PATCH") || g_str_equal (method, "DELETE")))
        {
          GCancellable *cancellable = g_task_get_cancellable (task);

          data->conflict = error;
          data->reread = bcs_http_request_new (BCS_SERVICE_BC, "GET", bcs_http_request_get_path (data->request));
          bcs_http_send_async (BCS_HTTP (object), data->reread, cancellable, on_reread, g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  row = bcs_http_request_get_response_object (data->request);
  if (row == NULL && !g_str_equal (method, "DELETE"))
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                               _("Business Central sent an answer that could not be read. Try again later."));
      return;
    }

  g_task_return_pointer (task, row != NULL ? json_object_ref (row) : NULL, (GDestroyNotify) json_object_unref);
}

void
bcs_bc_client_send_async (BcsBcClient         *self,
                          BcsHttpRequest      *request,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  SendData *data;

  g_return_if_fail (BCS_IS_BC_CLIENT (self));
  g_return_if_fail (BCS_IS_HTTP_REQUEST (request));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_bc_client_send_async);
  data = g_new0 (SendData, 1);
  data->request = g_object_ref (request);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  bcs_http_send_async (self->http, request, cancellable, on_sent, task);
}

JsonObject *
bcs_bc_client_send_finish (BcsBcClient   *self,
                           GAsyncResult  *result,
                           JsonObject   **fresh_row,
                           GError       **error)
{
  SendData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (fresh_row != NULL)
    *fresh_row = data->fresh_row != NULL ? json_object_ref (data->fresh_row) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- $batch ---- */

void
bcs_bc_client_batch_async (BcsBcClient         *self,
                           GPtrArray           *requests,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *batch_path = NULL;
  GTask *task;

  g_return_if_fail (BCS_IS_BC_CLIENT (self));
  g_return_if_fail (requests != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_bc_client_batch_async);
  batch_path = g_strconcat (self->api_base, "/$batch", NULL);
  bcs_http_batch_async (self->http, BCS_SERVICE_BC, batch_path, self->api_base,
                        requests, BCS_BC_MAX_BATCH, cancellable,
                        bcs_http_batch_return_on_task, task);
}

gboolean
bcs_bc_client_batch_finish (BcsBcClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
