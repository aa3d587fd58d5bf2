/* test-results-filter.c — the results view's counts, filter and words, without a display */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "bcs-result-object.h"
#include "bcs-results-filter.h"

static void
add (GPtrArray      *results,
     const char     *name,
     const char     *email,
     BcsSyncOutcome  outcome)
{
  BcsSyncResult *result = bcs_sync_result_new ();

  result->name = g_strdup (name);
  result->email = g_strdup (email);
  result->outcome = outcome;
  result->action = outcome == BCS_SYNC_OUTCOME_SKIPPED ? BCS_SYNC_RESULT_SKIP : BCS_SYNC_RESULT_UPDATE;
  result->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
  g_ptr_array_add (results, result);
}

static GPtrArray *
sample (void)
{
  GPtrArray *results = bcs_sync_results_new ();

  add (results, "Anna Müller", "anna@example.com", BCS_SYNC_OUTCOME_OK);
  add (results, "Bob Stone", "bob@contoso.example", BCS_SYNC_OUTCOME_OK);
  add (results, "Chloé Durand", NULL, BCS_SYNC_OUTCOME_SKIPPED);
  add (results, NULL, "nobody@example.com", BCS_SYNC_OUTCOME_FAILED);
  add (results, "Dora ANNA", "dora@example.com", BCS_SYNC_OUTCOME_FAILED);
  return results;
}

static void
test_counts (void)
{
  g_autoptr (GPtrArray) results = sample ();
  guint counts[BCS_RESULTS_N_SHOW];

  bcs_results_count (results, counts);
  g_assert_cmpuint (counts[BCS_RESULTS_SHOW_ALL], ==, 5);
  g_assert_cmpuint (counts[BCS_RESULTS_SHOW_OK], ==, 2);
  g_assert_cmpuint (counts[BCS_RESULTS_SHOW_SKIPPED], ==, 1);
  g_assert_cmpuint (counts[BCS_RESULTS_SHOW_FAILED], ==, 2);
  g_assert_cmpuint (counts[BCS_RESULTS_SHOW_PLANNED], ==, 0);

  bcs_results_count (NULL, counts);
  for (guint i = 0; i < BCS_RESULTS_N_SHOW; i++)
    g_assert_cmpuint (counts[i], ==, 0);
}

static guint
count_matching (GPtrArray      *results,
                BcsResultsShow  show,
                const char     *search)
{
  g_autofree char *key = bcs_results_search_key_new (search);
  guint n = 0;

  for (guint i = 0; i < results->len; i++)
    n += bcs_results_filter_matches (g_ptr_array_index (results, i), show, key);
  return n;
}

static void
test_filter_outcome (void)
{
  g_autoptr (GPtrArray) results = sample ();

  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_ALL, NULL), ==, 5);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_OK, NULL), ==, 2);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_SKIPPED, ""), ==, 1);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_FAILED, "   "), ==, 2);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_PLANNED, NULL), ==, 0);
}

static void
test_filter_search (void)
{
  g_autoptr (GPtrArray) results = sample ();

  /* case-insensitive, in the name or the e-mail */
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_ALL, "anna"), ==, 2);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_ALL, "  ANNA "), ==, 2);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_ALL, "contoso"), ==, 1);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_ALL, "example.com"), ==, 3);
  /* non-ASCII folds too */
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_ALL, "MÜLLER"), ==, 1);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_ALL, "chloé"), ==, 1);
  /* search and outcome together */
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_FAILED, "anna"), ==, 1);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_OK, "nobody"), ==, 0);
  g_assert_cmpuint (count_matching (results, BCS_RESULTS_SHOW_ALL, "zzz"), ==, 0);
}

static void
test_search_key (void)
{
  g_autofree char *key = bcs_results_search_key_new ("  Émile ");

  g_assert_null (bcs_results_search_key_new (NULL));
  g_assert_null (bcs_results_search_key_new (" \t "));
  g_assert_nonnull (key);
  g_assert_cmpstr (key, !=, "  Émile ");
  g_assert_true (g_utf8_validate (key, -1, NULL));
}

static void
test_labels (void)
{
  g_autofree char *all = bcs_results_show_label (BCS_RESULTS_SHOW_ALL, 12);
  g_autofree char *failed = bcs_results_show_label (BCS_RESULTS_SHOW_FAILED, 1);

  g_assert_cmpstr (all, ==, "All (12)");
  g_assert_cmpstr (failed, ==, "Failed (1)");
  g_assert_cmpstr (bcs_results_direction_label (BCS_SYNC_DIRECTION_TO_BC), ==, "To Business Central");
  g_assert_cmpstr (bcs_results_action_label (BCS_SYNC_RESULT_RECREATE), ==, "Recreate");
  g_assert_cmpstr (bcs_results_outcome_label (BCS_SYNC_OUTCOME_SKIPPED), ==, "Skipped");
}

static void
test_details (void)
{
  g_autoptr (BcsSyncResult) result = bcs_sync_result_new ();
  g_autofree char *failed = NULL;
  g_autofree char *done = NULL;

  result->name = g_strdup ("Anna Müller");
  result->email = g_strdup ("anna@example.com");
  result->bc_number = g_strdup ("CT000042");
  result->action = BCS_SYNC_RESULT_UPDATE;
  result->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
  result->outcome = BCS_SYNC_OUTCOME_FAILED;
  result->reason = g_strdup ("Outlook refused the e-mail address.");
  result->fields = BCS_FIELD_MASK (BCS_FIELD_EMAIL);

  failed = bcs_results_describe_details (result);
  g_assert_nonnull (strstr (failed, "anna@example.com"));
  g_assert_nonnull (strstr (failed, "CT000042"));
  g_assert_nonnull (strstr (failed, "Update, to Outlook: Failed"));
  g_assert_nonnull (strstr (failed, bcs_contact_field_get_label (BCS_FIELD_EMAIL)));
  g_assert_nonnull (strstr (failed, "Reason: Outlook refused the e-mail address."));
  g_assert_nonnull (strstr (failed, "What to do:"));
  g_assert_false (g_str_has_suffix (failed, "\n"));

  result->outcome = BCS_SYNC_OUTCOME_OK;
  g_clear_pointer (&result->reason, g_free);
  done = bcs_results_describe_details (result);
  g_assert_null (strstr (done, "What to do:"));
  g_assert_null (strstr (done, "Reason:"));

  /* the names of the sides keep their capitals */
  result->direction = BCS_SYNC_DIRECTION_TO_BC;
  g_free (done);
  done = bcs_results_describe_details (result);
  g_assert_nonnull (strstr (done, "Update, to Business Central: Done"));
}

static void
test_result_object (void)
{
  g_autoptr (GPtrArray) results = sample ();
  g_autoptr (BcsResultObject) object = bcs_result_object_new (results, 2);
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *action = NULL;

  g_assert_true (bcs_result_object_get_result (object) == g_ptr_array_index (results, 2));
  g_object_get (object, "name", &name, "email", &email, "outcome", &outcome,
                "action", &action, NULL);
  g_assert_cmpstr (name, ==, "Chloé Durand");
  g_assert_cmpstr (email, ==, "");       /* never NULL: sorts and shows as empty */
  g_assert_cmpstr (outcome, ==, "Skipped");
  g_assert_cmpstr (action, ==, "Skip");

  /* the row keeps the run's results alive */
  g_clear_pointer (&results, g_ptr_array_unref);
  g_assert_cmpstr (bcs_result_object_get_result (object)->name, ==, "Chloé Durand");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/results-filter/counts", test_counts);
  g_test_add_func ("/results-filter/filter-outcome", test_filter_outcome);
  g_test_add_func ("/results-filter/filter-search", test_filter_search);
  g_test_add_func ("/results-filter/search-key", test_search_key);
  g_test_add_func ("/results-filter/labels", test_labels);
  g_test_add_func ("/results-filter/details", test_details);
  g_test_add_func ("/results-filter/result-object", test_result_object);

  return g_test_run ();
}
