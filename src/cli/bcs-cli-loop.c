/* bcs-cli-loop.c — the main loop of a terminal command; Ctrl+C cancels */
#define G_LOG_DOMAIN "bcs-cli"

#include "config.h"

#include <glib-unix.h>

#include "bcs-cli-loop.h"

void
bcs_cli_loop_init (BcsCliLoop *self)
{
  self->context = g_main_context_new ();
  g_main_context_push_thread_default (self->context);
  self->loop = g_main_loop_new (self->context, FALSE);
  self->cancellable = g_cancellable_new ();
  self->quit = FALSE;
}

static gboolean
on_interrupt (gpointer user_data)
{
  BcsCliLoop *self = user_data;

  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_CONTINUE;
}

void
bcs_cli_loop_run (BcsCliLoop *self)
{
  GSource *signals[2];

  signals[0] = g_unix_signal_source_new (SIGINT);
  signals[1] = g_unix_signal_source_new (SIGTERM);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_source_set_callback (signals[i], on_interrupt, self, NULL);
      g_source_attach (signals[i], self->context);
    }

  /* a call that finished at once quit before the loop ran */
  if (!self->quit)
    g_main_loop_run (self->loop);

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_source_destroy (signals[i]);
      g_source_unref (signals[i]);
    }
}

void
bcs_cli_loop_quit (BcsCliLoop *self)
{
  self->quit = TRUE;
  g_main_loop_quit (self->loop);
}

void
bcs_cli_loop_clear (BcsCliLoop *self)
{
  if (self->context == NULL)
    return;
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
}
