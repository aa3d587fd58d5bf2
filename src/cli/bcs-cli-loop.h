/* bcs-cli-loop.h — the main loop of a terminal command; Ctrl+C cancels
 *
 * A command runs on a main context of its own: bcs_cli_loop_init pushes
 * it, the command starts its async call with the loop's cancellable and
 * runs the loop, the call's callback quits it. SIGINT and SIGTERM cancel
 * the cancellable meanwhile (the call still calls back). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GMainContext *context;
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      quit;
} BcsCliLoop;

/* A new context, pushed as the thread default */
void bcs_cli_loop_init  (BcsCliLoop *self);
/* Runs until bcs_cli_loop_quit (at once when it was already called) */
void bcs_cli_loop_run   (BcsCliLoop *self);
void bcs_cli_loop_quit  (BcsCliLoop *self);
/* Lets libsoup and libsecret finish their closing work on the context
 * (after the objects using it are dropped), pops it and frees the loop */
void bcs_cli_loop_clear (BcsCliLoop *self);

G_END_DECLS
