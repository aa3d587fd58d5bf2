/* bcs-sync-engine-read.c — reading Business Central and Outlook for a run */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include "bcs-contact-mapping.h"
#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-sync-engine-private.h"

/* E-mail lookups per Business Central request */
#define EMAILS_PER_QUERY 15

/* TRUE when A is later than B (ISO 8601 texts; B may be NULL) */
static gboolean
later_than (const char *a,
            const char *b)
{
  g_autoptr(GDateTime) da = NULL;
  g_autoptr(GDateTime) db = NULL;

  if (a == NULL)
    return FALSE;
  if (b == NULL)
    return TRUE;
  da = g_date_time_new_from_iso8601 (a, NULL);
  db = g_date_time_new_from_iso8601 (b, NULL);
  if (da == NULL || db == NULL)
    return g_strcmp0 (a, b) > 0;
  return g_date_time_compare (da, db) > 0;
}

typedef struct {
  BcsSyncRun *run;
  GHashTable *seen;
} TakeRows;

/* Adds a row to the run: a contact of the filtered set to bc_contacts,
 * another (only possible when the OData filter was not exact) to
 * bc_outside. SEEN (nullable) skips ids already taken. Called as each
 * page arrives, so that only one page of JSON is held at a time. */
static void
take_bc_row (JsonObject *row,
             gpointer    user_data)
{
  TakeRows *take = user_data;
  BcsSyncRun *run = take->run;
  GHashTable *seen = take->seen;
  BcsContact *contact = bcs_contact_from_bc_json (row);

  if (contact->bc_id == NULL || (seen != NULL && g_hash_table_contains (seen, contact->bc_id)))
    {
      bcs_contact_free (contact);
      return;
    }
  if (later_than (contact->last_modified, run->next_watermark))
    {
      g_free (run->next_watermark);
      run->next_watermark = g_strdup (contact->last_modified);
    }
  if (seen != NULL)
    g_hash_table_add (seen, g_strdup (contact->bc_id));
  /* The server's filter is a prefilter; the user's filter decides */
  if (!bcs_contact_filter_matches (run->filter, contact))
    {
      g_hash_table_add (run->bc_outside, g_strdup (contact->bc_id));
      bcs_contact_free (contact);
      return;
    }
  g_ptr_array_add (run->bc_contacts, bcs_sync_contact_pack_take (contact));
}

void
bcs_sync_run_prefetch (BcsSyncRun *run,
                       const char *delta_link)
{
  if (run->settings.mode != BCS_SYNC_MODE_INCREMENTAL)
    return;
  run->ids_pending = TRUE;
  bcs_bc_client_list_contact_ids_async (run->bc, run->company_id, run->odata_filter, 0,
                                        run->cancellable, bcs_waiter_done, &run->ids);
  if (run->folder_id != NULL && delta_link != NULL)
    {
      run->delta_pending = TRUE;
      bcs_graph_client_delta_async (run->graph, run->folder_id, delta_link, NULL,
                                    BCS_GRAPH_PAGE_SIZE, run->cancellable, bcs_waiter_done,
                                    &run->delta);
    }
}

void
bcs_sync_run_drop_prefetch (BcsSyncRun *run)
{
  if (run->ids_pending)
    bcs_sync_run_wait (run, &run->ids);
  if (run->delta_pending)
    bcs_sync_run_wait (run, &run->delta);
  run->ids_pending = run->delta_pending = FALSE;
  bcs_waiter_clear (&run->ids);
  bcs_waiter_clear (&run->delta);
}

/* The prefetched id listing (or a new one) */
static GPtrArray *
list_ids (BcsSyncRun  *run,
          GError     **error)
{
  GPtrArray *ids;

  if (!run->ids_pending)
    bcs_sync_run_prefetch (run, NULL);
  run->ids_pending = FALSE;
  ids = bcs_bc_client_list_contact_ids_finish (run->bc, bcs_sync_run_wait (run, &run->ids), error);
  bcs_waiter_clear (&run->ids);
  return ids;
}

gboolean
bcs_sync_run_read_bc (BcsSyncRun  *run,
                      const char  *watermark,
                      GError     **error)
{
  g_autofree char *filter = NULL;
  TakeRows take = { run, NULL };
  GPtrArray *ids;

  run->bc_contacts = g_ptr_array_new_with_free_func (g_free);  /* packed */
  run->bc_outside = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->next_watermark = g_strdup (watermark);

  if (run->settings.mode == BCS_SYNC_MODE_FULL)
    {
      return bcs_sync_run_bc_each (run, run->odata_filter, take_bc_row, &take, error);
    }

  /* Changes since the watermark, then the ids of the whole filtered set */
  if (run->odata_filter != NULL)
    filter = g_strdup_printf ("lastModifiedDateTime gt %s and (%s)", watermark, run->odata_filter);
  else
    filter = g_strdup_printf ("lastModifiedDateTime gt %s", watermark);
  if (!bcs_sync_run_bc_each (run, filter, take_bc_row, &take, error))
    return FALSE;

  ids = list_ids (run, error);
  if (ids == NULL)
    return FALSE;
  /* The listing's strings move into the set (100,000 of them) */
  run->bc_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_ptr_array_set_free_func (ids, NULL);
  for (guint i = 0; i < ids->len; i++)
    if (ids->pdata[i] != NULL && !g_hash_table_contains (run->bc_outside, ids->pdata[i]))
      g_hash_table_add (run->bc_ids, ids->pdata[i]);
    else
      g_free (ids->pdata[i]);
  g_ptr_array_unref (ids);
  return TRUE;
}

gboolean
bcs_sync_run_read_bc_by_email (BcsSyncRun  *run,
                               GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) known_emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < run->bc_contacts->len; i++)
    {
      BcsContact *contact = run->bc_contacts->pdata[i];
      char *key = bcs_contact_get_email_key (contact);

      g_hash_table_add (seen, g_strdup (contact->bc_id));
      if (key != NULL)
        g_hash_table_add (known_emails, key);
    }

  for (guint i = 0; i < run->outlook_contacts->len; i++)
    {
      BcsContact *contact = run->outlook_contacts->pdata[i];
      char *key;

      if (contact->bc_id != NULL || contact->email == NULL ||
          g_hash_table_contains (bcs_sync_run_pairs_by_outlook (run), contact->outlook_id))
        continue;
      key = bcs_contact_get_email_key (contact);
      if (key == NULL || g_hash_table_contains (known_emails, key))
        {
          g_free (key);
          continue;
        }
      g_hash_table_add (known_emails, key);
      g_ptr_array_add (emails, g_strdup (contact->email));
    }

  for (guint i = 0; i < emails->len; i += EMAILS_PER_QUERY)
    {
      g_autoptr(GString) filter = g_string_new ("(");
      TakeRows take = { run, seen };

      for (guint j = i; j < emails->len && j < i + EMAILS_PER_QUERY; j++)
        {
          g_autofree char *literal = bcs_http_odata_string (emails->pdata[j]);

          g_string_append_printf (filter, "%semail eq %s", j > i ? " or " : "", literal);
        }
      g_string_append_c (filter, ')');
      if (run->odata_filter != NULL)
        g_string_append_printf (filter, " and (%s)", run->odata_filter);
      if (!bcs_sync_run_bc_each (run, filter->str, take_bc_row, &take, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- Outlook ---- */

typedef struct {
  BcsSyncRun *run;
  GHashTable *found;
  GError *error;
  guint in_flight;
} GetAll;

typedef struct {
  GetAll *all;
  GPtrArray *requests;
} GetBatch;

static void
on_get_batch (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GetBatch *batch = user_data;
  GetAll *all = batch->all;
  GError *error = NULL;

  if (!bcs_graph_client_batch_finish (BCS_GRAPH_CLIENT (object), result, &error))
    {
      if (all->error == NULL)
        all->error = error;
      else
        g_error_free (error);
    }
  else
    for (guint i = 0; i < batch->requests->len; i++)
      {
        BcsHttpRequest *request = batch->requests->pdata[i];
        const GError *item_error = bcs_http_request_get_error (request);
        JsonObject *object_;

        if (item_error != NULL)
          {
            if (!g_error_matches (item_error, BCS_ERROR, BCS_ERROR_NOT_FOUND) && all->error == NULL)
              all->error = g_error_copy (item_error);
            continue;
          }
        object_ = bcs_http_request_get_response_object (request);
        if (object_ != NULL && bcs_json_get_string (object_, "id") != NULL)
          g_hash_table_insert (all->found, g_strdup (bcs_json_get_string (object_, "id")),
                               json_object_ref (object_));
      }

  g_ptr_array_unref (batch->requests);
  g_free (batch);
  all->in_flight--;
}

GHashTable *
bcs_sync_run_get_outlook (BcsSyncRun  *run,
                          GPtrArray   *ids,
                          GError     **error)
{
  GetAll all = { run, NULL, NULL, 0 };
  guint next = 0;

  all.found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) json_object_unref);
  while (next < ids->len || all.in_flight > 0)
    {
      while (next < ids->len && all.in_flight < BCS_GRAPH_MAX_IN_FLIGHT && all.error == NULL)
        {
          GetBatch *batch = g_new0 (GetBatch, 1);

          batch->all = &all;
          batch->requests = g_ptr_array_new_with_free_func (g_object_unref);
          for (; next < ids->len && batch->requests->len < BCS_GRAPH_MAX_BATCH; next++)
            g_ptr_array_add (batch->requests,
                             bcs_graph_client_new_get_request (run->graph, run->folder_id,
                                                               ids->pdata[next],
                                                               BCS_GRAPH_PROP_BC_ID));
          all.in_flight++;
          bcs_graph_client_batch_async (run->graph, batch->requests, run->cancellable,
                                        on_get_batch, batch);
        }
      if (all.error != NULL && all.in_flight == 0)
        break;
      if (all.in_flight > 0)
        g_main_context_iteration (run->context, TRUE);
      if (all.error != NULL)
        next = ids->len;
    }

  if (all.error != NULL)
    {
      g_propagate_error (error, all.error);
      g_hash_table_unref (all.found);
      return NULL;
    }
  return all.found;
}

static BcsGraphDelta *
read_delta (BcsSyncRun  *run,
            const char  *delta_link,
            GError     **error)
{
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;

  bcs_graph_client_delta_async (run->graph, run->folder_id, delta_link,
                                delta_link == NULL ? BCS_GRAPH_CONTACT_SELECT : NULL,
                                BCS_GRAPH_PAGE_SIZE, run->cancellable, bcs_waiter_done, &waiter);
  return bcs_graph_client_delta_finish (run->graph, bcs_sync_run_wait (run, &waiter), error);
}

gboolean
bcs_sync_run_read_outlook (BcsSyncRun  *run,
                           const char  *delta_link,
                           GError     **error)
{
  g_autoptr(BcsGraphDelta) delta = NULL;
  g_autoptr(GPtrArray) unpaired = g_ptr_array_new ();
  g_autoptr(GHashTable) fetched = NULL;
  GError *local_error = NULL;

  run->outlook_contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_contact_free);
  run->outlook_raw = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) json_object_unref);
  run->outlook_removed = g_ptr_array_new_with_free_func (g_free);

  if (run->folder_id == NULL)
    {
      /* A dry run before the folder exists: Outlook is empty */
      run->outlook_full = TRUE;
      return TRUE;
    }

  if (run->settings.mode == BCS_SYNC_MODE_INCREMENTAL && run->delta_pending)
    {
      run->delta_pending = FALSE;
      delta = bcs_graph_client_delta_finish (run->graph, bcs_sync_run_wait (run, &run->delta),
                                             &local_error);
      bcs_waiter_clear (&run->delta);
    }
  else if (run->settings.mode == BCS_SYNC_MODE_INCREMENTAL)
    delta = read_delta (run, delta_link, &local_error);
  if (run->settings.mode == BCS_SYNC_MODE_INCREMENTAL)
    {
      if (delta == NULL && g_error_matches (local_error, BCS_ERROR, BCS_ERROR_DELTA_EXPIRED))
        {
          g_message ("Outlook's delta link expired: reading the folder in full");
          g_clear_error (&local_error);
          run->delta_expired = TRUE;
        }
      else if (delta == NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  if (delta == NULL)
    {
      delta = read_delta (run, NULL, error);
      if (delta == NULL)
        return FALSE;
      run->outlook_full = TRUE;
    }
  run->next_delta_link = g_strdup (delta->delta_link);

  for (guint i = 0; i < delta->items->len; i++)
    {
      JsonObject *object = delta->items->pdata[i];
      const char *id = bcs_json_get_string (object, "id");

      if (id == NULL || g_hash_table_contains (run->outlook_raw, id))
        continue;
      g_hash_table_insert (run->outlook_raw, g_strdup (id), json_object_ref (object));
      if (!g_hash_table_contains (bcs_sync_run_pairs_by_outlook (run), id) &&
          bcs_graph_contact_get_bc_id (object) == NULL)
        g_ptr_array_add (unpaired, (gpointer) id);
    }

  /* A delta round carries no extended properties: fetch them for the
   * contacts that are not paired, to tell ours from new ones */
  if (unpaired->len > 0)
    {
      fetched = bcs_sync_run_get_outlook (run, unpaired, error);
      if (fetched == NULL)
        return FALSE;
    }

  for (guint i = 0; i < delta->items->len; i++)
    {
      JsonObject *object = delta->items->pdata[i];
      const char *id = bcs_json_get_string (object, "id");
      JsonObject *full;
      BcsSyncPair *pair;
      BcsContact *contact;

      if (id == NULL || g_hash_table_lookup (run->outlook_raw, id) != object)
        continue;
      full = fetched != NULL ? g_hash_table_lookup (fetched, id) : NULL;
      if (fetched != NULL && full == NULL && !g_hash_table_contains (bcs_sync_run_pairs_by_outlook (run), id) &&
          bcs_graph_contact_get_bc_id (object) == NULL)
        {
          /* Deleted between the delta and the lookup */
          g_hash_table_remove (run->outlook_raw, id);
          continue;
        }
      if (full != NULL)
        g_hash_table_replace (run->outlook_raw, g_strdup (id), json_object_ref (full));
      contact = bcs_contact_from_graph_json (full != NULL ? full : object, NULL);
      pair = g_hash_table_lookup (bcs_sync_run_pairs_by_outlook (run), id);
      if (pair != NULL && contact->bc_id == NULL)
        bcs_contact_set_value (&contact->bc_id, pair->bc_id);
      g_ptr_array_add (run->outlook_contacts, contact);
    }

  if (!run->outlook_full)
    {
      for (guint i = 0; i < delta->removed->len; i++)
        g_ptr_array_add (run->outlook_removed, g_strdup (delta->removed->pdata[i]));
    }
  else if (run->settings.mode == BCS_SYNC_MODE_INCREMENTAL)
    {
      /* Read in full within an incremental run: what is missing was removed */
      for (guint i = 0; i < run->pairs->len; i++)
        {
          BcsSyncPair *pair = run->pairs->pdata[i];

          if (pair->outlook_id != NULL && !g_hash_table_contains (run->outlook_raw, pair->outlook_id))
            g_ptr_array_add (run->outlook_removed, g_strdup (pair->outlook_id));
        }
    }
  return TRUE;
}

typedef struct {
  BcsSyncRun *run;
  gboolean ours;             /* every change so far is one this run wrote */
} CatchUp;

/* One item of the catch-up round, as its page arrives (a round may be the
 * whole folder after a first sync: never held in memory at once). An id
 * seen more than once is checked in each state: stricter than the last
 * state only, which at worst leaves the round to the next run. */
static void
catch_up_item (JsonObject *item,
               gboolean    removed,
               gpointer    user_data)
{
  CatchUp *catch_up = user_data;
  const char *id = bcs_json_get_string (item, "id");
  g_autoptr(BcsSyncPair) pair = NULL;
  g_autoptr(BcsContact) contact = NULL;
  g_autofree char *hash = NULL;

  if (!catch_up->ours || id == NULL)
    return;
  pair = bcs_sync_store_get_pair_by_outlook_id_sync (catch_up->run->store, id, NULL);
  if (removed)
    {
      if (pair != NULL)
        catch_up->ours = FALSE;
      return;
    }
  contact = bcs_contact_from_graph_json (item, NULL);
  hash = bcs_contact_hash (contact);
  if (pair == NULL || g_strcmp0 (pair->outlook_hash, hash) != 0)
    catch_up->ours = FALSE;  /* a change that is not ours: the next run reads it */
}

char *
bcs_sync_run_catch_up_delta (BcsSyncRun *run)
{
  g_autoptr(BcsGraphDelta) delta = NULL;
  g_autoptr(GError) error = NULL;
  CatchUp catch_up = { run, TRUE };
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;

  if (run->next_delta_link == NULL)
    return NULL;
  bcs_graph_client_delta_each_async (run->graph, run->next_delta_link, BCS_GRAPH_PAGE_SIZE,
                                     catch_up_item, &catch_up, run->cancellable,
                                     bcs_waiter_done, &waiter);
  delta = bcs_graph_client_delta_finish (run->graph, bcs_sync_run_wait (run, &waiter), &error);
  if (delta == NULL)
    {
      g_debug ("catching up with Outlook's delta failed: %s", error->message);
      return NULL;
    }
  if (!catch_up.ours)
    return NULL;
  return g_strdup (delta->delta_link);
}
