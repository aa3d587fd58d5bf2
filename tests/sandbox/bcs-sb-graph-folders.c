/* bcs-sb-graph-folders.c — contact folders: the model (a tree under the
 * default Contacts folder) and GET|POST …/contactFolders, …/childFolders */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include "bcs-sb-graph-private.h"

void
bcs_sb_graph_folder_free (gpointer data)
{
  GraphFolder *folder = data;

  g_free (folder->id);
  g_free (folder->display_name);
  g_ptr_array_unref (folder->contacts);
  g_ptr_array_unref (folder->children);
  g_tree_unref (folder->log);
  g_free (folder);
}

static int
compare_seq (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  (void) user_data;
  return x < y ? -1 : x > y ? 1 : 0;
}

GraphFolder *
bcs_sb_graph_folder_new (BcsSbGraph  *graph,
                         GraphFolder *parent,
                         const char  *id,
                         const char  *display_name)
{
  GraphFolder *folder = g_new0 (GraphFolder, 1);

  folder->id = id != NULL ? g_strdup (id) : bcs_sb_graph_new_id (graph, "AAMkAGI2AAE");
  folder->display_name = g_strdup (display_name);
  folder->parent = parent;
  folder->contacts = g_ptr_array_new ();
  folder->children = g_ptr_array_new ();
  folder->log = g_tree_new_full (compare_seq, NULL, NULL, bcs_sb_graph_log_entry_free);
  if (parent != NULL)
    g_ptr_array_add (parent->children, folder);
  g_hash_table_insert (graph->folders, folder->id, folder);
  g_ptr_array_add (graph->folder_order, folder);
  return folder;
}

/* Deletes FOLDER with its contacts and child folders (never the default folder) */
void
bcs_sb_graph_folder_delete (BcsSbGraph  *graph,
                            GraphFolder *folder)
{
  while (folder->children->len > 0)
    bcs_sb_graph_folder_delete (graph, g_ptr_array_index (folder->children, 0));
  /* not one by one: each would search the folder's array */
  for (guint i = 0; i < folder->contacts->len; i++)
    {
      GraphContact *contact = g_ptr_array_index (folder->contacts, i);

      bcs_sb_graph_index_remove (graph, contact);
      g_hash_table_remove (graph->contacts, contact->id);       /* frees it */
    }
  g_ptr_array_set_size (folder->contacts, 0);
  if (folder->parent != NULL)
    g_ptr_array_remove (folder->parent->children, folder);
  g_ptr_array_remove (graph->folder_order, folder);
  g_hash_table_remove (graph->folders, folder->id);     /* frees it */
}

GraphFolder *
bcs_sb_graph_lookup_folder (BcsSbGraph *graph,
                            const char *id)
{
  if (g_ascii_strcasecmp (id, "contacts") == 0)
    return graph->default_folder;
  return g_hash_table_lookup (graph->folders, id);
}

/* Exchange compares folder names without regard to case */
GraphFolder *
bcs_sb_graph_find_folder (BcsSbGraph  *graph,
                          GraphFolder *parent,
                          const char  *name)
{
  (void) graph;
  for (guint i = 0; i < parent->children->len; i++)
    {
      GraphFolder *child = g_ptr_array_index (parent->children, i);
      g_autofree char *a = g_utf8_casefold (child->display_name, -1);
      g_autofree char *b = g_utf8_casefold (name, -1);

      if (g_strcmp0 (a, b) == 0)
        return child;
    }
  return NULL;
}

JsonObject *
bcs_sb_graph_folder_to_object (BcsSbGraph  *graph,
                               GraphFolder *folder)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", folder->id);
  json_object_set_string_member (object, "displayName", folder->display_name);
  json_object_set_string_member (object, "parentFolderId",
                                 folder->parent != NULL ? folder->parent->id : graph->root_folder_id);
  return object;
}

void
bcs_sb_graph_list_folders (BcsSbGraph    *graph,
                           GraphFolder   *parent,
                           BcsSbRequest  *request,
                           BcsSbResponse *response)
{
  g_autoptr(GraphFilter) filter = NULL;
  g_autofree char *context = bcs_sb_graph_context_url (request, "contactFolders");
  JsonObject *object;
  JsonArray *value;
  guint top, skip, matched = 0;
  gboolean ok, more = FALSE;

  if (!bcs_sb_graph_parse_count (request, "$top", DEFAULT_PAGE_SIZE, MAX_TOP, &top, response) ||
      !bcs_sb_graph_parse_count (request, "$skip", 0, 0, &skip, response))
    return;
  filter = bcs_sb_graph_parse_filter (request, response, &ok);
  if (!ok)
    return;
  if (top == 0)
    top = DEFAULT_PAGE_SIZE;

  value = json_array_new ();
  for (guint i = 0; i < parent->children->len; i++)
    {
      GraphFolder *folder = g_ptr_array_index (parent->children, i);

      if (filter != NULL && !bcs_sb_graph_filter_match_folder (filter, folder))
        continue;
      if (matched++ < skip)
        continue;
      if (json_array_get_length (value) == top)
        {
          more = TRUE;
          break;
        }
      json_array_add_object_element (value, bcs_sb_graph_folder_to_object (graph, folder));
    }

  object = json_object_new ();
  json_object_set_string_member (object, "@odata.context", context);
  json_object_set_array_member (object, "value", value);
  if (more)
    {
      g_autofree char *next_skip = g_strdup_printf ("%u", skip + top);
      g_autofree char *link = bcs_sb_graph_link (request, "$skip", next_skip);
      json_object_set_string_member (object, "@odata.nextLink", link);
    }
  bcs_sb_response_set_object (response, 200, object);
}

void
bcs_sb_graph_create_folder (BcsSbGraph    *graph,
                            GraphFolder   *parent,
                            BcsSbRequest  *request,
                            BcsSbResponse *response)
{
  g_autoptr(JsonNode) body = bcs_sb_request_get_json (request, NULL);
  const char *name = NULL;
  GraphFolder *folder;

  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    name = json_object_get_string_member_with_default (json_node_get_object (body),
                                                       "displayName", NULL);
  if (name == NULL || *name == '\0')
    {
      bcs_sb_graph_error (response, 400, "ErrorInvalidRequest",
                          "A contact folder needs a displayName.");
      return;
    }
  if (bcs_sb_graph_find_folder (graph, parent, name) != NULL)
    {
      bcs_sb_graph_error (response, 409, "ErrorFolderExists",
                          "A folder with the specified name already exists.");
      return;
    }
  folder = bcs_sb_graph_folder_new (graph, parent, NULL, name);
  bcs_sb_response_set_object (response, 201, bcs_sb_graph_folder_to_object (graph, folder));
}
