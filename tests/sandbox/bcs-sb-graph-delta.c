/* bcs-sb-graph-delta.c — contacts/delta: a change log per folder and rounds of
 * pages over it
 *
 * Each change to a folder's contact gets the folder's next sequence number; a
 * contact keeps only its latest entry, a removal leaves a tombstone. A round
 * covers the entries in (from, to], "to" being the folder's sequence number
 * when the round began: a token is a few numbers in a table, never a snapshot.
 * Unknown (or expired) tokens get 410 SyncStateNotFound. */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bcs-sb-graph-private.h"

#define DEFAULT_DELTA_PAGE 100
#define MAX_DELTA_PAGE     1000

void
bcs_sb_graph_log_entry_free (gpointer data)
{
  GraphLogEntry *entry = data;

  g_free (entry->removed_id);
  g_free (entry);
}

void
bcs_sb_graph_delta_state_free (gpointer data)
{
  GraphDeltaState *state = data;

  g_free (state->token);
  g_free (state->folder_id);
  g_free (state->select);
  g_free (state);
}

static void
append_entry (GraphFolder   *folder,
              GraphLogEntry *entry)
{
  entry->seq = ++folder->seq;
  g_tree_insert (folder->log, &entry->seq, entry);
}

void
bcs_sb_graph_log_change (GraphFolder  *folder,
                         GraphContact *contact)
{
  GraphLogEntry *entry = g_new0 (GraphLogEntry, 1);

  if (contact->seq != 0)
    g_tree_remove (folder->log, &contact->seq);
  entry->contact = contact;
  append_entry (folder, entry);
  contact->seq = entry->seq;
}

void
bcs_sb_graph_log_removal (GraphFolder  *folder,
                          GraphContact *contact)
{
  GraphLogEntry *entry = g_new0 (GraphLogEntry, 1);

  if (contact->seq != 0)
    g_tree_remove (folder->log, &contact->seq);
  contact->seq = 0;
  entry->removed_id = g_strdup (contact->id);
  append_entry (folder, entry);
}

static GraphDeltaState *
state_add (BcsSbGraph      *graph,
           GraphDeltaState *state)
{
  guint8 bytes[24];
  g_autofree char *b64 = NULL;

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = g_rand_int_range (graph->rand, 0, 256);
  b64 = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  /* the folder's sequence number shows, as in Exchange's tokens; the random
   * part is what makes it known */
  state->token = g_strdup_printf ("%s.%" G_GUINT64_FORMAT, b64, state->from);
  g_hash_table_insert (graph->delta_tokens, state->token, state);
  return state;
}

static void
sync_state_not_found (BcsSbResponse *response)
{
  bcs_sb_graph_error (response, 410, "SyncStateNotFound",
                      "The sync state generation is not valid or has expired. "
                      "Start a new synchronization without a token.");
}

static JsonObject *
removed_object (const char *id)
{
  JsonObject *object = json_object_new ();
  JsonObject *removed = json_object_new ();

  json_object_set_string_member (object, "@odata.type", "#microsoft.graph.contact");
  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (removed, "reason", "deleted");
  json_object_set_object_member (object, "@removed", removed);
  return object;
}

static GTreeNode *
first_from (GraphFolder *folder,
            guint64      seq)
{
  return g_tree_lower_bound (folder->log, &seq);
}

void
bcs_sb_graph_delta (BcsSbGraph    *graph,
                    GraphFolder   *folder,
                    BcsSbRequest  *request,
                    BcsSbResponse *response)
{
  const char *skiptoken = bcs_sb_request_get_query (request, "$skiptoken");
  const char *deltatoken = bcs_sb_request_get_query (request, "$deltatoken");
  GraphDeltaState round = { 0 };
  g_autofree char *select_text = NULL;
  g_autofree char *path = g_uri_escape_string (request->path, "/$=", FALSE);
  g_autofree char *context = g_strconcat (request->base_url, "/$metadata#Collection(contact)", NULL);
  guint64 select = 0;
  guint size = bcs_sb_graph_prefer_page_size (request, response, DEFAULT_DELTA_PAGE, MAX_DELTA_PAGE);
  guint64 last = 0;
  g_auto(GraphPage) page = { NULL, NULL, NULL, 0 };
  g_autofree char *link = NULL;
  GTreeNode *node;
  gboolean more = FALSE;
  gboolean empty_page;

  if (skiptoken != NULL || deltatoken != NULL)
    {
      GraphDeltaState *known = g_hash_table_lookup (graph->delta_tokens,
                                                    skiptoken != NULL ? skiptoken : deltatoken);

      if (known == NULL || known->is_delta != (skiptoken == NULL) ||
          strcmp (known->folder_id, folder->id) != 0)
        {
          sync_state_not_found (response);
          return;
        }
      round = *known;
      select_text = g_strdup (known->select);
      if (deltatoken != NULL)
        {
          /* a new round: what changed since the token */
          round.to = folder->seq;
          round.after = round.from;
          round.repeat = 0;
          round.page = 0;
          round.initial = FALSE;
        }
    }
  else
    {
      select_text = g_strdup (bcs_sb_request_get_query (request, "$select"));
      round.from = 0;
      round.to = folder->seq;
      round.after = 0;
      round.initial = TRUE;
    }
  if (!bcs_sb_graph_parse_select (select_text, &select, response))
    return;
  bcs_sb_graph_page_init (&page, !request->in_batch, context, MIN (size, 64));

  /* the awkward mode: every third page is empty, and each page repeats the
   * last item of the one before */
  empty_page = graph->awkward_delta && round.page % 3 == 1;
  node = first_from (folder, graph->awkward_delta && round.repeat != 0 ? round.repeat : round.after + 1);
  last = round.after;
  for (; node != NULL; node = g_tree_node_next (node))
    {
      GraphLogEntry *entry = g_tree_node_value (node);

      if (entry->seq > round.to)
        break;
      if (round.initial && entry->contact == NULL)
        continue;
      if (empty_page || page.count >= size + (graph->awkward_delta && round.repeat != 0 ? 1 : 0))
        {
          more = TRUE;
          break;
        }
      if (entry->contact != NULL)
        bcs_sb_graph_page_add_contact (&page, entry->contact, select, NULL, FALSE);
      else
        bcs_sb_graph_page_add_object (&page, removed_object (entry->removed_id));
      last = MAX (last, entry->seq);
    }

  if (more)
    {
      GraphDeltaState *next = g_new0 (GraphDeltaState, 1);

      *next = round;
      next->token = NULL;
      next->folder_id = g_strdup (folder->id);
      next->select = g_strdup (select_text);
      next->is_delta = FALSE;
      next->after = last;
      next->repeat = empty_page ? round.repeat : last;
      next->page = round.page + 1;
      state_add (graph, next);
      link = g_strconcat (request->base_url, path, "?$skiptoken=", next->token, NULL);
      bcs_sb_graph_page_finish (&page, response, "@odata.nextLink", link);
    }
  else
    {
      GraphDeltaState *next = g_new0 (GraphDeltaState, 1);

      next->folder_id = g_strdup (folder->id);
      next->select = g_strdup (select_text);
      next->from = round.to;
      next->is_delta = TRUE;
      state_add (graph, next);
      link = g_strconcat (request->base_url, path, "?$deltatoken=", next->token, NULL);
      bcs_sb_graph_page_finish (&page, response, "@odata.deltaLink", link);
    }
}
