/* bcs-sync-planner.c — the sync rules of SYNC-SPEC.md, as a pure function */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-sync-planner-private.h"

int
bcs_conflict_policy_from_string (const char *text)
{
  if (g_strcmp0 (text, "bc-wins") == 0)
    return BCS_CONFLICT_BC_WINS;
  if (g_strcmp0 (text, "two-way-merge") == 0)
    return BCS_CONFLICT_TWO_WAY_MERGE;
  return -1;
}

const char *
bcs_conflict_policy_to_string (BcsConflictPolicy policy)
{
  return policy == BCS_CONFLICT_TWO_WAY_MERGE ? "two-way-merge" : "bc-wins";
}

int
bcs_removal_policy_from_string (const char *text)
{
  if (g_strcmp0 (text, "remove") == 0)
    return BCS_REMOVAL_REMOVE;
  if (g_strcmp0 (text, "keep-unlinked") == 0)
    return BCS_REMOVAL_KEEP_UNLINKED;
  return -1;
}

const char *
bcs_removal_policy_to_string (BcsRemovalPolicy policy)
{
  return policy == BCS_REMOVAL_KEEP_UNLINKED ? "keep-unlinked" : "remove";
}

void
bcs_sync_settings_init (BcsSyncSettings *settings)
{
  *settings = (BcsSyncSettings) {
    .mode = BCS_SYNC_MODE_INCREMENTAL,
    .conflict_policy = BCS_CONFLICT_BC_WINS,
    .removal_policy = BCS_REMOVAL_REMOVE,
    .brake_percent = 10,
    .brake_minimum = 25,
  };
}

void
bcs_sync_settings_load (BcsSyncSettings *settings,
                        GSettings       *profile_settings)
{
  g_autofree char *conflict = g_settings_get_string (profile_settings, "conflict-policy");
  g_autofree char *removal = g_settings_get_string (profile_settings, "removal-policy");
  int percent = g_settings_get_int (profile_settings, "brake-percent");
  int minimum = g_settings_get_int (profile_settings, "brake-minimum");

  settings->conflict_policy = MAX (bcs_conflict_policy_from_string (conflict), 0);
  settings->removal_policy = MAX (bcs_removal_policy_from_string (removal), 0);
  settings->brake_percent = (guint) CLAMP (percent, 1, 100);
  settings->brake_minimum = (guint) MAX (minimum, 1);
}

guint
bcs_planner_len (GPtrArray *array)
{
  return array != NULL ? array->len : 0;
}

BcsSyncAction *
bcs_planner_new_action (BcsSyncActionKind  kind,
                        const BcsContact  *bc,
                        const BcsContact  *outlook,
                        const BcsSyncPair *pair,
                        BcsContact        *merged,      /* taken */
                        char              *reason)      /* taken */
{
  BcsSyncAction *action = bcs_sync_action_new (kind);

  /* Packed, and the merged values shared with BC's when they are the same:
   * a first sync of 100,000 contacts plans 100,000 actions */
  action->packed = TRUE;
  action->bc = bcs_sync_contact_pack (bc);
  action->outlook = bcs_sync_contact_pack (outlook);
  action->pair = pair != NULL ? bcs_sync_pair_copy (pair) : NULL;
  if (merged != NULL && action->bc != NULL && bcs_sync_contact_identical (merged, action->bc))
    {
      bcs_contact_free (merged);
      action->merged = action->bc;
    }
  else if (merged != NULL)
    action->merged = bcs_sync_contact_pack_take (merged);
  action->reason = reason;
  switch (kind)
    {
    case BCS_SYNC_ACTION_CREATE_BC:
    case BCS_SYNC_ACTION_UPDATE_BC:
      action->direction = BCS_SYNC_DIRECTION_TO_BC;
      break;
    case BCS_SYNC_ACTION_SKIP:
    case BCS_SYNC_ACTION_NONE:
    case BCS_SYNC_ACTION_UNLINK:
      action->direction = BCS_SYNC_DIRECTION_NONE;
      break;
    case BCS_SYNC_ACTION_LINK:
    case BCS_SYNC_ACTION_RECREATE_OUTLOOK:
    case BCS_SYNC_ACTION_UPDATE_OUTLOOK:
    case BCS_SYNC_ACTION_CREATE_OUTLOOK:
    case BCS_SYNC_ACTION_DELETE_OUTLOOK:
    default:
      action->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
      break;
    }
  return action;
}

/* Adds the action to the plan (after its masks are set: they are counted) */
void
bcs_planner_push (Planner       *p,
                  BcsSyncAction *action)
{
  bcs_sync_plan_add_action (p->plan, action);
}

void
bcs_planner_add (Planner           *p,
                 BcsSyncActionKind  kind,
                 const BcsContact  *bc,
                 const BcsContact  *outlook,
                 const BcsSyncPair *pair,
                 BcsContact        *merged,
                 char              *reason)
{
  bcs_planner_push (p, bcs_planner_new_action (kind, bc, outlook, pair, merged, reason));
}

static char *
fields_text (BcsFieldMask mask)
{
  GString *out = g_string_new (NULL);

  for (guint f = 0; f < BCS_N_FIELDS; f++)
    if (mask & BCS_FIELD_MASK (f))
      {
        g_autofree char *label = g_utf8_strdown (bcs_contact_field_get_label (f), -1);
        if (out->len > 0)
          g_string_append (out, ", ");
        g_string_append (out, label);
      }
  return g_string_free (out, FALSE);
}

/* FIELDS (var, mask): the labels of MASK, e.g. "e-mail, city", freed with
 * the enclosing scope's g_autofree variable */
#define FIELDS(var, mask) g_autofree char *var = fields_text (mask)

gboolean
bcs_planner_bc_in_set (Planner    *p,
                       const char *bc_id)
{
  if (bc_id == NULL)
    return FALSE;
  if (g_hash_table_contains (p->bc_by_id, bc_id))
    return TRUE;
  if (p->settings->mode == BCS_SYNC_MODE_INCREMENTAL && p->snap->bc_ids != NULL)
    return g_hash_table_contains (p->snap->bc_ids, bc_id);
  return FALSE;
}

char *
bcs_planner_gone_reason (Planner    *p,
                         const char *bc_id)
{
  if (p->snap->bc_outside_filter != NULL)
    {
      if (g_hash_table_contains (p->snap->bc_outside_filter, bc_id))
        return g_strdup (_("No longer matches the filter"));
      return g_strdup (_("Deleted in Business Central"));
    }
  return g_strdup (_("Deleted in Business Central or no longer matches the filter"));
}

char *
bcs_planner_removal_reason (Planner    *p,
                            char       *why)   /* taken */
{
  g_autofree char *owned = why;

  if (p->settings->removal_policy == BCS_REMOVAL_KEEP_UNLINKED)
    /* TRANSLATORS: %s is why, e.g. "Deleted in Business Central" */
    return g_strdup_printf (_("%s: kept in Outlook, no longer synced"), owned);
  /* TRANSLATORS: %s is why, e.g. "Deleted in Business Central" */
  return g_strdup_printf (_("%s: removed from Outlook"), owned);
}

void
bcs_planner_add_email (GHashTable       *table,
                       const BcsContact *contact,
                       gpointer          value)
{
  char *key;

  if (contact == NULL || contact->email == NULL)
    return;
  key = bcs_contact_get_email_key (contact);
  if (key == NULL || g_hash_table_contains (table, key))
    {
      g_free (key);
      return;
    }
  g_hash_table_insert (table, key, value);
}

/* The pairs by id, made when first asked: an incremental run with
 * nothing new (100,000 pairs) never asks */
static void
index_pairs (Planner *p)
{
  if (p->pair_by_bc != NULL)
    return;
  p->pair_by_bc = g_hash_table_new (g_str_hash, g_str_equal);
  p->pair_by_outlook = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < bcs_planner_len (p->snap->pairs); i++)
    {
      BcsSyncPair *pair = g_ptr_array_index (p->snap->pairs, i);
      if (pair->bc_id == NULL)
        continue;
      g_hash_table_insert (p->pair_by_bc, pair->bc_id, pair);
      if (pair->outlook_id != NULL)
        g_hash_table_insert (p->pair_by_outlook, pair->outlook_id, pair);
    }
}

GHashTable *
bcs_planner_pair_by_bc (Planner *p)
{
  index_pairs (p);
  return p->pair_by_bc;
}

GHashTable *
bcs_planner_pair_by_outlook (Planner *p)
{
  index_pairs (p);
  return p->pair_by_outlook;
}

static void
planner_init (Planner               *p,
              const BcsSyncSnapshot *snap,
              const BcsSyncSettings *settings)
{
  p->snap = snap;
  p->settings = settings;
  p->plan = bcs_sync_plan_new (settings->mode);
  p->bc_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  p->bc_by_email = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p->outlook_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  p->outlook_keeper = g_hash_table_new (g_str_hash, g_str_equal);
  p->outlook_by_email = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_ptr_array_unref);
  p->outlook_removed = g_hash_table_new (g_str_hash, g_str_equal);
  p->handled_outlook = g_hash_table_new (g_str_hash, g_str_equal);
  p->handled_bc = g_hash_table_new (g_str_hash, g_str_equal);
  p->creating = g_hash_table_new (g_str_hash, g_str_equal);
  p->importing = g_hash_table_new (g_str_hash, g_str_equal);
  p->deleting = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < bcs_planner_len (snap->bc_contacts); i++)
    {
      BcsContact *bc = g_ptr_array_index (snap->bc_contacts, i);
      if (bc->bc_id == NULL || g_hash_table_contains (p->bc_by_id, bc->bc_id))
        continue;
      g_hash_table_insert (p->bc_by_id, bc->bc_id, bc);
      bcs_planner_add_email (p->bc_by_email, bc, bc);
    }
  for (guint i = 0; i < bcs_planner_len (snap->outlook_contacts); i++)
    {
      BcsContact *o = g_ptr_array_index (snap->outlook_contacts, i);
      char *key;
      GPtrArray *list;

      if (o->outlook_id == NULL)
        continue;
      g_hash_table_insert (p->outlook_by_id, o->outlook_id, o);
      if (o->bc_id != NULL || (key = bcs_contact_get_email_key (o)) == NULL)
        continue;
      list = g_hash_table_lookup (p->outlook_by_email, key);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (p->outlook_by_email, key, list);
        }
      else
        g_free (key);
      g_ptr_array_add (list, o);
    }
  if (settings->mode == BCS_SYNC_MODE_INCREMENTAL)
    for (guint i = 0; i < bcs_planner_len (snap->outlook_removed); i++)
      g_hash_table_add (p->outlook_removed, g_ptr_array_index (snap->outlook_removed, i));
  for (guint i = 0; i < bcs_planner_len (snap->intents); i++)
    {
      BcsSyncIntent *intent = g_ptr_array_index (snap->intents, i);
      if (intent->kind == BCS_SYNC_INTENT_CREATING && intent->bc_id != NULL)
        g_hash_table_add (p->creating, intent->bc_id);
      else if (intent->kind == BCS_SYNC_INTENT_IMPORTING && intent->outlook_id != NULL)
        g_hash_table_add (p->importing, intent->outlook_id);
      else if (intent->kind == BCS_SYNC_INTENT_DELETING && intent->outlook_id != NULL)
        g_hash_table_add (p->deleting, intent->outlook_id);
    }
}

static void
planner_clear (Planner *p)
{
  g_clear_pointer (&p->pair_by_bc, g_hash_table_unref);
  g_clear_pointer (&p->pair_by_outlook, g_hash_table_unref);
  g_hash_table_unref (p->bc_by_id);
  g_hash_table_unref (p->bc_by_email);
  g_clear_pointer (&p->paired_email, g_hash_table_unref);
  g_hash_table_unref (p->outlook_by_id);
  g_hash_table_unref (p->outlook_keeper);
  g_hash_table_unref (p->outlook_by_email);
  g_hash_table_unref (p->outlook_removed);
  g_hash_table_unref (p->handled_outlook);
  g_hash_table_unref (p->handled_bc);
  g_hash_table_unref (p->creating);
  g_hash_table_unref (p->importing);
  g_hash_table_unref (p->deleting);
}

const char *
bcs_planner_number_or_id (const char *number,
                          const char *id)
{
  return number != NULL ? number : (id != NULL ? id : "");
}

/* Step 1: unpaired Outlook contacts carrying the same BC id: keep the first,
 * remove the others, whatever the removal policy. (A copy of a paired BC
 * contact other than the paired one is removed in step 4.) */
static void
plan_duplicates (Planner *p)
{
  for (guint i = 0; i < bcs_planner_len (p->snap->outlook_contacts); i++)
    {
      BcsContact *o = g_ptr_array_index (p->snap->outlook_contacts, i);

      if (o->bc_id == NULL || o->outlook_id == NULL
          || g_hash_table_contains (bcs_planner_pair_by_bc (p), o->bc_id)
          || g_hash_table_contains (bcs_planner_pair_by_outlook (p), o->outlook_id))
        continue;
      if (!g_hash_table_contains (p->outlook_keeper, o->bc_id))
        {
          g_hash_table_insert (p->outlook_keeper, o->bc_id, o);
          continue;
        }
      bcs_planner_add (p, BCS_SYNC_ACTION_DELETE_OUTLOOK, NULL, o, NULL, NULL,
                       /* TRANSLATORS: %s is a Business Central contact number */
                       g_strdup_printf (_("Duplicate of the Outlook copy of Business Central contact %s: removed"),
                                        bcs_planner_number_or_id (o->bc_number, o->bc_id)));
      g_hash_table_add (p->handled_outlook, o->outlook_id);
    }
}

static gboolean
outlook_is_removed (Planner           *p,
                    const BcsSyncPair *pair)
{
  if (pair->outlook_id == NULL)
    return TRUE;
  if (p->settings->mode == BCS_SYNC_MODE_FULL)
    return !g_hash_table_contains (p->outlook_by_id, pair->outlook_id);
  return g_hash_table_contains (p->outlook_removed, pair->outlook_id);
}

static gboolean
differs (const BcsContact *contact,
         const BcsContact *base,
         const char       *base_hash)
{
  g_autofree char *hash = NULL;

  if (contact == NULL)
    return FALSE;
  if (base != NULL)
    return !bcs_contact_equal (contact, base);
  hash = bcs_contact_hash (contact);
  return g_strcmp0 (hash, base_hash) != 0;
}

BcsContact *
bcs_planner_merged_from (const BcsContact *values,
                         const BcsContact *bc,
                         const BcsContact *outlook)
{
  BcsContact *merged = bcs_contact_copy (values);

  if (bc != NULL)
    {
      bcs_contact_set_value (&merged->bc_id, bc->bc_id);
      bcs_contact_set_value (&merged->bc_number, bc->bc_number);
      bcs_contact_set_value (&merged->etag, bc->etag);
    }
  if (outlook != NULL)
    {
      bcs_contact_set_value (&merged->outlook_id, outlook->outlook_id);
      bcs_contact_set_value (&merged->change_key, outlook->change_key);
    }
  return merged;
}

/* merged_from(), with the pair's Outlook id and change key when Outlook was
 * not read (incremental: it did not change) */
static BcsContact *
pair_merged (const BcsContact  *values,
             const BcsContact  *bc,
             const BcsContact  *outlook,
             const BcsSyncPair *pair)
{
  BcsContact *merged = bcs_planner_merged_from (values, bc, outlook);

  if (outlook == NULL)
    {
      bcs_contact_set_value (&merged->outlook_id, pair->outlook_id);
      bcs_contact_set_value (&merged->change_key, pair->outlook_change_key);
    }
  if (merged->bc_id == NULL)
    bcs_contact_set_value (&merged->bc_id, pair->bc_id);
  return merged;
}

/* A BC contact that is eligible and paired, with Outlook's copy present */
static void
plan_pair_update (Planner           *p,
                  const BcsSyncPair *pair,
                  const BcsContact  *bc,       /* current BC values */
                  gboolean           bc_read,
                  const BcsContact  *outlook)  /* NULL: unchanged (incremental) */
{
  const BcsContact *base = bcs_sync_pair_get_synced (pair);
  gboolean bc_changed = bc_read && differs (bc, base, pair->bc_hash);
  gboolean outlook_changed = outlook != NULL && differs (outlook, base, pair->outlook_hash);
  const BcsContact *o_values = outlook != NULL ? outlook : (base != NULL ? base : bc);
  BcsSyncAction *action;

  if (!bc_changed && !outlook_changed)
    {
      bcs_planner_add (p, BCS_SYNC_ACTION_NONE, bc, outlook, pair, pair_merged (bc, bc, outlook, pair), NULL);
      return;
    }

  if (p->settings->conflict_policy == BCS_CONFLICT_TWO_WAY_MERGE && outlook_changed)
    {
      BcsFieldMask to_bc = 0, to_outlook = 0;
      g_autoptr(BcsContact) merged = bcs_contact_merge (base, bc, o_values, &to_bc, &to_outlook);

      if (to_bc != 0)
        {
          FIELDS (bc_fields, to_bc);
          g_autofree char *bc_text = g_strdup_printf (_("Changed in Outlook: %s"), bc_fields);
          char *reason;

          if (to_outlook != 0)
            {
              FIELDS (o_fields, to_outlook);
              g_autofree char *o_text = g_strdup_printf (_("changed in Business Central: %s"),
                                                         o_fields);
              reason = g_strdup_printf ("%s; %s", bc_text, o_text);
            }
          else
            reason = g_steal_pointer (&bc_text);
          action = bcs_planner_new_action (BCS_SYNC_ACTION_UPDATE_BC, bc, outlook, pair,
                                           pair_merged (merged, bc, outlook, pair), reason);
          action->to_bc = to_bc;
          action->to_outlook = to_outlook;
          bcs_planner_push (p, action);
          return;
        }
      if (to_outlook != 0)
        {
          FIELDS (o_fields, to_outlook);

          action = bcs_planner_new_action (BCS_SYNC_ACTION_UPDATE_OUTLOOK, bc, outlook, pair,
                                           pair_merged (merged, bc, outlook, pair),
                                           g_strdup_printf (_("Changed in Business Central: %s"), o_fields));
          action->to_outlook = to_outlook;
          bcs_planner_push (p, action);
          return;
        }
      bcs_planner_add (p, BCS_SYNC_ACTION_NONE, bc, outlook, pair, pair_merged (merged, bc, outlook, pair), NULL);
      return;
    }

  /* Business Central is the source */
  if (!bc_changed && p->settings->mode == BCS_SYNC_MODE_INCREMENTAL)
    {
      /* Outlook changed only: overwritten at the next full sync or BC change;
       * the last-synced values stay BC's */
      bcs_planner_add (p, BCS_SYNC_ACTION_NONE, bc, outlook, pair,
                       base != NULL ? bcs_contact_copy (base) : NULL, NULL);
      return;
    }

  {
    BcsFieldMask to_outlook = bcs_contact_changed_fields (o_values, bc);
    char *reason;

    if (to_outlook == 0)
      {
        bcs_planner_add (p, BCS_SYNC_ACTION_NONE, bc, outlook, pair, pair_merged (bc, bc, outlook, pair), NULL);
        return;
      }
    if (bc_changed)
      {
        BcsFieldMask shown = to_outlook;

        if (base != NULL && (bcs_contact_changed_fields (base, bc) & to_outlook) != 0)
          shown = bcs_contact_changed_fields (base, bc) & to_outlook;
        FIELDS (shown_fields, shown);
        reason = g_strdup_printf (_("Changed in Business Central: %s"), shown_fields);
      }
    else
      {
        FIELDS (o_fields, to_outlook);
        reason = g_strdup_printf (_("Changed in Outlook, Business Central is the source: %s overwritten"),
                                  o_fields);
      }
    action = bcs_planner_new_action (BCS_SYNC_ACTION_UPDATE_OUTLOOK, bc, outlook, pair,
                                     pair_merged (bc, bc, outlook, pair), reason);
    action->to_outlook = to_outlook;
    bcs_planner_push (p, action);
  }
}

/* Step 2: every pair */
static void
plan_pairs (Planner *p)
{
  for (guint i = 0; i < bcs_planner_len (p->snap->pairs); i++)
    {
      BcsSyncPair *pair = g_ptr_array_index (p->snap->pairs, i);
      BcsContact *bc, *outlook;
      gboolean present, removed, bc_read;
      g_autoptr(BcsContact) placeholder = NULL;
      const BcsContact *bc_values;
      BcsSkipReason skip = BCS_SKIP_NONE;
      g_autofree char *skip_message = NULL;

      if (pair->bc_id == NULL)
        continue;
      bc = g_hash_table_lookup (p->bc_by_id, pair->bc_id);
      bc_read = bc != NULL;
      present = bcs_planner_bc_in_set (p, pair->bc_id);
      outlook = pair->outlook_id != NULL
                ? g_hash_table_lookup (p->outlook_by_id, pair->outlook_id) : NULL;
      if (outlook != NULL && g_hash_table_contains (p->handled_outlook, pair->outlook_id))
        outlook = NULL;
      removed = outlook_is_removed (p, pair);

      if (!bc_read && outlook == NULL && !removed && present
          && (pair->outlook_id == NULL || !g_hash_table_contains (p->deleting, pair->outlook_id)))
        {
          /* incremental: neither side changed. Not marked handled (most
           * pairs of a run take this way): no later step asks about these
           * ids without asking pair_by_bc / pair_by_outlook first (BC
           * contacts read and Outlook contacts read are not untouched) */
          bcs_sync_plan_add_unchanged (p->plan, 1);
          continue;
        }

      g_hash_table_add (p->handled_bc, pair->bc_id);
      if (pair->outlook_id != NULL)
        g_hash_table_add (p->handled_outlook, pair->outlook_id);

      if (bc != NULL)
        bc_values = bc;
      else if (bcs_sync_pair_get_synced (pair) != NULL)
        bc_values = bcs_sync_pair_get_synced (pair);
      else
        {
          placeholder = bcs_contact_new ();
          bcs_contact_set_value (&placeholder->bc_id, pair->bc_id);
          bcs_contact_set_value (&placeholder->bc_number, pair->bc_number);
          placeholder->type = BCS_CONTACT_TYPE_PERSON;
          bc_values = placeholder;
        }
      if (bc_read)
        skip = bcs_contact_check_to_outlook (bc, &skip_message);

      if (outlook == NULL && !removed && pair->outlook_id != NULL
          && g_hash_table_contains (p->deleting, pair->outlook_id))
        {
          /* an interrupted removal: finish it */
          g_autoptr(BcsContact) target = bcs_contact_new ();
          bcs_contact_set_value (&target->outlook_id, pair->outlook_id);
          bcs_planner_add (p, BCS_SYNC_ACTION_DELETE_OUTLOOK, bc, target, pair, NULL,
                           g_strdup (_("An interrupted removal from Outlook: removed")));
          continue;
        }

      if (!present || skip != BCS_SKIP_NONE
          || (outlook != NULL && g_hash_table_contains (p->deleting, pair->outlook_id)))
        {
          char *why;

          if (!present)
            why = bcs_planner_gone_reason (p, pair->bc_id);
          else if (skip != BCS_SKIP_NONE)
            /* TRANSLATORS: %s is why the contact is not synced, e.g. "Not a person (type Company)" */
            why = g_strdup_printf (_("No longer synced: %s"), skip_message);
          else
            why = g_strdup (_("An interrupted removal from Outlook"));

          if (removed)
            {
              g_autofree char *owned = why;
              bcs_planner_add (p, BCS_SYNC_ACTION_UNLINK, bc, NULL, pair, NULL,
                               /* TRANSLATORS: %s is why, e.g. "Deleted in Business Central" */
                               g_strdup_printf (_("%s; already removed from Outlook"), owned));
            }
          else if (p->settings->removal_policy == BCS_REMOVAL_KEEP_UNLINKED)
            {
              BcsSyncAction *action = bcs_planner_new_action (BCS_SYNC_ACTION_UNLINK, bc, outlook, pair,
                                                              NULL, bcs_planner_removal_reason (p, why));

              /* reported as a skip: the Outlook contact is left alone */
              action->kept = TRUE;
              bcs_planner_push (p, action);
            }
          else
            {
              g_autoptr(BcsContact) target = NULL;

              if (outlook == NULL)
                {
                  /* incremental: the Outlook copy did not change; delete by id */
                  target = bcs_sync_pair_get_synced (pair) != NULL
                           ? bcs_contact_copy (bcs_sync_pair_get_synced (pair)) : bcs_contact_new ();
                  bcs_contact_set_value (&target->outlook_id, pair->outlook_id);
                  bcs_contact_set_value (&target->change_key, pair->outlook_change_key);
                }
              bcs_planner_add (p, BCS_SYNC_ACTION_DELETE_OUTLOOK, bc, outlook != NULL ? outlook : target,
                               pair, NULL, bcs_planner_removal_reason (p, why));
            }
          continue;
        }

      if (removed)
        {
          BcsContact *merged = bcs_planner_merged_from (bc_values, bc_values, NULL);

          /* a new Outlook contact: the old id and change key are gone */
          bcs_contact_set_value (&merged->outlook_id, NULL);
          bcs_contact_set_value (&merged->change_key, NULL);
          bcs_planner_add (p, BCS_SYNC_ACTION_RECREATE_OUTLOOK, bc_values, NULL, pair, merged,
                           g_strdup (_("Deleted in Outlook; Business Central still has it: recreated")));
          continue;
        }

      plan_pair_update (p, pair, bc_values, bc_read, outlook);
    }
}

BcsSyncPlan *
bcs_sync_planner_plan (const BcsSyncSnapshot *snapshot,
                       const BcsSyncSettings *settings)
{
  Planner p = { 0 };
  guint64 removals, paired;
  gboolean exceeds;

  g_return_val_if_fail (snapshot != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  planner_init (&p, snapshot, settings);
  plan_duplicates (&p);
  plan_pairs (&p);
  bcs_planner_plan_new_bc (&p);
  bcs_planner_plan_new_outlook (&p);

  removals = bcs_sync_plan_get_n_removals (p.plan);
  paired = bcs_planner_len (snapshot->pairs);
  exceeds = removals > 0
            && removals * 100 > (guint64) settings->brake_percent * paired
            && removals >= settings->brake_minimum;
  bcs_sync_plan_set_brake (p.plan, (guint) paired, exceeds,
                           exceeds && !settings->allow_mass_delete);

  planner_clear (&p);
  return p.plan;
}
