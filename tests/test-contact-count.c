/* test-contact-count.c — "Count Matching Contacts" against the in-process sandbox */
#include "config.h"

#include "bcs-contact-check.h"
#include "bcs-contact-count.h"
#include "bcs-contact-mapping.h"
#include "bcs-error.h"
#include "sync-test-support.h"

typedef struct {
  gboolean done;
  gboolean ok;
  BcsContactCount count;
  GError *error;
} CountResult;

static void
count_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CountResult *out = user_data;

  out->ok = bcs_contact_count_finish (result, &out->count, &out->error);
  out->done = TRUE;
}

static void
count (SyncFixture  *fixture,
       GVariant     *filter,
       GCancellable *cancellable,
       CountResult  *out)
{
  bcs_contact_count_async (fixture->profile, filter, TRUE, sync_test_provider, NULL, cancellable,
                           count_done, out);
  while (!out->done)
    g_main_context_iteration (NULL, TRUE);
}

/* What a sync would take: the contacts that match and are eligible */
static guint
expected_count (SyncFixture *fixture,
                GVariant    *filter)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsContactFilter) parsed = bcs_contact_filter_new_from_variant (filter, NULL, NULL, &error);
  g_autoptr (GPtrArray) contacts = sync_fixture_bc_contacts (fixture);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < contacts->len; i++)
    {
      g_autoptr (BcsContact) contact = bcs_contact_from_bc_json (contacts->pdata[i]);

      n += bcs_contact_filter_matches (parsed, contact)
           && bcs_contact_check_to_outlook (contact, NULL) == BCS_SKIP_NONE;
    }
  return n;
}

static GVariant *
filter_of (const char *field,
           const char *text)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  if (field != NULL)
    g_variant_builder_add (&builder, "{ss}", field, text);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
test_count_all (void)
{
  SyncFixture *fixture = sync_fixture_new (120, 0, 3);
  g_autoptr (GVariant) none = filter_of (NULL, NULL);
  CountResult out = { 0 };
  guint expected = expected_count (fixture, none);

  count (fixture, none, NULL, &out);
  g_assert_no_error (out.error);
  g_assert_true (out.ok);
  g_assert_cmpuint (out.count.listed, ==, 120);
  /* some of the seeded contacts are companies or lack an e-mail */
  g_assert_cmpuint (expected, <, 120);
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (out.count.matching, ==, expected);
  sync_fixture_free (fixture);
}

static void
test_count_filtered (void)
{
  SyncFixture *fixture = sync_fixture_new (150, 0, 5);
  /* exact in OData: the server filters */
  g_autoptr (GVariant) country = filter_of ("country", "DE|AT");
  /* not exact ("@", "*son"): a prefilter, then local */
  g_autoptr (GVariant) name = filter_of ("name", "@*a*");
  CountResult by_country = { 0 }, by_name = { 0 };
  guint expected;

  expected = expected_count (fixture, country);
  count (fixture, country, NULL, &by_country);
  g_assert_no_error (by_country.error);
  g_assert_cmpuint (by_country.count.matching, ==, expected);
  /* the server sent only the filtered set */
  g_assert_cmpuint (by_country.count.listed, <, 150);

  expected = expected_count (fixture, name);
  count (fixture, name, NULL, &by_name);
  g_assert_no_error (by_name.error);
  g_assert_cmpuint (by_name.count.matching, ==, expected);
  g_assert_cmpuint (by_name.count.matching, >, 0);
  sync_fixture_free (fixture);
}

static void
test_count_errors (void)
{
  SyncFixture *fixture = sync_fixture_new (10, 0, 7);
  g_autoptr (GVariant) invalid = filter_of ("city", "(Berlin");
  g_autoptr (GVariant) none = filter_of (NULL, NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  CountResult bad = { 0 }, cancelled = { 0 }, no_company = { 0 };

  count (fixture, invalid, NULL, &bad);
  g_assert_false (bad.ok);
  g_assert_error (bad.error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_clear_error (&bad.error);

  g_cancellable_cancel (cancellable);
  count (fixture, none, cancellable, &cancelled);
  g_assert_false (cancelled.ok);
  g_assert_error (cancelled.error, BCS_ERROR, BCS_ERROR_CANCELLED);
  g_clear_error (&cancelled.error);

  /* without a company and not taking the first one */
  bcs_contact_count_async (fixture->profile, none, FALSE, sync_test_provider, NULL, NULL, count_done,
                           &no_company);
  while (!no_company.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (no_company.error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED);
  g_clear_error (&no_company.error);
  sync_fixture_free (fixture);
}

/* The profile's settings are read when the count starts, on the caller's
 * thread: a change right after the call is not seen by the worker */
static void
test_count_settings_read_at_start (void)
{
  SyncFixture *fixture = sync_fixture_new (20, 0, 9);
  GSettings *settings = bcs_profile_get_settings (fixture->profile);
  g_autoptr (GVariant) none = filter_of (NULL, NULL);
  CountResult started = { 0 }, after = { 0 };

  bcs_contact_count_async (fixture->profile, none, TRUE, sync_test_provider, NULL, NULL, count_done,
                           &started);
  /* an environment the sandbox does not have */
  g_settings_set_string (settings, "environment", "nowhere");
  while (!started.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (started.error);
  g_assert_cmpuint (started.count.listed, ==, 20);

  /* the next count reads the change */
  count (fixture, none, NULL, &after);
  g_assert_false (after.ok);
  g_assert_nonnull (after.error);
  g_clear_error (&after.error);
  sync_fixture_free (fixture);
}

static void
test_count_describe (void)
{
  g_autofree char *one = bcs_contact_count_describe (1);
  g_autofree char *many = bcs_contact_count_describe (12);

  g_assert_cmpstr (one, ==, "1 contact matches");
  g_assert_cmpstr (many, ==, "12 contacts match");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contact-count/all", test_count_all);
  g_test_add_func ("/contact-count/filtered", test_count_filtered);
  g_test_add_func ("/contact-count/errors", test_count_errors);
  g_test_add_func ("/contact-count/settings-read-at-start", test_count_settings_read_at_start);
  g_test_add_func ("/contact-count/describe", test_count_describe);

  return g_test_run ();
}
