/* bcs-staged-model.c — reveal a wholesale change of a list model a few rows per frame */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include "bcs-staged-model.h"

struct _BcsStagedModel
{
  GObject parent_instance;

  GListModel *inner;
  guint step;
  guint limit;
  guint exposed;              /* the inner model's first rows shown */
  GtkWidget *pacer;           /* weak */
  guint tick_id;
  gulong map_id;              /* waiting for the pacer to be shown */
  guint idle_id;
  gboolean skip_tick;         /* the frame of the first rows is not drawn yet */
};

static void bcs_staged_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BcsStagedModel, bcs_staged_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, bcs_staged_model_list_model_init))

static GType
get_item_type (GListModel *model)
{
  BcsStagedModel *self = BCS_STAGED_MODEL (model);

  return g_list_model_get_item_type (self->inner);
}

static guint
get_n_items (GListModel *model)
{
  return BCS_STAGED_MODEL (model)->exposed;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  BcsStagedModel *self = BCS_STAGED_MODEL (model);

  if (position >= self->exposed)
    return NULL;
  return g_list_model_get_item (self->inner, position);
}

static void
bcs_staged_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
stop (BcsStagedModel *self)
{
  if (self->tick_id != 0 && self->pacer != NULL)
    gtk_widget_remove_tick_callback (self->pacer, self->tick_id);
  self->tick_id = 0;
  if (self->map_id != 0 && self->pacer != NULL)
    g_signal_handler_disconnect (self->pacer, self->map_id);
  self->map_id = 0;
  g_clear_handle_id (&self->idle_id, g_source_remove);
}

static void start (BcsStagedModel *self);

static void
on_pacer_map (BcsStagedModel *self)
{
  g_signal_handler_disconnect (self->pacer, self->map_id);
  self->map_id = 0;
  start (self);
}

/* One step of the reveal; FALSE when everything is shown */
static gboolean
grow (BcsStagedModel *self)
{
  guint n = g_list_model_get_n_items (self->inner);
  guint before = self->exposed;

  if (before >= n)
    return FALSE;
  self->exposed = before >= self->limit ? n : MIN (before + self->step, n);
  g_list_model_items_changed (G_LIST_MODEL (self), before, 0, self->exposed - before);
  return self->exposed < n;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  BcsStagedModel *self = user_data;

  /* a page hidden after it was shown still ticks: wait until it shows */
  if (!gtk_widget_get_mapped (widget))
    {
      self->tick_id = 0;
      start (self);
      return G_SOURCE_REMOVE;
    }
  if (self->skip_tick)
    {
      self->skip_tick = FALSE;
      return G_SOURCE_CONTINUE;
    }
  if (grow (self))
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
on_idle (gpointer user_data)
{
  BcsStagedModel *self = user_data;

  if (grow (self))
    return G_SOURCE_CONTINUE;
  self->idle_id = 0;
  return G_SOURCE_REMOVE;
}

/* Grows by a step a frame of the pacer while it is shown (from the frame
 * after the first), else an idle without a pacer; a hidden pacer makes no
 * row widgets, and the reveal waits for it to be shown */
static void
start (BcsStagedModel *self)
{
  if (self->pacer == NULL)
    self->idle_id = g_idle_add (on_idle, self);
  else if (!gtk_widget_get_mapped (self->pacer))
    self->map_id = g_signal_connect_swapped (self->pacer, "map", G_CALLBACK (on_pacer_map), self);
  else
    {
      self->skip_tick = TRUE;
      self->tick_id = gtk_widget_add_tick_callback (self->pacer, on_tick, self, NULL);
    }
}

static void
on_inner_changed (BcsStagedModel *self,
                  guint           position,
                  guint           removed,
                  guint           added)
{
  guint n = g_list_model_get_n_items (self->inner);
  guint before = self->exposed;
  gboolean staging = bcs_staged_model_is_staging (self);

  /* a small change of rows all shown: as it is */
  if (!staging && removed + added <= self->step)
    {
      self->exposed = n;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }

  /* wholesale, or during a reveal: start over with the first rows; none
   * when the pacer is not shown yet, so that the frame that first draws
   * its page (styles, the page's own widgets) makes no row widgets */
  stop (self);
  self->exposed = self->pacer != NULL && !gtk_widget_get_mapped (self->pacer) ? 0 : MIN (n, self->step);
  if (before > 0 || self->exposed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, before, self->exposed);
  if (self->exposed >= n)
    return;

  start (self);
}

gboolean
bcs_staged_model_is_staging (BcsStagedModel *self)
{
  g_return_val_if_fail (BCS_IS_STAGED_MODEL (self), FALSE);

  return self->tick_id != 0 || self->map_id != 0 || self->idle_id != 0;
}

GListModel *
bcs_staged_model_get_inner (BcsStagedModel *self)
{
  g_return_val_if_fail (BCS_IS_STAGED_MODEL (self), NULL);

  return self->inner;
}

void
bcs_staged_model_set_pacer (BcsStagedModel *self,
                            GtkWidget      *pacer)
{
  gboolean restart;

  g_return_if_fail (BCS_IS_STAGED_MODEL (self));
  g_return_if_fail (pacer == NULL || GTK_IS_WIDGET (pacer));

  /* a reveal under way goes on with the new pacer */
  restart = bcs_staged_model_is_staging (self);
  stop (self);
  if (self->pacer != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->pacer), (gpointer *) &self->pacer);
  self->pacer = pacer;
  if (pacer != NULL)
    g_object_add_weak_pointer (G_OBJECT (pacer), (gpointer *) &self->pacer);
  if (restart)
    start (self);
}

BcsStagedModel *
bcs_staged_model_new (GListModel *inner,
                      guint       step,
                      guint       limit)
{
  BcsStagedModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (inner), NULL);
  g_return_val_if_fail (step > 0, NULL);

  self = g_object_new (BCS_TYPE_STAGED_MODEL, NULL);
  self->inner = g_object_ref (inner);
  self->step = step;
  self->limit = MAX (limit, step);
  self->exposed = g_list_model_get_n_items (inner);
  g_signal_connect_object (inner, "items-changed", G_CALLBACK (on_inner_changed), self, G_CONNECT_SWAPPED);
  return self;
}

static void
bcs_staged_model_dispose (GObject *object)
{
  BcsStagedModel *self = BCS_STAGED_MODEL (object);

  stop (self);
  bcs_staged_model_set_pacer (self, NULL);
  if (self->inner != NULL)
    g_signal_handlers_disconnect_by_func (self->inner, on_inner_changed, self);
  g_clear_object (&self->inner);

  G_OBJECT_CLASS (bcs_staged_model_parent_class)->dispose (object);
}

static void
bcs_staged_model_class_init (BcsStagedModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bcs_staged_model_dispose;
}

static void
bcs_staged_model_init (BcsStagedModel *self)
{
}
