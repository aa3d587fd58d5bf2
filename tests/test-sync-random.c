/* test-sync-random.c — seeded random edits on both sides, a sync, the invariants
 *
 * As vdirsyncer's tests do: many rounds; in each, random edits through the
 * sandbox's control API as Business Central users and Outlook would make
 * them, then a sync, then: no duplicates, every eligible BC contact in
 * Outlook with equal fields, no edit lost (BC edits the city, Outlook the
 * job title: under two-way merge both must survive), no BC contact deleted
 * by the sync, every new Outlook contact imported. */
#include "config.h"

#include "bcs-contact-check.h"
#include "bcs-contact-mapping.h"
#include "bcs-json.h"
#include "sync-test-support.h"

#define ROUNDS 12

typedef struct {
  GRand *rand;
  SyncFixture *f;
  GHashTable *city;       /* bc id → city set in BC */
  GHashTable *job;        /* bc id → job title set in Outlook */
  GHashTable *alive;      /* bc ids that must exist */
  GHashTable *imports;    /* e-mails of new Outlook contacts */
  GHashTable *touched;    /* ids touched this round */
  guint serial;
} World;

static JsonObject *
random_element (World     *w,
                GPtrArray *array)
{
  if (array->len == 0)
    return NULL;
  return array->pdata[g_rand_int_range (w->rand, 0, array->len)];
}

static void
bc_edit (World *w)
{
  g_autoptr(GPtrArray) bc = sync_fixture_bc_contacts (w->f);
  JsonObject *target = random_element (w, bc);
  const char *id;
  g_autofree char *city = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;

  if (target == NULL || g_hash_table_contains (w->touched, (id = bcs_json_get_string (target, "id"))))
    return;
  city = g_strdup_printf ("City %u", ++w->serial);
  body = g_strdup_printf ("{\"city\": \"%s\"}", city);
  path = g_strdup_printf ("/_sandbox/bc/contacts/%s", id);
  reply = sync_fixture_request (w->f, "PATCH", path, body, 200);
  g_hash_table_replace (w->city, g_strdup (id), g_steal_pointer (&city));
  g_hash_table_add (w->touched, g_strdup (id));
}

static void
bc_create (World *w)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint n = ++w->serial;

  body = g_strdup_printf ("{\"displayName\": \"Random Person %u\", \"type\": \"Person\", "
                          "\"email\": \"random.person.%u@example.org\", \"city\": \"Start %u\"}", n, n, n);
  reply = sync_fixture_request (w->f, "POST", "/_sandbox/bc/contacts", body, 201);
  g_hash_table_add (w->alive, g_strdup (bcs_json_get_string (bcs_json_node_get_object (reply), "id")));
  g_hash_table_add (w->touched, g_strdup (bcs_json_get_string (bcs_json_node_get_object (reply), "id")));
}

static void
bc_delete (World *w)
{
  g_autoptr(GPtrArray) bc = sync_fixture_bc_contacts (w->f);
  JsonObject *target = random_element (w, bc);
  const char *id;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;

  /* Only people: Business Central refuses edits of people whose company
   * contact is gone, which is not what this test is about */
  if (target == NULL || g_hash_table_contains (w->touched, (id = bcs_json_get_string (target, "id"))) ||
      g_strcmp0 (bcs_json_get_string (target, "type"), "Person") != 0)
    return;
  path = g_strdup_printf ("/_sandbox/bc/contacts/%s", id);
  reply = sync_fixture_request (w->f, "DELETE", path, NULL, 0);
  g_hash_table_add (w->touched, g_strdup (id));
  g_hash_table_remove (w->alive, id);
  if (bcs_json_get_string (target, "email") != NULL)
    g_hash_table_remove (w->imports, bcs_json_get_string (target, "email"));
  g_hash_table_remove (w->city, id);
  g_hash_table_remove (w->job, id);
}

/* A synced Outlook contact not touched this round */
static JsonObject *
pick_synced (World     *w,
             GPtrArray *outlook)
{
  JsonObject *target = random_element (w, outlook);
  const char *bc_id = target != NULL ? bcs_graph_contact_get_bc_id (target) : NULL;

  if (bc_id == NULL || g_hash_table_contains (w->touched, bc_id))
    return NULL;
  return target;
}

static void
outlook_edit (World *w)
{
  g_autoptr(GPtrArray) outlook = sync_fixture_outlook_contacts (w->f);
  JsonObject *target = pick_synced (w, outlook);
  g_autofree char *job = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;

  if (target == NULL)
    return;
  job = g_strdup_printf ("Title %u", ++w->serial);
  body = g_strdup_printf ("{\"jobTitle\": \"%s\"}", job);
  path = g_strdup_printf ("/_sandbox/outlook/contacts/%s", bcs_json_get_string (target, "id"));
  reply = sync_fixture_request (w->f, "PATCH", path, body, 200);
  g_hash_table_replace (w->job, g_strdup (bcs_graph_contact_get_bc_id (target)), g_steal_pointer (&job));
  g_hash_table_add (w->touched, g_strdup (bcs_graph_contact_get_bc_id (target)));
}

static void
outlook_delete (World *w)
{
  g_autoptr(GPtrArray) outlook = sync_fixture_outlook_contacts (w->f);
  JsonObject *target = pick_synced (w, outlook);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;

  if (target == NULL)
    return;
  path = g_strdup_printf ("/_sandbox/outlook/contacts/%s", bcs_json_get_string (target, "id"));
  reply = sync_fixture_request (w->f, "DELETE", path, NULL, 0);
  /* Recreated from BC: an Outlook edit made earlier is gone with it */
  g_hash_table_remove (w->job, bcs_graph_contact_get_bc_id (target));
  g_hash_table_add (w->touched, g_strdup (bcs_graph_contact_get_bc_id (target)));
}

static void
outlook_create (World *w)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint n = ++w->serial;

  body = g_strdup_printf ("{\"displayName\": \"Outlook Person %u\", \"emailAddresses\": "
                          "[{\"address\": \"outlook.person.%u@example.net\"}]}", n, n);
  reply = sync_fixture_request (w->f, "POST", "/_sandbox/outlook/contacts?folder=Business%20Central",
                                body, 201);
  g_hash_table_add (w->imports, g_strdup_printf ("outlook.person.%u@example.net", n));
}

static void
check_world (World *w)
{
  g_autoptr(GPtrArray) bc = sync_fixture_bc_contacts (w->f);
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) emails = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  sync_fixture_check_invariants (w->f);
  for (guint i = 0; i < bc->len; i++)
    {
      JsonObject *row = bc->pdata[i];
      const char *id = bcs_json_get_string (row, "id");

      g_hash_table_insert (present, (gpointer) id, row);
      if (bcs_json_get_string (row, "email") != NULL)
        {
          if (g_hash_table_contains (w->imports, bcs_json_get_string (row, "email")))
            g_assert_false (g_hash_table_contains (emails, bcs_json_get_string (row, "email")));
          g_hash_table_add (emails, (gpointer) bcs_json_get_string (row, "email"));
        }
    }

  /* No BC contact deleted by the sync */
  g_hash_table_iter_init (&iter, w->alive);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_error ("Business Central contact %s disappeared", (char *) key);

  /* No edit lost */
  g_hash_table_iter_init (&iter, w->city);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (bcs_json_get_string (g_hash_table_lookup (present, key), "city"), ==, value);
  g_hash_table_iter_init (&iter, w->job);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (g_hash_table_lookup (present, key));

      /* Only contacts that sync carry Outlook's edits back */
      if (bcs_contact_check_to_outlook (contact, NULL) == BCS_SKIP_NONE)
        g_assert_cmpstr (contact->job_title, ==, value);
    }

  /* Every new Outlook contact imported, once */
  g_hash_table_iter_init (&iter, w->imports);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (emails, key))
      g_error ("new Outlook contact %s was not imported", (char *) key);
}

static void
test_random_rounds (void)
{
  guint32 seed = g_test_rand_int ();
  World w = { 0 };
  GSettings *settings;
  g_autoptr(BcsSyncReport) first = NULL;
  g_autoptr(GPtrArray) bc = NULL;

  g_test_message ("seed %u", seed);
  w.rand = g_rand_new_with_seed (seed);
  w.f = sync_fixture_new (50, 0, seed);
  w.city = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  w.job = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  w.alive = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w.imports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  settings = bcs_profile_get_settings (w.f->profile);
  g_settings_set_string (settings, "conflict-policy", "two-way-merge");
  /* Random deletions may pass the brake of a small set: that is not under test here */
  g_settings_set_int (settings, "brake-minimum", 1000);

  bc = sync_fixture_bc_contacts (w.f);
  for (guint i = 0; i < bc->len; i++)
    g_hash_table_add (w.alive, g_strdup (bcs_json_get_string (bc->pdata[i], "id")));
  first = sync_fixture_run_ok (w.f, BCS_SYNC_MODE_FULL);
  check_world (&w);

  for (guint round = 0; round < ROUNDS; round++)
    {
      guint n_edits = g_rand_int_range (w.rand, 2, 9);
      g_autoptr(BcsSyncReport) report = NULL;
      BcsSyncMode mode = g_rand_int_range (w.rand, 0, 5) == 0 ? BCS_SYNC_MODE_FULL
                                                              : BCS_SYNC_MODE_INCREMENTAL;

      w.touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < n_edits; i++)
        switch (g_rand_int_range (w.rand, 0, 6))
          {
          case 0: bc_edit (&w); break;
          case 1: bc_create (&w); break;
          case 2: bc_delete (&w); break;
          case 3: outlook_edit (&w); break;
          case 4: outlook_delete (&w); break;
          default: outlook_create (&w); break;
          }
      g_clear_pointer (&w.touched, g_hash_table_unref);

      report = sync_fixture_run_ok (w.f, mode);
      g_test_message ("round %u (%s): %u created, %u updated, %u deleted in Outlook, %u imported, "
                      "%u updated in BC", round, bcs_sync_mode_to_string (mode),
                      report->counts.outlook_created, report->counts.outlook_updated,
                      report->counts.outlook_deleted, report->counts.bc_created,
                      report->counts.bc_updated);
      check_world (&w);
    }

  g_settings_reset (settings, "conflict-policy");
  g_settings_reset (settings, "brake-minimum");
  g_hash_table_unref (w.city);
  g_hash_table_unref (w.job);
  g_hash_table_unref (w.alive);
  g_hash_table_unref (w.imports);
  g_rand_free (w.rand);
  sync_fixture_free (w.f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-random/rounds", test_random_rounds);

  return g_test_run ();
}
