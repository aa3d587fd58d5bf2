/* test-results-model.c — the lazy GListModel of a run's results */
#include "config.h"

#include "bcs-results-model.h"

static GPtrArray *
make_results (guint n)
{
  static const char * const names[] = { "bob", "Émile", "anna", "Carl", "anna", "Zoë" };
  GPtrArray *results = bcs_sync_results_new ();

  for (guint i = 0; i < n; i++)
    {
      BcsSyncResult *result = bcs_sync_result_new ();

      result->name = g_strdup_printf ("%s %u", names[i % G_N_ELEMENTS (names)], i % 3);
      result->email = g_strdup_printf ("c%u@example.org", i);
      result->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
      result->action = i % 4 == 0 ? BCS_SYNC_RESULT_UPDATE : BCS_SYNC_RESULT_CREATE;
      result->outcome = i % 5 == 0 ? BCS_SYNC_OUTCOME_FAILED : BCS_SYNC_OUTCOME_OK;
      if (result->outcome == BCS_SYNC_OUTCOME_FAILED)
        result->reason = g_strdup ("Refused");
      g_ptr_array_add (results, result);
    }
  return results;
}

typedef struct {
  guint calls;
  guint position, removed, added;
  guint n_items;              /* get_n_items seen inside the signal */
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->calls++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->n_items = g_list_model_get_n_items (model);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until the rows changed after BEFORE changes (at
 * once when they changed already): a filter or sort waiting for keys */
static void
wait_changed (Changes *changes,
              guint    before)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (30, timed_out_cb, &timed_out);

  while (changes->calls == before && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
}

static const BcsSyncResult *
result_at (GListModel *model,
           guint       position)
{
  g_autoptr (BcsResultObject) row = g_list_model_get_item (model, position);

  return bcs_result_object_get_result (row);
}

static void
test_model_items (void)
{
  g_autoptr (BcsResultsModel) model = bcs_results_model_new ();
  GListModel *list = G_LIST_MODEL (model);
  g_autoptr (GPtrArray) results = make_results (50);
  g_autoptr (GPtrArray) other = make_results (7);
  Changes changes = { 0 };
  BcsResultObject *first, *again;

  g_assert_true (g_list_model_get_item_type (list) == BCS_TYPE_RESULT_OBJECT);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_assert_null (g_list_model_get_item (list, 0));
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  bcs_results_model_set_results (model, results);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 50);
  g_assert_cmpuint (changes.n_items, ==, 50);
  g_assert_null (g_list_model_get_item (list, 50));

  /* made when asked for, the same object while it is held */
  first = g_list_model_get_item (list, 3);
  again = g_list_model_get_item (list, 3);
  g_assert_true (first == again);
  g_assert_true (bcs_result_object_get_result (first) == g_ptr_array_index (results, 3));
  g_assert_cmpuint (bcs_result_object_get_index (first), ==, 3);
  g_object_unref (again);

  /* … also when its position changed */
  changes.calls = 0;
  bcs_results_model_set_sort (model, BCS_RESULTS_COLUMN_EMAIL, TRUE);
  wait_changed (&changes, 0);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_true (result_at (list, 0) == g_ptr_array_index (results, 9));
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (BcsResultObject) row = g_list_model_get_item (list, i);

      if (bcs_result_object_get_index (row) == 3)
        g_assert_true (row == first);
    }
  g_object_unref (first);

  /* the same results again: nothing changes */
  changes.calls = 0;
  bcs_results_model_set_results (model, results);
  g_assert_cmpuint (changes.calls, ==, 0);

  /* other results replace all rows in one change */
  bcs_results_model_set_sort (model, -1, FALSE);
  changes.calls = 0;
  bcs_results_model_set_results (model, other);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 50);
  g_assert_cmpuint (changes.added, ==, 7);
  g_assert_true (result_at (list, 6) == g_ptr_array_index (other, 6));

  changes.calls = 0;
  bcs_results_model_set_results (model, NULL);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 7);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
}

static void
test_model_filter (void)
{
  g_autoptr (BcsResultsModel) model = bcs_results_model_new ();
  GListModel *list = G_LIST_MODEL (model);
  g_autoptr (GPtrArray) results = make_results (100);
  g_autofree char *key = bcs_results_search_key_new ("ÉMILE");
  Changes changes = { 0 };
  guint expected = 0;

  bcs_results_model_set_results (model, results);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  bcs_results_model_set_filter (model, BCS_RESULTS_SHOW_FAILED, NULL);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 100);
  g_assert_cmpuint (changes.added, ==, 20);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    g_assert_cmpint (result_at (list, i)->outcome, ==, BCS_SYNC_OUTCOME_FAILED);

  /* the same as bcs_results_filter_matches, in the results' order */
  changes.calls = 0;
  bcs_results_model_set_filter (model, BCS_RESULTS_SHOW_ALL, key);
  wait_changed (&changes, 0);
  g_assert_cmpuint (changes.calls, ==, 1);
  for (guint i = 0; i < results->len; i++)
    expected += bcs_results_filter_matches (g_ptr_array_index (results, i), BCS_RESULTS_SHOW_ALL, key);
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, expected);
  for (guint i = 1; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (BcsResultObject) a = g_list_model_get_item (list, i - 1);
      g_autoptr (BcsResultObject) b = g_list_model_get_item (list, i);

      g_assert_cmpuint (bcs_result_object_get_index (a), <, bcs_result_object_get_index (b));
    }

  /* an unchanged filter does not change the rows */
  changes.calls = 0;
  bcs_results_model_set_filter (model, BCS_RESULTS_SHOW_ALL, key);
  g_assert_cmpuint (changes.calls, ==, 0);
  bcs_results_model_set_filter (model, BCS_RESULTS_SHOW_ALL, "");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 100);
}

static void
test_model_sort (void)
{
  g_autoptr (BcsResultsModel) model = bcs_results_model_new ();
  GListModel *list = G_LIST_MODEL (model);
  g_autoptr (GPtrArray) results = make_results (60);
  Changes changes = { 0 };

  bcs_results_model_set_results (model, results);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  for (int descending = 0; descending < 2; descending++)
    {
      guint before = changes.calls;

      bcs_results_model_set_sort (model, BCS_RESULTS_COLUMN_NAME, descending);
      wait_changed (&changes, before);
      g_assert_cmpuint (g_list_model_get_n_items (list), ==, 60);
      for (guint i = 1; i < 60; i++)
        {
          g_autoptr (BcsResultObject) a = g_list_model_get_item (list, i - 1);
          g_autoptr (BcsResultObject) b = g_list_model_get_item (list, i);
          g_autofree char *ka = g_utf8_casefold (bcs_result_object_get_result (a)->name, -1);
          g_autofree char *kb = g_utf8_casefold (bcs_result_object_get_result (b)->name, -1);
          int cmp = g_utf8_collate (ka, kb);

          g_assert_cmpint (descending ? -cmp : cmp, <=, 0);
          /* equal names keep the results' order */
          if (cmp == 0)
            g_assert_cmpuint (bcs_result_object_get_index (a), <, bcs_result_object_get_index (b));
        }
    }

  /* an enum column sorts by the words it shows: "Create" before "Update" */
  bcs_results_model_set_sort (model, BCS_RESULTS_COLUMN_ACTION, FALSE);
  g_assert_cmpint (result_at (list, 0)->action, ==, BCS_SYNC_RESULT_CREATE);
  g_assert_cmpint (result_at (list, 59)->action, ==, BCS_SYNC_RESULT_UPDATE);
  g_assert_cmpint (bcs_results_model_compare (model, BCS_RESULTS_COLUMN_ACTION, 0, 1), >, 0);
  g_assert_cmpint (bcs_results_model_compare (model, BCS_RESULTS_COLUMN_ACTION, 1, 2), ==, 0);

  /* sorted and filtered together */
  bcs_results_model_set_filter (model, BCS_RESULTS_SHOW_OK, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 48);
  for (guint i = 0; i < 48; i++)
    g_assert_cmpint (result_at (list, i)->outcome, ==, BCS_SYNC_OUTCOME_OK);

  /* unsorted: the results' order */
  bcs_results_model_set_filter (model, BCS_RESULTS_SHOW_ALL, NULL);
  bcs_results_model_set_sort (model, -1, FALSE);
  for (guint i = 0; i < 60; i++)
    g_assert_true (result_at (list, i) == g_ptr_array_index (results, i));
}

/* A model dropped while its keys are still being computed, with rows alive */
static void
test_model_lifetime (void)
{
  BcsResultsModel *model = bcs_results_model_new ();
  g_autoptr (GPtrArray) results = make_results (5000);
  BcsResultObject *row;

  bcs_results_model_set_results (model, results);
  row = g_list_model_get_item (G_LIST_MODEL (model), 10);
  g_assert_finalize_object (model);
  g_assert_true (bcs_result_object_get_result (row) == g_ptr_array_index (results, 10));
  g_assert_finalize_object (row);
}

/* The rows of MODEL, in order, are RESULTS under SHOW sorted by COLUMN as
 * bcs_results_model_compare orders them, equal rows in the results' order */
static void
assert_sorted (BcsResultsModel  *model,
               GPtrArray        *results,
               BcsResultsShow    show,
               BcsResultsColumn  column,
               gboolean          descending)
{
  GListModel *list = G_LIST_MODEL (model);
  guint n = g_list_model_get_n_items (list);
  guint expected = 0;
  guint previous = G_MAXUINT;

  g_assert_true (bcs_results_model_get_results (model) == results);
  for (guint i = 0; i < results->len; i++)
    expected += bcs_results_filter_matches (g_ptr_array_index (results, i), show, NULL);
  g_assert_cmpuint (n, ==, expected);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BcsResultObject) row = g_list_model_get_item (list, i);
      guint index = bcs_result_object_get_index (row);

      g_assert_true (bcs_result_object_get_result (row) == g_ptr_array_index (results, index));
      g_assert_true (bcs_results_filter_matches (bcs_result_object_get_result (row), show, NULL));
      if (previous != G_MAXUINT)
        {
          int cmp = bcs_results_model_compare (model, column, previous, index);

          if (descending)
            cmp = -cmp;
          g_assert_cmpint (cmp, <=, 0);
          if (cmp == 0)
            g_assert_cmpuint (previous, <, index);
        }
      previous = index;
    }
}

/* A sort and a filter asked for before the keys of 50,000 results are
 * known (the model learns of them only when the main loop runs) keep the
 * rows until it runs, then give the rows the keys give */
static void
test_model_pending (void)
{
  g_autoptr (BcsResultsModel) model = bcs_results_model_new ();
  GListModel *list = G_LIST_MODEL (model);
  g_autoptr (GPtrArray) results = make_results (50000);
  g_autofree char *key = bcs_results_search_key_new ("ÉMILE");
  Changes changes = { 0 };
  guint expected = 0;

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  bcs_results_model_set_results (model, results);
  g_assert_cmpuint (changes.calls, ==, 1);

  bcs_results_model_set_sort (model, BCS_RESULTS_COLUMN_NAME, TRUE);
  bcs_results_model_set_filter (model, BCS_RESULTS_SHOW_OK, NULL);
  /* the latest sort asked for wins */
  bcs_results_model_set_sort (model, BCS_RESULTS_COLUMN_EMAIL, FALSE);
  /* nothing changed yet: still all rows, in the results' order */
  g_assert_true (bcs_results_model_is_pending (model));
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 50000);
  g_assert_true (result_at (list, 1) == g_ptr_array_index (results, 1));
  g_assert_true (result_at (list, 49999) == g_ptr_array_index (results, 49999));

  wait_changed (&changes, 1);
  g_assert_false (bcs_results_model_is_pending (model));
  g_assert_cmpuint (changes.calls, ==, 2);
  g_assert_cmpuint (changes.removed, ==, 50000);
  g_assert_cmpuint (changes.added, ==, 40000);
  g_assert_cmpuint (changes.n_items, ==, 40000);
  assert_sorted (model, results, BCS_RESULTS_SHOW_OK, BCS_RESULTS_COLUMN_EMAIL, FALSE);

  /* keys ready: a search and a sort change the rows at once */
  bcs_results_model_set_filter (model, BCS_RESULTS_SHOW_ALL, key);
  g_assert_cmpuint (changes.calls, ==, 3);
  for (guint i = 0; i < results->len; i++)
    expected += bcs_results_filter_matches (g_ptr_array_index (results, i), BCS_RESULTS_SHOW_ALL, key);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, expected);
  bcs_results_model_set_sort (model, BCS_RESULTS_COLUMN_NAME, FALSE);
  g_assert_false (bcs_results_model_is_pending (model));
  g_assert_cmpuint (changes.calls, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, expected);

  /* nothing more comes from the main loop */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changes.calls, ==, 4);
}

/* New results while the keys of the old are computed: the old keys change
 * nothing, the sort is that of the new results */
static void
test_model_pending_replaced (void)
{
  g_autoptr (BcsResultsModel) model = bcs_results_model_new ();
  GListModel *list = G_LIST_MODEL (model);
  g_autoptr (GPtrArray) results = make_results (50000);
  g_autoptr (GPtrArray) other = make_results (30001);
  Changes changes = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  bcs_results_model_set_results (model, results);
  bcs_results_model_set_sort (model, BCS_RESULTS_COLUMN_REASON, TRUE);
  g_assert_cmpuint (changes.calls, ==, 1);

  /* the new results show at once, in their order while their keys wait */
  bcs_results_model_set_results (model, other);
  g_assert_cmpuint (changes.calls, ==, 2);
  g_assert_cmpuint (changes.removed, ==, 50000);
  g_assert_cmpuint (changes.added, ==, 30001);
  g_assert_true (bcs_results_model_get_results (model) == other);
  g_assert_true (result_at (list, 0) == g_ptr_array_index (other, 0));
  bcs_results_model_set_sort (model, BCS_RESULTS_COLUMN_NAME, FALSE);
  g_assert_cmpuint (changes.calls, ==, 2);

  wait_changed (&changes, 2);
  g_assert_cmpuint (changes.calls, ==, 3);
  g_assert_cmpuint (changes.removed, ==, 30001);
  g_assert_cmpuint (changes.added, ==, 30001);
  assert_sorted (model, other, BCS_RESULTS_SHOW_ALL, BCS_RESULTS_COLUMN_NAME, FALSE);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changes.calls, ==, 3);
  assert_sorted (model, other, BCS_RESULTS_SHOW_ALL, BCS_RESULTS_COLUMN_NAME, FALSE);
}

/* A model dropped with a sort waiting for keys: when they are ready, no
 * one is told */
static void
test_model_pending_disposed (void)
{
  BcsResultsModel *model = bcs_results_model_new ();
  g_autoptr (BcsResultsModel) later = bcs_results_model_new ();
  g_autoptr (GPtrArray) results = make_results (50000);
  Changes changes = { 0 }, later_changes = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  bcs_results_model_set_results (model, results);
  bcs_results_model_set_sort (model, BCS_RESULTS_COLUMN_NAME, FALSE);
  bcs_results_model_set_filter (model, BCS_RESULTS_SHOW_FAILED, NULL);
  g_object_run_dispose (G_OBJECT (model));
  g_assert_finalize_object (model);

  /* another model's keys for the same results come after the first's */
  g_signal_connect (later, "items-changed", G_CALLBACK (items_changed_cb), &later_changes);
  bcs_results_model_set_results (later, results);
  bcs_results_model_set_sort (later, BCS_RESULTS_COLUMN_NAME, FALSE);
  wait_changed (&later_changes, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (later_changes.calls, ==, 2);
  assert_sorted (later, results, BCS_RESULTS_SHOW_ALL, BCS_RESULTS_COLUMN_NAME, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/results-model/items", test_model_items);
  g_test_add_func ("/results-model/filter", test_model_filter);
  g_test_add_func ("/results-model/sort", test_model_sort);
  g_test_add_func ("/results-model/lifetime", test_model_lifetime);
  g_test_add_func ("/results-model/pending", test_model_pending);
  g_test_add_func ("/results-model/pending-replaced", test_model_pending_replaced);
  g_test_add_func ("/results-model/pending-disposed", test_model_pending_disposed);

  return g_test_run ();
}
