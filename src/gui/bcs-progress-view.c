/* bcs-progress-view.c — a running sync: phase, counts, progress bar, Cancel
 *
 * Progress arrives on the main context (BcsSyncService's "progress"); a
 * throttling wait is counted down here once a second. Progress within one
 * phase is shown at most every 100 ms (the latest of what arrived): a run
 * reports every contact written, and each shown update costs a layout and a
 * frame. A new phase is shown at once. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "bcs-progress-view.h"

struct _BcsProgressView
{
  GtkWidget parent_instance;

  GtkLabel *title_label;
  GtkLabel *status_label;
  GtkProgressBar *progress_bar;
  GtkButton *cancel_button;

  BcsSyncProgress wait;       /* the throttling wait being counted down */
  gint64 wait_started;        /* monotonic µs */
  guint countdown_id;

  BcsSyncProgress shown;      /* the last progress shown */
  gboolean has_shown;
  BcsSyncProgress pending;    /* the latest not yet shown */
  gboolean has_pending;
  guint coalesce_id;
};

#define COALESCE_MS 100

G_DEFINE_FINAL_TYPE (BcsProgressView, bcs_progress_view, GTK_TYPE_WIDGET)

void
bcs_progress_state_compute (const BcsSyncProgress *progress,
                            BcsProgressState      *state)
{
  state->status = bcs_sync_progress_describe (progress);
  state->waiting = progress->phase == BCS_SYNC_PHASE_WAITING;
  state->fraction = 0.0;
  state->pulse = FALSE;

  switch (progress->phase)
    {
    case BCS_SYNC_PHASE_WRITING:
      if (progress->total > 0)
        state->fraction = CLAMP ((double) progress->done / progress->total, 0.0, 1.0);
      else
        state->fraction = 1.0;
      break;
    case BCS_SYNC_PHASE_FINISHING:
      state->fraction = 1.0;
      break;
    case BCS_SYNC_PHASE_WAITING:
      /* the bar keeps where the writing was */
      state->fraction = -1.0;
      break;
    case BCS_SYNC_PHASE_STARTING:
    case BCS_SYNC_PHASE_READING_BC:
    case BCS_SYNC_PHASE_READING_OUTLOOK:
    case BCS_SYNC_PHASE_PLANNING:
    default:
      state->pulse = TRUE;
      break;
    }
}

void
bcs_progress_state_clear (BcsProgressState *state)
{
  g_clear_pointer (&state->status, g_free);
}

static void
stop_countdown (BcsProgressView *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
}

static gboolean
countdown_cb (gpointer user_data)
{
  BcsProgressView *self = user_data;
  BcsSyncProgress left = self->wait;
  double elapsed = (g_get_monotonic_time () - self->wait_started) / (double) G_USEC_PER_SEC;
  g_autofree char *status = NULL;

  left.wait_seconds = MAX (0.0, ceil (self->wait.wait_seconds - elapsed));
  status = bcs_sync_progress_describe (&left);
  gtk_label_set_label (self->status_label, status);
  if (left.wait_seconds <= 0.0)
    {
      self->countdown_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

GtkWidget *
bcs_progress_view_new (void)
{
  return g_object_new (BCS_TYPE_PROGRESS_VIEW, NULL);
}

void
bcs_progress_view_start (BcsProgressView *self,
                         const char      *title)
{
  g_return_if_fail (BCS_IS_PROGRESS_VIEW (self));

  stop_countdown (self);
  g_clear_handle_id (&self->coalesce_id, g_source_remove);
  self->has_pending = FALSE;
  self->has_shown = FALSE;
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->status_label, _("Starting…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
}

static void show_progress (BcsProgressView       *self,
                           const BcsSyncProgress *progress);

static gboolean
coalesce_cb (gpointer user_data)
{
  BcsProgressView *self = user_data;

  if (!self->has_pending)
    {
      self->coalesce_id = 0;
      return G_SOURCE_REMOVE;
    }
  self->has_pending = FALSE;
  show_progress (self, &self->pending);
  return G_SOURCE_CONTINUE;
}

void
bcs_progress_view_update (BcsProgressView       *self,
                          const BcsSyncProgress *progress)
{
  g_return_if_fail (BCS_IS_PROGRESS_VIEW (self));
  g_return_if_fail (progress != NULL);

  if (self->has_shown && self->coalesce_id != 0 && progress->phase == self->shown.phase
      && progress->phase != BCS_SYNC_PHASE_WAITING)
    {
      self->pending = *progress;
      self->has_pending = TRUE;
      return;
    }

  self->has_pending = FALSE;
  show_progress (self, progress);
  if (self->coalesce_id == 0)
    self->coalesce_id = g_timeout_add (COALESCE_MS, coalesce_cb, self);
}

static void
show_progress (BcsProgressView       *self,
               const BcsSyncProgress *progress)
{
  BcsProgressState state = { 0 };

  self->shown = *progress;
  self->has_shown = TRUE;
  bcs_progress_state_compute (progress, &state);
  stop_countdown (self);
  gtk_label_set_label (self->status_label, state.status);
  if (state.pulse)
    gtk_progress_bar_pulse (self->progress_bar);
  else if (state.fraction >= 0.0)
    gtk_progress_bar_set_fraction (self->progress_bar, state.fraction);

  if (state.waiting && progress->wait_seconds >= 1.0)
    {
      self->wait = *progress;
      self->wait_started = g_get_monotonic_time ();
      self->countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
    }
  bcs_progress_state_clear (&state);
}

const char *
bcs_progress_view_get_status (BcsProgressView *self)
{
  g_return_val_if_fail (BCS_IS_PROGRESS_VIEW (self), NULL);

  return gtk_label_get_label (self->status_label);
}

static void
bcs_progress_view_dispose (GObject *object)
{
  BcsProgressView *self = BCS_PROGRESS_VIEW (object);

  stop_countdown (self);
  g_clear_handle_id (&self->coalesce_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BCS_TYPE_PROGRESS_VIEW);
  /* the template's root is not a named child: unparent it too */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (bcs_progress_view_parent_class)->dispose (object);
}

static void
bcs_progress_view_class_init (BcsProgressViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bcs_progress_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/bcs-progress-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BcsProgressView, title_label);
  gtk_widget_class_bind_template_child (widget_class, BcsProgressView, status_label);
  gtk_widget_class_bind_template_child (widget_class, BcsProgressView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BcsProgressView, cancel_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bcs_progress_view_init (BcsProgressView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
