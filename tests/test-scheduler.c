/* test-scheduler.c — automatic sync: when runs happen, on a hand-moved clock */
#include "config.h"

#include <gio/gio.h>

#include "bcs-error.h"
#include "bcs-profile.h"
#include "bcs-scheduler.h"

#define SEC G_GINT64_CONSTANT (1000000)
#define MINUTE (60 * SEC)
#define HOUR (60 * MINUTE)
#define START (G_GINT64_CONSTANT (1790000000) * SEC)

/* A network monitor whose availability the test sets */

#define TEST_TYPE_NETWORK_MONITOR (test_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestNetworkMonitor, test_network_monitor, TEST, NETWORK_MONITOR, GObject)

struct _TestNetworkMonitor
{
  GObject parent_instance;
  gboolean available;
};

enum { PROP_0, PROP_AVAILABLE, PROP_METERED, PROP_CONNECTIVITY };

static void test_network_monitor_iface_init (GNetworkMonitorInterface *iface);
static void test_network_monitor_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetworkMonitor, test_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_network_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_network_monitor_iface_init))

static gboolean
test_network_monitor_initable_init_func (GInitable     *initable,
                                         GCancellable  *cancellable,
                                         GError       **error)
{
  return TRUE;
}

static void
test_network_monitor_initable_init (GInitableIface *iface)
{
  iface->init = test_network_monitor_initable_init_func;
}

static void
test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
test_network_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TestNetworkMonitor *self = TEST_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_network_monitor_class_init (TestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_monitor_get_property;
  g_object_class_override_property (object_class, PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_monitor_init (TestNetworkMonitor *self)
{
}

static void
set_network (TestNetworkMonitor *monitor,
             gboolean            available)
{
  gboolean changed = monitor->available != available;

  monitor->available = available;
  /* GNetworkMonitorBase notifies only on a change; a repeated
   * network-changed with the same state must not count as an edge */
  if (changed)
    g_object_notify (G_OBJECT (monitor), "network-available");
  g_signal_emit_by_name (monitor, "network-changed", available);
}

/* The run function: counts runs and ends them as told */

typedef struct {
  guint n_runs;
  gint64 times[64];
  BcsSchedulerReason last_reason;
  gboolean hold;          /* leave the run going until the test ends it */
  gboolean fail;
  gboolean busy;
} Runs;

static void
end_run (BcsScheduler *scheduler,
         Runs         *runs)
{
  g_autoptr (GError) error = NULL;

  if (runs->busy)
    error = g_error_new_literal (BCS_ERROR, BCS_ERROR_BUSY, "Another sync is running");
  else if (runs->fail)
    error = g_error_new_literal (BCS_ERROR, BCS_ERROR_UNAVAILABLE, "Business Central is unavailable");

  bcs_scheduler_run_done (scheduler, error);
}

typedef struct {
  Runs *runs;
  BcsManualClock *clock;
} RunContext;

static void
run_cb (BcsScheduler       *scheduler,
        BcsSchedulerReason  reason,
        gpointer            user_data)
{
  RunContext *ctx = user_data;
  Runs *runs = ctx->runs;

  g_assert_false (bcs_scheduler_get_next_run (scheduler) != 0);
  if (runs->n_runs < G_N_ELEMENTS (runs->times))
    runs->times[runs->n_runs] = bcs_clock_get_real_time (BCS_CLOCK (ctx->clock));
  runs->n_runs++;
  runs->last_reason = reason;

  if (!runs->hold)
    end_run (scheduler, runs);
}

typedef struct {
  BcsManualClock *clock;
  BcsProfile *profile;
  GSettings *settings;
  TestNetworkMonitor *monitor;
  BcsScheduler *scheduler;
  Runs runs;
  RunContext ctx;
  gboolean shared_clock;
} Fixture;

static void
fixture_set_up_on (Fixture        *f,
                   BcsManualClock *clock,
                   const char     *profile_name,
                   const char     *interval,
                   gint64          last_run)
{
  g_autoptr (GError) error = NULL;

  f->shared_clock = clock != NULL;
  f->clock = clock != NULL ? g_object_ref (clock) : bcs_manual_clock_new (START);
  f->profile = bcs_profile_new (profile_name, NULL, &error);
  g_assert_no_error (error);
  f->settings = g_object_ref (bcs_profile_get_settings (f->profile));
  g_settings_set_string (f->settings, "auto-sync-interval", interval);
  f->monitor = g_object_new (TEST_TYPE_NETWORK_MONITOR, NULL);
  f->monitor->available = TRUE;

  f->scheduler = bcs_scheduler_new (f->settings, BCS_CLOCK (f->clock));
  f->ctx.runs = &f->runs;
  f->ctx.clock = f->clock;
  bcs_scheduler_set_run_func (f->scheduler, run_cb, &f->ctx, NULL);
  bcs_scheduler_set_network_monitor (f->scheduler, G_NETWORK_MONITOR (f->monitor));
  bcs_scheduler_set_last_run (f->scheduler, last_run);
}

static void
fixture_set_up (Fixture    *f,
                const char *profile_name,
                const char *interval,
                gint64      last_run)
{
  fixture_set_up_on (f, NULL, profile_name, interval, last_run);
}

static void
fixture_start (Fixture *f)
{
  bcs_scheduler_start (f->scheduler);
  bcs_manual_clock_settle (f->clock);
}

static void
fixture_tear_down (Fixture *f)
{
  g_settings_reset (f->settings, "auto-sync-interval");
  g_assert_finalize_object (f->scheduler);
  g_assert_finalize_object (f->monitor);
  g_clear_object (&f->settings);
  g_assert_finalize_object (f->profile);
  bcs_manual_clock_settle (f->clock);
  /* every timeout of the scheduler went with it */
  if (f->shared_clock)
    {
      g_clear_object (&f->clock);
      return;
    }
  g_assert_cmpuint (bcs_manual_clock_get_n_pending (f->clock), ==, 0);
  g_assert_finalize_object (f->clock);
}

static void
advance (Fixture *f,
         gint64   delta)
{
  bcs_manual_clock_advance (f->clock, delta);
}

static void
test_overdue_runs_at_once (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "overdue", "hourly", START - 2 * HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 0);   /* nothing before start */
  fixture_start (&f);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  g_assert_cmpint (f.runs.times[0], ==, START);
  g_assert_cmpint (f.runs.last_reason, ==, BCS_SCHEDULER_REASON_SCHEDULE);
  /* and then an interval after that run */
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + HOUR);
  fixture_tear_down (&f);
}

static void
test_never_run_runs_at_once (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "never", "daily", 0);
  fixture_start (&f);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  g_assert_cmpint (bcs_scheduler_get_last_run (f.scheduler), ==, START);
  fixture_tear_down (&f);
}

static void
test_next_after_interval (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "interval", "hourly", START - 10 * MINUTE);
  fixture_start (&f);
  g_assert_cmpuint (f.runs.n_runs, ==, 0);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 50 * MINUTE);

  advance (&f, 50 * MINUTE - SEC);
  g_assert_cmpuint (f.runs.n_runs, ==, 0);
  advance (&f, SEC);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  g_assert_cmpint (f.runs.times[0], ==, START + 50 * MINUTE);

  advance (&f, 3 * HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 4);
  for (guint i = 1; i < 4; i++)
    g_assert_cmpint (f.runs.times[i] - f.runs.times[i - 1], ==, HOUR);
  fixture_tear_down (&f);
}

static void
test_interval_change_reschedules (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "change", "daily", START);
  fixture_start (&f);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 24 * HOUR);

  advance (&f, 10 * MINUTE);
  /* shorter: due at the last run + 15 minutes, 5 minutes from now */
  g_settings_set_string (f.settings, "auto-sync-interval", "15-minutes");
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 15 * MINUTE);
  advance (&f, 5 * MINUTE - SEC);
  g_assert_cmpuint (f.runs.n_runs, ==, 0);
  advance (&f, SEC);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);

  g_settings_set_string (f.settings, "auto-sync-interval", "hourly");
  advance (&f, 2 * HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 3);   /* at 1:15 and 2:15 */
  /* shorter than the time since the last run: at once */
  advance (&f, 45 * MINUTE);
  g_assert_cmpuint (f.runs.n_runs, ==, 3);
  g_settings_set_string (f.settings, "auto-sync-interval", "15-minutes");
  bcs_manual_clock_settle (f.clock);
  g_assert_cmpuint (f.runs.n_runs, ==, 4);   /* overdue by 30 minutes */
  g_assert_cmpint (f.runs.times[3], ==, START + 3 * HOUR);
  fixture_tear_down (&f);
}

static void
test_off_stops (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "off", "15-minutes", START);
  fixture_start (&f);
  advance (&f, 15 * MINUTE);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);

  g_settings_set_string (f.settings, "auto-sync-interval", "off");
  g_assert_false (bcs_scheduler_is_enabled (f.scheduler));
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, 0);
  g_assert_cmpuint (bcs_manual_clock_get_n_pending (f.clock), ==, 0);

  /* neither time, nor the network, nor a resume start a run */
  set_network (f.monitor, FALSE);
  set_network (f.monitor, TRUE);
  bcs_scheduler_resumed (f.scheduler);
  advance (&f, 2 * 24 * HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);

  /* on again: the last run was two days ago */
  g_settings_set_string (f.settings, "auto-sync-interval", "daily");
  bcs_manual_clock_settle (f.clock);
  g_assert_cmpuint (f.runs.n_runs, ==, 2);
  fixture_tear_down (&f);
}

static void
test_off_from_the_start (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "off-start", "off", 0);
  fixture_start (&f);
  advance (&f, 7 * 24 * HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 0);
  g_assert_cmpuint (bcs_manual_clock_get_n_pending (f.clock), ==, 0);
  fixture_tear_down (&f);
}

static void
test_failures_back_off (void)
{
  Fixture f = { 0 };
  static const gint64 gaps[] = { 1 * MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 16 * MINUTE,
                                 32 * MINUTE, 60 * MINUTE, 60 * MINUTE };
  gint64 success_at;

  fixture_set_up (&f, "backoff", "daily", START - 24 * HOUR);
  f.runs.fail = TRUE;
  fixture_start (&f);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);

  /* 1 + 2 + 4 + 8 + 16 + 32 + 60 + 60 minutes */
  advance (&f, 183 * MINUTE);
  g_assert_cmpuint (f.runs.n_runs, ==, 1 + G_N_ELEMENTS (gaps));
  for (guint i = 0; i < G_N_ELEMENTS (gaps); i++)
    g_assert_cmpint (f.runs.times[i + 1] - f.runs.times[i], ==, gaps[i]);
  g_assert_cmpint (f.runs.last_reason, ==, BCS_SCHEDULER_REASON_RETRY);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 1 + G_N_ELEMENTS (gaps));

  /* a success resets: the next run a full interval later */
  f.runs.fail = FALSE;
  advance (&f, HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 2 + G_N_ELEMENTS (gaps));
  success_at = f.runs.times[f.runs.n_runs - 1];
  g_assert_cmpint (success_at, ==, START + 243 * MINUTE);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 0);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, success_at + 24 * HOUR);

  /* and the next failure starts again from a minute */
  f.runs.fail = TRUE;
  advance (&f, 24 * HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 3 + G_N_ELEMENTS (gaps));
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 1);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, success_at + 24 * HOUR + MINUTE);
  fixture_tear_down (&f);
}

static void
test_backoff_capped_at_interval (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "backoff-short", "15-minutes", 0);
  f.runs.fail = TRUE;
  fixture_start (&f);
  advance (&f, 2 * HOUR);
  /* 1, 2, 4, 8 minutes, then every 15 */
  g_assert_cmpint (f.runs.times[4] - f.runs.times[3], ==, 8 * MINUTE);
  g_assert_cmpint (f.runs.times[5] - f.runs.times[4], ==, 15 * MINUTE);
  g_assert_cmpint (f.runs.times[6] - f.runs.times[5], ==, 15 * MINUTE);
  fixture_tear_down (&f);
}

static void
test_no_overlap (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "overlap", "15-minutes", START - HOUR);
  f.runs.hold = TRUE;
  fixture_start (&f);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  g_assert_true (bcs_scheduler_is_running (f.scheduler));

  /* the run takes 40 minutes: nothing else starts meanwhile */
  advance (&f, 20 * MINUTE);
  set_network (f.monitor, FALSE);
  set_network (f.monitor, TRUE);
  bcs_scheduler_resumed (f.scheduler);
  advance (&f, 20 * MINUTE);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);

  /* it succeeded, which covers the triggers that came meanwhile:
   * the next run an interval after its end */
  f.runs.hold = FALSE;
  end_run (f.scheduler, &f.runs);
  g_assert_false (bcs_scheduler_is_running (f.scheduler));
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 55 * MINUTE);
  advance (&f, 15 * MINUTE - SEC);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  advance (&f, SEC);
  g_assert_cmpuint (f.runs.n_runs, ==, 2);
  fixture_tear_down (&f);
}

static void
test_trigger_after_failed_run (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "pending", "hourly", START - 2 * HOUR);
  f.runs.hold = TRUE;
  f.runs.fail = TRUE;
  fixture_start (&f);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);

  /* the network came back while a run was failing: retried at its end */
  set_network (f.monitor, FALSE);
  set_network (f.monitor, TRUE);
  advance (&f, 10 * SEC);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  f.runs.hold = FALSE;
  end_run (f.scheduler, &f.runs);   /* failed */
  f.runs.fail = FALSE;
  bcs_manual_clock_settle (f.clock);
  g_assert_cmpuint (f.runs.n_runs, ==, 2);
  g_assert_cmpint (f.runs.last_reason, ==, BCS_SCHEDULER_REASON_NETWORK);
  g_assert_cmpint (f.runs.times[1], ==, START + 10 * SEC);
  fixture_tear_down (&f);
}

static void
test_network_back_triggers_run (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "network", "daily", START);
  f.monitor->available = FALSE;
  bcs_scheduler_set_network_monitor (f.scheduler, G_NETWORK_MONITOR (f.monitor));
  fixture_start (&f);
  g_assert_cmpuint (f.runs.n_runs, ==, 0);

  set_network (f.monitor, TRUE);
  advance (&f, BCS_SCHEDULER_DEBOUNCE_US - SEC);
  g_assert_cmpuint (f.runs.n_runs, ==, 0);
  advance (&f, SEC);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  g_assert_cmpint (f.runs.last_reason, ==, BCS_SCHEDULER_REASON_NETWORK);

  /* no edge, no run: the network stays up */
  set_network (f.monitor, TRUE);
  advance (&f, HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);

  /* the schedule counts from that run */
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==,
                   START + BCS_SCHEDULER_DEBOUNCE_US + 24 * HOUR);
  fixture_tear_down (&f);
}

static void
test_network_debounced (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "flapping", "daily", START);
  fixture_start (&f);

  /* the network flaps for a while: one run, a debounce after it settles */
  for (guint i = 0; i < 5; i++)
    {
      set_network (f.monitor, FALSE);
      advance (&f, SEC);
      set_network (f.monitor, TRUE);
      advance (&f, 2 * SEC);
    }
  g_assert_cmpuint (f.runs.n_runs, ==, 0);
  advance (&f, BCS_SCHEDULER_DEBOUNCE_US);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  g_assert_cmpint (f.runs.times[0], ==, START + 15 * SEC - 2 * SEC + BCS_SCHEDULER_DEBOUNCE_US);

  /* lost again before the debounce ends: no run */
  set_network (f.monitor, FALSE);
  set_network (f.monitor, TRUE);
  advance (&f, SEC);
  set_network (f.monitor, FALSE);
  advance (&f, HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  fixture_tear_down (&f);
}

static void
test_resume_triggers_one_run (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "resume", "daily", START);
  fixture_start (&f);

  /* a resume, and the network coming back right after it: one run */
  bcs_scheduler_resumed (f.scheduler);
  advance (&f, 2 * SEC);
  set_network (f.monitor, FALSE);
  set_network (f.monitor, TRUE);
  advance (&f, HOUR);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  g_assert_cmpint (f.runs.times[0], ==, START + 2 * SEC + BCS_SCHEDULER_DEBOUNCE_US);
  fixture_tear_down (&f);
}

static void
test_busy_retries_without_backoff (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "busy", "hourly", 0);
  f.runs.busy = TRUE;
  fixture_start (&f);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  advance (&f, 3 * BCS_SCHEDULER_BUSY_RETRY_US);
  g_assert_cmpuint (f.runs.n_runs, ==, 4);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 0);
  g_assert_cmpint (f.runs.times[3] - f.runs.times[2], ==, BCS_SCHEDULER_BUSY_RETRY_US);
  fixture_tear_down (&f);
}

static void
test_run_elsewhere_postpones (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "elsewhere", "hourly", START);
  fixture_start (&f);

  /* the window ran a sync half an hour in */
  advance (&f, 30 * MINUTE);
  bcs_scheduler_record_run (f.scheduler, START + 30 * MINUTE, TRUE);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 90 * MINUTE);
  advance (&f, 30 * MINUTE);
  g_assert_cmpuint (f.runs.n_runs, ==, 0);
  advance (&f, 30 * MINUTE);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  g_assert_cmpint (f.runs.times[0], ==, START + 90 * MINUTE);
  g_assert_cmpint (f.runs.last_reason, ==, BCS_SCHEDULER_REASON_SCHEDULE);
  fixture_tear_down (&f);
}

/* A failed run of the window counts as a failed run of ours: retried a
 * minute after it, then 2, 4 … minutes; a success (ours or elsewhere)
 * resets */
static void
test_failed_elsewhere_backs_off (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "failed-elsewhere", "hourly", START);
  fixture_start (&f);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + HOUR);

  advance (&f, 20 * MINUTE);
  bcs_scheduler_record_run (f.scheduler, START + 20 * MINUTE, FALSE);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 1);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 21 * MINUTE);

  /* our retry fails too: the second failure in a row, 2 minutes */
  f.runs.fail = TRUE;
  advance (&f, MINUTE);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  g_assert_cmpint (f.runs.last_reason, ==, BCS_SCHEDULER_REASON_RETRY);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 2);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 23 * MINUTE);

  /* the window fails again in between: the third, 4 minutes after it */
  advance (&f, MINUTE);
  bcs_scheduler_record_run (f.scheduler, START + 22 * MINUTE, FALSE);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 3);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 26 * MINUTE);
  advance (&f, 3 * MINUTE);
  g_assert_cmpuint (f.runs.n_runs, ==, 1);
  advance (&f, MINUTE);
  g_assert_cmpuint (f.runs.n_runs, ==, 2);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 4);

  /* a success in the window: back to the interval after it */
  advance (&f, MINUTE);
  bcs_scheduler_record_run (f.scheduler, START + 27 * MINUTE, TRUE);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 0);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 87 * MINUTE);
  fixture_tear_down (&f);
}

/* What a failure elsewhere must not do: count while our own run goes on
 * (its end decides), count when older than what we know already */
static void
test_failed_elsewhere_stale_or_during_run (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, "failed-elsewhere-stale", "hourly", START);
  fixture_start (&f);

  /* older than the last success */
  bcs_scheduler_record_run (f.scheduler, START - MINUTE, FALSE);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 0);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + HOUR);

  /* during a run of ours */
  f.runs.hold = TRUE;
  advance (&f, HOUR);
  g_assert_true (bcs_scheduler_is_running (f.scheduler));
  bcs_scheduler_record_run (f.scheduler, START + HOUR + SEC, FALSE);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 0);
  bcs_scheduler_run_done (f.scheduler, NULL);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 0);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 2 * HOUR);

  /* our failed run started after the other one ended: counted once */
  f.runs.fail = TRUE;
  f.runs.hold = FALSE;
  advance (&f, HOUR);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 1);
  bcs_scheduler_record_run (f.scheduler, START + 2 * HOUR - MINUTE, FALSE);
  g_assert_cmpuint (bcs_scheduler_get_failures (f.scheduler), ==, 1);
  g_assert_cmpint (bcs_scheduler_get_next_run (f.scheduler), ==, START + 2 * HOUR + MINUTE);
  fixture_tear_down (&f);
}

/* Two profiles, two intervals, each on its own */
static void
test_profiles_independent (void)
{
  Fixture a = { 0 };
  Fixture b = { 0 };
  g_autofree char *b_interval = NULL;

  fixture_set_up (&a, "company-a", "15-minutes", START);
  fixture_set_up_on (&b, a.clock, "company-b", "hourly", START);

  a.runs.fail = TRUE;
  fixture_start (&a);
  fixture_start (&b);

  bcs_manual_clock_advance (a.clock, HOUR);
  /* a: at 15 minutes, then its failures back off: +1, +2, +4, +8, +15, +15 */
  g_assert_cmpuint (a.runs.n_runs, ==, 7);
  g_assert_cmpint (a.runs.times[6], ==, START + HOUR);
  g_assert_cmpuint (bcs_scheduler_get_failures (a.scheduler), ==, 7);
  /* b: its own hour, no backoff */
  g_assert_cmpuint (b.runs.n_runs, ==, 1);
  g_assert_cmpint (b.runs.times[0], ==, START + HOUR);
  g_assert_cmpuint (bcs_scheduler_get_failures (b.scheduler), ==, 0);

  /* a off: b goes on, its setting untouched */
  g_settings_set_string (a.settings, "auto-sync-interval", "off");
  bcs_manual_clock_advance (a.clock, 2 * HOUR);
  g_assert_cmpuint (a.runs.n_runs, ==, 7);
  g_assert_cmpuint (b.runs.n_runs, ==, 3);
  b_interval = g_settings_get_string (b.settings, "auto-sync-interval");
  g_assert_cmpstr (b_interval, ==, "hourly");
  g_assert_true (bcs_scheduler_is_enabled (b.scheduler));

  fixture_tear_down (&b);
  fixture_tear_down (&a);
}

static void
test_interval_nicks (void)
{
  g_assert_cmpint (bcs_scheduler_interval_from_nick ("off"), ==, 0);
  g_assert_cmpint (bcs_scheduler_interval_from_nick ("15-minutes"), ==, 15 * MINUTE);
  g_assert_cmpint (bcs_scheduler_interval_from_nick ("hourly"), ==, HOUR);
  g_assert_cmpint (bcs_scheduler_interval_from_nick ("daily"), ==, 24 * HOUR);
  g_assert_cmpint (bcs_scheduler_interval_from_nick ("weekly"), ==, 0);
  g_assert_cmpint (bcs_scheduler_interval_from_nick (NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scheduler/interval-nicks", test_interval_nicks);
  g_test_add_func ("/scheduler/overdue-runs-at-once", test_overdue_runs_at_once);
  g_test_add_func ("/scheduler/never-run-runs-at-once", test_never_run_runs_at_once);
  g_test_add_func ("/scheduler/next-after-interval", test_next_after_interval);
  g_test_add_func ("/scheduler/interval-change-reschedules", test_interval_change_reschedules);
  g_test_add_func ("/scheduler/off-stops", test_off_stops);
  g_test_add_func ("/scheduler/off-from-the-start", test_off_from_the_start);
  g_test_add_func ("/scheduler/failures-back-off", test_failures_back_off);
  g_test_add_func ("/scheduler/backoff-capped-at-interval", test_backoff_capped_at_interval);
  g_test_add_func ("/scheduler/no-overlap", test_no_overlap);
  g_test_add_func ("/scheduler/trigger-after-failed-run", test_trigger_after_failed_run);
  g_test_add_func ("/scheduler/network-back-triggers-run", test_network_back_triggers_run);
  g_test_add_func ("/scheduler/network-debounced", test_network_debounced);
  g_test_add_func ("/scheduler/resume-triggers-one-run", test_resume_triggers_one_run);
  g_test_add_func ("/scheduler/busy-retries-without-backoff", test_busy_retries_without_backoff);
  g_test_add_func ("/scheduler/run-elsewhere-postpones", test_run_elsewhere_postpones);
  g_test_add_func ("/scheduler/failed-elsewhere-backs-off", test_failed_elsewhere_backs_off);
  g_test_add_func ("/scheduler/failed-elsewhere-stale-or-during-run", test_failed_elsewhere_stale_or_during_run);
  g_test_add_func ("/scheduler/profiles-independent", test_profiles_independent);

  return g_test_run ();
}
