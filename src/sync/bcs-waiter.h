/* bcs-waiter.h — a worker thread waiting for one async call on its own context
 *
 * The sync engine and the contact count run in a worker thread whose
 * thread-default main context is their own, so an _async call made there
 * finishes there. A BcsWaiter is the call's user data: bcs_waiter_done
 * keeps the result, bcs_waiter_wait iterates the context until it is kept
 * and hands it to the call's _finish:
 *
 *   g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;
 *
 *   bcs_bc_client_list_companies_async (bc, cancellable, bcs_waiter_done, &waiter);
 *   companies = bcs_bc_client_list_companies_finish (bc, bcs_waiter_wait (&waiter, context),
 *                                                    error);
 *
 * A cancelled call still calls back, so the wait ends. No GTK. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  gboolean      done;
  GAsyncResult *result;
} BcsWaiter;

#define BCS_WAITER_INIT { FALSE, NULL }

/* A GAsyncReadyCallback; USER_DATA is the BcsWaiter */
void          bcs_waiter_done  (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data);
/* Iterates CONTEXT until the call called back; the result stays the
 * waiter's (valid until bcs_waiter_clear) */
GAsyncResult *bcs_waiter_wait  (BcsWaiter    *waiter,
                                GMainContext *context);
/* Drops the result; the waiter can serve another call */
void          bcs_waiter_clear (BcsWaiter    *waiter);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BcsWaiter, bcs_waiter_clear)

G_END_DECLS
