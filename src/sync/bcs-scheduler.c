/* bcs-scheduler.c — when the automatic sync of one profile runs */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include "bcs-error.h"
#include "bcs-scheduler.h"

#define INTERVAL_KEY "auto-sync-interval"

struct _BcsScheduler
{
  GObject parent_instance;

  GSettings *settings;
  BcsClock *clock;
  GNetworkMonitor *monitor;
  gboolean monitor_configured;   /* set_network_monitor was called */

  BcsSchedulerRunFunc run_func;
  gpointer run_data;
  GDestroyNotify run_destroy;

  gint64 interval;        /* µs; 0: off */
  gint64 last_run;        /* the end of the last successful run; 0: never */
  gint64 last_attempt;    /* the start of the last run of ours */
  guint failures;         /* in a row, since the last success */
  gboolean busy_retry;    /* the last attempt met another run */

  gboolean started;
  gboolean running;
  gboolean pending;       /* a trigger came during the run */
  BcsSchedulerReason pending_reason;

  GSource *timer;         /* the next run; owned by the context */
  gint64 next_run;
  BcsSchedulerReason timer_reason;
  GSource *debounce;      /* network back / resume */
  BcsSchedulerReason debounce_reason;

  gboolean network_available;
  gulong monitor_handler;

  GCancellable *cancellable;   /* the system bus connection */
  GDBusConnection *system_bus;
  guint sleep_subscription;
};

G_DEFINE_FINAL_TYPE (BcsScheduler, bcs_scheduler, G_TYPE_OBJECT)

static const struct {
  const char *nick;
  gint64 seconds;
} intervals[] = {
  { "off", 0 },
  { "15-minutes", 15 * 60 },
  { "hourly", 60 * 60 },
  { "daily", 24 * 60 * 60 },
};

gint64
bcs_scheduler_interval_from_nick (const char *nick)
{
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    if (g_strcmp0 (nick, intervals[i].nick) == 0)
      return intervals[i].seconds * G_USEC_PER_SEC;

  return 0;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      *source = NULL;
    }
}

static gint64
backoff_delay (BcsScheduler *self)
{
  gint64 cap = MIN (self->interval, BCS_SCHEDULER_BACKOFF_CAP_US);
  guint shift = MIN (self->failures - 1, 20u);

  return MIN (BCS_SCHEDULER_BACKOFF_BASE_US << shift, cap);
}

static void trigger (BcsScheduler *self, BcsSchedulerReason reason);

static gboolean
timer_cb (gpointer user_data)
{
  BcsScheduler *self = BCS_SCHEDULER (user_data);

  self->timer = NULL;
  self->next_run = 0;
  trigger (self, self->timer_reason);

  return G_SOURCE_REMOVE;
}

static void
set_timer (BcsScheduler       *self,
           gint64              due,
           BcsSchedulerReason  reason)
{
  gint64 now = bcs_clock_get_real_time (self->clock);

  clear_source (&self->timer);
  self->next_run = MAX (due, now);
  self->timer_reason = reason;
  self->timer = bcs_clock_add_timeout (self->clock, self->next_run - now, timer_cb, self);
  g_debug ("Next automatic sync in %" G_GINT64_FORMAT " s",
           (self->next_run - now) / G_USEC_PER_SEC);
}

static void
reschedule (BcsScheduler *self)
{
  clear_source (&self->timer);
  self->next_run = 0;

  if (!self->started || self->interval == 0 || self->running)
    return;

  if (self->busy_retry)
    set_timer (self, self->last_attempt + BCS_SCHEDULER_BUSY_RETRY_US,
               BCS_SCHEDULER_REASON_RETRY);
  else if (self->failures > 0)
    set_timer (self, self->last_attempt + backoff_delay (self),
               BCS_SCHEDULER_REASON_RETRY);
  else if (self->last_run == 0)
    set_timer (self, 0, BCS_SCHEDULER_REASON_SCHEDULE);
  else
    set_timer (self, self->last_run + self->interval, BCS_SCHEDULER_REASON_SCHEDULE);
}

static void
trigger (BcsScheduler       *self,
         BcsSchedulerReason  reason)
{
  if (!self->started || self->interval == 0)
    return;

  if (self->running)
    {
      self->pending = TRUE;
      self->pending_reason = reason;
      return;
    }

  if (self->run_func == NULL)
    {
      g_warning ("An automatic sync is due, but the scheduler has nothing to run");
      return;
    }

  clear_source (&self->timer);
  self->next_run = 0;
  self->running = TRUE;
  self->pending = FALSE;
  self->last_attempt = bcs_clock_get_real_time (self->clock);

  /* the run function may end the run at once (run_done) */
  g_object_ref (self);
  self->run_func (self, reason, self->run_data);
  g_object_unref (self);
}

void
bcs_scheduler_run_done (BcsScheduler *self,
                        const GError *error)
{
  gboolean pending;

  g_return_if_fail (BCS_IS_SCHEDULER (self));
  g_return_if_fail (self->running);

  self->running = FALSE;
  pending = self->pending;
  self->pending = FALSE;

  if (error == NULL)
    {
      self->last_run = bcs_clock_get_real_time (self->clock);
      self->failures = 0;
      self->busy_retry = FALSE;
      pending = FALSE;   /* the run covered the trigger */
    }
  else if (g_error_matches (error, BCS_ERROR, BCS_ERROR_BUSY))
    {
      self->busy_retry = TRUE;
      pending = FALSE;   /* the other run covers it */
    }
  else
    {
      self->failures++;
      self->busy_retry = FALSE;
      g_debug ("Automatic sync failed (%u in a row): %s", self->failures, error->message);
    }

  reschedule (self);

  /* the network came back during a failed run: worth trying at once */
  if (pending && self->started && self->interval != 0)
    set_timer (self, 0, self->pending_reason);
}

void
bcs_scheduler_record_run (BcsScheduler *self,
                          gint64        finished_us,
                          gboolean      success)
{
  g_return_if_fail (BCS_IS_SCHEDULER (self));

  /* older than what we know: it tells nothing new */
  if (finished_us <= self->last_run)
    return;

  if (success)
    {
      self->last_run = finished_us;
      self->failures = 0;
      self->busy_retry = FALSE;
    }
  else
    {
      /* Our own run, going on now, will say how things stand */
      if (self->running || finished_us <= self->last_attempt)
        return;
      /* as if ours had failed: the next retry a back-off step after it */
      self->failures++;
      self->busy_retry = FALSE;
      self->last_attempt = finished_us;
      g_debug ("A sync made elsewhere failed (%u in a row)", self->failures);
    }

  if (!self->running)
    reschedule (self);
}

static gboolean
debounce_cb (gpointer user_data)
{
  BcsScheduler *self = BCS_SCHEDULER (user_data);

  self->debounce = NULL;
  trigger (self, self->debounce_reason);

  return G_SOURCE_REMOVE;
}

static void
debounce (BcsScheduler       *self,
          BcsSchedulerReason  reason)
{
  if (!self->started || self->interval == 0)
    return;

  clear_source (&self->debounce);
  self->debounce_reason = reason;
  self->debounce = bcs_clock_add_timeout (self->clock, BCS_SCHEDULER_DEBOUNCE_US,
                                          debounce_cb, self);
}

void
bcs_scheduler_resumed (BcsScheduler *self)
{
  g_return_if_fail (BCS_IS_SCHEDULER (self));

  g_debug ("Resumed from suspend");
  debounce (self, BCS_SCHEDULER_REASON_RESUME);
}

static void
network_available_cb (GNetworkMonitor *monitor,
                      GParamSpec      *pspec,
                      BcsScheduler    *self)
{
  gboolean available = g_network_monitor_get_network_available (monitor);

  if (available && !self->network_available)
    debounce (self, BCS_SCHEDULER_REASON_NETWORK);
  else if (!available && self->debounce_reason == BCS_SCHEDULER_REASON_NETWORK)
    clear_source (&self->debounce);

  self->network_available = available;
}

static void
prepare_for_sleep_cb (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  gboolean going_to_sleep = TRUE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    g_variant_get (parameters, "(b)", &going_to_sleep);

  if (!going_to_sleep)
    bcs_scheduler_resumed (BCS_SCHEDULER (user_data));
}

static void
system_bus_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *connection = g_bus_get_finish (result, &error);
  BcsScheduler *self;

  if (connection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, no sync after a resume: %s", error->message);
      return;
    }

  self = BCS_SCHEDULER (user_data);   /* not cancelled: still alive */
  self->system_bus = connection;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (connection, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager",
                                        "PrepareForSleep", "/org/freedesktop/login1",
                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        prepare_for_sleep_cb, self, NULL);
}

void
bcs_scheduler_watch_suspend (BcsScheduler *self)
{
  g_return_if_fail (BCS_IS_SCHEDULER (self));

  if (self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_cb, self);
}

static void
interval_changed_cb (GSettings    *settings,
                     const char   *key,
                     BcsScheduler *self)
{
  g_autofree char *nick = g_settings_get_string (settings, INTERVAL_KEY);
  gint64 interval = bcs_scheduler_interval_from_nick (nick);

  if (interval == self->interval)
    return;

  g_debug ("Automatic sync: %s", nick);
  self->interval = interval;
  if (interval == 0)
    clear_source (&self->debounce);
  reschedule (self);
}

void
bcs_scheduler_set_network_monitor (BcsScheduler    *self,
                                   GNetworkMonitor *monitor)
{
  g_return_if_fail (BCS_IS_SCHEDULER (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_set_object (&self->monitor, monitor);
  self->monitor_configured = TRUE;

  if (self->monitor != NULL)
    {
      self->network_available = g_network_monitor_get_network_available (monitor);
      self->monitor_handler =
        g_signal_connect (monitor, "notify::network-available",
                          G_CALLBACK (network_available_cb), self);
    }
}

void
bcs_scheduler_set_run_func (BcsScheduler        *self,
                            BcsSchedulerRunFunc  func,
                            gpointer             user_data,
                            GDestroyNotify       destroy)
{
  g_return_if_fail (BCS_IS_SCHEDULER (self));

  if (self->run_destroy != NULL)
    self->run_destroy (self->run_data);
  self->run_func = func;
  self->run_data = user_data;
  self->run_destroy = destroy;
}

void
bcs_scheduler_set_last_run (BcsScheduler *self,
                            gint64        time_us)
{
  g_return_if_fail (BCS_IS_SCHEDULER (self));

  self->last_run = MAX (time_us, 0);
  if (self->started && !self->running)
    reschedule (self);
}

gint64
bcs_scheduler_get_last_run (BcsScheduler *self)
{
  g_return_val_if_fail (BCS_IS_SCHEDULER (self), 0);

  return self->last_run;
}

void
bcs_scheduler_start (BcsScheduler *self)
{
  g_return_if_fail (BCS_IS_SCHEDULER (self));

  if (self->started)
    return;

  if (!self->monitor_configured)
    bcs_scheduler_set_network_monitor (self, g_network_monitor_get_default ());

  self->started = TRUE;
  reschedule (self);
}

void
bcs_scheduler_stop (BcsScheduler *self)
{
  g_return_if_fail (BCS_IS_SCHEDULER (self));

  self->started = FALSE;
  self->pending = FALSE;
  clear_source (&self->timer);
  clear_source (&self->debounce);
  self->next_run = 0;
}

gboolean
bcs_scheduler_is_enabled (BcsScheduler *self)
{
  g_return_val_if_fail (BCS_IS_SCHEDULER (self), FALSE);

  return self->interval != 0;
}

gboolean
bcs_scheduler_is_running (BcsScheduler *self)
{
  g_return_val_if_fail (BCS_IS_SCHEDULER (self), FALSE);

  return self->running;
}

gint64
bcs_scheduler_get_next_run (BcsScheduler *self)
{
  g_return_val_if_fail (BCS_IS_SCHEDULER (self), 0);

  return self->timer != NULL ? self->next_run : 0;
}

guint
bcs_scheduler_get_failures (BcsScheduler *self)
{
  g_return_val_if_fail (BCS_IS_SCHEDULER (self), 0);

  return self->failures;
}

static void
bcs_scheduler_dispose (GObject *object)
{
  BcsScheduler *self = BCS_SCHEDULER (object);

  bcs_scheduler_stop (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);

  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_clear_object (&self->monitor);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  bcs_scheduler_set_run_func (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (bcs_scheduler_parent_class)->dispose (object);
}

static void
bcs_scheduler_finalize (GObject *object)
{
  BcsScheduler *self = BCS_SCHEDULER (object);

  g_clear_object (&self->clock);

  G_OBJECT_CLASS (bcs_scheduler_parent_class)->finalize (object);
}

static void
bcs_scheduler_class_init (BcsSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bcs_scheduler_dispose;
  object_class->finalize = bcs_scheduler_finalize;
}

static void
bcs_scheduler_init (BcsScheduler *self)
{
}

BcsScheduler *
bcs_scheduler_new (GSettings *settings,
                   BcsClock  *clock)
{
  BcsScheduler *self;
  g_autofree char *nick = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (clock == NULL || BCS_IS_CLOCK (clock), NULL);

  self = g_object_new (BCS_TYPE_SCHEDULER, NULL);
  self->settings = g_object_ref (settings);
  self->clock = g_object_ref (clock != NULL ? clock : bcs_system_clock_get_default ());

  /* connected before the first read: GSettings may only signal keys read */
  g_signal_connect (settings, "changed::" INTERVAL_KEY,
                    G_CALLBACK (interval_changed_cb), self);
  nick = g_settings_get_string (settings, INTERVAL_KEY);
  self->interval = bcs_scheduler_interval_from_nick (nick);

  return self;
}
