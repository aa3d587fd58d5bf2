/* bcs-clock.h — what time it is, and timeouts measured on the same clock
 *
 * The scheduler asks a BcsClock instead of GLib directly so that tests can
 * move time by hand: with a BcsManualClock, advancing the time makes the
 * timeouts that fall due fire, in order, on the thread-default main
 * context, without any real waiting.
 *
 * Times are wall-clock microseconds since the Unix epoch (as the run
 * history stores them); delays are microseconds. The system clock's
 * timeouts run on GLib's monotonic clock, which stands still during a
 * suspend: whoever cares re-reads the wall clock after a resume. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BCS_TYPE_CLOCK (bcs_clock_get_type ())
G_DECLARE_INTERFACE (BcsClock, bcs_clock, BCS, CLOCK, GObject)

struct _BcsClockInterface
{
  GTypeInterface parent_iface;

  gint64    (*get_real_time)      (BcsClock *self);
  GSource  *(*timeout_source_new) (BcsClock *self,
                                   gint64    delay_us);
};

gint64    bcs_clock_get_real_time      (BcsClock *self);
/* A source that fires (once per readiness; the callback decides whether
 * it stays) DELAY_US from now; set its callback (a GSourceFunc) and
 * attach it. A delay of 0 or less fires at the next iteration. */
GSource  *bcs_clock_timeout_source_new (BcsClock *self,
                                        gint64    delay_us);
/* A source with CALLBACK attached to the thread-default context; returns it
 * (owned by the context: keep the pointer only to destroy it) */
GSource  *bcs_clock_add_timeout        (BcsClock    *self,
                                        gint64       delay_us,
                                        GSourceFunc  callback,
                                        gpointer     user_data);

/* GLib's real time and monotonic timeouts; one shared instance */
#define BCS_TYPE_SYSTEM_CLOCK (bcs_system_clock_get_type ())
G_DECLARE_FINAL_TYPE (BcsSystemClock, bcs_system_clock, BCS, SYSTEM_CLOCK, GObject)

BcsClock *bcs_system_clock_get_default (void);

/* A clock that moves only when told to (tests) */
#define BCS_TYPE_MANUAL_CLOCK (bcs_manual_clock_get_type ())
G_DECLARE_FINAL_TYPE (BcsManualClock, bcs_manual_clock, BCS, MANUAL_CLOCK, GObject)

BcsManualClock *bcs_manual_clock_new       (gint64          start_us);
/* Moves the time forward by DELTA_US, stopping at each timeout that falls
 * due on the way to dispatch everything ready on the thread-default main
 * context (so a source added by a callback fires too if it falls due
 * within the step). */
void            bcs_manual_clock_advance   (BcsManualClock *self,
                                            gint64          delta_us);
/* Dispatches what is ready now without moving the time */
void            bcs_manual_clock_settle    (BcsManualClock *self);
/* The number of its timeouts still attached and not yet fired */
guint           bcs_manual_clock_get_n_pending (BcsManualClock *self);

G_END_DECLS
