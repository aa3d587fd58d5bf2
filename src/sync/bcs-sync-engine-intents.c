/* bcs-sync-engine-intents.c — finishing the writes a crashed run left open
 *
 * SYNC-SPEC.md "Crash safety": an Outlook create is looked up by its id
 * property, a Business Central import by e-mail; found means link, not
 * found means the planner plans the write again. A removal is sent again. */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include "bcs-contact-mapping.h"
#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-sync-engine-private.h"

static gboolean
resolve_creating (BcsSyncRun     *run,
                  BcsSyncIntent  *intent,
                  GError        **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(BcsContact) contact = NULL;
  g_autoptr(BcsSyncPair) pair = NULL;
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;

  if (intent->bc_id == NULL)
    return TRUE;
  bcs_graph_client_find_by_property_async (run->graph, run->folder_id, BCS_GRAPH_PROP_BC_ID,
                                           intent->bc_id, run->cancellable, bcs_waiter_done, &waiter);
  found = bcs_graph_client_find_by_property_finish (run->graph, bcs_sync_run_wait (run, &waiter),
                                                    error);
  if (found == NULL)
    return FALSE;
  if (found->len == 0)
    return TRUE;  /* never arrived: planned again */

  contact = bcs_contact_from_graph_json (found->pdata[0], NULL);
  bcs_contact_set_value (&contact->bc_id, intent->bc_id);
  pair = bcs_sync_pair_new_from_contact (contact, NULL, NULL);
  g_debug ("intent %" G_GINT64_FORMAT ": Outlook copy of %s found, paired",
           intent->id, intent->bc_id);
  return bcs_sync_store_put_pair_sync (run->store, pair, error);
}

static gboolean
resolve_importing (BcsSyncRun     *run,
                   BcsSyncIntent  *intent,
                   GError        **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(BcsContact) contact = NULL;
  g_autoptr(BcsSyncPair) pair = NULL;
  g_autoptr(BcsHttpRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(BcsHttpRequest) get = NULL;
  g_autoptr(GError) patch_error = NULL;
  g_autofree char *literal = NULL;
  g_autofree char *filter = NULL;

  if (intent->email == NULL || intent->outlook_id == NULL)
    return TRUE;
  literal = bcs_http_odata_string (intent->email);
  filter = g_strdup_printf ("email eq %s", literal);
  rows = bcs_sync_run_bc_list (run, filter, error);
  if (rows == NULL)
    return FALSE;
  if (rows->len == 0)
    return TRUE;  /* never arrived: planned again */

  contact = bcs_contact_from_bc_json (rows->pdata[0]);
  /* The Outlook contact gets its id properties and category, as after an import */
  get = bcs_graph_client_new_get_request (run->graph, run->folder_id, intent->outlook_id,
                                          BCS_GRAPH_PROP_BC_ID);
  current = bcs_sync_run_graph_send (run, get, &patch_error);
  if (current == NULL)
    {
      if (g_error_matches (patch_error, BCS_ERROR, BCS_ERROR_NOT_FOUND))
        return TRUE;  /* the Outlook contact is gone */
      g_propagate_error (error, g_steal_pointer (&patch_error));
      return FALSE;
    }
  body = bcs_contact_to_graph_patch (contact, 0, current);
  request = bcs_graph_client_new_update_request (run->graph, run->folder_id, intent->outlook_id,
                                                 body, NULL, &patch_error);
  if (request != NULL)
    updated = bcs_sync_run_graph_send (run, request, &patch_error);
  if (patch_error != NULL && !g_error_matches (patch_error, BCS_ERROR, BCS_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&patch_error));
      return FALSE;
    }
  if (updated == NULL)
    return TRUE;  /* the Outlook contact is gone */

  pair = bcs_sync_pair_new_from_contact (contact, intent->outlook_id,
                                         bcs_json_get_string (updated, "changeKey"));
  {
    g_autoptr(BcsContact) outlook = bcs_contact_from_graph_json (updated, NULL);

    g_free (pair->outlook_hash);
    pair->outlook_hash = bcs_contact_hash (outlook);
  }
  return bcs_sync_store_put_pair_sync (run->store, pair, error);
}

static gboolean
resolve_deleting (BcsSyncRun     *run,
                  BcsSyncIntent  *intent,
                  GError        **error)
{
  g_autoptr(BcsHttpRequest) request = NULL;
  g_autoptr(JsonObject) reply = NULL;
  GError *local_error = NULL;

  if (intent->outlook_id != NULL)
    {
      request = bcs_graph_client_new_delete_request (run->graph, run->folder_id, intent->outlook_id);
      reply = bcs_sync_run_graph_send (run, request, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  if (intent->bc_id != NULL)
    {
      g_autoptr(BcsSyncPair) pair = bcs_sync_store_get_pair_by_bc_id_sync (run->store, intent->bc_id, NULL);

      if (pair != NULL && g_strcmp0 (pair->outlook_id, intent->outlook_id) == 0)
        return bcs_sync_store_delete_pair_sync (run->store, intent->bc_id, error);
    }
  return TRUE;
}

gboolean
bcs_sync_run_resolve_intents (BcsSyncRun  *run,
                              GError     **error)
{
  g_autoptr(GPtrArray) intents = NULL;

  intents = bcs_sync_store_list_intents_sync (run->store, error);
  if (intents == NULL)
    return FALSE;

  for (guint i = 0; i < intents->len; i++)
    {
      BcsSyncIntent *intent = intents->pdata[i];
      gboolean ok;

      if (!bcs_sync_run_check_cancelled (run, error))
        return FALSE;
      switch (intent->kind)
        {
        case BCS_SYNC_INTENT_CREATING:
          ok = resolve_creating (run, intent, error);
          break;
        case BCS_SYNC_INTENT_IMPORTING:
          ok = resolve_importing (run, intent, error);
          break;
        case BCS_SYNC_INTENT_DELETING:
        default:
          ok = resolve_deleting (run, intent, error);
          break;
        }
      if (!ok || !bcs_sync_store_remove_intent_sync (run->store, intent->id, error))
        return FALSE;
    }

  run->intents = bcs_sync_store_list_intents_sync (run->store, error);
  return run->intents != NULL;
}
