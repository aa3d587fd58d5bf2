/* bcs-http-batch.c — JSON $batch for Graph and Business Central
 *
 * The items are ordinary prepared requests; each answer is written back
 * onto its request with bcs_http_request_set_result(), the same parser as
 * for a request sent on its own. Items answered 429/503 (and items that
 * failed only because such an item was their dependency) are sent again,
 * alone, after the longest Retry-After among them. */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-http-batch.h"
#include "bcs-http-private.h"
#include "bcs-json.h"

typedef struct {
  BcsService service;
  char *batch_path;
  char *url_prefix;
  GPtrArray *items;         /* BcsHttpRequest: all of them */
  GPtrArray *pending;       /* BcsHttpRequest: this round's */
  GHashTable *by_id;        /* id → BcsHttpRequest (pending) */
  BcsHttpRequest *batch;
  guint round;
} BatchData;

static void
batch_data_free (BatchData *data)
{
  g_free (data->batch_path);
  g_free (data->url_prefix);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_pointer (&data->pending, g_ptr_array_unref);
  g_clear_pointer (&data->by_id, g_hash_table_unref);
  g_clear_object (&data->batch);
  g_free (data);
}

static char *
relative_url (BatchData      *data,
              BcsHttpRequest *item)
{
  const char *path = bcs_http_request_get_path (item);

  if (data->url_prefix != NULL && g_str_has_prefix (path, data->url_prefix))
    path += strlen (data->url_prefix);
  if (data->service == BCS_SERVICE_GRAPH && path[0] != '/')
    return g_strconcat ("/", path, NULL);
  if (data->service == BCS_SERVICE_BC && path[0] == '/')
    path++;
  return g_strdup (path);
}

static void
add_header (const char *name,
            const char *value,
            gpointer    user_data)
{
  json_object_set_string_member (user_data, name, value);
}

static JsonNode *
build_body (BatchData *data)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *requests = json_array_new ();

  for (guint i = 0; i < data->pending->len; i++)
    {
      BcsHttpRequest *item = g_ptr_array_index (data->pending, i);
      JsonObject *entry = json_object_new ();
      JsonObject *headers = json_object_new ();
      GPtrArray *depends_on = bcs_http_request_get_depends_on (item);
      JsonNode *body = bcs_http_request_get_json_body (item);
      g_autofree char *url = relative_url (data, item);

      json_object_set_string_member (entry, "id", bcs_http_request_get_batch_id (item));
      json_object_set_string_member (entry, "method", bcs_http_request_get_method (item));
      json_object_set_string_member (entry, "url", url);
      soup_message_headers_foreach (bcs_http_request_get_headers (item), add_header, headers);
      if (body != NULL)
        {
          json_object_set_string_member (headers, "Content-Type", "application/json");
          json_object_set_member (entry, "body", json_node_copy (body));
        }
      json_object_set_object_member (entry, "headers", headers);

      if (depends_on != NULL)
        {
          JsonArray *ids = json_array_new ();

          for (guint j = 0; j < depends_on->len; j++)
            {
              BcsHttpRequest *other = g_ptr_array_index (depends_on, j);

              /* A dependency done in an earlier round is no longer in the batch */
              if (g_hash_table_contains (data->by_id, bcs_http_request_get_batch_id (other)))
                json_array_add_string_element (ids, bcs_http_request_get_batch_id (other));
            }
          if (json_array_get_length (ids) > 0)
            json_object_set_array_member (entry, "dependsOn", ids);
          else
            json_array_unref (ids);
        }
      json_array_add_object_element (requests, entry);
    }

  json_object_set_array_member (root, "requests", requests);
  return json_node_init_object (json_node_alloc (), root);
}

static SoupMessageHeaders *
headers_from_json (JsonObject *object)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (object == NULL)
    return headers;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const char *text;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        continue;
      /* libsoup refuses (with a warning) what could split a header */
      text = json_node_get_string (value);
      if (*name == '\0' || strpbrk (name, " \t\r\n:") != NULL || strpbrk (text, "\r\n") != NULL)
        continue;
      soup_message_headers_append (headers, name, text);
    }
  return headers;
}

static gboolean
is_retryable (BcsHttpRequest *item)
{
  guint status = bcs_http_request_get_status (item);

  return status == 429 || status == 503;
}

static gboolean
depends_on_retryable (BcsHttpRequest *item)
{
  GPtrArray *depends_on = bcs_http_request_get_depends_on (item);

  if (bcs_http_request_get_status (item) != 424 || depends_on == NULL)
    return FALSE;
  for (guint i = 0; i < depends_on->len; i++)
    if (is_retryable (g_ptr_array_index (depends_on, i)) ||
        depends_on_retryable (g_ptr_array_index (depends_on, i)))
      return TRUE;
  return FALSE;
}

static void send_round (GTask *task);

static void
on_batch_sent (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  BcsHttp *http = BCS_HTTP (object);
  BatchData *data = g_task_get_task_data (task);
  const char *name = bcs_http_service_display_name (data->service);
  g_autoptr(GPtrArray) retry = NULL;
  GError *error = NULL;
  JsonArray *responses;
  double wait = -1;

  if (!bcs_http_send_finish (http, result, &error))
    {
      /* Every item shares the batch's fate */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        for (guint i = 0; i < data->pending->len; i++)
          bcs_http_request_set_error (g_ptr_array_index (data->pending, i), error);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  responses = bcs_json_get_array (bcs_http_request_get_response_object (data->batch), "responses");
  if (responses == NULL)
    {
      error = g_error_new (BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                           _("%s sent a batch answer that could not be read."), name);
      for (guint i = 0; i < data->pending->len; i++)
        bcs_http_request_set_error (g_ptr_array_index (data->pending, i), error);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < json_array_get_length (responses); i++)
    {
      JsonObject *response = bcs_json_node_get_object (json_array_get_element (responses, i));
      const char *id = bcs_json_get_string (response, "id");
      BcsHttpRequest *item = id != NULL ? g_hash_table_lookup (data->by_id, id) : NULL;
      g_autoptr(SoupMessageHeaders) headers = NULL;
      JsonNode *body;
      gint64 status;

      if (item == NULL)
        continue;
      status = bcs_json_get_int (response, "status", 0);
      headers = headers_from_json (bcs_json_get_object (response, "headers"));
      body = response != NULL ? json_object_get_member (response, "body") : NULL;
      if (body != NULL && JSON_NODE_HOLDS_NULL (body))
        body = NULL;
      if (status < 100 || status > 599)
        {
          g_autoptr(GError) item_error = g_error_new (BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                                                      _("%s sent a batch answer that could not be read."),
                                                      name);
          bcs_http_request_set_error (item, item_error);
          continue;
        }
      bcs_http_request_set_result (item, (guint) status, headers, body);
    }

  retry = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < data->pending->len; i++)
    {
      BcsHttpRequest *item = g_ptr_array_index (data->pending, i);

      if (!bcs_http_request_has_result (item))
        {
          g_autoptr(GError) item_error = g_error_new (BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                                                      _("%s did not answer one request of a batch."), name);
          bcs_http_request_set_error (item, item_error);
          continue;
        }
      if (is_retryable (item))
        {
          double seconds = bcs_http_parse_retry_after (
            soup_message_headers_get_one (bcs_http_request_get_response_headers (item), "Retry-After"), NULL);

          wait = MAX (wait, seconds);
          g_ptr_array_add (retry, g_object_ref (item));
        }
      else if (depends_on_retryable (item))
        g_ptr_array_add (retry, g_object_ref (item));
    }

  data->round++;
  if (retry->len > 0 && data->round < bcs_http_get_max_attempts (http))
    {
      if (wait < 0)
        wait = bcs_http_get_backoff_delay (http, data->round);
      g_debug ("%u of %u batch items throttled: sending them again", retry->len, data->pending->len);
      g_ptr_array_unref (data->pending);
      data->pending = g_steal_pointer (&retry);
      bcs_http_defer (http, data->service, 429, wait);
      send_round (task);
      return;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
send_round (GTask *task)
{
  BcsHttp *http = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = NULL;

  g_hash_table_remove_all (data->by_id);
  for (guint i = 0; i < data->pending->len; i++)
    {
      BcsHttpRequest *item = g_ptr_array_index (data->pending, i);

      bcs_http_request_clear_result (item);
      g_hash_table_insert (data->by_id, (gpointer) bcs_http_request_get_batch_id (item), item);
    }

  body = build_body (data);
  g_clear_object (&data->batch);
  data->batch = bcs_http_request_new (data->service, "POST", data->batch_path);
  bcs_http_request_set_json_body (data->batch, body);
  bcs_http_send_async (http, data->batch, g_task_get_cancellable (task), on_batch_sent, task);
}

void
bcs_http_batch_async (BcsHttp             *http,
                      BcsService           service,
                      const char          *batch_path,
                      const char          *url_prefix,
                      GPtrArray           *requests,
                      guint                max_items,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  BatchData *data;

  g_return_if_fail (BCS_IS_HTTP (http));
  g_return_if_fail (batch_path != NULL);
  g_return_if_fail (requests != NULL);

  task = g_task_new (http, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_http_batch_async);

  if (requests->len > max_items)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                               _("A batch for %s may hold at most %u requests, not %u."),
                               bcs_http_service_display_name (service), max_items, requests->len);
      g_object_unref (task);
      return;
    }

  data = g_new0 (BatchData, 1);
  data->service = service;
  data->batch_path = g_strdup (batch_path);
  data->url_prefix = g_strdup (url_prefix);
  data->items = g_ptr_array_new_with_free_func (g_object_unref);
  data->pending = g_ptr_array_new_with_free_func (g_object_unref);
  data->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_task_set_task_data (task, data, (GDestroyNotify) batch_data_free);

  for (guint i = 0; i < requests->len; i++)
    {
      BcsHttpRequest *item = g_ptr_array_index (requests, i);

      if (bcs_http_request_get_service (item) != service)
        {
          g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                                   "a batch item is for another service");
          g_object_unref (task);
          return;
        }
      if (bcs_http_request_get_batch_id (item) == NULL)
        {
          g_autofree char *id = g_strdup_printf ("%u", i + 1);

          bcs_http_request_set_batch_id (item, id);
        }
      if (g_hash_table_contains (data->by_id, bcs_http_request_get_batch_id (item)))
        {
          g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                                   "two batch items have the id %s", bcs_http_request_get_batch_id (item));
          g_object_unref (task);
          return;
        }
      g_hash_table_insert (data->by_id, (gpointer) bcs_http_request_get_batch_id (item), item);
      g_ptr_array_add (data->items, g_object_ref (item));
      g_ptr_array_add (data->pending, g_object_ref (item));
    }

  if (data->pending->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  send_round (task);
}

gboolean
bcs_http_batch_finish (BcsHttp       *http,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (BCS_IS_HTTP (http), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, http), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bcs_http_batch_return_on_task (GObject      *http,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!bcs_http_batch_finish (BCS_HTTP (http), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}
