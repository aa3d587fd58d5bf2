/* bcs-graph-delta.c — one round of a contact folder's delta
 *
 * Graph may send an item more than once in a round, empty pages that still
 * carry a nextLink, and removals as {"id", "@removed"}. A round ends with a
 * deltaLink for the next one; an unknown link answers 410. */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-graph-client.h"
#include "bcs-graph-private.h"
#include "bcs-json.h"

void
bcs_graph_delta_free (BcsGraphDelta *delta)
{
  if (delta == NULL)
    return;

  g_clear_pointer (&delta->items, g_ptr_array_unref);
  g_clear_pointer (&delta->removed, g_ptr_array_unref);
  g_free (delta->delta_link);
  g_free (delta);
}

/* Merges the round's pages: for each id, only its last state counts */
static BcsGraphDelta *
merge_round (BcsHttpPages *pages)
{
  BcsGraphDelta *delta = g_new0 (BcsGraphDelta, 1);
  g_autoptr(GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);   /* id → index in pages */
  g_autoptr(GPtrArray) order = g_ptr_array_new ();                             /* ids, first seen order */

  for (guint i = 0; i < pages->items->len; i++)
    {
      JsonObject *item = bcs_json_node_get_object (g_ptr_array_index (pages->items, i));
      const char *id = bcs_json_get_string (item, "id");

      if (id == NULL)
        continue;
      if (!g_hash_table_contains (last, id))
        g_ptr_array_add (order, (gpointer) id);
      g_hash_table_insert (last, (gpointer) id, GUINT_TO_POINTER (i));
    }

  delta->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  delta->removed = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < order->len; i++)
    {
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (last, order->pdata[i]));
      JsonObject *item = bcs_json_node_get_object (g_ptr_array_index (pages->items, index));

      if (json_object_has_member (item, "@removed"))
        g_ptr_array_add (delta->removed, g_strdup (order->pdata[i]));
      else
        g_ptr_array_add (delta->items, json_object_ref (item));
    }

  delta->delta_link = g_strdup (pages->delta_link);
  delta->n_pages = pages->n_pages;
  return delta;
}

static void
on_delta_pages (GObject      *object,
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

  if (pages->delta_link == NULL)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                               _("Microsoft 365 ended the list of changes without saying where to continue. "
                                 "The folder will be read again."));
      return;
    }

  g_task_return_pointer (task, merge_round (pages), (GDestroyNotify) bcs_graph_delta_free);
}

void
bcs_graph_client_delta_async (BcsGraphClient      *self,
                              const char          *folder_id,
                              const char          *delta_link,
                              const char          *select,
                              guint                page_size,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(BcsHttpRequest) request = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (BCS_IS_GRAPH_CLIENT (self));
  g_return_if_fail (folder_id != NULL || delta_link != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_graph_client_delta_async);

  if (delta_link != NULL)
    path = g_strdup (delta_link);
  else
    {
      g_autofree char *base = bcs_graph_contacts_path (folder_id);

      if (select != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (select, ",", FALSE);

          path = g_strconcat (base, "/delta?$select=", escaped, NULL);
        }
      else
        path = g_strconcat (base, "/delta", NULL);
    }

  request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", path);
  if (page_size > 0)
    {
      g_autofree char *prefer = g_strdup_printf ("odata.maxpagesize=%u", page_size);

      bcs_http_request_add_header (request, "Prefer", prefer);
    }

  bcs_http_get_pages_async (bcs_graph_client_get_http (self), request, 0, cancellable, on_delta_pages, task);
}

typedef struct {
  BcsGraphDeltaItemFunc item_func;
  gpointer item_data;
} EachData;

static void
on_delta_page (JsonArray *value,
               gpointer   user_data)
{
  EachData *data = user_data;
  guint n = value != NULL ? json_array_get_length (value) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = bcs_json_node_get_object (json_array_get_element (value, i));

      if (item == NULL || bcs_json_get_string (item, "id") == NULL)
        continue;
      data->item_func (item, json_object_has_member (item, "@removed"), data->item_data);
    }
}

void
bcs_graph_client_delta_each_async (BcsGraphClient        *self,
                                   const char            *delta_link,
                                   guint                  page_size,
                                   BcsGraphDeltaItemFunc  item_func,
                                   gpointer               item_data,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr(BcsHttpRequest) request = NULL;
  EachData *data;
  GTask *task;

  g_return_if_fail (BCS_IS_GRAPH_CLIENT (self));
  g_return_if_fail (delta_link != NULL);
  g_return_if_fail (item_func != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_graph_client_delta_async);
  data = g_new0 (EachData, 1);
  data->item_func = item_func;
  data->item_data = item_data;
  g_task_set_task_data (task, data, g_free);

  request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", delta_link);
  if (page_size > 0)
    {
      g_autofree char *prefer = g_strdup_printf ("odata.maxpagesize=%u", page_size);

      bcs_http_request_add_header (request, "Prefer", prefer);
    }

  bcs_http_get_pages_each_async (bcs_graph_client_get_http (self), request, on_delta_page, data,
                                 cancellable, on_delta_pages, task);
}

BcsGraphDelta *
bcs_graph_client_delta_finish (BcsGraphClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
