/* bcs-waiter.c — a worker thread waiting for one async call on its own context */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include "bcs-waiter.h"

void
bcs_waiter_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BcsWaiter *waiter = user_data;

  g_return_if_fail (!waiter->done);

  waiter->result = g_object_ref (result);
  waiter->done = TRUE;
}

GAsyncResult *
bcs_waiter_wait (BcsWaiter    *waiter,
                 GMainContext *context)
{
  while (!waiter->done)
    g_main_context_iteration (context, TRUE);
  return waiter->result;
}

void
bcs_waiter_clear (BcsWaiter *waiter)
{
  g_clear_object (&waiter->result);
  waiter->done = FALSE;
}
