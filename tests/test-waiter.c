/* test-waiter.c — a worker waiting for one async call on its own context */
#include "config.h"

#include <gio/gio.h>

#include "bcs-waiter.h"

/* An async call that answers VALUE from a thread of GIO's pool; its
 * callback runs on the context that is thread-default here */
static void
answer_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  if (g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    g_task_return_int (task, GPOINTER_TO_INT (task_data));
}

static void
answer_async (int                  value,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, GINT_TO_POINTER (value), NULL);
  g_task_run_in_thread (task, answer_thread);
}

static gssize
answer_finish (GAsyncResult  *result,
               GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
test_waits_on_its_context (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;
  GAsyncResult *result;

  g_main_context_push_thread_default (context);
  answer_async (42, NULL, bcs_waiter_done, &waiter);
  /* the answer is delivered only by iterating CONTEXT */
  g_assert_false (waiter.done);
  result = bcs_waiter_wait (&waiter, context);
  g_main_context_pop_thread_default (context);

  g_assert_true (waiter.done);
  g_assert_nonnull (result);
  g_assert_cmpint (answer_finish (result, &error), ==, 42);
  g_assert_no_error (error);
  /* the result stays the waiter's until cleared */
  g_assert_true (bcs_waiter_wait (&waiter, context) == result);
}

static void
test_cancelled_call_ends_the_wait (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;

  g_main_context_push_thread_default (context);
  g_cancellable_cancel (cancellable);
  answer_async (7, cancellable, bcs_waiter_done, &waiter);
  g_assert_cmpint (answer_finish (bcs_waiter_wait (&waiter, context), &error), ==, -1);
  g_main_context_pop_thread_default (context);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_clear_drops_and_reuses (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;
  GAsyncResult *first;

  g_main_context_push_thread_default (context);
  answer_async (1, NULL, bcs_waiter_done, &waiter);
  first = bcs_waiter_wait (&waiter, context);
  g_assert_cmpint (answer_finish (first, NULL), ==, 1);
  /* GIO's pool may still hold the task for a moment: wait for the waiter's
   * to be the last reference before checking that clearing drops it */
  while (g_atomic_int_get (&G_OBJECT (first)->ref_count) > 1)
    g_thread_yield ();
  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  bcs_waiter_clear (&waiter);
  g_assert_null (first);
  g_assert_false (waiter.done);
  g_assert_null (waiter.result);

  /* the same waiter serves the next call */
  answer_async (2, NULL, bcs_waiter_done, &waiter);
  g_assert_cmpint (answer_finish (bcs_waiter_wait (&waiter, context), NULL), ==, 2);
  g_main_context_pop_thread_default (context);
}

static void
test_auto_cleanup_drops_result (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  GAsyncResult *result = NULL;

  g_main_context_push_thread_default (context);
  {
    g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;

    answer_async (3, NULL, bcs_waiter_done, &waiter);
    result = bcs_waiter_wait (&waiter, context);
    while (g_atomic_int_get (&G_OBJECT (result)->ref_count) > 1)
      g_thread_yield ();
    g_object_add_weak_pointer (G_OBJECT (result), (gpointer *) &result);
  }
  g_main_context_pop_thread_default (context);

  g_assert_null (result);
}

static void
test_done_before_wait_returns_at_once (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;

  g_task_return_boolean (task, TRUE);
  /* nothing is pending on CONTEXT: a wait that iterated would block */
  bcs_waiter_done (NULL, G_ASYNC_RESULT (task), &waiter);
  g_assert_true (bcs_waiter_wait (&waiter, context) == G_ASYNC_RESULT (task));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/waiter/waits-on-its-context", test_waits_on_its_context);
  g_test_add_func ("/waiter/cancelled-call-ends-the-wait", test_cancelled_call_ends_the_wait);
  g_test_add_func ("/waiter/clear-drops-and-reuses", test_clear_drops_and_reuses);
  g_test_add_func ("/waiter/auto-cleanup-drops-result", test_auto_cleanup_drops_result);
  g_test_add_func ("/waiter/done-before-wait-returns-at-once", test_done_before_wait_returns_at_once);

  return g_test_run ();
}
