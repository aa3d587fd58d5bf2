/* test-staged-model.c — BcsStagedModel: a wholesale change revealed in steps, every signal consistent */
#include "config.h"

#include "bcs-staged-model.h"

/* Replays a model's items-changed on a copy and checks, after each, that
 * the copy is what get_n_items/get_item say */
typedef struct {
  GListModel *model;
  GPtrArray *mirror;
  guint signals;
  GArray *sizes;              /* n_items after each signal */
} Checker;

static void
check_mirror (Checker *checker)
{
  g_assert_cmpuint (checker->mirror->len, ==, g_list_model_get_n_items (checker->model));
  for (guint i = 0; i < checker->mirror->len; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (checker->model, i);
      g_assert_true (item == g_ptr_array_index (checker->mirror, i));
    }
  g_assert_null (g_list_model_get_item (checker->model, checker->mirror->len));
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Checker    *checker)
{
  g_assert_cmpuint (position + removed, <=, checker->mirror->len);
  g_assert_cmpuint (removed + added, >, 0);
  g_ptr_array_remove_range (checker->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (checker->mirror, position + i, g_list_model_get_item (model, position + i));
  checker->signals++;
  g_array_append_val (checker->sizes, checker->mirror->len);
  check_mirror (checker);
}

static Checker *
checker_new (GListModel *model)
{
  Checker *checker = g_new0 (Checker, 1);

  checker->model = g_object_ref (model);
  checker->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  checker->sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (checker->mirror, g_list_model_get_item (model, i));
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), checker);
  return checker;
}

static void
checker_free (Checker *checker)
{
  g_signal_handlers_disconnect_by_func (checker->model, on_items_changed, checker);
  g_object_unref (checker->model);
  g_ptr_array_unref (checker->mirror);
  g_array_unref (checker->sizes);
  g_free (checker);
}

static void
fill (GListStore *store,
      guint       n)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_object_new (G_TYPE_OBJECT, NULL));
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)), items->pdata, n);
}

static void
assert_same_as_inner (BcsStagedModel *staged)
{
  GListModel *inner = bcs_staged_model_get_inner (staged);

  g_assert_false (bcs_staged_model_is_staging (staged));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (staged)), ==, g_list_model_get_n_items (inner));
  for (guint i = 0; i < g_list_model_get_n_items (inner); i++)
    {
      g_autoptr (GObject) a = g_list_model_get_item (G_LIST_MODEL (staged), i);
      g_autoptr (GObject) b = g_list_model_get_item (inner, i);
      g_assert_true (a == b);
    }
}

static void
run_out (BcsStagedModel *staged)
{
  for (guint guard = 0; bcs_staged_model_is_staging (staged) && guard < 10000; guard++)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_small_change_passes_through (void)
{
  g_autoptr (GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr (BcsStagedModel) staged = NULL;
  g_autoptr (GObject) extra = g_object_new (G_TYPE_OBJECT, NULL);
  Checker *checker;

  fill (store, 10);
  staged = bcs_staged_model_new (G_LIST_MODEL (store), 4, 12);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (staged)), ==, 10);
  checker = checker_new (G_LIST_MODEL (staged));

  g_list_store_insert (store, 3, extra);
  g_assert_cmpuint (checker->signals, ==, 1);
  g_assert_false (bcs_staged_model_is_staging (staged));
  g_list_store_remove (store, 0);
  g_assert_cmpuint (checker->signals, ==, 2);
  assert_same_as_inner (staged);
  checker_free (checker);
}

static void
test_wholesale_revealed_in_steps (void)
{
  g_autoptr (GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr (BcsStagedModel) staged = bcs_staged_model_new (G_LIST_MODEL (store), 20, 240);
  Checker *checker = checker_new (G_LIST_MODEL (staged));
  guint expected = 0;

  fill (store, 1000);
  /* only the first step's rows at first */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (staged)), ==, 20);
  g_assert_true (bcs_staged_model_is_staging (staged));
  run_out (staged);
  assert_same_as_inner (staged);

  /* 20, 40, … 240 by steps, then the rest at once */
  g_assert_cmpuint (checker->sizes->len, ==, 13);
  for (guint i = 0; i < 12; i++)
    g_assert_cmpuint (g_array_index (checker->sizes, guint, i), ==, expected += 20);
  g_assert_cmpuint (g_array_index (checker->sizes, guint, 12), ==, 1000);

  /* emptied: at once */
  fill (store, 0);
  g_assert_false (bcs_staged_model_is_staging (staged));
  assert_same_as_inner (staged);
  checker_free (checker);
}

static void
test_restart_on_new_change (void)
{
  g_autoptr (GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr (BcsStagedModel) staged = bcs_staged_model_new (G_LIST_MODEL (store), 8, 64);
  Checker *checker = checker_new (G_LIST_MODEL (staged));
  g_autoptr (GObject) extra = g_object_new (G_TYPE_OBJECT, NULL);

  fill (store, 500);
  g_main_context_iteration (NULL, TRUE);
  g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (staged)), ==, 24);

  /* a new wholesale change starts over from its first rows */
  fill (store, 300);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (staged)), ==, 8);
  g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (staged)), ==, 16);

  /* fewer rows than are shown */
  fill (store, 5);
  g_assert_false (bcs_staged_model_is_staging (staged));
  assert_same_as_inner (staged);

  /* a small change during a reveal starts it over too */
  fill (store, 100);
  g_list_store_insert (store, 50, extra);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (staged)), ==, 8);
  run_out (staged);
  assert_same_as_inner (staged);

  /* a model freed during a reveal leaves nothing behind */
  fill (store, 400);
  g_assert_true (bcs_staged_model_is_staging (staged));
  checker_free (checker);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/staged-model/small-change-passes-through", test_small_change_passes_through);
  g_test_add_func ("/staged-model/wholesale-revealed-in-steps", test_wholesale_revealed_in_steps);
  g_test_add_func ("/staged-model/restart-on-new-change", test_restart_on_new_change);

  return g_test_run ();
}
