/* bcs-sync-planner-new.c — the planner's rules for contacts without a pair
 *
 * Steps 3 and 4 of bcs_sync_planner_plan(): BC contacts without a pair
 * (create in Outlook, link, skip) and Outlook contacts without a pair
 * (import into BC, link, remove duplicates and orphans, skip). */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-sync-planner-private.h"

/* The e-mails of paired contacts (last synced and current), built when an
 * unpaired Outlook contact first needs it */
static GHashTable *
get_paired_email (Planner *p)
{
  if (p->paired_email != NULL)
    return p->paired_email;
  p->paired_email = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < bcs_planner_len (p->snap->pairs); i++)
    {
      BcsSyncPair *pair = g_ptr_array_index (p->snap->pairs, i);
      BcsContact *bc;

      if (pair->bc_id == NULL)
        continue;
      bcs_planner_add_email (p->paired_email, bcs_sync_pair_get_synced (pair), pair->bc_id);
      bc = g_hash_table_lookup (p->bc_by_id, pair->bc_id);
      bcs_planner_add_email (p->paired_email, bc, pair->bc_id);
    }
  return p->paired_email;
}

static gboolean
outlook_unpaired (Planner          *p,
                  const BcsContact *o)
{
  return o->outlook_id != NULL
         && !g_hash_table_contains (bcs_planner_pair_by_outlook (p), o->outlook_id)
         && !g_hash_table_contains (p->handled_outlook, o->outlook_id);
}

/* An unpaired Outlook contact for BC: the keeper carrying its id, else (first
 * contact) one with the same e-mail and no id property */
static BcsContact *
find_outlook_match (Planner          *p,
                    const BcsContact *bc,
                    gboolean         *by_email)
{
  BcsContact *o = g_hash_table_lookup (p->outlook_keeper, bc->bc_id);
  g_autofree char *key = NULL;

  *by_email = FALSE;
  if (o != NULL && outlook_unpaired (p, o))
    return o;

  key = bcs_contact_get_email_key (bc);
  if (key == NULL)
    return NULL;
  {
    GPtrArray *list = g_hash_table_lookup (p->outlook_by_email, key);

    for (guint i = 0; i < bcs_planner_len (list); i++)
      {
        BcsContact *candidate = g_ptr_array_index (list, i);

        if (outlook_unpaired (p, candidate))
          {
            *by_email = TRUE;
            return candidate;
          }
      }
  }
  return NULL;
}

static void
add_link (Planner          *p,
          const BcsContact *bc,
          const BcsContact *outlook,
          char             *reason)
{
  BcsSyncAction *action = bcs_planner_new_action (BCS_SYNC_ACTION_LINK, bc, outlook, NULL,
                                                  bcs_planner_merged_from (bc != NULL ? bc : outlook, bc, outlook),
                                                  reason);

  action->to_outlook = bc != NULL ? bcs_contact_changed_fields (outlook, bc) : 0;
  bcs_planner_push (p, action);
  if (bc != NULL)
    g_hash_table_add (p->handled_bc, bc->bc_id);
  g_hash_table_add (p->handled_outlook, outlook->outlook_id);
}

/* Step 3: BC contacts without a pair */
void
bcs_planner_plan_new_bc (Planner *p)
{
  /* an index of unpaired Outlook e-mails would make this linear; the
   * e-mail search only runs for unpaired BC contacts */
  for (guint i = 0; i < bcs_planner_len (p->snap->bc_contacts); i++)
    {
      BcsContact *bc = g_ptr_array_index (p->snap->bc_contacts, i);
      g_autofree char *message = NULL;
      BcsSkipReason skip;
      BcsContact *o;
      gboolean by_email;

      if (bc->bc_id == NULL || g_hash_table_contains (p->handled_bc, bc->bc_id))
        continue;
      g_hash_table_add (p->handled_bc, bc->bc_id);

      skip = bcs_contact_check_to_outlook (bc, &message);
      if (skip != BCS_SKIP_NONE)
        {
          BcsSyncAction *action = bcs_planner_new_action (BCS_SYNC_ACTION_SKIP, bc, NULL, NULL, NULL,
                                                          g_steal_pointer (&message));
          action->skip = skip;
          bcs_planner_push (p, action);
          continue;
        }

      o = find_outlook_match (p, bc, &by_email);
      if (o != NULL)
        {
          if (by_email)
            add_link (p, bc, o,
                      /* TRANSLATORS: %s is a Business Central contact number */
                      g_strdup_printf (_("Same e-mail as Business Central contact %s: linked"),
                                       bcs_planner_number_or_id (bc->bc_number, bc->bc_id)));
          else
            add_link (p, bc, o, g_strdup (_("Already in Outlook: linked")));
          continue;
        }

      if (g_hash_table_contains (p->creating, bc->bc_id))
        {
          bcs_planner_add (p, BCS_SYNC_ACTION_SKIP, bc, NULL, NULL, NULL,
                           g_strdup (_("An earlier creation in Outlook is not confirmed yet: "
                                       "left for the next sync")));
          continue;
        }

      bcs_planner_add (p, BCS_SYNC_ACTION_CREATE_OUTLOOK, bc, NULL, NULL,
                       bcs_planner_merged_from (bc, bc, NULL), g_strdup (_("New in Business Central")));
    }
}

/* Step 4: Outlook contacts without a pair */
void
bcs_planner_plan_new_outlook (Planner *p)
{
  for (guint i = 0; i < bcs_planner_len (p->snap->outlook_contacts); i++)
    {
      BcsContact *o = g_ptr_array_index (p->snap->outlook_contacts, i);
      g_autofree char *key = NULL;
      g_autofree char *message = NULL;
      BcsContact *bc;
      BcsSkipReason skip;

      if (!outlook_unpaired (p, o))
        continue;
      g_hash_table_add (p->handled_outlook, o->outlook_id);

      if (g_hash_table_contains (p->deleting, o->outlook_id))
        {
          bcs_planner_add (p, BCS_SYNC_ACTION_DELETE_OUTLOOK, NULL, o, NULL, NULL,
                           g_strdup (_("An interrupted removal from Outlook: removed")));
          continue;
        }

      if (o->bc_id != NULL)
        {
          BcsSyncPair *pair = g_hash_table_lookup (bcs_planner_pair_by_bc (p), o->bc_id);
          BcsContact *known = g_hash_table_lookup (p->bc_by_id, o->bc_id);

          if (pair != NULL)
            {
              /* the BC contact has another Outlook copy */
              bcs_planner_add (p, BCS_SYNC_ACTION_DELETE_OUTLOOK, NULL, o, NULL, NULL,
                               g_strdup_printf (_("Duplicate of the Outlook copy of Business Central contact %s: removed"),
                                                bcs_planner_number_or_id (o->bc_number, o->bc_id)));
              continue;
            }
          if (known == NULL && bcs_planner_bc_in_set (p, o->bc_id)
              && !g_hash_table_contains (p->handled_bc, o->bc_id))
            {
              /* incremental: BC has it, unchanged and not read */
              g_hash_table_add (p->handled_bc, o->bc_id);
              add_link (p, NULL, o, g_strdup (_("Already in Outlook: linked")));
              continue;
            }
          /* gone from BC, or not eligible (else step 3 linked it) */
          if (p->settings->removal_policy == BCS_REMOVAL_KEEP_UNLINKED)
            {
              bcs_planner_add (p, BCS_SYNC_ACTION_NONE, NULL, o, NULL, NULL,
                               g_strdup (_("Kept in Outlook, no longer synced")));
              continue;
            }
          {
            char *why;
            if (known != NULL)
              {
                g_autofree char *skip_message = NULL;
                bcs_contact_check_to_outlook (known, &skip_message);
                why = g_strdup_printf (_("No longer synced: %s"),
                                       skip_message != NULL ? skip_message : "");
              }
            else
              why = bcs_planner_gone_reason (p, o->bc_id);
            bcs_planner_add (p, BCS_SYNC_ACTION_DELETE_OUTLOOK, NULL, o, NULL, NULL, bcs_planner_removal_reason (p, why));
          }
          continue;
        }

      /* an unpaired BC contact with this e-mail was linked to an Outlook
       * contact in step 3 (this one, or an earlier one with the same
       * e-mail): never import a second copy */
      key = bcs_contact_get_email_key (o);
      bc = key != NULL ? g_hash_table_lookup (p->bc_by_email, key) : NULL;
      if (bc != NULL && bcs_contact_check_to_outlook (bc, &message) != BCS_SKIP_NONE)
        {
          bcs_planner_add (p, BCS_SYNC_ACTION_SKIP, NULL, o, NULL, NULL,
                           /* TRANSLATORS: %s is a contact number, then a reason */
                           g_strdup_printf (_("Same e-mail as Business Central contact %s, which is not synced (%s): not imported"),
                                            bcs_planner_number_or_id (bc->bc_number, bc->bc_id), message));
          continue;
        }
      if (bc != NULL || (key != NULL && g_hash_table_contains (get_paired_email (p), key)))
        {
          const char *number;

          if (bc != NULL)
            number = bcs_planner_number_or_id (bc->bc_number, bc->bc_id);
          else
            {
              const char *bc_id = g_hash_table_lookup (p->paired_email, key);
              BcsSyncPair *pair = g_hash_table_lookup (bcs_planner_pair_by_bc (p), bc_id);
              number = bcs_planner_number_or_id (pair != NULL ? pair->bc_number : NULL, bc_id);
            }
          bcs_planner_add (p, BCS_SYNC_ACTION_SKIP, NULL, o, NULL, NULL,
                           g_strdup_printf (_("Same e-mail as Business Central contact %s, which is already "
                                              "synced with another Outlook contact: not imported"), number));
          continue;
        }

      if (g_hash_table_contains (p->importing, o->outlook_id))
        {
          bcs_planner_add (p, BCS_SYNC_ACTION_SKIP, NULL, o, NULL, NULL,
                           g_strdup (_("An earlier import into Business Central is not confirmed yet: "
                                       "left for the next sync")));
          continue;
        }

      skip = bcs_contact_check_from_outlook (o, &message);
      if (skip != BCS_SKIP_NONE)
        {
          BcsSyncAction *action = bcs_planner_new_action (BCS_SYNC_ACTION_SKIP, NULL, o, NULL, NULL,
                                                          g_steal_pointer (&message));
          action->skip = skip;
          bcs_planner_push (p, action);
          continue;
        }

      bcs_planner_add (p, BCS_SYNC_ACTION_CREATE_BC, NULL, o, NULL, bcs_planner_merged_from (o, NULL, o),
                       g_strdup (_("New in Outlook")));
    }
}
