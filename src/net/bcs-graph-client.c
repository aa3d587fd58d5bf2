/* bcs-graph-client.c — typed calls to Microsoft Graph for Outlook contacts */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-graph-client.h"
#include "bcs-graph-private.h"
#include "bcs-http-batch.h"
#include "bcs-json.h"

struct _BcsGraphClient
{
  GObject parent_instance;

  BcsHttp *http;
};

G_DEFINE_FINAL_TYPE (BcsGraphClient, bcs_graph_client, G_TYPE_OBJECT)

static void
bcs_graph_client_finalize (GObject *object)
{
  BcsGraphClient *self = (BcsGraphClient *) object;

  g_clear_object (&self->http);

  G_OBJECT_CLASS (bcs_graph_client_parent_class)->finalize (object);
}

static void
bcs_graph_client_class_init (BcsGraphClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_graph_client_finalize;
}

static void
bcs_graph_client_init (BcsGraphClient *self)
{
}

BcsGraphClient *
bcs_graph_client_new (BcsHttp *http)
{
  BcsGraphClient *self;
  guint max;

  g_return_val_if_fail (BCS_IS_HTTP (http), NULL);

  self = g_object_new (BCS_TYPE_GRAPH_CLIENT, NULL);
  self->http = g_object_ref (http);

  /* Outlook allows 4 concurrent requests per mailbox */
  max = bcs_http_get_max_in_flight (http, BCS_SERVICE_GRAPH);
  if (max == 0 || max > BCS_GRAPH_MAX_IN_FLIGHT)
    bcs_http_set_max_in_flight (http, BCS_SERVICE_GRAPH, BCS_GRAPH_MAX_IN_FLIGHT);

  return self;
}

BcsHttp *
bcs_graph_client_get_http (BcsGraphClient *self)
{
  g_return_val_if_fail (BCS_IS_GRAPH_CLIENT (self), NULL);
  return self->http;
}

/* ---- helpers shared by the Graph files ---- */

char *
bcs_graph_contacts_path (const char *folder_id)
{
  g_autofree char *escaped = NULL;

  if (folder_id == NULL)
    return g_strdup ("/me/contacts");

  escaped = bcs_http_escape (folder_id);
  return g_strdup_printf ("/me/contactFolders/%s/contacts", escaped);
}

char *
bcs_graph_expand_query (const char *property_id)
{
  g_autofree char *quoted = bcs_http_odata_string (property_id);
  g_autofree char *expand = g_strdup_printf ("singleValueExtendedProperties($filter=id eq %s)", quoted);
  g_autofree char *escaped = bcs_http_escape (expand);

  return g_strconcat ("$expand=", escaped, NULL);
}

static GPtrArray *
objects_from_pages (BcsHttpPages *pages)
{
  GPtrArray *objects = g_ptr_array_new_full (pages->items->len, (GDestroyNotify) json_object_unref);

  for (guint i = 0; i < pages->items->len; i++)
    {
      JsonObject *object = bcs_json_node_get_object (g_ptr_array_index (pages->items, i));

      if (object != NULL)
        g_ptr_array_add (objects, json_object_ref (object));
    }
  return objects;
}

/* ---- single requests ---- */

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsHttpRequest *request = g_task_get_task_data (task);
  GError *error = NULL;
  JsonObject *contact;

  if (!bcs_http_send_finish (BCS_HTTP (object), result, &error))
    {
      /* Deleting something already gone is what was asked for */
      if (g_error_matches (error, BCS_ERROR, BCS_ERROR_NOT_FOUND) &&
          g_str_equal (bcs_http_request_get_method (request), "DELETE"))
        {
          g_clear_error (&error);
          g_task_return_pointer (task, NULL, NULL);
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  contact = bcs_http_request_get_response_object (request);
  if (contact == NULL && !g_str_equal (bcs_http_request_get_method (request), "DELETE"))
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                               _("Microsoft 365 sent an answer that could not be read. Try again later."));
      return;
    }

  g_task_return_pointer (task, contact != NULL ? json_object_ref (contact) : NULL,
                         (GDestroyNotify) json_object_unref);
}

void
bcs_graph_client_send_async (BcsGraphClient      *self,
                             BcsHttpRequest      *request,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BCS_IS_GRAPH_CLIENT (self));
  g_return_if_fail (BCS_IS_HTTP_REQUEST (request));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_graph_client_send_async);
  g_task_set_task_data (task, g_object_ref (request), g_object_unref);
  bcs_http_send_async (self->http, request, cancellable, on_sent, task);
}

JsonObject *
bcs_graph_client_send_finish (BcsGraphClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (BCS_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

BcsHttpRequest *
bcs_graph_client_new_get_request (BcsGraphClient *self,
                                  const char     *folder_id,
                                  const char     *contact_id,
                                  const char     *property_id)
{
  g_autofree char *base = bcs_graph_contacts_path (folder_id);
  g_autofree char *id = bcs_http_escape (contact_id);
  g_autofree char *expand = property_id != NULL ? bcs_graph_expand_query (property_id) : NULL;
  g_autofree char *path = g_strconcat (base, "/", id, expand != NULL ? "?" : "", expand, NULL);

  g_return_val_if_fail (BCS_IS_GRAPH_CLIENT (self), NULL);
  return bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", path);
}

BcsHttpRequest *
bcs_graph_client_new_create_request (BcsGraphClient *self,
                                     const char     *folder_id,
                                     JsonObject     *contact)
{
  g_autofree char *path = bcs_graph_contacts_path (folder_id);
  BcsHttpRequest *request;

  g_return_val_if_fail (BCS_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (contact != NULL, NULL);

  request = bcs_http_request_new (BCS_SERVICE_GRAPH, "POST", path);
  bcs_http_request_set_object_body (request, contact);
  return request;
}

BcsHttpRequest *
bcs_graph_client_new_update_request (BcsGraphClient  *self,
                                     const char      *folder_id,
                                     const char      *contact_id,
                                     JsonObject      *changes,
                                     const char      *etag,
                                     GError         **error)
{
  g_autofree char *base = bcs_graph_contacts_path (folder_id);
  g_autofree char *id = bcs_http_escape (contact_id);
  g_autofree char *path = g_strconcat (base, "/", id, NULL);
  BcsHttpRequest *request;

  g_return_val_if_fail (BCS_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  /* Graph may make up a new displayName when other fields change */
  if (changes == NULL || bcs_json_get_string (changes, "displayName") == NULL)
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                           _("An update of an Outlook contact must include its display name."));
      return NULL;
    }

  request = bcs_http_request_new (BCS_SERVICE_GRAPH, "PATCH", path);
  bcs_http_request_set_object_body (request, changes);
  if (etag != NULL)
    bcs_http_request_add_header (request, "If-Match", etag);
  return request;
}

BcsHttpRequest *
bcs_graph_client_new_delete_request (BcsGraphClient *self,
                                     const char     *folder_id,
                                     const char     *contact_id)
{
  g_autofree char *base = bcs_graph_contacts_path (folder_id);
  g_autofree char *id = bcs_http_escape (contact_id);
  g_autofree char *path = g_strconcat (base, "/", id, NULL);

  g_return_val_if_fail (BCS_IS_GRAPH_CLIENT (self), NULL);
  return bcs_http_request_new (BCS_SERVICE_GRAPH, "DELETE", path);
}

/* ---- /me ---- */

void
bcs_graph_client_get_me_async (BcsGraphClient      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(BcsHttpRequest) request = NULL;

  g_return_if_fail (BCS_IS_GRAPH_CLIENT (self));

  request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/me");
  bcs_graph_client_send_async (self, request, cancellable, callback, user_data);
}

JsonObject *
bcs_graph_client_get_me_finish (BcsGraphClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return bcs_graph_client_send_finish (self, result, error);
}

/* ---- folders ---- */

typedef struct {
  char *name;
  gboolean create;
  gboolean created;
  BcsHttpRequest *request;
} FolderData;

static void
folder_data_free (FolderData *data)
{
  g_free (data->name);
  g_clear_object (&data->request);
  g_free (data);
}

static void
on_folder_created (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FolderData *data = g_task_get_task_data (task);
  GError *error = NULL;
  const char *id;

  if (!bcs_http_send_finish (BCS_HTTP (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  id = bcs_json_get_string (bcs_http_request_get_response_object (data->request), "id");
  if (id == NULL)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                               _("Microsoft 365 created the folder “%s” but did not say how to find it."),
                               data->name);
      return;
    }

  data->created = TRUE;
  g_task_return_pointer (task, g_strdup (id), g_free);
}

static void
on_folder_pages (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsGraphClient *self = g_task_get_source_object (task);
  FolderData *data = g_task_get_task_data (task);
  g_autoptr(BcsHttpPages) pages = NULL;
  g_autoptr(JsonObject) body = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  pages = bcs_http_get_pages_finish (BCS_HTTP (object), result, &error);
  if (pages == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < pages->items->len; i++)
    {
      JsonObject *folder = bcs_json_node_get_object (g_ptr_array_index (pages->items, i));
      const char *id = bcs_json_get_string (folder, "id");

      /* The server filtered; compare again, it costs nothing */
      if (id != NULL && g_strcmp0 (bcs_json_get_string (folder, "displayName"), data->name) == 0)
        {
          g_task_return_pointer (task, g_strdup (id), g_free);
          return;
        }
    }

  if (!data->create)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  body = json_object_new ();
  json_object_set_string_member (body, "displayName", data->name);
  g_clear_object (&data->request);
  data->request = bcs_http_request_new (BCS_SERVICE_GRAPH, "POST", "/me/contactFolders");
  bcs_http_request_set_object_body (data->request, body);
  bcs_http_send_async (self->http, data->request, cancellable, on_folder_created, g_steal_pointer (&task));
}

static void
find_folder (BcsGraphClient      *self,
             const char          *name,
             gboolean             create,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task;
  FolderData *data;
  g_autofree char *quoted = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BCS_IS_GRAPH_CLIENT (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  data = g_new0 (FolderData, 1);
  data->name = g_strdup (name);
  data->create = create;
  g_task_set_task_data (task, data, (GDestroyNotify) folder_data_free);

  quoted = bcs_http_odata_string (name);
  filter = g_strconcat ("displayName eq ", quoted, NULL);
  escaped = bcs_http_escape (filter);
  path = g_strconcat ("/me/contactFolders?$filter=", escaped, NULL);
  data->request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", path);
  bcs_http_get_pages_async (self->http, data->request, 0, cancellable, on_folder_pages, task);
}

void
bcs_graph_client_find_folder_async (BcsGraphClient      *self,
                                    const char          *name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  find_folder (self, name, FALSE, bcs_graph_client_find_folder_async, cancellable, callback, user_data);
}

char *
bcs_graph_client_find_folder_finish (BcsGraphClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bcs_graph_client_ensure_folder_async (BcsGraphClient      *self,
                                      const char          *name,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  find_folder (self, name, TRUE, bcs_graph_client_ensure_folder_async, cancellable, callback, user_data);
}

char *
bcs_graph_client_ensure_folder_finish (BcsGraphClient  *self,
                                       GAsyncResult    *result,
                                       gboolean        *created,
                                       GError         **error)
{
  FolderData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (created != NULL)
    *created = data->created;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- lists ---- */

static void
on_contact_pages (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BcsHttpPages) pages = NULL;
  GError *error = NULL;

  pages = bcs_http_get_pages_finish (BCS_HTTP (object), result, &error);
  if (pages == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, objects_from_pages (pages), (GDestroyNotify) g_ptr_array_unref);
}

static void
get_contact_pages (BcsGraphClient      *self,
                   const char          *path,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(BcsHttpRequest) request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", path);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  bcs_http_get_pages_async (self->http, request, 0, cancellable, on_contact_pages, task);
}

void
bcs_graph_client_list_contacts_async (BcsGraphClient      *self,
                                      const char          *folder_id,
                                      const char          *select,
                                      const char          *property_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *base = NULL;
  g_autoptr(GString) path = NULL;

  g_return_if_fail (BCS_IS_GRAPH_CLIENT (self));
  g_return_if_fail (folder_id != NULL);

  base = bcs_graph_contacts_path (folder_id);
  path = g_string_new (base);
  g_string_append_printf (path, "?$top=%u", BCS_GRAPH_PAGE_SIZE);
  if (select != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (select, ",", FALSE);

      g_string_append_printf (path, "&$select=%s", escaped);
    }
  if (property_id != NULL)
    {
      g_autofree char *expand = bcs_graph_expand_query (property_id);

      g_string_append_printf (path, "&%s", expand);
    }

  get_contact_pages (self, path->str, bcs_graph_client_list_contacts_async, cancellable, callback, user_data);
}

GPtrArray *
bcs_graph_client_list_contacts_finish (BcsGraphClient  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bcs_graph_client_find_by_property_async (BcsGraphClient      *self,
                                         const char          *folder_id,
                                         const char          *property_id,
                                         const char          *value,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *base = NULL;
  g_autofree char *quoted_id = NULL;
  g_autofree char *quoted_value = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *expand = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BCS_IS_GRAPH_CLIENT (self));
  g_return_if_fail (property_id != NULL && value != NULL);

  base = bcs_graph_contacts_path (folder_id);
  quoted_id = bcs_http_odata_string (property_id);
  quoted_value = bcs_http_odata_string (value);
  filter = g_strdup_printf ("singleValueExtendedProperties/Any(ep: ep/id eq %s and ep/value eq %s)",
                            quoted_id, quoted_value);
  escaped = bcs_http_escape (filter);
  expand = bcs_graph_expand_query (property_id);
  path = g_strdup_printf ("%s?$filter=%s&%s", base, escaped, expand);

  get_contact_pages (self, path, bcs_graph_client_find_by_property_async, cancellable, callback, user_data);
}

GPtrArray *
bcs_graph_client_find_by_property_finish (BcsGraphClient  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- $batch ---- */

void
bcs_graph_client_batch_async (BcsGraphClient      *self,
                              GPtrArray           *requests,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BCS_IS_GRAPH_CLIENT (self));
  g_return_if_fail (requests != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_graph_client_batch_async);
  bcs_http_batch_async (self->http, BCS_SERVICE_GRAPH, "/$batch",
                        bcs_http_get_base_url (self->http, BCS_SERVICE_GRAPH),
                        requests, BCS_GRAPH_MAX_BATCH, cancellable,
                        bcs_http_batch_return_on_task, task);
}

gboolean
bcs_graph_client_batch_finish (BcsGraphClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
