/* test-cli-loop.c — a terminal command's main loop: quitting, Ctrl+C, closing */
#include "config.h"

#include <signal.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bcs-cli-loop.h"

static void
test_init_pushes_clear_pops (void)
{
  BcsCliLoop loop = { 0 };

  bcs_cli_loop_init (&loop);
  g_assert_nonnull (loop.context);
  g_assert_true (g_main_context_get_thread_default () == loop.context);
  g_assert_false (g_cancellable_is_cancelled (loop.cancellable));
  bcs_cli_loop_clear (&loop);
  g_assert_null (g_main_context_get_thread_default ());
  g_assert_null (loop.context);
  g_assert_null (loop.loop);
  g_assert_null (loop.cancellable);
  /* twice is harmless */
  bcs_cli_loop_clear (&loop);
}

static void
test_quit_before_run (void)
{
  BcsCliLoop loop = { 0 };

  bcs_cli_loop_init (&loop);
  /* a call that called back before the loop ran */
  bcs_cli_loop_quit (&loop);
  bcs_cli_loop_run (&loop);
  g_assert_true (loop.quit);
  bcs_cli_loop_clear (&loop);
}

static void
answer_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_task_return_int (task, 5);
}

static void
on_answer (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BcsCliLoop *loop = user_data;

  g_assert_true (g_main_context_get_thread_default () == loop->context);
  g_assert_cmpint (g_task_propagate_int (G_TASK (result), NULL), ==, 5);
  bcs_cli_loop_quit (loop);
}

static void
test_call_quits (void)
{
  BcsCliLoop loop = { 0 };
  g_autoptr(GTask) task = NULL;

  bcs_cli_loop_init (&loop);
  task = g_task_new (NULL, loop.cancellable, on_answer, &loop);
  g_task_run_in_thread (task, answer_thread);
  bcs_cli_loop_run (&loop);
  g_assert_true (loop.quit);
  g_clear_object (&task);
  bcs_cli_loop_clear (&loop);
}

static gboolean
send_signal (gpointer user_data)
{
  kill (getpid (), GPOINTER_TO_INT (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              BcsCliLoop   *loop)
{
  bcs_cli_loop_quit (loop);
}

static void
check_signal_cancels (int signum)
{
  BcsCliLoop loop = { 0 };
  GSource *idle;

  bcs_cli_loop_init (&loop);
  g_signal_connect (loop.cancellable, "cancelled", G_CALLBACK (on_cancelled), &loop);
  idle = g_idle_source_new ();
  g_source_set_callback (idle, send_signal, GINT_TO_POINTER (signum), NULL);
  g_source_attach (idle, loop.context);
  g_source_unref (idle);
  bcs_cli_loop_run (&loop);
  g_assert_true (g_cancellable_is_cancelled (loop.cancellable));
  bcs_cli_loop_clear (&loop);
}

static void
test_interrupt_cancels (void)
{
  check_signal_cancels (SIGINT);
}

static void
test_terminate_cancels (void)
{
  check_signal_cancels (SIGTERM);
}

static gboolean
mark_done (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_clear_finishes_pending_work (void)
{
  BcsCliLoop loop = { 0 };
  gboolean done = FALSE;
  GSource *idle;

  bcs_cli_loop_init (&loop);
  bcs_cli_loop_quit (&loop);
  bcs_cli_loop_run (&loop);
  /* closing work left on the context, as libsoup leaves it */
  idle = g_idle_source_new ();
  g_source_set_callback (idle, mark_done, &done, NULL);
  g_source_attach (idle, loop.context);
  g_source_unref (idle);
  bcs_cli_loop_clear (&loop);
  g_assert_true (done);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-loop/init-pushes-clear-pops", test_init_pushes_clear_pops);
  g_test_add_func ("/cli-loop/quit-before-run", test_quit_before_run);
  g_test_add_func ("/cli-loop/call-quits", test_call_quits);
  g_test_add_func ("/cli-loop/interrupt-cancels", test_interrupt_cancels);
  g_test_add_func ("/cli-loop/terminate-cancels", test_terminate_cancels);
  g_test_add_func ("/cli-loop/clear-finishes-pending-work", test_clear_finishes_pending_work);

  return g_test_run ();
}
