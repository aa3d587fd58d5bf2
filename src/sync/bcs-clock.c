/* bcs-clock.c — what time it is, and timeouts measured on the same clock */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include "bcs-clock.h"

G_DEFINE_INTERFACE (BcsClock, bcs_clock, G_TYPE_OBJECT)

static void
bcs_clock_default_init (BcsClockInterface *iface)
{
}

gint64
bcs_clock_get_real_time (BcsClock *self)
{
  g_return_val_if_fail (BCS_IS_CLOCK (self), 0);

  return BCS_CLOCK_GET_IFACE (self)->get_real_time (self);
}

GSource *
bcs_clock_timeout_source_new (BcsClock *self,
                              gint64    delay_us)
{
  g_return_val_if_fail (BCS_IS_CLOCK (self), NULL);

  return BCS_CLOCK_GET_IFACE (self)->timeout_source_new (self, MAX (delay_us, 0));
}

GSource *
bcs_clock_add_timeout (BcsClock    *self,
                       gint64       delay_us,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  g_autoptr (GSource) source = NULL;

  g_return_val_if_fail (BCS_IS_CLOCK (self), NULL);
  g_return_val_if_fail (callback != NULL, NULL);

  source = bcs_clock_timeout_source_new (self, delay_us);
  g_source_set_callback (source, callback, user_data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());

  return source;   /* the context holds it */
}

/* The system clock */

struct _BcsSystemClock
{
  GObject parent_instance;
};

static void bcs_system_clock_iface_init (BcsClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BcsSystemClock, bcs_system_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BCS_TYPE_CLOCK, bcs_system_clock_iface_init))

static gint64
bcs_system_clock_get_real_time (BcsClock *clock)
{
  return g_get_real_time ();
}

static GSource *
bcs_system_clock_timeout_source_new (BcsClock *clock,
                                     gint64    delay_us)
{
  gint64 delay_ms = (delay_us + 999) / 1000;

  /* Whole seconds let GLib group wake-ups; a scheduler needs no better */
  if (delay_ms >= 10 * 1000)
    return g_timeout_source_new_seconds ((guint) MIN ((delay_ms + 999) / 1000, G_MAXUINT));

  return g_timeout_source_new ((guint) delay_ms);
}

static void
bcs_system_clock_iface_init (BcsClockInterface *iface)
{
  iface->get_real_time = bcs_system_clock_get_real_time;
  iface->timeout_source_new = bcs_system_clock_timeout_source_new;
}

static void
bcs_system_clock_class_init (BcsSystemClockClass *klass)
{
}

static void
bcs_system_clock_init (BcsSystemClock *self)
{
}

BcsClock *
bcs_system_clock_get_default (void)
{
  static BcsClock *clock;

  if (g_once_init_enter (&clock))
    g_once_init_leave (&clock, g_object_new (BCS_TYPE_SYSTEM_CLOCK, NULL));

  return clock;
}

/* The manual clock */

struct _BcsManualClock
{
  GObject parent_instance;

  gint64 now;
  GList *sources;    /* ManualSource, unowned: each removes itself when finalized */
};

typedef struct {
  GSource source;
  BcsManualClock *clock;   /* owned */
  gint64 deadline;
  gboolean fired;
} ManualSource;

static void bcs_manual_clock_iface_init (BcsClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BcsManualClock, bcs_manual_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BCS_TYPE_CLOCK, bcs_manual_clock_iface_init))

static gboolean
manual_source_prepare (GSource *source,
                       int     *timeout)
{
  ManualSource *self = (ManualSource *) source;

  *timeout = -1;
  return !self->fired && self->clock->now >= self->deadline;
}

static gboolean
manual_source_check (GSource *source)
{
  ManualSource *self = (ManualSource *) source;

  return !self->fired && self->clock->now >= self->deadline;
}

static gboolean
manual_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  ManualSource *self = (ManualSource *) source;

  self->fired = TRUE;
  if (callback == NULL)
    return G_SOURCE_REMOVE;

  return callback (user_data);
}

static void
manual_source_finalize (GSource *source)
{
  ManualSource *self = (ManualSource *) source;

  self->clock->sources = g_list_remove (self->clock->sources, self);
  g_clear_object (&self->clock);
}

static GSourceFuncs manual_source_funcs = {
  manual_source_prepare,
  manual_source_check,
  manual_source_dispatch,
  manual_source_finalize,
  NULL, NULL,
};

static gint64
bcs_manual_clock_get_real_time (BcsClock *clock)
{
  return BCS_MANUAL_CLOCK (clock)->now;
}

static GSource *
bcs_manual_clock_timeout_source_new (BcsClock *clock,
                                     gint64    delay_us)
{
  BcsManualClock *self = BCS_MANUAL_CLOCK (clock);
  GSource *source = g_source_new (&manual_source_funcs, sizeof (ManualSource));
  ManualSource *manual = (ManualSource *) source;

  g_source_set_name (source, "[bcs] manual clock timeout");
  manual->clock = g_object_ref (self);
  manual->deadline = self->now + delay_us;
  self->sources = g_list_prepend (self->sources, manual);

  return source;
}

static void
bcs_manual_clock_iface_init (BcsClockInterface *iface)
{
  iface->get_real_time = bcs_manual_clock_get_real_time;
  iface->timeout_source_new = bcs_manual_clock_timeout_source_new;
}

static void
bcs_manual_clock_class_init (BcsManualClockClass *klass)
{
}

static void
bcs_manual_clock_init (BcsManualClock *self)
{
}

BcsManualClock *
bcs_manual_clock_new (gint64 start_us)
{
  BcsManualClock *self = g_object_new (BCS_TYPE_MANUAL_CLOCK, NULL);

  self->now = start_us;
  return self;
}

static gboolean
manual_source_is_pending (ManualSource *source)
{
  return !source->fired &&
         g_source_get_context ((GSource *) source) != NULL &&
         !g_source_is_destroyed ((GSource *) source);
}

void
bcs_manual_clock_settle (BcsManualClock *self)
{
  GMainContext *context = g_main_context_get_thread_default ();

  g_return_if_fail (BCS_IS_MANUAL_CLOCK (self));

  if (context == NULL)
    context = g_main_context_default ();

  while (g_main_context_iteration (context, FALSE))
    ;
}

void
bcs_manual_clock_advance (BcsManualClock *self,
                          gint64          delta_us)
{
  gint64 target;

  g_return_if_fail (BCS_IS_MANUAL_CLOCK (self));
  g_return_if_fail (delta_us >= 0);

  target = self->now + delta_us;

  for (;;)
    {
      gint64 next = G_MAXINT64;

      bcs_manual_clock_settle (self);

      for (GList *l = self->sources; l != NULL; l = l->next)
        {
          ManualSource *source = l->data;

          if (manual_source_is_pending (source) &&
              source->deadline > self->now && source->deadline <= target)
            next = MIN (next, source->deadline);
        }

      if (next == G_MAXINT64)
        break;

      self->now = next;
    }

  self->now = target;
  bcs_manual_clock_settle (self);
}

guint
bcs_manual_clock_get_n_pending (BcsManualClock *self)
{
  guint n = 0;

  g_return_val_if_fail (BCS_IS_MANUAL_CLOCK (self), 0);

  for (GList *l = self->sources; l != NULL; l = l->next)
    if (manual_source_is_pending (l->data))
      n++;

  return n;
}
