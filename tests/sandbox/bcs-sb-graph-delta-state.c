/* bcs-sb-graph-delta-state.c — the change logs and delta tokens in the state
 * file, so that a client's deltaLink still works after the sandbox restarts
 * with --state (as it does after a restart of Exchange) */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include "bcs-sb-graph-private.h"

static gboolean
add_log_entry (gpointer key,
               gpointer value,
               gpointer data)
{
  GraphLogEntry *entry = value;
  JsonArray *item = json_array_sized_new (3);

  (void) key;
  json_array_add_int_element (item, (gint64) entry->seq);
  if (entry->contact != NULL)
    json_array_add_string_element (item, entry->contact->id);
  else
    {
      json_array_add_string_element (item, entry->removed_id);
      json_array_add_boolean_element (item, TRUE);
    }
  json_array_add_array_element (data, item);
  return FALSE;
}

static int
compare_tokens (gconstpointer a,
                gconstpointer b)
{
  const GraphDeltaState *x = *(GraphDeltaState * const *) a;
  const GraphDeltaState *y = *(GraphDeltaState * const *) b;

  return g_strcmp0 (x->token, y->token);
}

/* {"folders": [{"id", "seq", "log": [[seq, id] | [seq, id, true]]}], "tokens": […]} */
JsonNode *
bcs_sb_graph_delta_to_json (BcsSbGraph *graph)
{
  JsonObject *object = json_object_new ();
  JsonArray *folders = json_array_new ();
  JsonArray *tokens = json_array_new ();
  g_autoptr(GPtrArray) states = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  JsonNode *node;

  for (guint i = 0; i < graph->folder_order->len; i++)
    {
      GraphFolder *folder = g_ptr_array_index (graph->folder_order, i);
      JsonObject *item = json_object_new ();
      JsonArray *log = json_array_sized_new (g_tree_nnodes (folder->log));

      g_tree_foreach (folder->log, add_log_entry, log);
      json_object_set_string_member (item, "id", folder->id);
      json_object_set_int_member (item, "seq", (gint64) folder->seq);
      json_object_set_array_member (item, "log", log);
      json_array_add_object_element (folders, item);
    }

  /* sorted: the same state gives the same file */
  g_hash_table_iter_init (&iter, graph->delta_tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (states, value);
  g_ptr_array_sort (states, compare_tokens);
  for (guint i = 0; i < states->len; i++)
    {
      GraphDeltaState *state = g_ptr_array_index (states, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "token", state->token);
      json_object_set_string_member (item, "folder", state->folder_id);
      json_object_set_int_member (item, "from", (gint64) state->from);
      json_object_set_int_member (item, "to", (gint64) state->to);
      json_object_set_int_member (item, "after", (gint64) state->after);
      json_object_set_int_member (item, "repeat", (gint64) state->repeat);
      json_object_set_int_member (item, "page", state->page);
      json_object_set_string_member (item, "select", state->select);
      json_object_set_boolean_member (item, "initial", state->initial);
      json_object_set_boolean_member (item, "delta", state->is_delta);
      json_array_add_object_element (tokens, item);
    }

  json_object_set_array_member (object, "folders", folders);
  json_object_set_array_member (object, "tokens", tokens);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static void
load_folder_log (BcsSbGraph  *graph,
                 GraphFolder *folder,
                 JsonObject  *item)
{
  JsonNode *log = json_object_get_member (item, "log");
  guint64 seq = (guint64) MAX (json_object_get_int_member_with_default (item, "seq", 0), 0);

  if (log == NULL || !JSON_NODE_HOLDS_ARRAY (log))
    return;

  /* the log as it was, instead of the one loading the contacts made */
  g_tree_remove_all (folder->log);
  for (guint i = 0; i < folder->contacts->len; i++)
    ((GraphContact *) g_ptr_array_index (folder->contacts, i))->seq = 0;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (log)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (log), i);
      JsonArray *parts;
      GraphLogEntry *entry;
      GraphContact *contact;
      const char *id;

      if (!JSON_NODE_HOLDS_ARRAY (element) || json_array_get_length (json_node_get_array (element)) < 2)
        continue;
      parts = json_node_get_array (element);
      id = json_array_get_string_element (parts, 1);
      if (id == NULL)
        continue;
      entry = g_new0 (GraphLogEntry, 1);
      entry->seq = (guint64) MAX (json_array_get_int_element (parts, 0), 0);
      contact = g_hash_table_lookup (graph->contacts, id);
      if (json_array_get_length (parts) > 2 || contact == NULL || contact->folder != folder ||
          contact->seq != 0)
        entry->removed_id = g_strdup (id);
      else
        {
          entry->contact = contact;
          contact->seq = entry->seq;
        }
      g_tree_insert (folder->log, &entry->seq, entry);
      seq = MAX (seq, entry->seq);
    }

  /* contacts the log did not know: changed now */
  folder->seq = seq;
  for (guint i = 0; i < folder->contacts->len; i++)
    {
      GraphContact *contact = g_ptr_array_index (folder->contacts, i);

      if (contact->seq == 0)
        bcs_sb_graph_log_change (folder, contact);
    }
}

void
bcs_sb_graph_delta_load_json (BcsSbGraph *graph,
                              JsonNode   *node)
{
  JsonObject *object;
  JsonNode *folders, *tokens;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);

  folders = json_object_get_member (object, "folders");
  for (guint i = 0; folders != NULL && JSON_NODE_HOLDS_ARRAY (folders) &&
                    i < json_array_get_length (json_node_get_array (folders)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (folders), i);
      GraphFolder *folder;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      folder = g_hash_table_lookup (graph->folders,
                                    json_object_get_string_member_with_default (json_node_get_object (element),
                                                                                "id", ""));
      if (folder != NULL)
        load_folder_log (graph, folder, json_node_get_object (element));
    }

  tokens = json_object_get_member (object, "tokens");
  for (guint i = 0; tokens != NULL && JSON_NODE_HOLDS_ARRAY (tokens) &&
                    i < json_array_get_length (json_node_get_array (tokens)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (tokens), i);
      JsonObject *item;
      GraphDeltaState *state;
      const char *token, *folder;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      item = json_node_get_object (element);
      token = json_object_get_string_member_with_default (item, "token", NULL);
      folder = json_object_get_string_member_with_default (item, "folder", NULL);
      if (token == NULL || folder == NULL || g_hash_table_contains (graph->delta_tokens, token))
        continue;
      state = g_new0 (GraphDeltaState, 1);
      state->token = g_strdup (token);
      state->folder_id = g_strdup (folder);
      state->from = (guint64) MAX (json_object_get_int_member_with_default (item, "from", 0), 0);
      state->to = (guint64) MAX (json_object_get_int_member_with_default (item, "to", 0), 0);
      state->after = (guint64) MAX (json_object_get_int_member_with_default (item, "after", 0), 0);
      state->repeat = (guint64) MAX (json_object_get_int_member_with_default (item, "repeat", 0), 0);
      state->page = (guint) CLAMP (json_object_get_int_member_with_default (item, "page", 0), 0, G_MAXUINT);
      state->select = g_strdup (json_object_get_string_member_with_default (item, "select", NULL));
      state->initial = json_object_get_boolean_member_with_default (item, "initial", FALSE);
      state->is_delta = json_object_get_boolean_member_with_default (item, "delta", FALSE);
      g_hash_table_insert (graph->delta_tokens, state->token, state);
    }
}
