/* bcs-scheduler.h — when the automatic sync of one profile runs
 *
 * One scheduler per profile, on the main context. It reads the profile's
 * auto-sync-interval (and follows its changes at once), and calls its run
 * function:
 *   - at the last run + the interval (at once when that is past);
 *   - after a resume from suspend and when the network comes back (both
 *     debounced together, a few seconds, so one resume makes one run);
 *   - after a failure, again after 1, 2, 4 … minutes (capped at the
 *     interval and at an hour), back to the interval after a success; runs
 *     made elsewhere (bcs_scheduler_record_run) count the same way;
 * and never while a run is going on: a trigger during a run waits for its
 * end (and is dropped when that run succeeded, which covered it). With the
 * interval off, it does nothing.
 *
 * The run function starts a run and returns; whoever runs it calls
 * bcs_scheduler_run_done() once, when the run is over. Every time goes
 * through a BcsClock. */
#pragma once

#include <gio/gio.h>

#include "bcs-clock.h"

G_BEGIN_DECLS

/* A sync run after the network came back or a resume waits this long */
#define BCS_SCHEDULER_DEBOUNCE_US     (G_GINT64_CONSTANT (5) * G_USEC_PER_SEC)
/* The first retry after a failure; doubled after each further one */
#define BCS_SCHEDULER_BACKOFF_BASE_US (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define BCS_SCHEDULER_BACKOFF_CAP_US  (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
/* Another run of the profile was going on (BCS_ERROR_BUSY): try again then */
#define BCS_SCHEDULER_BUSY_RETRY_US   (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

typedef enum {
  BCS_SCHEDULER_REASON_SCHEDULE,
  BCS_SCHEDULER_REASON_RETRY,
  BCS_SCHEDULER_REASON_NETWORK,
  BCS_SCHEDULER_REASON_RESUME,
} BcsSchedulerReason;

#define BCS_TYPE_SCHEDULER (bcs_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (BcsScheduler, bcs_scheduler, BCS, SCHEDULER, GObject)

typedef void (*BcsSchedulerRunFunc) (BcsScheduler       *scheduler,
                                     BcsSchedulerReason  reason,
                                     gpointer            user_data);

/* The interval of an auto-sync-interval nick in microseconds, 0 for "off"
 * or an unknown nick */
gint64        bcs_scheduler_interval_from_nick (const char *nick);

/* SETTINGS: a profile's settings (BCS_PROFILE_SCHEMA_ID); CLOCK: NULL for
 * the system clock */
BcsScheduler *bcs_scheduler_new               (GSettings           *settings,
                                               BcsClock            *clock);
void          bcs_scheduler_set_run_func      (BcsScheduler        *self,
                                               BcsSchedulerRunFunc  func,
                                               gpointer             user_data,
                                               GDestroyNotify       destroy);
/* Where to watch the network; by default g_network_monitor_get_default(),
 * taken at start. NULL: do not watch. */
void          bcs_scheduler_set_network_monitor (BcsScheduler      *self,
                                                 GNetworkMonitor   *monitor);
/* Watch logind's PrepareForSleep on the system bus (if there is one) */
void          bcs_scheduler_watch_suspend     (BcsScheduler        *self);

/* When the last run ended (wall clock, µs; 0: never). Call before start. */
void          bcs_scheduler_set_last_run      (BcsScheduler        *self,
                                               gint64               time_us);
gint64        bcs_scheduler_get_last_run      (BcsScheduler        *self);

void          bcs_scheduler_start             (BcsScheduler        *self);
void          bcs_scheduler_stop              (BcsScheduler        *self);

/* ERROR NULL: the run succeeded; BCS_ERROR_BUSY: another run was going on
 * (retried soon, not a failure); anything else: a failure (backs off). */
void          bcs_scheduler_run_done          (BcsScheduler        *self,
                                               const GError        *error);
/* A run that someone else made (the window, the CLI) ended at FINISHED_US
 * (wall clock). A success counts as one of ours: the failures are reset and
 * the next run is an interval after it. A failure counts towards the
 * back-off as one of ours would: the next retry is 1, 2, 4 … minutes after
 * it (the caller decides what is a failure: not a cancelled run, nor one
 * that met another run). Runs older than the last success or the last
 * attempt, and failures while a run of ours goes on, change nothing. */
void          bcs_scheduler_record_run        (BcsScheduler        *self,
                                               gint64               finished_us,
                                               gboolean             success);
/* The system resumed from suspend */
void          bcs_scheduler_resumed           (BcsScheduler        *self);

gboolean      bcs_scheduler_is_enabled        (BcsScheduler        *self);
gboolean      bcs_scheduler_is_running        (BcsScheduler        *self);
/* µs of wall clock; 0 when nothing is scheduled (off, stopped or running) */
gint64        bcs_scheduler_get_next_run      (BcsScheduler        *self);
guint         bcs_scheduler_get_failures      (BcsScheduler        *self);

G_END_DECLS
