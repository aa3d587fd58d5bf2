/* bcs-http-pages.c — a GET followed through every @odata.nextLink */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-http-private.h"
#include "bcs-http.h"
#include "bcs-json.h"

/* A server that keeps sending nextLinks is stopped somewhere */
#define MAX_PAGES 100000
/* Rows of a scanned page parsed at once (see bcs_http_get_pages_each_async) */
#define BCS_HTTP_PAGE_SLICE 500

typedef struct {
  BcsHttpRequest *first;
  BcsHttpRequest *current;
  guint max_items;
  BcsHttpPageFunc page_func;
  gpointer page_data;
  BcsHttpPages *pages;
  JsonParser *parser;         /* reused for the slices of scanned pages */
} PagesData;

static void
pages_data_free (PagesData *data)
{
  g_clear_object (&data->first);
  g_clear_object (&data->current);
  g_clear_pointer (&data->pages, bcs_http_pages_free);
  g_clear_object (&data->parser);
  g_free (data);
}

void
bcs_http_pages_free (BcsHttpPages *pages)
{
  if (pages == NULL)
    return;

  g_clear_pointer (&pages->items, g_ptr_array_unref);
  g_free (pages->delta_link);
  g_free (pages);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  bcs_http_request_add_header (user_data, name, value);
}

static void on_page (GObject *object, GAsyncResult *result, gpointer user_data);

static void
return_unreadable (GTask      *task,
                   BcsService  service)
{
  g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                           _("%s sent a list that could not be read. Try again later."),
                           bcs_http_service_display_name (service));
  g_object_unref (task);
}

/* Hands the rows of a scanned page to the page function a slice at a
 * time: FALSE when a slice is not JSON after all */
static gboolean
each_slice (PagesData   *data,
            BcsJsonPage *page)
{
  guint n = bcs_json_page_get_n_elements (page);

  if (n == 0)
    {
      g_autoptr(JsonArray) empty = bcs_json_page_value_is_array (page) ? json_array_new () : NULL;

      data->page_func (empty, data->page_data);
      return TRUE;
    }

  if (data->parser == NULL)
    data->parser = json_parser_new ();
  for (guint first = 0; first < n; first += BCS_HTTP_PAGE_SLICE)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) slice = bcs_json_page_parse_slice (page, data->parser, first,
                                                              BCS_HTTP_PAGE_SLICE, &error);

      if (slice == NULL)
        {
          g_debug ("unreadable rows in a list page: %s", error->message);
          return FALSE;
        }
      data->page_func (slice, data->page_data);
    }
  return TRUE;
}

static void
on_page (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  BcsHttp *self = BCS_HTTP (object);
  PagesData *data = g_task_get_task_data (task);
  BcsService service = bcs_http_request_get_service (data->current);
  BcsJsonPage *scanned;
  GError *error = NULL;
  JsonObject *page = NULL;
  JsonArray *value = NULL;
  const char *next_link;
  const char *delta_link;

  if (!bcs_http_send_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  scanned = bcs_http_request_get_response_page (data->current);
  if (scanned != NULL)
    {
      if (!bcs_json_page_is_object (scanned) ||
          (bcs_json_page_has_value (scanned) && !bcs_json_page_value_is_array (scanned)))
        {
          return_unreadable (task, service);
          return;
        }
      data->pages->n_pages++;
      if (!each_slice (data, scanned))
        {
          return_unreadable (task, service);
          return;
        }
      next_link = bcs_json_page_get_next_link (scanned);
      delta_link = bcs_json_page_get_delta_link (scanned);
    }
  else
    {
      page = bcs_http_request_get_response_object (data->current);
      value = bcs_json_get_array (page, "value");
      if (page == NULL || (value == NULL && json_object_has_member (page, "value")))
        {
          return_unreadable (task, service);
          return;
        }

      data->pages->n_pages++;
      if (data->page_func != NULL)
        data->page_func (value, data->page_data);
      else if (value != NULL)
        {
          guint n = json_array_get_length (value);

          for (guint i = 0; i < n; i++)
            {
              if (data->max_items != 0 && data->pages->items->len >= data->max_items)
                break;
              /* A shallow copy: shares the object, not the page */
              g_ptr_array_add (data->pages->items, json_node_copy (json_array_get_element (value, i)));
            }
        }
      next_link = bcs_json_get_string (page, "@odata.nextLink");
      delta_link = bcs_json_get_string (page, "@odata.deltaLink");
    }

  if (delta_link != NULL)
    {
      g_free (data->pages->delta_link);
      data->pages->delta_link = g_strdup (delta_link);
    }

  if (next_link != NULL &&
      (data->max_items == 0 || data->pages->items->len < data->max_items))
    {
      BcsHttpRequest *next;

      if (data->pages->n_pages >= MAX_PAGES ||
          g_strcmp0 (next_link, bcs_http_request_get_path (data->current)) == 0)
        {
          g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                                   _("%s keeps sending the same page of a list. Try again later."),
                                   bcs_http_service_display_name (service));
          g_object_unref (task);
          return;
        }

      next = bcs_http_request_new (service, "GET", next_link);
      soup_message_headers_foreach (bcs_http_request_get_headers (data->first), copy_header, next);
      bcs_http_request_set_scan_page (next, data->page_func != NULL);
      g_clear_object (&data->current);
      data->current = next;
      bcs_http_send_async (self, next, g_task_get_cancellable (task), on_page, task);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&data->pages), (GDestroyNotify) bcs_http_pages_free);
  g_object_unref (task);
}

void
bcs_http_get_pages_async (BcsHttp             *self,
                          BcsHttpRequest      *first,
                          guint                max_items,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  PagesData *data;

  g_return_if_fail (BCS_IS_HTTP (self));
  g_return_if_fail (BCS_IS_HTTP_REQUEST (first));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_http_get_pages_async);

  data = g_new0 (PagesData, 1);
  data->first = g_object_ref (first);
  data->current = g_object_ref (first);
  data->max_items = max_items;
  data->pages = g_new0 (BcsHttpPages, 1);
  data->pages->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) pages_data_free);

  bcs_http_send_async (self, first, cancellable, on_page, task);
}

void
bcs_http_get_pages_each_async (BcsHttp             *self,
                               BcsHttpRequest      *first,
                               BcsHttpPageFunc      page_func,
                               gpointer             page_data,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  PagesData *data;

  g_return_if_fail (BCS_IS_HTTP (self));
  g_return_if_fail (BCS_IS_HTTP_REQUEST (first));
  g_return_if_fail (page_func != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_http_get_pages_async);

  data = g_new0 (PagesData, 1);
  data->first = g_object_ref (first);
  data->current = g_object_ref (first);
  data->page_func = page_func;
  data->page_data = page_data;
  /* Each page is scanned, not parsed as one tree: its rows reach PAGE_FUNC
   * in slices of BCS_HTTP_PAGE_SLICE */
  bcs_http_request_set_scan_page (first, TRUE);
  data->pages = g_new0 (BcsHttpPages, 1);
  data->pages->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) pages_data_free);

  bcs_http_send_async (self, first, cancellable, on_page, task);
}

BcsHttpPages *
bcs_http_get_pages_finish (BcsHttp       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BCS_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
