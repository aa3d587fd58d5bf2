/* bcs-history-view.c — the run history of a profile: its past runs, newest first
 *
 * A GListStore of BcsHistoryRun (one run without its results) behind a
 * GtkListView; rows are built by a factory. The store is read in GTask
 * threads that hold the view weakly: closing the window does not wait for
 * SQLite, and a late answer finds the view gone and is dropped. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-history-view.h"
#include "bcs-sync-store.h"
#include "bcs-window.h"

/* ---- one run as an item ---- */

#define BCS_TYPE_HISTORY_RUN (bcs_history_run_get_type ())
G_DECLARE_FINAL_TYPE (BcsHistoryRun, bcs_history_run, BCS, HISTORY_RUN, GObject)

struct _BcsHistoryRun
{
  GObject parent_instance;
  BcsSyncReport *run;
};

G_DEFINE_FINAL_TYPE (BcsHistoryRun, bcs_history_run, G_TYPE_OBJECT)

static void
bcs_history_run_finalize (GObject *object)
{
  g_clear_pointer (&BCS_HISTORY_RUN (object)->run, bcs_sync_report_free);
  G_OBJECT_CLASS (bcs_history_run_parent_class)->finalize (object);
}

static void
bcs_history_run_class_init (BcsHistoryRunClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_history_run_finalize;
}

static void
bcs_history_run_init (BcsHistoryRun *self)
{
}

/* Takes RUN */
static BcsHistoryRun *
bcs_history_run_new (BcsSyncReport *run)
{
  BcsHistoryRun *self = g_object_new (BCS_TYPE_HISTORY_RUN, NULL);

  self->run = run;
  return self;
}

/* ---- the view ---- */

struct _BcsHistoryView
{
  GtkWidget parent_instance;

  char *store_path;
  char *profile_name;
  GListStore *runs;
  GCancellable *loading;           /* the list being read, else NULL */
  GCancellable *opening;           /* a run's results being read, else NULL */
  gboolean loaded;                 /* a load of this store finished */
  gboolean failed;                 /* … and failed */

  GtkStack *stack;
  GtkSpinner *spinner;
  GtkListView *list_view;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (BcsHistoryView, bcs_history_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_RUNS_LOADED,
  SIGNAL_RUN_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_page (BcsHistoryView *self)
{
  static const char *names[] = { "loading", "runs", "empty", "error" };
  BcsHistoryPage page = bcs_history_view_get_page (self);

  gtk_stack_set_visible_child_name (self->stack, names[page]);
  gtk_spinner_set_spinning (self->spinner, page == BCS_HISTORY_PAGE_LOADING);
}

/* ---- rows ---- */

static GtkWidget *
row_part (GtkWidget  *row,
          const char *name)
{
  return g_object_get_data (G_OBJECT (row), name);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *counts = gtk_label_new (NULL);
  GtkWidget *message = gtk_label_new (NULL);
  GtkWidget *outcome = gtk_label_new (NULL);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);

  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  for (GtkWidget **label = (GtkWidget *[]) { title, counts, message, NULL }; *label != NULL; label++)
    {
      gtk_label_set_xalign (GTK_LABEL (*label), 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (*label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (text), *label);
    }
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (counts, "dim-label");
  gtk_widget_add_css_class (message, "caption");
  /* a long message takes two lines at most */
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (message), 2);
  gtk_label_set_max_width_chars (GTK_LABEL (message), 60);

  gtk_widget_set_valign (outcome, GTK_ALIGN_CENTER);
  gtk_label_set_ellipsize (GTK_LABEL (outcome), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (outcome), 24);
  gtk_widget_add_css_class (arrow, "dim-label");
  gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), text);
  gtk_box_append (GTK_BOX (row), outcome);
  gtk_box_append (GTK_BOX (row), arrow);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "title", title);
  g_object_set_data (G_OBJECT (row), "counts", counts);
  g_object_set_data (G_OBJECT (row), "message", message);
  g_object_set_data (G_OBJECT (row), "outcome", outcome);
  gtk_list_item_set_child (item, row);
}

static void
set_style (GtkWidget  *widget,
           const char *style)
{
  static const char *styles[] = { "success", "warning", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (widget, styles[i]);
  gtk_widget_add_css_class (widget, style);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  BcsHistoryRun *entry = gtk_list_item_get_item (item);
  const BcsSyncReport *run = entry->run;
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *icon = row_part (row, "icon");
  GtkWidget *outcome = row_part (row, "outcome");
  GtkWidget *message = row_part (row, "message");
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *title = bcs_history_format_title (run, now);
  g_autofree char *counts = bcs_history_format_counts (run);
  g_autofree char *description = bcs_history_describe_run (run, now);
  const char *style = bcs_history_outcome_style (run->outcome);
  gboolean has_message = run->message != NULL && *run->message != '\0';

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), bcs_history_outcome_icon (run->outcome));
  set_style (icon, style);
  gtk_label_set_label (GTK_LABEL (row_part (row, "title")), title);
  gtk_label_set_label (GTK_LABEL (row_part (row, "counts")), counts);
  gtk_label_set_label (GTK_LABEL (message), has_message ? run->message : NULL);
  gtk_widget_set_visible (message, has_message);
  gtk_widget_set_tooltip_text (message, has_message ? run->message : NULL);
  gtk_label_set_label (GTK_LABEL (outcome), bcs_history_outcome_label (run->outcome));
  set_style (outcome, style);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

/* ---- reading the list ---- */

typedef struct {
  char *path;
  char *profile_name;
  gint64 run_id;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_free (data->path);
  g_free (data->profile_name);
  g_free (data);
}

static GTask *
read_task_new (BcsHistoryView      *self,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gint64               run_id)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);
  ReadData *data = g_new0 (ReadData, 1);
  GTask *task;

  g_weak_ref_init (ref, self);
  task = g_task_new (NULL, cancellable, callback, ref);
  data->path = g_strdup (self->store_path);
  data->profile_name = g_strdup (self->profile_name);
  data->run_id = run_id;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  return task;
}

/* The view of a finished task, NULL when it is gone; frees the weak ref */
static BcsHistoryView *
task_view (gpointer user_data)
{
  GWeakRef *ref = user_data;
  BcsHistoryView *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return self;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadData *data = task_data;
  g_autoptr (BcsSyncStore) store = NULL;
  GPtrArray *runs;
  GError *error = NULL;

  store = bcs_sync_store_open_sync (data->path, data->profile_name, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* the store keeps the profile's history-runs newest runs */
  runs = bcs_sync_store_list_runs_sync (store, 0, &error);
  if (runs == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, runs, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_runs_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (BcsHistoryView) self = task_view (user_data);
  g_autoptr (GPtrArray) runs = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;

  runs = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_task_get_cancellable (G_TASK (result)) != self->loading)
    return;
  g_clear_object (&self->loading);
  self->loaded = TRUE;
  self->failed = runs == NULL;

  if (runs == NULL)
    {
      g_autofree char *description =
        g_strdup_printf (_("%s\nTry again with Refresh; the next sync records its run anyway."),
                         error->message);

      g_warning ("Could not read the run history: %s", error->message);
      adw_status_page_set_description (self->error_page, description);
      /* the runs shown before stay: say it in a toast */
      if (g_list_model_get_n_items (G_LIST_MODEL (self->runs)) > 0)
        bcs_window_tell (GTK_WIDGET (self), error->message);
    }
  else
    {
      items = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < runs->len; i++)
        g_ptr_array_add (items, bcs_history_run_new (g_steal_pointer (&runs->pdata[i])));
      g_list_store_splice (self->runs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runs)),
                           items->pdata, items->len);
    }
  update_page (self);
  g_signal_emit (self, signals[SIGNAL_RUNS_LOADED], 0);
}

void
bcs_history_view_reload (BcsHistoryView *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (BCS_IS_HISTORY_VIEW (self));

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);

  if (self->store_path == NULL)
    {
      self->loaded = TRUE;
      self->failed = FALSE;
      g_list_store_remove_all (self->runs);
      update_page (self);
      g_signal_emit (self, signals[SIGNAL_RUNS_LOADED], 0);
      return;
    }

  self->loading = g_cancellable_new ();
  task = read_task_new (self, self->loading, on_runs_read, 0);
  g_task_set_source_tag (task, bcs_history_view_reload);
  g_task_run_in_thread (task, list_thread);
  update_page (self);
}

/* ---- reading one run's results ---- */

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  ReadData *data = task_data;
  g_autoptr (BcsSyncStore) store = NULL;
  g_autoptr (BcsSyncReport) run = NULL;
  GPtrArray *results;
  GError *error = NULL;

  store = bcs_sync_store_open_sync (data->path, data->profile_name, &error);
  if (store != NULL)
    run = bcs_sync_store_get_run_sync (store, data->run_id, &error);
  if (run == NULL)
    {
      /* trimmed meanwhile by a newer run (the history keeps the newest) */
      if (error == NULL)
        g_set_error_literal (&error, BCS_ERROR, BCS_ERROR_NOT_FOUND,
                             _("This run is no longer in the history: newer runs replaced it."));
      g_task_return_error (task, error);
      return;
    }
  results = bcs_sync_store_get_results_sync (store, data->run_id, 0, 0, &error);
  if (results == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_unref (run->results);
  run->results = results;
  g_task_return_pointer (task, g_steal_pointer (&run), (GDestroyNotify) bcs_sync_report_free);
}

static void
on_run_read (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (BcsHistoryView) self = task_view (user_data);
  g_autoptr (BcsSyncReport) run = NULL;
  g_autoptr (GError) error = NULL;

  run = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_task_get_cancellable (G_TASK (result)) != self->opening)
    return;
  g_clear_object (&self->opening);

  if (run == NULL)
    {
      bcs_window_tell (GTK_WIDGET (self), error->message);
      bcs_history_view_reload (self);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_RUN_LOADED], 0, run);
}

void
bcs_history_view_open_run (BcsHistoryView *self,
                           guint           position)
{
  const BcsSyncReport *run;
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (BCS_IS_HISTORY_VIEW (self));

  run = bcs_history_view_get_run (self, position);
  if (run == NULL || self->store_path == NULL)
    return;

  if (self->opening != NULL)
    g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  self->opening = g_cancellable_new ();
  task = read_task_new (self, self->opening, on_run_read, run->id);
  g_task_set_source_tag (task, bcs_history_view_open_run);
  g_task_run_in_thread (task, run_thread);
}

static void
on_run_activated (BcsHistoryView *self,
                  guint           position)
{
  bcs_history_view_open_run (self, position);
}

/* ---- the store ---- */

void
bcs_history_view_set_store (BcsHistoryView *self,
                            const char     *path,
                            const char     *profile_name)
{
  g_return_if_fail (BCS_IS_HISTORY_VIEW (self));

  g_free (self->profile_name);
  self->profile_name = g_strdup (profile_name);
  if (g_strcmp0 (path, self->store_path) == 0)
    return;

  g_free (self->store_path);
  self->store_path = g_strdup (path);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->opening != NULL)
    g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  /* another profile's runs must not show, not even for a moment */
  g_list_store_remove_all (self->runs);
  self->loaded = FALSE;
  self->failed = FALSE;
  update_page (self);
}

const char *
bcs_history_view_get_store (BcsHistoryView *self)
{
  g_return_val_if_fail (BCS_IS_HISTORY_VIEW (self), NULL);

  return self->store_path;
}

gboolean
bcs_history_view_is_loading (BcsHistoryView *self)
{
  g_return_val_if_fail (BCS_IS_HISTORY_VIEW (self), FALSE);

  return self->loading != NULL || self->opening != NULL;
}

BcsHistoryPage
bcs_history_view_get_page (BcsHistoryView *self)
{
  g_return_val_if_fail (BCS_IS_HISTORY_VIEW (self), BCS_HISTORY_PAGE_LOADING);

  /* without a store there is nothing to wait for */
  return bcs_history_page_for (self->loaded || self->store_path == NULL, self->failed,
                               g_list_model_get_n_items (G_LIST_MODEL (self->runs)));
}

GListModel *
bcs_history_view_get_model (BcsHistoryView *self)
{
  g_return_val_if_fail (BCS_IS_HISTORY_VIEW (self), NULL);

  return G_LIST_MODEL (self->runs);
}

guint
bcs_history_view_get_n_runs (BcsHistoryView *self)
{
  g_return_val_if_fail (BCS_IS_HISTORY_VIEW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->runs));
}

const BcsSyncReport *
bcs_history_view_get_run (BcsHistoryView *self,
                          guint           position)
{
  g_autoptr (BcsHistoryRun) entry = NULL;

  g_return_val_if_fail (BCS_IS_HISTORY_VIEW (self), NULL);

  entry = g_list_model_get_item (G_LIST_MODEL (self->runs), position);
  /* the store holds the item: the run outlives this reference */
  return entry != NULL ? entry->run : NULL;
}

/* ---- the widget ---- */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  bcs_history_view_reload (BCS_HISTORY_VIEW (widget));
}

GtkWidget *
bcs_history_view_new (void)
{
  return g_object_new (BCS_TYPE_HISTORY_VIEW, NULL);
}

static void
bcs_history_view_dispose (GObject *object)
{
  BcsHistoryView *self = BCS_HISTORY_VIEW (object);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->opening != NULL)
    g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);

  gtk_widget_dispose_template (GTK_WIDGET (self), BCS_TYPE_HISTORY_VIEW);
  /* the template's root is not a named child: unparent it too */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->runs);

  G_OBJECT_CLASS (bcs_history_view_parent_class)->dispose (object);
}

static void
bcs_history_view_finalize (GObject *object)
{
  BcsHistoryView *self = BCS_HISTORY_VIEW (object);

  g_free (self->store_path);
  g_free (self->profile_name);

  G_OBJECT_CLASS (bcs_history_view_parent_class)->finalize (object);
}

static void
bcs_history_view_class_init (BcsHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bcs_history_view_dispose;
  object_class->finalize = bcs_history_view_finalize;

  signals[SIGNAL_RUNS_LOADED] = g_signal_new ("runs-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RUN_LOADED] = g_signal_new ("run-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                             BCS_TYPE_SYNC_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/bcs-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BcsHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, BcsHistoryView, spinner);
  gtk_widget_class_bind_template_child (widget_class, BcsHistoryView, list_view);
  gtk_widget_class_bind_template_child (widget_class, BcsHistoryView, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_run_activated);

  gtk_widget_class_install_action (widget_class, "history.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "history.refresh", NULL);
  /* Escape leaves the history as the Back button does */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.show-overview", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bcs_history_view_init (BcsHistoryView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->runs = g_list_store_new (BCS_TYPE_HISTORY_RUN);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->runs)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  update_page (self);
}
