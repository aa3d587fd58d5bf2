/* bcs-sync-plan.c — what a run will do: ordered actions with reasons */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bcs-sync-plan.h"
#include "bcs-sync-result-changes.h"

#define N_KINDS (BCS_SYNC_ACTION_NONE + 1)

struct _BcsSyncPlan
{
  GObject        parent_instance;

  BcsSyncMode    mode;
  GPtrArray     *by_kind[N_KINDS];  /* BcsSyncAction, per kind */
  GPtrArray     *ordered;           /* borrowed, built on demand */
  BcsSyncCounts  counts;
  guint          n_paired;
  gboolean       exceeds;
  gboolean       braked;
};

G_DEFINE_FINAL_TYPE (BcsSyncPlan, bcs_sync_plan, G_TYPE_OBJECT)

static const char *const kind_names[N_KINDS] = {
  "link", "recreate-outlook", "update-outlook", "create-outlook",
  "delete-outlook", "unlink", "update-bc", "create-bc", "skip", "none",
};

const char *
bcs_sync_action_kind_to_string (BcsSyncActionKind kind)
{
  if ((guint) kind < N_KINDS)
    return kind_names[kind];
  return NULL;
}

BcsSyncAction *
bcs_sync_action_new (BcsSyncActionKind kind)
{
  BcsSyncAction *action = g_new0 (BcsSyncAction, 1);

  action->kind = kind;
  return action;
}

/* ---- packed contacts ---- */

/* Every string member of BcsContact, before its values[] */
static const gsize packed_members[] = {
  G_STRUCT_OFFSET (BcsContact, bc_id),
  G_STRUCT_OFFSET (BcsContact, bc_number),
  G_STRUCT_OFFSET (BcsContact, outlook_id),
  G_STRUCT_OFFSET (BcsContact, etag),
  G_STRUCT_OFFSET (BcsContact, change_key),
  G_STRUCT_OFFSET (BcsContact, last_modified),
  G_STRUCT_OFFSET (BcsContact, company_number),
  G_STRUCT_OFFSET (BcsContact, given_name),
  G_STRUCT_OFFSET (BcsContact, surname),
};

/* values[] is the last member: a new string member before it would be missed */
G_STATIC_ASSERT (sizeof (BcsContact) == G_STRUCT_OFFSET (BcsContact, values) + sizeof (char *) * BCS_N_FIELDS);
G_STATIC_ASSERT (G_STRUCT_OFFSET (BcsContact, values) ==
                 G_STRUCT_OFFSET (BcsContact, surname) + sizeof (char *));

#define MEMBER(contact, offset) G_STRUCT_MEMBER (char *, contact, offset)

BcsContact *
bcs_sync_contact_pack (const BcsContact *contact)
{
  gsize size = sizeof (BcsContact);
  BcsContact *packed;
  char *tail;

  if (contact == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (packed_members); i++)
    if (MEMBER (contact, packed_members[i]) != NULL)
      size += strlen (MEMBER (contact, packed_members[i])) + 1;
  for (guint i = 0; i < BCS_N_FIELDS; i++)
    if (contact->values[i] != NULL)
      size += strlen (contact->values[i]) + 1;

  packed = g_malloc (size);
  *packed = *contact;
  tail = (char *) (packed + 1);
  for (guint i = 0; i < G_N_ELEMENTS (packed_members); i++)
    if (MEMBER (contact, packed_members[i]) != NULL)
      {
        MEMBER (packed, packed_members[i]) = tail;
        tail = g_stpcpy (tail, MEMBER (contact, packed_members[i])) + 1;
      }
  for (guint i = 0; i < BCS_N_FIELDS; i++)
    if (contact->values[i] != NULL)
      {
        packed->values[i] = tail;
        tail = g_stpcpy (tail, contact->values[i]) + 1;
      }
  return packed;
}

BcsContact *
bcs_sync_contact_pack_take (BcsContact *contact)
{
  BcsContact *packed = bcs_sync_contact_pack (contact);

  bcs_contact_free (contact);
  return packed;
}

gboolean
bcs_sync_contact_identical (const BcsContact *a,
                            const BcsContact *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->type != b->type || a->privacy_blocked != b->privacy_blocked)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (packed_members); i++)
    if (g_strcmp0 (MEMBER (a, packed_members[i]), MEMBER (b, packed_members[i])) != 0)
      return FALSE;
  for (guint i = 0; i < BCS_N_FIELDS; i++)
    if (g_strcmp0 (a->values[i], b->values[i]) != 0)
      return FALSE;
  return TRUE;
}

static void
free_contact (BcsContact *contact,
              gboolean    packed)
{
  if (packed)
    g_free (contact);
  else
    bcs_contact_free (contact);
}

void
bcs_sync_action_free (BcsSyncAction *action)
{
  if (action == NULL)
    return;
  if (action->merged != action->bc && action->merged != action->outlook)
    free_contact (action->merged, action->packed);
  free_contact (action->bc, action->packed);
  free_contact (action->outlook, action->packed);
  g_clear_pointer (&action->pair, bcs_sync_pair_free);
  g_free (action->reason);
  g_free (action);
}

const char *
bcs_sync_action_get_name (const BcsSyncAction *action)
{
  const BcsContact *sources[] = { action->merged, action->bc, action->outlook };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i] != NULL && sources[i]->display_name != NULL)
      return sources[i]->display_name;
  return NULL;
}

static const char *
action_email (const BcsSyncAction *action)
{
  const BcsContact *sources[] = { action->merged, action->bc, action->outlook };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i] != NULL && sources[i]->email != NULL)
      return sources[i]->email;
  return NULL;
}

static BcsSyncResult *
new_result (const BcsSyncAction *action,
            BcsSyncDirection     direction,
            BcsSyncResultAction  kind,
            BcsSyncOutcome       outcome,
            BcsFieldMask         fields)
{
  BcsSyncResult *result = bcs_sync_result_new ();
  const char *bc_id = NULL, *bc_number = NULL, *outlook_id = NULL;

  if (action->bc != NULL)
    {
      bc_id = action->bc->bc_id;
      bc_number = action->bc->bc_number;
    }
  if (action->outlook != NULL)
    {
      outlook_id = action->outlook->outlook_id;
      if (bc_id == NULL)
        bc_id = action->outlook->bc_id;
      if (bc_number == NULL)
        bc_number = action->outlook->bc_number;
    }
  if (action->pair != NULL)
    {
      if (bc_id == NULL)
        bc_id = action->pair->bc_id;
      if (bc_number == NULL)
        bc_number = action->pair->bc_number;
      if (outlook_id == NULL)
        outlook_id = action->pair->outlook_id;
    }

  result->name = g_strdup (bcs_sync_action_get_name (action));
  result->email = g_strdup (action_email (action));
  result->bc_id = g_strdup (bc_id);
  result->bc_number = g_strdup (bc_number);
  result->outlook_id = g_strdup (outlook_id);
  result->direction = direction;
  result->action = kind;
  result->outcome = outcome;
  result->reason = g_strdup (action->reason);
  result->fields = fields;
  return result;
}

void
bcs_sync_action_to_results (const BcsSyncAction *action,
                            BcsSyncOutcome       outcome,
                            GPtrArray           *results)
{
  switch (action->kind)
    {
    case BCS_SYNC_ACTION_NONE:
      return;
    case BCS_SYNC_ACTION_SKIP:
      g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_NONE,
                                            BCS_SYNC_RESULT_SKIP,
                                            BCS_SYNC_OUTCOME_SKIPPED, 0));
      return;
    case BCS_SYNC_ACTION_LINK:
      g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_TO_OUTLOOK,
                                            BCS_SYNC_RESULT_LINK, outcome,
                                            action->to_outlook));
      return;
    case BCS_SYNC_ACTION_CREATE_OUTLOOK:
      g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_TO_OUTLOOK,
                                            BCS_SYNC_RESULT_CREATE, outcome, 0));
      return;
    case BCS_SYNC_ACTION_RECREATE_OUTLOOK:
      g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_TO_OUTLOOK,
                                            BCS_SYNC_RESULT_RECREATE, outcome, 0));
      return;
    case BCS_SYNC_ACTION_UPDATE_OUTLOOK:
      g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_TO_OUTLOOK,
                                            BCS_SYNC_RESULT_UPDATE, outcome,
                                            action->to_outlook));
      return;
    case BCS_SYNC_ACTION_DELETE_OUTLOOK:
      g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_TO_OUTLOOK,
                                            BCS_SYNC_RESULT_DELETE, outcome, 0));
      return;
    case BCS_SYNC_ACTION_UNLINK:
      /* Kept: nothing is deleted anywhere, the contact is left alone in
       * Outlook (the reason says so) */
      if (action->kept)
        g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_NONE,
                                              BCS_SYNC_RESULT_SKIP,
                                              outcome == BCS_SYNC_OUTCOME_FAILED
                                              ? BCS_SYNC_OUTCOME_FAILED : BCS_SYNC_OUTCOME_SKIPPED,
                                              0));
      else
        g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_NONE,
                                              BCS_SYNC_RESULT_DELETE, outcome, 0));
      return;
    case BCS_SYNC_ACTION_CREATE_BC:
      g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_TO_BC,
                                            BCS_SYNC_RESULT_CREATE, outcome, 0));
      return;
    case BCS_SYNC_ACTION_UPDATE_BC:
      g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_TO_BC,
                                            BCS_SYNC_RESULT_UPDATE, outcome,
                                            action->to_bc));
      if (action->to_outlook != 0)
        g_ptr_array_add (results, new_result (action, BCS_SYNC_DIRECTION_TO_OUTLOOK,
                                              BCS_SYNC_RESULT_UPDATE, outcome,
                                              action->to_outlook));
      return;
    default:
      g_return_if_reached ();
    }
}

/* The plan */

static void
bcs_sync_plan_finalize (GObject *object)
{
  BcsSyncPlan *self = BCS_SYNC_PLAN (object);

  g_clear_pointer (&self->ordered, g_ptr_array_unref);
  for (guint i = 0; i < N_KINDS; i++)
    g_ptr_array_unref (self->by_kind[i]);

  G_OBJECT_CLASS (bcs_sync_plan_parent_class)->finalize (object);
}

static void
bcs_sync_plan_class_init (BcsSyncPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_sync_plan_finalize;
}

static void
bcs_sync_plan_init (BcsSyncPlan *self)
{
  for (guint i = 0; i < N_KINDS; i++)
    self->by_kind[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sync_action_free);
}

BcsSyncPlan *
bcs_sync_plan_new (BcsSyncMode mode)
{
  BcsSyncPlan *self = g_object_new (BCS_TYPE_SYNC_PLAN, NULL);

  self->mode = mode;
  return self;
}

BcsSyncMode
bcs_sync_plan_get_mode (BcsSyncPlan *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), BCS_SYNC_MODE_INCREMENTAL);
  return self->mode;
}

void
bcs_sync_plan_add_action (BcsSyncPlan   *self,
                          BcsSyncAction *action)
{
  g_autoptr(GPtrArray) rows = bcs_sync_results_new ();

  g_return_if_fail (BCS_IS_SYNC_PLAN (self));
  g_return_if_fail ((guint) action->kind < N_KINDS);

  g_clear_pointer (&self->ordered, g_ptr_array_unref);
  g_ptr_array_add (self->by_kind[action->kind], action);

  if (action->kind == BCS_SYNC_ACTION_NONE)
    {
      self->counts.unchanged++;
      return;
    }
  bcs_sync_action_to_results (action, BCS_SYNC_OUTCOME_PLANNED, rows);
  for (guint i = 0; i < rows->len; i++)
    bcs_sync_counts_add_result (&self->counts, g_ptr_array_index (rows, i));
}

void
bcs_sync_plan_add_unchanged (BcsSyncPlan *self,
                             guint        n)
{
  g_return_if_fail (BCS_IS_SYNC_PLAN (self));
  self->counts.unchanged += n;
}

static GPtrArray *
get_ordered (BcsSyncPlan *self)
{
  if (self->ordered == NULL)
    {
      self->ordered = g_ptr_array_new ();
      for (guint k = 0; k < N_KINDS; k++)
        for (guint i = 0; i < self->by_kind[k]->len; i++)
          g_ptr_array_add (self->ordered, g_ptr_array_index (self->by_kind[k], i));
    }
  return self->ordered;
}

guint
bcs_sync_plan_get_n_actions (BcsSyncPlan *self)
{
  guint n = 0;

  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), 0);
  for (guint k = 0; k < N_KINDS; k++)
    n += self->by_kind[k]->len;
  return n;
}

const BcsSyncAction *
bcs_sync_plan_get_action (BcsSyncPlan *self,
                          guint        index)
{
  GPtrArray *ordered;

  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), NULL);
  ordered = get_ordered (self);
  g_return_val_if_fail (index < ordered->len, NULL);
  return g_ptr_array_index (ordered, index);
}

guint
bcs_sync_plan_count_kind (BcsSyncPlan       *self,
                          BcsSyncActionKind  kind)
{
  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), 0);
  g_return_val_if_fail ((guint) kind < N_KINDS, 0);
  return self->by_kind[kind]->len;
}

const BcsSyncCounts *
bcs_sync_plan_get_counts (BcsSyncPlan *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), NULL);
  return &self->counts;
}

void
bcs_sync_plan_set_brake (BcsSyncPlan *self,
                         guint        n_paired,
                         gboolean     exceeds,
                         gboolean     braked)
{
  g_return_if_fail (BCS_IS_SYNC_PLAN (self));
  self->n_paired = n_paired;
  self->exceeds = exceeds;
  self->braked = braked;
}

guint
bcs_sync_plan_get_n_removals (BcsSyncPlan *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), 0);
  return self->by_kind[BCS_SYNC_ACTION_DELETE_OUTLOOK]->len;
}

guint
bcs_sync_plan_get_n_paired (BcsSyncPlan *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), 0);
  return self->n_paired;
}

gboolean
bcs_sync_plan_exceeds_brake (BcsSyncPlan *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), FALSE);
  return self->exceeds;
}

gboolean
bcs_sync_plan_is_braked (BcsSyncPlan *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), FALSE);
  return self->braked;
}

char *
bcs_sync_plan_dup_brake_message (BcsSyncPlan *self)
{
  guint n;

  g_return_val_if_fail (BCS_IS_SYNC_PLAN (self), NULL);
  if (!self->braked)
    return NULL;
  n = bcs_sync_plan_get_n_removals (self);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The sync would remove %u contact of %u from Outlook, "
                                       "more than the safety brake allows. Nothing was written. "
                                       "Check the filter and the folder, then run again and "
                                       "allow the removal (--allow-mass-delete).",
                                       "The sync would remove %u contacts of %u from Outlook, "
                                       "more than the safety brake allows. Nothing was written. "
                                       "Check the filter and the folder, then run again and "
                                       "allow the removal (--allow-mass-delete).",
                                       n),
                          n, self->n_paired);
}

void
bcs_sync_plan_fill_report (BcsSyncPlan    *self,
                           BcsSyncReport  *report,
                           BcsSyncOutcome  outcome)
{
  GPtrArray *ordered;

  g_return_if_fail (BCS_IS_SYNC_PLAN (self));
  ordered = get_ordered (self);
  for (guint i = 0; i < ordered->len; i++)
    {
      g_autoptr(GPtrArray) rows = bcs_sync_results_new ();

      bcs_sync_action_to_results (g_ptr_array_index (ordered, i), outcome, rows);
      for (guint j = 0; j < rows->len; j++)
        bcs_sync_result_set_action_changes (g_ptr_array_index (rows, j), g_ptr_array_index (ordered, i));
      while (rows->len > 0)
        bcs_sync_report_add_result (report, g_ptr_array_steal_index (rows, 0));
    }
  report->counts.unchanged += self->counts.unchanged;
}
