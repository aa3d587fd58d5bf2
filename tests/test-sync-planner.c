/* test-sync-planner.c — every rule of SYNC-SPEC.md's table, the policies, the brake */
#include "config.h"

#include <glib.h>

#include "bcs-sync-planner.h"

/* A snapshot under construction */
typedef struct {
  GPtrArray       *pairs;
  GPtrArray       *bc;
  GHashTable      *bc_ids;
  GHashTable      *outside;
  GPtrArray       *outlook;
  GPtrArray       *removed;
  GPtrArray       *intents;
  BcsSyncSettings  settings;
} Fixture;

static Fixture *
fixture_new (BcsSyncMode mode)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->pairs = bcs_sync_pairs_new ();
  f->bc = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_contact_free);
  f->outlook = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_contact_free);
  f->removed = g_ptr_array_new_with_free_func (g_free);
  f->intents = bcs_sync_intents_new ();
  f->bc_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  bcs_sync_settings_init (&f->settings);
  f->settings.mode = mode;
  return f;
}

static void
fixture_free (Fixture *f)
{
  g_ptr_array_unref (f->pairs);
  g_ptr_array_unref (f->bc);
  g_ptr_array_unref (f->outlook);
  g_ptr_array_unref (f->removed);
  g_ptr_array_unref (f->intents);
  g_hash_table_unref (f->bc_ids);
  g_clear_pointer (&f->outside, g_hash_table_unref);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static BcsSyncPlan *
plan (Fixture *f)
{
  BcsSyncSnapshot snap = {
    .pairs = f->pairs,
    .bc_contacts = f->bc,
    .bc_ids = f->settings.mode == BCS_SYNC_MODE_INCREMENTAL ? f->bc_ids : NULL,
    .bc_outside_filter = f->outside,
    .outlook_contacts = f->outlook,
    .outlook_removed = f->removed,
    .intents = f->intents,
  };

  return bcs_sync_planner_plan (&snap, &f->settings);
}

/* A BC contact, eligible */
static BcsContact *
person (guint       n,
        const char *email)
{
  BcsContact *c = bcs_contact_new ();
  g_autofree char *id = g_strdup_printf ("bc-%04u", n);
  g_autofree char *number = g_strdup_printf ("CT%06u", n);
  g_autofree char *name = g_strdup_printf ("Person %u", n);
  g_autofree char *mail = g_strdup_printf ("person%u@example.com", n);

  bcs_contact_set_value (&c->bc_id, id);
  bcs_contact_set_value (&c->bc_number, number);
  c->type = BCS_CONTACT_TYPE_PERSON;
  bcs_contact_set_field (c, BCS_FIELD_DISPLAY_NAME, name);
  bcs_contact_set_field (c, BCS_FIELD_EMAIL, email != NULL ? email : mail);
  bcs_contact_set_field (c, BCS_FIELD_CITY, "Berlin");
  bcs_contact_set_field (c, BCS_FIELD_PHONE, "+49 30 1234");
  return c;
}

/* Outlook's copy of BC (carrying its id property) */
static BcsContact *
outlook_copy (const BcsContact *bc,
              gboolean          with_id)
{
  BcsContact *o = bcs_contact_copy (bc);
  g_autofree char *id = g_strdup_printf ("ol-%s", bc->bc_id);

  bcs_contact_set_value (&o->outlook_id, id);
  bcs_contact_set_value (&o->change_key, "ck1");
  if (!with_id)
    {
      bcs_contact_set_value (&o->bc_id, NULL);
      bcs_contact_set_value (&o->bc_number, NULL);
    }
  bcs_contact_set_value (&o->etag, NULL);
  return o;
}

/* Outlook's copy of a new person N */
static BcsContact *
outlook_new (guint    n,
             gboolean with_id)
{
  g_autoptr(BcsContact) bc = person (n, NULL);

  return outlook_copy (bc, with_id);
}

/* A synced pair of BC: both sides equal to BC as it is; returns BC's
 * contact added to the fixture (full mode), its Outlook copy added */
static void
add_pair (Fixture    *f,
          BcsContact *bc,
          gboolean    add_bc,
          gboolean    add_outlook)
{
  BcsContact *o = outlook_copy (bc, TRUE);

  g_ptr_array_add (f->pairs, bcs_sync_pair_new_from_contact (bc, o->outlook_id, o->change_key));
  g_hash_table_add (f->bc_ids, g_strdup (bc->bc_id));
  if (add_outlook)
    g_ptr_array_add (f->outlook, o);
  else
    bcs_contact_free (o);
  if (add_bc)
    g_ptr_array_add (f->bc, bc);
  else
    bcs_contact_free (bc);
}

static const BcsSyncAction *
only_action (BcsSyncPlan       *p,
             BcsSyncActionKind  kind)
{
  const BcsSyncAction *found = NULL;

  for (guint i = 0; i < bcs_sync_plan_get_n_actions (p); i++)
    {
      const BcsSyncAction *a = bcs_sync_plan_get_action (p, i);
      if (a->kind == BCS_SYNC_ACTION_NONE && kind != BCS_SYNC_ACTION_NONE)
        continue;
      g_assert_cmpstr (bcs_sync_action_kind_to_string (a->kind), ==,
                       bcs_sync_action_kind_to_string (kind));
      g_assert_null (found);
      found = a;
    }
  g_assert_nonnull (found);
  return found;
}

/* rules */

static void
test_rule_create_outlook (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  const BcsSyncAction *a;

  g_ptr_array_add (f->bc, person (1, NULL));
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_CREATE_OUTLOOK);
  g_assert_cmpint (a->direction, ==, BCS_SYNC_DIRECTION_TO_OUTLOOK);
  g_assert_cmpstr (a->bc->bc_id, ==, "bc-0001");
  g_assert_cmpstr (a->merged->email, ==, "person1@example.com");
  g_assert_cmpstr (a->reason, ==, "New in Business Central");
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->outlook_created, ==, 1);
}

/* A plan of 100,000 creations holds each contact once: packed copies, the
 * merged values of a creation shared with BC's (the same values) */
static void
test_actions_packed (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *bc = person (1, NULL);
  const BcsSyncAction *a;

  g_ptr_array_add (f->bc, bc);
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_CREATE_OUTLOOK);
  g_assert_true (a->packed);
  g_assert_true (a->bc != bc);
  g_assert_true (a->merged == a->bc);
  g_assert_true (bcs_sync_contact_identical (a->merged, bc));
  g_assert_null (a->outlook);
}

static void
test_rule_link_by_email (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *bc = person (1, NULL);
  BcsContact *o = outlook_copy (bc, FALSE);
  const BcsSyncAction *a;

  bcs_contact_set_field (o, BCS_FIELD_EMAIL, "PERSON1@Example.COM");
  bcs_contact_set_field (o, BCS_FIELD_CITY, "Hamburg");
  g_ptr_array_add (f->bc, bc);
  g_ptr_array_add (f->outlook, o);
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_LINK);
  g_assert_cmpstr (a->outlook->outlook_id, ==, "ol-bc-0001");
  g_assert_true (a->to_outlook & BCS_FIELD_MASK (BCS_FIELD_CITY));
  g_assert_cmpstr (a->merged->city, ==, "Berlin");      /* BC wins */
  g_assert_cmpstr (a->merged->outlook_id, ==, "ol-bc-0001");
  g_assert_cmpstr (a->merged->bc_id, ==, "bc-0001");
  g_assert_cmpstr (a->reason, ==, "Same e-mail as Business Central contact CT000001: linked");
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->linked, ==, 1);
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->outlook_created, ==, 0);
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->bc_created, ==, 0);
}

static void
test_rule_link_by_id (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *bc = person (1, NULL);
  BcsContact *o = outlook_copy (bc, TRUE);
  const BcsSyncAction *a;

  /* the e-mail differs: the id property pairs them (e.g. the store was lost) */
  bcs_contact_set_field (o, BCS_FIELD_EMAIL, "old@example.com");
  g_ptr_array_add (f->bc, bc);
  g_ptr_array_add (f->outlook, o);
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_LINK);
  g_assert_cmpuint (a->to_outlook, ==, BCS_FIELD_MASK (BCS_FIELD_EMAIL));
}

static void
test_rule_bc_changed (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *bc = person (1, NULL);
  const BcsSyncAction *a;

  add_pair (f, bc, TRUE, TRUE);
  bcs_contact_set_field (bc, BCS_FIELD_CITY, "München");
  bcs_contact_set_field (bc, BCS_FIELD_EMAIL, "new@example.com");
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_UPDATE_OUTLOOK);
  g_assert_cmpuint (a->to_outlook, ==, BCS_FIELD_MASK (BCS_FIELD_CITY) | BCS_FIELD_MASK (BCS_FIELD_EMAIL));
  g_assert_cmpstr (a->reason, ==, "Changed in Business Central: e-mail, city");
  g_assert_cmpstr (a->merged->city, ==, "München");
  g_assert_cmpstr (a->merged->outlook_id, ==, "ol-bc-0001");
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->outlook_updated, ==, 1);
}

/* e-mail changed in BC: pairing by id makes it an update, never a duplicate */
static void
test_rule_bc_email_changed (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *bc = person (1, NULL);
  g_autoptr(BcsContact) changed = bcs_contact_copy (bc);
  const BcsSyncAction *a;

  add_pair (f, bc, FALSE, FALSE);
  bcs_contact_set_field (changed, BCS_FIELD_EMAIL, "renamed@example.com");
  g_ptr_array_add (f->bc, g_steal_pointer (&changed));
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_UPDATE_OUTLOOK);
  g_assert_cmpuint (a->to_outlook, ==, BCS_FIELD_MASK (BCS_FIELD_EMAIL));
  g_assert_null (a->outlook);   /* Outlook did not change: not read */
  g_assert_cmpstr (a->merged->outlook_id, ==, "ol-bc-0001");
  g_assert_cmpstr (a->merged->change_key, ==, "ck1");
  g_assert_cmpstr (a->merged->email, ==, "renamed@example.com");
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_CREATE_OUTLOOK), ==, 0);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_DELETE_OUTLOOK), ==, 0);
}

static void
test_rule_outlook_changed_bc_wins (void)
{
  g_autoptr(Fixture) full = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(Fixture) incr = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  g_autoptr(BcsSyncPlan) q = NULL;
  const BcsSyncAction *a;
  BcsContact *o;

  /* full: Outlook is overwritten */
  add_pair (full, person (1, NULL), TRUE, TRUE);
  o = g_ptr_array_index (full->outlook, 0);
  bcs_contact_set_field (o, BCS_FIELD_CITY, "Paris");
  p = plan (full);
  a = only_action (p, BCS_SYNC_ACTION_UPDATE_OUTLOOK);
  g_assert_cmpuint (a->to_outlook, ==, BCS_FIELD_MASK (BCS_FIELD_CITY));
  g_assert_cmpstr (a->merged->city, ==, "Berlin");
  g_assert_cmpstr (a->reason, ==, "Changed in Outlook, Business Central is the source: city overwritten");

  /* incremental (BC unchanged): left until the next full sync or BC change */
  add_pair (incr, person (1, NULL), FALSE, TRUE);
  o = g_ptr_array_index (incr->outlook, 0);
  bcs_contact_set_field (o, BCS_FIELD_CITY, "Paris");
  q = plan (incr);
  a = only_action (q, BCS_SYNC_ACTION_NONE);
  g_assert_cmpstr (a->merged->city, ==, "Berlin");  /* the base stays BC's */
  g_assert_cmpuint (bcs_sync_plan_get_counts (q)->unchanged, ==, 1);
  g_assert_cmpuint (bcs_sync_plan_get_counts (q)->bc_updated, ==, 0);
}

static void
test_rule_outlook_changed_two_way_merge (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  const BcsSyncAction *a;
  BcsContact *o;

  f->settings.conflict_policy = BCS_CONFLICT_TWO_WAY_MERGE;
  add_pair (f, person (1, NULL), FALSE, TRUE);
  o = g_ptr_array_index (f->outlook, 0);
  bcs_contact_set_field (o, BCS_FIELD_CITY, "Paris");
  bcs_contact_set_field (o, BCS_FIELD_MOBILE, "+33 6 1111");
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_UPDATE_BC);
  g_assert_cmpint (a->direction, ==, BCS_SYNC_DIRECTION_TO_BC);
  g_assert_cmpuint (a->to_bc, ==, BCS_FIELD_MASK (BCS_FIELD_CITY) | BCS_FIELD_MASK (BCS_FIELD_MOBILE));
  g_assert_cmpuint (a->to_outlook, ==, 0);
  g_assert_cmpstr (a->merged->city, ==, "Paris");
  g_assert_cmpstr (a->reason, ==, "Changed in Outlook: mobile phone, city");
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->bc_updated, ==, 1);
}

/* a field changed on both sides: BC wins; fields changed only in Outlook go to BC */
static void
test_rule_both_changed_two_way_merge (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  g_autoptr(GPtrArray) rows = bcs_sync_results_new ();
  BcsContact *bc = person (1, NULL);
  const BcsSyncAction *a;
  BcsContact *o;

  f->settings.conflict_policy = BCS_CONFLICT_TWO_WAY_MERGE;
  add_pair (f, bc, TRUE, TRUE);
  o = g_ptr_array_index (f->outlook, 0);
  bcs_contact_set_field (bc, BCS_FIELD_PHONE, "+49 30 9999");
  bcs_contact_set_field (o, BCS_FIELD_PHONE, "+49 30 5555");
  bcs_contact_set_field (o, BCS_FIELD_JOB_TITLE, "Buyer");
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_UPDATE_BC);
  g_assert_cmpuint (a->to_bc, ==, BCS_FIELD_MASK (BCS_FIELD_JOB_TITLE));
  g_assert_cmpuint (a->to_outlook, ==, BCS_FIELD_MASK (BCS_FIELD_PHONE));
  g_assert_cmpstr (a->merged->phone, ==, "+49 30 9999");
  g_assert_cmpstr (a->merged->job_title, ==, "Buyer");
  bcs_sync_action_to_results (a, BCS_SYNC_OUTCOME_OK, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpint (((BcsSyncResult *) rows->pdata[0])->direction, ==, BCS_SYNC_DIRECTION_TO_BC);
  g_assert_cmpint (((BcsSyncResult *) rows->pdata[1])->direction, ==, BCS_SYNC_DIRECTION_TO_OUTLOOK);
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->bc_updated, ==, 1);
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->outlook_updated, ==, 1);
}

/* BC changed only, two-way merge: an Outlook update */
static void
test_rule_bc_changed_two_way_merge (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *bc = person (1, NULL);
  const BcsSyncAction *a;

  f->settings.conflict_policy = BCS_CONFLICT_TWO_WAY_MERGE;
  add_pair (f, bc, TRUE, TRUE);
  bcs_contact_set_field (bc, BCS_FIELD_STATE, "BE");
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_UPDATE_OUTLOOK);
  g_assert_cmpuint (a->to_outlook, ==, BCS_FIELD_MASK (BCS_FIELD_STATE));
}

static void
test_rule_outlook_removed_recreate (void)
{
  BcsSyncMode modes[] = { BCS_SYNC_MODE_FULL, BCS_SYNC_MODE_INCREMENTAL };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(Fixture) f = fixture_new (modes[m]);
      g_autoptr(BcsSyncPlan) p = NULL;
      const BcsSyncAction *a;

      add_pair (f, person (1, NULL), modes[m] == BCS_SYNC_MODE_FULL, FALSE);
      if (modes[m] == BCS_SYNC_MODE_INCREMENTAL)
        g_ptr_array_add (f->removed, g_strdup ("ol-bc-0001"));
      p = plan (f);
      a = only_action (p, BCS_SYNC_ACTION_RECREATE_OUTLOOK);
      g_assert_cmpstr (a->bc->bc_id, ==, "bc-0001");
      g_assert_cmpstr (a->merged->email, ==, "person1@example.com");
      g_assert_null (a->merged->outlook_id);
      g_assert_cmpstr (a->pair->outlook_id, ==, "ol-bc-0001");
      g_assert_cmpstr (a->reason, ==, "Deleted in Outlook; Business Central still has it: recreated");
      g_assert_cmpuint (bcs_sync_plan_get_counts (p)->outlook_updated, ==, 1);
    }
}

static void
test_rule_bc_deleted (void)
{
  BcsRemovalPolicy policies[] = { BCS_REMOVAL_REMOVE, BCS_REMOVAL_KEEP_UNLINKED };

  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
      g_autoptr(BcsSyncPlan) p = NULL;
      const BcsSyncAction *a;

      f->settings.removal_policy = policies[i];
      f->outside = g_hash_table_new (g_str_hash, g_str_equal);
      add_pair (f, person (1, NULL), FALSE, TRUE);
      p = plan (f);
      if (policies[i] == BCS_REMOVAL_REMOVE)
        {
          a = only_action (p, BCS_SYNC_ACTION_DELETE_OUTLOOK);
          g_assert_cmpstr (a->reason, ==, "Deleted in Business Central: removed from Outlook");
          g_assert_cmpstr (a->outlook->outlook_id, ==, "ol-bc-0001");
          g_assert_cmpuint (bcs_sync_plan_get_counts (p)->outlook_deleted, ==, 1);
        }
      else
        {
          a = only_action (p, BCS_SYNC_ACTION_UNLINK);
          g_assert_cmpstr (a->reason, ==, "Deleted in Business Central: kept in Outlook, no longer synced");
          g_assert_cmpstr (a->pair->bc_id, ==, "bc-0001");
          g_assert_cmpuint (bcs_sync_plan_get_counts (p)->outlook_deleted, ==, 0);
        }
    }
}

/* The report's words for keep-unlinked: nothing is deleted on either side,
 * the contact is left alone in Outlook: "skip", direction "none", outcome
 * "skipped", counted as skipped, the reason saying it stays. A pair whose
 * Outlook contact is gone too is still a "delete" with direction "none". */
static void
test_rule_keep_unlinked_reported (void)
{
  BcsSyncMode modes[] = { BCS_SYNC_MODE_FULL, BCS_SYNC_MODE_INCREMENTAL };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(Fixture) f = fixture_new (modes[m]);
      g_autoptr(BcsSyncPlan) p = NULL;
      g_autoptr(BcsSyncReport) report = bcs_sync_report_new (modes[m], TRUE);
      BcsContact *company = person (2, NULL);
      guint kept = 0;

      f->settings.removal_policy = BCS_REMOVAL_KEEP_UNLINKED;
      f->outside = g_hash_table_new (g_str_hash, g_str_equal);
      /* 1: deleted in BC, its Outlook copy there (read in full mode only) */
      add_pair (f, person (1, NULL), FALSE, modes[m] == BCS_SYNC_MODE_FULL);
      g_hash_table_remove (f->bc_ids, "bc-0001");
      /* 2: became a company */
      add_pair (f, bcs_contact_copy (company), FALSE, modes[m] == BCS_SYNC_MODE_FULL);
      company->type = BCS_CONTACT_TYPE_COMPANY;
      g_ptr_array_add (f->bc, company);
      /* 3: deleted in BC and removed from Outlook as well */
      add_pair (f, person (3, NULL), FALSE, FALSE);
      g_hash_table_remove (f->bc_ids, "bc-0003");
      if (modes[m] == BCS_SYNC_MODE_INCREMENTAL)
        g_ptr_array_add (f->removed, g_strdup ("ol-bc-0003"));

      p = plan (f);
      g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_UNLINK), ==, 3);
      g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_DELETE_OUTLOOK), ==, 0);
      g_assert_cmpuint (bcs_sync_plan_get_counts (p)->skipped, ==, 2);
      g_assert_cmpuint (bcs_sync_plan_get_counts (p)->outlook_deleted, ==, 0);

      bcs_sync_plan_fill_report (p, report, BCS_SYNC_OUTCOME_PLANNED);
      g_assert_cmpuint (report->results->len, ==, 3);
      g_assert_cmpuint (report->counts.skipped, ==, 2);
      for (guint i = 0; i < report->results->len; i++)
        {
          const BcsSyncResult *r = report->results->pdata[i];

          g_assert_cmpstr (bcs_sync_direction_to_string (r->direction), ==, "none");
          if (g_strcmp0 (r->bc_id, "bc-0003") == 0)
            {
              g_assert_cmpstr (bcs_sync_result_action_to_string (r->action), ==, "delete");
              g_assert_cmpstr (r->reason, ==, "Deleted in Business Central; already removed from Outlook");
              continue;
            }
          kept++;
          g_assert_cmpstr (bcs_sync_result_action_to_string (r->action), ==, "skip");
          g_assert_cmpstr (bcs_sync_outcome_to_string (r->outcome), ==, "skipped");
          g_assert_true (g_str_has_suffix (r->reason, ": kept in Outlook, no longer synced"));
          g_assert_nonnull (r->outlook_id);
          if (g_strcmp0 (r->bc_id, "bc-0001") == 0)
            g_assert_cmpstr (r->reason, ==, "Deleted in Business Central: kept in Outlook, no longer synced");
          else
            g_assert_cmpstr (r->bc_id, ==, "bc-0002");
        }
      g_assert_cmpuint (kept, ==, 2);

      /* written: skipped, or failed when the store could not forget the pair */
      for (guint i = 0; i < bcs_sync_plan_get_n_actions (p); i++)
        {
          const BcsSyncAction *a = bcs_sync_plan_get_action (p, i);
          g_autoptr(GPtrArray) rows = bcs_sync_results_new ();
          const BcsSyncResult *ok, *failed;

          if (!a->kept)
            continue;
          bcs_sync_action_to_results (a, BCS_SYNC_OUTCOME_OK, rows);
          bcs_sync_action_to_results (a, BCS_SYNC_OUTCOME_FAILED, rows);
          g_assert_cmpuint (rows->len, ==, 2);
          ok = rows->pdata[0];
          failed = rows->pdata[1];
          g_assert_cmpint (ok->action, ==, BCS_SYNC_RESULT_SKIP);
          g_assert_cmpint (ok->outcome, ==, BCS_SYNC_OUTCOME_SKIPPED);
          g_assert_cmpint (failed->action, ==, BCS_SYNC_RESULT_SKIP);
          g_assert_cmpint (failed->outcome, ==, BCS_SYNC_OUTCOME_FAILED);
        }
    }
}

/* incremental: the id-only listing no longer has it, the engine knows it left the filter */
static void
test_rule_left_filter (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  const BcsSyncAction *a;

  add_pair (f, person (1, NULL), FALSE, FALSE);
  add_pair (f, person (2, NULL), FALSE, FALSE);
  g_hash_table_remove (f->bc_ids, "bc-0001");
  f->outside = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_add (f->outside, (char *) "bc-0001");
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_DELETE_OUTLOOK);
  g_assert_cmpstr (a->outlook->outlook_id, ==, "ol-bc-0001");
  g_assert_cmpstr (a->reason, ==, "No longer matches the filter: removed from Outlook");
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->unchanged, ==, 1);
}

/* type, e-mail or privacy changed: no longer eligible */
static void
test_rule_no_longer_eligible (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *company = person (1, NULL);
  BcsContact *blocked = person (2, NULL);
  BcsContact *no_mail = person (3, NULL);

  add_pair (f, bcs_contact_copy (company), FALSE, FALSE);
  add_pair (f, bcs_contact_copy (blocked), FALSE, FALSE);
  add_pair (f, bcs_contact_copy (no_mail), FALSE, FALSE);
  company->type = BCS_CONTACT_TYPE_COMPANY;
  blocked->privacy_blocked = TRUE;
  bcs_contact_set_field (no_mail, BCS_FIELD_EMAIL, NULL);
  g_ptr_array_add (f->bc, company);
  g_ptr_array_add (f->bc, blocked);
  g_ptr_array_add (f->bc, no_mail);
  p = plan (f);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_DELETE_OUTLOOK), ==, 3);
  g_assert_cmpuint (bcs_sync_plan_get_n_actions (p), ==, 3);
  g_assert_true (g_str_has_prefix (bcs_sync_plan_get_action (p, 0)->reason,
                                   "No longer synced: Not a person (type Company)"));
}

static void
test_rule_outlook_new_create_bc (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *o = outlook_new (7, FALSE);
  BcsContact *nameless = outlook_new (8, FALSE);
  const BcsSyncAction *a;

  bcs_contact_set_field (nameless, BCS_FIELD_DISPLAY_NAME, NULL);
  g_ptr_array_add (f->outlook, o);
  g_ptr_array_add (f->outlook, nameless);
  p = plan (f);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_CREATE_BC), ==, 1);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_SKIP), ==, 1);
  a = bcs_sync_plan_get_action (p, 0);
  g_assert_cmpint (a->kind, ==, BCS_SYNC_ACTION_CREATE_BC);
  g_assert_cmpstr (a->outlook->outlook_id, ==, "ol-bc-0007");
  g_assert_cmpstr (a->reason, ==, "New in Outlook");
  a = bcs_sync_plan_get_action (p, 1);
  g_assert_cmpint (a->skip, ==, BCS_SKIP_NO_NAME);
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->bc_created, ==, 1);
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->skipped, ==, 1);
}

/* a new Outlook contact whose e-mail exists in BC (incremental: the engine
 * looked the BC contact up by e-mail): link, BC wins; never a BC create */
static void
test_rule_outlook_new_email_in_bc (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *bc = person (5, NULL);
  BcsContact *o = outlook_copy (bc, FALSE);
  const BcsSyncAction *a;

  bcs_contact_set_field (o, BCS_FIELD_DISPLAY_NAME, "P. Five");
  g_hash_table_add (f->bc_ids, g_strdup (bc->bc_id));
  g_ptr_array_add (f->bc, bc);
  g_ptr_array_add (f->outlook, o);
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_LINK);
  g_assert_cmpuint (a->to_outlook, ==, BCS_FIELD_MASK (BCS_FIELD_DISPLAY_NAME));
  g_assert_cmpstr (a->merged->display_name, ==, "Person 5");
  g_assert_cmpstr (a->reason, ==, "Same e-mail as Business Central contact CT000005: linked");
}

static void
test_rule_outlook_id_gone (void)
{
  BcsRemovalPolicy policies[] = { BCS_REMOVAL_REMOVE, BCS_REMOVAL_KEEP_UNLINKED };

  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
      g_autoptr(BcsSyncPlan) p = NULL;
      g_autoptr(BcsContact) gone = person (9, NULL);

      f->settings.removal_policy = policies[i];
      g_ptr_array_add (f->outlook, outlook_copy (gone, TRUE));
      p = plan (f);
      if (policies[i] == BCS_REMOVAL_REMOVE)
        {
          const BcsSyncAction *a = only_action (p, BCS_SYNC_ACTION_DELETE_OUTLOOK);
          g_assert_cmpstr (a->outlook->outlook_id, ==, "ol-bc-0009");
        }
      else
        {
          g_assert_cmpuint (bcs_sync_plan_get_n_actions (p), ==, 1);
          g_assert_cmpint (bcs_sync_plan_get_action (p, 0)->kind, ==, BCS_SYNC_ACTION_NONE);
        }
      g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_CREATE_BC), ==, 0);
    }
}

static void
test_rule_unchanged (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *o;

  add_pair (f, person (1, NULL), TRUE, TRUE);
  add_pair (f, person (2, NULL), TRUE, TRUE);
  /* a new change key alone is no change */
  o = g_ptr_array_index (f->outlook, 0);
  bcs_contact_set_value (&o->change_key, "ck2");
  p = plan (f);
  g_assert_cmpuint (bcs_sync_plan_get_n_actions (p), ==, 2);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_NONE), ==, 2);
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->unchanged, ==, 2);
  g_assert_cmpstr (bcs_sync_plan_get_action (p, 0)->merged->change_key, ==, "ck2");
}

static void
test_rule_bc_not_eligible (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *company = person (1, NULL);
  const BcsSyncAction *a;

  company->type = BCS_CONTACT_TYPE_COMPANY;
  g_ptr_array_add (f->bc, company);
  p = plan (f);
  a = only_action (p, BCS_SYNC_ACTION_SKIP);
  g_assert_cmpint (a->skip, ==, BCS_SKIP_NOT_A_PERSON);
  g_assert_cmpstr (a->reason, ==, "Not a person (type Company)");
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->skipped, ==, 1);
}

/* never delete a BC contact: whatever happens in Outlook */
static void
test_never_deletes_bc (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  g_autoptr(BcsSyncReport) report = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, TRUE);

  f->settings.conflict_policy = BCS_CONFLICT_TWO_WAY_MERGE;
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = g_strdup_printf ("ol-bc-%04u", i);
      add_pair (f, person (i, NULL), FALSE, FALSE);
      g_ptr_array_add (f->removed, g_steal_pointer (&id));
    }
  p = plan (f);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_RECREATE_OUTLOOK), ==, 30);
  bcs_sync_plan_fill_report (p, report, BCS_SYNC_OUTCOME_PLANNED);
  for (guint i = 0; i < report->results->len; i++)
    {
      BcsSyncResult *r = report->results->pdata[i];
      g_assert_false (r->direction == BCS_SYNC_DIRECTION_TO_BC && r->action == BCS_SYNC_RESULT_DELETE);
    }
  g_assert_false (bcs_sync_plan_is_braked (p));
}

/* two Outlook contacts with the same BC id: keep one, remove the other */
static void
test_duplicate_bc_id (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(Fixture) g = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  g_autoptr(BcsSyncPlan) q = NULL;
  BcsContact *bc = person (1, NULL);
  BcsContact *copy;

  /* unpaired: one linked, one removed (even under keep-unlinked) */
  f->settings.removal_policy = BCS_REMOVAL_KEEP_UNLINKED;
  g_ptr_array_add (f->outlook, outlook_copy (bc, TRUE));
  copy = outlook_copy (bc, TRUE);
  bcs_contact_set_value (&copy->outlook_id, "ol-copy");
  g_ptr_array_add (f->outlook, copy);
  g_ptr_array_add (f->bc, bc);
  p = plan (f);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_LINK), ==, 1);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_DELETE_OUTLOOK), ==, 1);
  g_assert_cmpstr (bcs_sync_plan_get_action (p, 0)->outlook->outlook_id, ==, "ol-bc-0001");
  g_assert_cmpstr (bcs_sync_plan_get_action (p, 1)->outlook->outlook_id, ==, "ol-copy");

  /* paired: the paired copy stays, the other goes */
  bc = person (1, NULL);
  copy = outlook_copy (bc, TRUE);
  bcs_contact_set_value (&copy->outlook_id, "ol-copy");
  g_ptr_array_add (g->outlook, copy);
  add_pair (g, bc, TRUE, TRUE);
  q = plan (g);
  g_assert_cmpuint (bcs_sync_plan_count_kind (q, BCS_SYNC_ACTION_NONE), ==, 1);
  g_assert_cmpuint (bcs_sync_plan_count_kind (q, BCS_SYNC_ACTION_DELETE_OUTLOOK), ==, 1);
  g_assert_cmpstr (bcs_sync_plan_get_action (q, 0)->outlook->outlook_id, ==, "ol-copy");
}

/* the same e-mail on two unpaired Outlook contacts: link one only, import none */
static void
test_duplicate_email (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *bc = person (1, NULL);
  BcsContact *second = outlook_copy (bc, FALSE);
  const BcsSyncAction *skip;

  g_ptr_array_add (f->outlook, outlook_copy (bc, FALSE));
  bcs_contact_set_value (&second->outlook_id, "ol-second");
  g_ptr_array_add (f->outlook, second);
  g_ptr_array_add (f->bc, bc);
  p = plan (f);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_LINK), ==, 1);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_CREATE_BC), ==, 0);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_CREATE_OUTLOOK), ==, 0);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_SKIP), ==, 1);
  skip = bcs_sync_plan_get_action (p, 1);
  g_assert_cmpstr (skip->outlook->outlook_id, ==, "ol-second");
  g_assert_nonnull (g_strstr_len (skip->reason, -1, "CT000001"));
}

/* policies */

static void
test_policy_strings (void)
{
  g_assert_cmpint (bcs_conflict_policy_from_string ("bc-wins"), ==, BCS_CONFLICT_BC_WINS);
  g_assert_cmpint (bcs_conflict_policy_from_string ("two-way-merge"), ==, BCS_CONFLICT_TWO_WAY_MERGE);
  g_assert_cmpint (bcs_conflict_policy_from_string ("x"), ==, -1);
  g_assert_cmpint (bcs_removal_policy_from_string ("remove"), ==, BCS_REMOVAL_REMOVE);
  g_assert_cmpint (bcs_removal_policy_from_string ("keep-unlinked"), ==, BCS_REMOVAL_KEEP_UNLINKED);
  g_assert_cmpstr (bcs_removal_policy_to_string (BCS_REMOVAL_KEEP_UNLINKED), ==, "keep-unlinked");
}

static void
test_settings_load (void)
{
  g_autoptr(GSettings) settings = g_settings_new_with_path ("io.github.bccontactsync.ContactSync.Profile",
                                                            "/io/github/bccontactsync/ContactSync/profiles/plan-test/");
  BcsSyncSettings s;

  bcs_sync_settings_init (&s);
  g_assert_cmpuint (s.brake_percent, ==, 10);
  g_assert_cmpuint (s.brake_minimum, ==, 25);
  g_settings_set_string (settings, "conflict-policy", "two-way-merge");
  g_settings_set_string (settings, "removal-policy", "keep-unlinked");
  g_settings_set_int (settings, "brake-percent", 20);
  g_settings_set_int (settings, "brake-minimum", 5);
  bcs_sync_settings_load (&s, settings);
  g_assert_cmpint (s.conflict_policy, ==, BCS_CONFLICT_TWO_WAY_MERGE);
  g_assert_cmpint (s.removal_policy, ==, BCS_REMOVAL_KEEP_UNLINKED);
  g_assert_cmpuint (s.brake_percent, ==, 20);
  g_assert_cmpuint (s.brake_minimum, ==, 5);
}

/* the brake */

static BcsSyncPlan *
plan_removals (guint    n_pairs,
               guint    n_removed,
               gboolean allow)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);

  f->settings.allow_mass_delete = allow;
  for (guint i = 0; i < n_pairs; i++)
    add_pair (f, person (i, NULL), FALSE, FALSE);
  for (guint i = 0; i < n_removed; i++)
    {
      g_autofree char *id = g_strdup_printf ("bc-%04u", i);
      g_hash_table_remove (f->bc_ids, id);
    }
  return plan (f);
}

static void
test_brake_threshold (void)
{
  /* 250 pairs, 10 %: 25 removals is exactly at the threshold → no brake */
  g_autoptr(BcsSyncPlan) at = plan_removals (250, 25, FALSE);
  g_autoptr(BcsSyncPlan) over = plan_removals (250, 26, FALSE);
  g_autofree char *message = NULL;

  g_assert_cmpuint (bcs_sync_plan_get_n_removals (at), ==, 25);
  g_assert_false (bcs_sync_plan_exceeds_brake (at));
  g_assert_false (bcs_sync_plan_is_braked (at));
  g_assert_null (bcs_sync_plan_dup_brake_message (at));

  g_assert_cmpuint (bcs_sync_plan_get_n_removals (over), ==, 26);
  g_assert_cmpuint (bcs_sync_plan_get_n_paired (over), ==, 250);
  g_assert_true (bcs_sync_plan_exceeds_brake (over));
  g_assert_true (bcs_sync_plan_is_braked (over));
  message = bcs_sync_plan_dup_brake_message (over);
  g_assert_nonnull (g_strstr_len (message, -1, "26 contacts of 250"));
}

static void
test_brake_minimum (void)
{
  /* 100 pairs: 24 removals (24 %) are under the minimum of 25; 25 brake */
  g_autoptr(BcsSyncPlan) under = plan_removals (100, 24, FALSE);
  g_autoptr(BcsSyncPlan) at = plan_removals (100, 25, FALSE);
  /* a small folder: all 5 removed, still under the minimum */
  g_autoptr(BcsSyncPlan) small = plan_removals (5, 5, FALSE);

  g_assert_false (bcs_sync_plan_is_braked (under));
  g_assert_true (bcs_sync_plan_is_braked (at));
  g_assert_false (bcs_sync_plan_is_braked (small));
}

static void
test_brake_allowed (void)
{
  g_autoptr(BcsSyncPlan) p = plan_removals (100, 60, TRUE);

  g_assert_true (bcs_sync_plan_exceeds_brake (p));
  g_assert_false (bcs_sync_plan_is_braked (p));
}

/* unlinking (keep-unlinked) removes nothing from Outlook: never braked */
static void
test_brake_keep_unlinked (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;

  f->settings.removal_policy = BCS_REMOVAL_KEEP_UNLINKED;
  for (guint i = 0; i < 100; i++)
    add_pair (f, person (i, NULL), FALSE, FALSE);
  g_hash_table_remove_all (f->bc_ids);
  p = plan (f);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_UNLINK), ==, 100);
  g_assert_false (bcs_sync_plan_is_braked (p));
}

/* dry run: the report lists the plan with outcome planned */
static void
test_dry_run_planned (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  g_autoptr(BcsSyncReport) report = bcs_sync_report_new (BCS_SYNC_MODE_FULL, TRUE);
  BcsContact *company = person (3, NULL);

  f->settings.dry_run = TRUE;
  g_ptr_array_add (f->bc, person (1, NULL));
  add_pair (f, person (2, NULL), TRUE, TRUE);
  company->type = BCS_CONTACT_TYPE_COMPANY;
  g_ptr_array_add (f->bc, company);
  p = plan (f);
  bcs_sync_plan_fill_report (p, report, BCS_SYNC_OUTCOME_PLANNED);
  g_assert_cmpuint (report->results->len, ==, 2);
  g_assert_cmpint (((BcsSyncResult *) report->results->pdata[0])->outcome, ==, BCS_SYNC_OUTCOME_PLANNED);
  g_assert_cmpint (((BcsSyncResult *) report->results->pdata[0])->action, ==, BCS_SYNC_RESULT_CREATE);
  g_assert_cmpint (((BcsSyncResult *) report->results->pdata[1])->outcome, ==, BCS_SYNC_OUTCOME_SKIPPED);
  g_assert_cmpuint (report->counts.outlook_created, ==, 1);
  g_assert_cmpuint (report->counts.unchanged, ==, 1);
  g_assert_cmpuint (report->counts.skipped, ==, 1);
  g_assert_cmpmem (&report->counts, sizeof report->counts,
                   bcs_sync_plan_get_counts (p), sizeof report->counts);
}

/* the same pair: full mode notices a missing Outlook copy, incremental only
 * what the delta says */
static void
test_incremental_vs_full (void)
{
  g_autoptr(Fixture) full = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(Fixture) incr = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  g_autoptr(BcsSyncPlan) q = NULL;

  add_pair (full, person (1, NULL), TRUE, FALSE);
  add_pair (incr, person (1, NULL), FALSE, FALSE);
  p = plan (full);
  q = plan (incr);
  only_action (p, BCS_SYNC_ACTION_RECREATE_OUTLOOK);
  /* incremental: neither side changed, only counted */
  g_assert_cmpuint (bcs_sync_plan_get_n_actions (q), ==, 0);
  g_assert_cmpuint (bcs_sync_plan_get_counts (q)->unchanged, ==, 1);

  /* full mode: a pair whose BC contact is not in the read set was removed */
  {
    g_autoptr(Fixture) gone = fixture_new (BCS_SYNC_MODE_FULL);
    g_autoptr(BcsSyncPlan) r = NULL;

    add_pair (gone, person (1, NULL), FALSE, TRUE);
    r = plan (gone);
    g_assert_cmpstr (only_action (r, BCS_SYNC_ACTION_DELETE_OUTLOOK)->reason, ==,
                     "Deleted in Business Central or no longer matches the filter: removed from Outlook");
  }
}

/* open intents: never a second create */
static void
test_intents (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsSyncIntent *creating = bcs_sync_intent_new (BCS_SYNC_INTENT_CREATING);
  BcsSyncIntent *importing = bcs_sync_intent_new (BCS_SYNC_INTENT_IMPORTING);
  BcsSyncIntent *deleting = bcs_sync_intent_new (BCS_SYNC_INTENT_DELETING);

  g_ptr_array_add (f->bc, person (1, NULL));
  creating->bc_id = g_strdup ("bc-0001");
  g_ptr_array_add (f->outlook, outlook_new (2, FALSE));
  importing->outlook_id = g_strdup ("ol-bc-0002");
  g_ptr_array_add (f->outlook, outlook_new (3, FALSE));
  deleting->outlook_id = g_strdup ("ol-bc-0003");
  g_ptr_array_add (f->intents, creating);
  g_ptr_array_add (f->intents, importing);
  g_ptr_array_add (f->intents, deleting);
  p = plan (f);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_CREATE_OUTLOOK), ==, 0);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_CREATE_BC), ==, 0);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_SKIP), ==, 2);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_DELETE_OUTLOOK), ==, 1);
}

/* the plan's order: links, recreations, updates, creates, removals, … */
static void
test_order (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  BcsContact *changed = person (2, NULL);
  int last = -1;

  g_ptr_array_add (f->bc, person (1, NULL));                    /* create */
  add_pair (f, changed, TRUE, TRUE);                             /* update */
  bcs_contact_set_field (changed, BCS_FIELD_CITY, "Köln");
  add_pair (f, person (3, NULL), FALSE, TRUE);                   /* delete */
  g_ptr_array_add (f->outlook, outlook_new (4, FALSE)); /* create-bc */
  p = plan (f);
  g_assert_cmpuint (bcs_sync_plan_get_n_actions (p), ==, 4);
  for (guint i = 0; i < bcs_sync_plan_get_n_actions (p); i++)
    {
      const BcsSyncAction *a = bcs_sync_plan_get_action (p, i);
      g_assert_cmpint (a->kind, >, last);
      last = a->kind;
    }
}

/* a larger plan stays fast (no quadratic matching) */
static void
test_large (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_FULL);
  g_autoptr(BcsSyncPlan) p = NULL;
  gint64 start;

  for (guint i = 0; i < 20000; i++)
    {
      BcsContact *bc = person (i, NULL);
      g_ptr_array_add (f->outlook, outlook_copy (bc, FALSE));
      g_ptr_array_add (f->bc, bc);
    }
  start = g_get_monotonic_time ();
  p = plan (f);
  g_test_message ("planned 20,000 first-contact links in %.3f s",
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (bcs_sync_plan_count_kind (p, BCS_SYNC_ACTION_LINK), ==, 20000);
}

/* a no-change incremental plan over 100,000 pairs */
static void
test_large_incremental (void)
{
  g_autoptr(Fixture) f = fixture_new (BCS_SYNC_MODE_INCREMENTAL);
  g_autoptr(BcsSyncPlan) p = NULL;
  g_autoptr(BcsContact) template = person (0, NULL);
  gint64 start;

  for (guint i = 0; i < 100000; i++)
    {
      BcsSyncPair *pair = bcs_sync_pair_new_from_contact (template, NULL, NULL);
      g_free (pair->bc_id);
      pair->bc_id = g_strdup_printf ("bc-%06u", i);
      g_free (pair->outlook_id);
      pair->outlook_id = g_strdup_printf ("ol-%06u", i);
      g_hash_table_add (f->bc_ids, g_strdup (pair->bc_id));
      g_ptr_array_add (f->pairs, pair);
    }
  start = g_get_monotonic_time ();
  p = plan (f);
  g_test_message ("planned a no-change incremental sync of 100,000 pairs in %.3f s",
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (bcs_sync_plan_get_n_actions (p), ==, 0);
  g_assert_cmpuint (bcs_sync_plan_get_counts (p)->unchanged, ==, 100000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-planner/rule/bc-new-create-outlook", test_rule_create_outlook);
  g_test_add_func ("/sync-planner/actions-packed", test_actions_packed);
  g_test_add_func ("/sync-planner/rule/bc-new-link-by-email", test_rule_link_by_email);
  g_test_add_func ("/sync-planner/rule/bc-new-link-by-id", test_rule_link_by_id);
  g_test_add_func ("/sync-planner/rule/bc-not-eligible-skip", test_rule_bc_not_eligible);
  g_test_add_func ("/sync-planner/rule/pair-bc-changed", test_rule_bc_changed);
  g_test_add_func ("/sync-planner/rule/pair-bc-email-changed", test_rule_bc_email_changed);
  g_test_add_func ("/sync-planner/rule/pair-outlook-changed-bc-wins", test_rule_outlook_changed_bc_wins);
  g_test_add_func ("/sync-planner/rule/pair-outlook-changed-two-way-merge", test_rule_outlook_changed_two_way_merge);
  g_test_add_func ("/sync-planner/rule/pair-both-changed-two-way-merge", test_rule_both_changed_two_way_merge);
  g_test_add_func ("/sync-planner/rule/pair-bc-changed-two-way-merge", test_rule_bc_changed_two_way_merge);
  g_test_add_func ("/sync-planner/rule/pair-outlook-removed-recreate", test_rule_outlook_removed_recreate);
  g_test_add_func ("/sync-planner/rule/pair-bc-deleted", test_rule_bc_deleted);
  g_test_add_func ("/sync-planner/rule/pair-keep-unlinked-reported", test_rule_keep_unlinked_reported);
  g_test_add_func ("/sync-planner/rule/pair-bc-left-filter", test_rule_left_filter);
  g_test_add_func ("/sync-planner/rule/pair-bc-no-longer-eligible", test_rule_no_longer_eligible);
  g_test_add_func ("/sync-planner/rule/outlook-new-create-bc", test_rule_outlook_new_create_bc);
  g_test_add_func ("/sync-planner/rule/outlook-new-email-in-bc-link", test_rule_outlook_new_email_in_bc);
  g_test_add_func ("/sync-planner/rule/outlook-id-bc-gone", test_rule_outlook_id_gone);
  g_test_add_func ("/sync-planner/rule/unchanged", test_rule_unchanged);
  g_test_add_func ("/sync-planner/never-deletes-bc", test_never_deletes_bc);
  g_test_add_func ("/sync-planner/duplicate-bc-id", test_duplicate_bc_id);
  g_test_add_func ("/sync-planner/duplicate-email", test_duplicate_email);
  g_test_add_func ("/sync-planner/policy-strings", test_policy_strings);
  g_test_add_func ("/sync-planner/settings-load", test_settings_load);
  g_test_add_func ("/sync-planner/brake/threshold", test_brake_threshold);
  g_test_add_func ("/sync-planner/brake/minimum", test_brake_minimum);
  g_test_add_func ("/sync-planner/brake/allowed", test_brake_allowed);
  g_test_add_func ("/sync-planner/brake/keep-unlinked", test_brake_keep_unlinked);
  g_test_add_func ("/sync-planner/dry-run-planned", test_dry_run_planned);
  g_test_add_func ("/sync-planner/incremental-vs-full", test_incremental_vs_full);
  g_test_add_func ("/sync-planner/intents", test_intents);
  g_test_add_func ("/sync-planner/order", test_order);
  g_test_add_func ("/sync-planner/large", test_large);
  g_test_add_func ("/sync-planner/large-incremental", test_large_incremental);

  return g_test_run ();
}
