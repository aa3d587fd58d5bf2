/* bcs-sb-bc-batch.c — Business Central's JSON $batch
 *
 * {"requests": [{"id", "method", "url" (relative to the API root, or
 * absolute), "headers", "body"}]} → {"responses": [{"id", "status", "headers",
 * "body"}]}, at most 100 operations. Each operation passes the fault rules and
 * rate limits on its own (bcs_sb_check_inner_limits), as at Microsoft.
 *
 * "Isolation: snapshot" makes the batch one transaction: when an operation
 * fails, every change of the batch is rolled back; the failed operation keeps
 * its error and every other one reports 424 FailedDependency, so that no
 * operation claims a success that did not last.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-bc-private.h"

static void
copy_header (const char *name,
             const char *value,
             gpointer    data)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  json_object_set_string_member (data, lower, value);
}

/* URL of an operation → the path below /bc and its query */
static char *
resolve_url (const char  *url,
             const char  *root,
             char       **query)
{
  g_autofree char *path = NULL;
  const char *q;

  if (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"))
    {
      const char *p = strstr (url + strlen ("https://"), "/");
      const char *api = p ? strstr (p, "/bc/") : NULL;

      url = api ? api + strlen ("/bc") : p ? p : "/";
    }
  q = strchr (url, '?');
  path = q ? g_strndup (url, q - url) : g_strdup (url);
  *query = q ? g_strdup (q + 1) : NULL;

  if (path[0] == '/')
    return g_str_has_prefix (path, root) || g_str_has_prefix (path, "/v2.0/") || g_str_has_prefix (path, "/onprem/")
           ? g_steal_pointer (&path) : g_strconcat (root, path, NULL);
  return g_strconcat (root, "/", path, NULL);
}

static BcsSbRequest *
inner_request (BcsSbRequest *outer,
               JsonObject   *item,
               const char   *root)
{
  const char *method = json_object_get_string_member_with_default (item, "method", "GET");
  const char *url = json_object_get_string_member_with_default (item, "url", "");
  g_autofree char *query = NULL;
  g_autofree char *path = resolve_url (url, root, &query);
  g_autofree char *upper = g_ascii_strup (method, -1);
  BcsSbRequest *inner = bcs_sb_request_new (BCS_SB_BC, upper, path);
  JsonNode *headers = json_object_get_member (item, "headers");
  JsonNode *body = json_object_get_member (item, "body");

  if (query != NULL)
    {
      g_autoptr(GHashTable) form = soup_form_decode (query);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, form);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (inner->query, g_strdup (key), g_strdup (value));
    }
  if (headers != NULL && JSON_NODE_HOLDS_OBJECT (headers))
    {
      JsonObject *object = json_node_get_object (headers);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *value = json_object_get_string_member_with_default (object, l->data, NULL);

          if (value != NULL)
            soup_message_headers_replace (inner->headers, l->data, value);
        }
    }
  if (body != NULL && !JSON_NODE_HOLDS_NULL (body))
    {
      char *text = json_to_string (body, FALSE);
      gsize length = strlen (text);

      g_bytes_unref (inner->body);
      inner->body = g_bytes_new_take (text, length);
    }
  inner->base_url = g_strdup (outer->base_url);
  inner->user = g_strdup (outer->user);
  inner->in_batch = TRUE;
  return inner;
}

static JsonObject *
item_response (const char    *id,
               BcsSbResponse *response)
{
  JsonObject *object = json_object_new ();
  JsonObject *headers = json_object_new ();

  json_object_set_string_member (object, "id", id);
  json_object_set_int_member (object, "status", response->status);
  soup_message_headers_foreach (response->headers, copy_header, headers);
  if (response->json != NULL)
    json_object_set_string_member (headers, "content-type", "application/json; odata.metadata=minimal");
  json_object_set_object_member (object, "headers", headers);
  if (response->json != NULL)
    json_object_set_member (object, "body", json_node_ref (response->json));
  return object;
}

void
bcs_sb_bc_batch (BcsSandbox    *sandbox,
                 BcsSbRequest  *request,
                 const char    *root,
                 BcsSbResponse *response)
{
  BcsSbBc *bc = sandbox->bc;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = bcs_sb_request_get_json (request, &error);
  g_autoptr(GPtrArray) results = NULL;    /* BcsSbResponse */
  g_autoptr(GPtrArray) ids = NULL;
  const char *isolation = soup_message_headers_get_one (request->headers, "Isolation");
  gboolean snapshot = isolation != NULL && g_ascii_strcasecmp (isolation, "snapshot") == 0;
  JsonNode *requests_node;
  JsonArray *requests;
  JsonObject *object;
  JsonArray *responses;
  int failed = -1;

  requests_node = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                  ? json_object_get_member (json_node_get_object (node), "requests") : NULL;
  if (requests_node == NULL || !JSON_NODE_HOLDS_ARRAY (requests_node))
    {
      bcs_sb_bc_error (response, 400, "BadRequest",
                       "The batch request must be a JSON object with a \"requests\" array.");
      return;
    }
  requests = json_node_get_array (requests_node);
  if (json_array_get_length (requests) > BC_MAX_BATCH)
    {
      g_autofree char *message =
        g_strdup_printf ("The batch request contains %u operations, more than the maximum of %u.",
                         json_array_get_length (requests), BC_MAX_BATCH);

      bcs_sb_bc_error (response, 400, "BadRequest", message);
      return;
    }

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sb_response_free);
  ids = g_ptr_array_new_with_free_func (g_free);
  if (snapshot)
    bcs_sb_bc_undo_begin (bc);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonNode *item = json_array_get_element (requests, i);
      BcsSbResponse *inner_response = bcs_sb_response_new ();
      g_autoptr(BcsSbRequest) inner = NULL;
      JsonObject *item_object;
      g_autofree char *fallback_id = g_strdup_printf ("%u", i + 1);

      g_ptr_array_add (results, inner_response);
      if (!JSON_NODE_HOLDS_OBJECT (item)
          || json_object_get_string_member_with_default (json_node_get_object (item), "url", NULL) == NULL)
        {
          g_ptr_array_add (ids, g_steal_pointer (&fallback_id));
          bcs_sb_bc_error (inner_response, 400, "BadRequest", "A batch operation needs a method and a url.");
        }
      else
        {
          item_object = json_node_get_object (item);
          g_ptr_array_add (ids, g_strdup (json_object_get_string_member_with_default (item_object, "id",
                                                                                      fallback_id)));
          inner = inner_request (request, item_object, root);
          if (!bcs_sb_check_inner_limits (sandbox, inner, inner_response))
            bcs_sb_bc_handle (sandbox, inner, inner_response);
          if (inner_response->status == 0)
            bcs_sb_bc_error (inner_response, 500, "Internal_ServerError", "The operation gave no answer.");
        }
      if (inner_response->status >= 400 && failed < 0)
        failed = (int) i;
    }

  if (snapshot && failed >= 0)
    {
      BcsSbResponse *cause = g_ptr_array_index (results, failed);
      JsonObject *error_object = NULL;
      const char *cause_message = "";

      bcs_sb_bc_undo_rollback (bc);
      if (cause->json != NULL && JSON_NODE_HOLDS_OBJECT (cause->json))
        error_object = json_object_get_object_member (json_node_get_object (cause->json), "error");
      if (error_object != NULL)
        cause_message = json_object_get_string_member_with_default (error_object, "message", "");
      for (guint i = 0; i < results->len; i++)
        {
          g_autofree char *message = NULL;
          BcsSbResponse *result = g_ptr_array_index (results, i);

          if ((int) i == failed)
            continue;
          message = g_strdup_printf ("The batch was rolled back because operation '%s' failed with %u: %s",
                                     (char *) g_ptr_array_index (ids, failed), cause->status, cause_message);
          soup_message_headers_clear (result->headers);
          bcs_sb_response_set_error (result, 424, "FailedDependency", message);
        }
    }
  else
    bcs_sb_bc_undo_end (bc);

  object = json_object_new ();
  responses = json_array_new ();
  for (guint i = 0; i < results->len; i++)
    json_array_add_object_element (responses, item_response (g_ptr_array_index (ids, i),
                                                             g_ptr_array_index (results, i)));
  json_object_set_array_member (object, "responses", responses);
  bcs_sb_response_set_object (response, 200, object);
  response->work_units = MAX (results->len, 1);
}
