/* bcs-sb-graph-batch.c — POST /$batch: at most 20 inner requests, dependsOn,
 * each inner request throttled on its own, answers in another order */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-graph-private.h"

#define MAX_BATCH 20

typedef struct {
  const char *id;
  JsonObject *request;
  GPtrArray *depends_on;        /* BatchItem (not owned) */
  gboolean done;
  guint status;
  JsonObject *answer;
} BatchItem;

static void
batch_item_clear (BatchItem *item)
{
  g_clear_pointer (&item->depends_on, g_ptr_array_unref);
  g_clear_pointer (&item->answer, json_object_unref);
}

static BatchItem *
find_item (GArray     *items,
           const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (g_array_index (items, BatchItem, i).id, id) == 0)
      return &g_array_index (items, BatchItem, i);
  return NULL;
}

static JsonObject *
error_answer (const char *id,
              guint       status,
              const char *code,
              const char *message)
{
  g_autoptr(BcsSbResponse) response = bcs_sb_response_new ();
  JsonObject *answer = json_object_new ();
  JsonObject *headers = json_object_new ();

  bcs_sb_graph_error (response, status, code, message);
  json_object_set_string_member (answer, "id", id);
  json_object_set_int_member (answer, "status", status);
  json_object_set_string_member (headers, "Content-Type", "application/json");
  json_object_set_object_member (answer, "headers", headers);
  json_object_set_member (answer, "body", g_steal_pointer (&response->json));
  return answer;
}

static const char *
header_value (JsonObject *request,
              const char *name)
{
  JsonObject *headers = NULL;
  g_autoptr(GList) members = NULL;

  if (json_object_has_member (request, "headers") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "headers")))
    headers = json_object_get_object_member (request, "headers");
  if (headers == NULL)
    return NULL;
  members = json_object_get_members (headers);
  for (GList *l = members; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, name) == 0)
      return json_object_get_string_member_with_default (headers, l->data, NULL);
  return NULL;
}

static void
add_header (const char *name,
            const char *value,
            gpointer    user_data)
{
  json_object_set_string_member (user_data, name, value);
}

/* Runs one inner request as its own handler would, after the per-item limits */
static JsonObject *
run_item (BcsSandbox   *sandbox,
          BcsSbRequest *outer,
          BatchItem    *item)
{
  JsonObject *request = item->request;
  const char *method = json_object_get_string_member_with_default (request, "method", "GET");
  const char *url = json_object_get_string_member_with_default (request, "url", "");
  JsonNode *body = json_object_get_member (request, "body");
  g_autoptr(BcsSbRequest) inner = NULL;
  g_autoptr(BcsSbResponse) response = bcs_sb_response_new ();
  g_autofree char *raw_path = NULL;
  g_autofree char *path = NULL;
  const char *query;
  JsonObject *answer, *headers;

  if (body != NULL && !JSON_NODE_HOLDS_NULL (body) && header_value (request, "Content-Type") == NULL)
    return error_answer (item->id, 400, "BadRequest",
                         "Content-Type header must be specified when the request has a body.");

  /* relative ("/me/…" or "me/…"); an absolute Graph URL is cut to its path */
  if (strstr (url, "/v1.0/") != NULL)
    url = strstr (url, "/v1.0/") + strlen ("/v1.0");
  query = strchr (url, '?');
  raw_path = query != NULL ? g_strndup (url, query - url) : g_strdup (url);
  path = g_uri_unescape_string (raw_path, NULL);
  if (path == NULL)
    return error_answer (item->id, 400, "BadRequest", "The request URL is not valid.");

  inner = bcs_sb_request_new (BCS_SB_GRAPH, "GET", NULL);
  g_free (inner->method);
  inner->method = g_ascii_strup (method, -1);
  g_free (inner->path);
  inner->path = path[0] == '/' ? g_strdup (path) : g_strconcat ("/", path, NULL);
  inner->base_url = g_strdup (outer->base_url);
  inner->user = g_strdup (outer->user);
  inner->in_batch = TRUE;
  if (query != NULL)
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (query + 1, -1, "&", G_URI_PARAMS_NONE, NULL);
      GHashTableIter iter;
      gpointer key, value;

      if (params == NULL)
        return error_answer (item->id, 400, "BadRequest", "The request URL's query is not valid.");
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (inner->query, g_strdup (key), g_strdup (value));
    }
  if (json_object_has_member (request, "headers") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "headers")))
    {
      JsonObject *given = json_object_get_object_member (request, "headers");
      g_autoptr(GList) names = json_object_get_members (given);

      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *value = json_object_get_string_member_with_default (given, l->data, NULL);
          if (value != NULL)
            soup_message_headers_append (inner->headers, l->data, value);
        }
    }
  if (body != NULL && !JSON_NODE_HOLDS_NULL (body))
    {
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (body) && json_node_get_value_type (body) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (body));
      else
        text = json_to_string (body, FALSE);
      g_bytes_unref (inner->body);
      inner->body = g_bytes_new_take (text, strlen (text));
      text = NULL;
    }

  if (!bcs_sb_check_inner_limits (sandbox, inner, response))
    bcs_sb_graph_handle (sandbox, inner, response);

  answer = json_object_new ();
  headers = json_object_new ();
  json_object_set_string_member (answer, "id", item->id);
  json_object_set_int_member (answer, "status", response->status);
  soup_message_headers_foreach (response->headers, add_header, headers);
  if (response->json != NULL)
    json_object_set_string_member (headers, "Content-Type",
                                   "application/json; odata.metadata=minimal; "
                                   "odata.streaming=true; IEEE754Compatible=false; charset=utf-8");
  json_object_set_object_member (answer, "headers", headers);
  if (response->json != NULL)
    json_object_set_member (answer, "body", g_steal_pointer (&response->json));
  else if (response->raw != NULL)
    {
      gsize length;
      const char *data = g_bytes_get_data (response->raw, &length);
      g_autofree char *text = g_strndup (data, length);

      json_object_set_string_member (answer, "body", text);
    }
  return answer;
}

static void
batch_fail (BcsSbResponse *response,
            const char    *message)
{
  bcs_sb_graph_error (response, 400, "BadRequest", message);
}

void
bcs_sb_graph_batch (BcsSandbox    *sandbox,
                    BcsSbRequest  *request,
                    BcsSbResponse *response)
{
  g_autoptr(JsonNode) body = bcs_sb_request_get_json (request, NULL);
  g_autoptr(GArray) items = NULL;
  g_autoptr(GPtrArray) order = NULL;
  JsonArray *requests;
  JsonArray *answers;
  JsonObject *object;
  guint n, executed = 0;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body) ||
      !json_object_has_member (json_node_get_object (body), "requests") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (body), "requests")))
    {
      batch_fail (response, "Invalid batch payload format.");
      return;
    }
  requests = json_object_get_array_member (json_node_get_object (body), "requests");
  n = json_array_get_length (requests);
  if (n == 0)
    {
      batch_fail (response, "Invalid batch payload format: no requests.");
      return;
    }
  if (n > MAX_BATCH)
    {
      batch_fail (response, "Number of batch request steps exceeds the maximum allowed number of 20.");
      return;
    }

  items = g_array_sized_new (FALSE, TRUE, sizeof (BatchItem), n);
  g_array_set_clear_func (items, (GDestroyNotify) batch_item_clear);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (requests, i);
      BatchItem item = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          batch_fail (response, "Invalid batch payload format: a request must be an object.");
          return;
        }
      item.request = json_node_get_object (node);
      item.id = json_object_get_string_member_with_default (item.request, "id", NULL);
      if (item.id == NULL || *item.id == '\0' ||
          json_object_get_string_member_with_default (item.request, "method", NULL) == NULL ||
          json_object_get_string_member_with_default (item.request, "url", NULL) == NULL)
        {
          batch_fail (response, "Invalid batch payload format: each request needs an id, a method and a url.");
          return;
        }
      if (find_item (items, item.id) != NULL)
        {
          g_autofree char *message = g_strdup_printf ("Request Id '%s' is duplicated.", item.id);
          batch_fail (response, message);
          return;
        }
      g_array_append_val (items, item);
    }

  for (guint i = 0; i < n; i++)
    {
      BatchItem *item = &g_array_index (items, BatchItem, i);
      JsonNode *depends = json_object_get_member (item->request, "dependsOn");
      JsonArray *ids;

      item->depends_on = g_ptr_array_new ();
      if (depends == NULL || JSON_NODE_HOLDS_NULL (depends))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (depends))
        {
          batch_fail (response, "Invalid batch payload format: dependsOn must be an array.");
          return;
        }
      ids = json_node_get_array (depends);
      for (guint d = 0; d < json_array_get_length (ids); d++)
        {
          const char *id = json_array_get_string_element (ids, d);
          BatchItem *other = id != NULL ? find_item (items, id) : NULL;

          if (other == NULL || other == item)
            {
              g_autofree char *message =
                g_strdup_printf ("Request '%s' depends on '%s', which is not in the batch.",
                                 item->id, id != NULL ? id : "");
              batch_fail (response, message);
              return;
            }
          g_ptr_array_add (item->depends_on, other);
        }
    }

  /* an order that respects dependsOn; a cycle fails the whole batch */
  order = g_ptr_array_new ();
  while (order->len < n)
    {
      gboolean progress = FALSE;

      for (guint i = 0; i < n; i++)
        {
          BatchItem *item = &g_array_index (items, BatchItem, i);
          gboolean ready = !item->done;

          for (guint d = 0; ready && d < item->depends_on->len; d++)
            ready = ((BatchItem *) g_ptr_array_index (item->depends_on, d))->done;
          if (ready)
            {
              item->done = TRUE;
              g_ptr_array_add (order, item);
              progress = TRUE;
            }
        }
      if (!progress)
        {
          batch_fail (response, "The dependsOn of the batch's requests form a cycle.");
          return;
        }
    }

  for (guint i = 0; i < order->len; i++)
    {
      BatchItem *item = g_ptr_array_index (order, i);
      BatchItem *failed = NULL;

      for (guint d = 0; d < item->depends_on->len && failed == NULL; d++)
        {
          BatchItem *dep = g_ptr_array_index (item->depends_on, d);
          if (dep->status >= 400)
            failed = dep;
        }
      if (failed != NULL)
        {
          g_autofree char *message =
            g_strdup_printf ("The request depends on request '%s', which failed.", failed->id);
          item->answer = error_answer (item->id, 424, "FailedDependency", message);
        }
      else
        {
          item->answer = run_item (sandbox, request, item);
          executed++;
        }
      item->status = json_object_get_int_member (item->answer, "status");
    }

  /* Graph answers in whatever order the items finished: here, backwards */
  answers = json_array_sized_new (n);
  for (guint i = n; i > 0; i--)
    json_array_add_object_element (answers,
                                   json_object_ref (g_array_index (items, BatchItem, i - 1).answer));
  object = json_object_new ();
  json_object_set_array_member (object, "responses", answers);
  bcs_sb_response_set_object (response, 200, object);
  response->work_units = MAX (executed, 1);
}
