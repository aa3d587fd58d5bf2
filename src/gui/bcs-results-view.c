/* bcs-results-view.c — every contact's result of a run: filter, search, sort, details, export
 *
 * The model chain: a GListStore of BcsResultObject → GtkFilterListModel
 * (outcome and search, bcs_results_filter_matches) → GtkSortListModel with
 * the column view's sorter → GtkSingleSelection. The rows share the run's
 * results array: nothing is copied per row. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-result-object.h"
#include "bcs-results-view.h"
#include "bcs-window.h"

struct _BcsResultsView
{
  GtkWidget parent_instance;

  BcsSyncReport *report;
  GListStore *store;
  GtkCustomFilter *filter;
  GtkSortListModel *sorted;
  BcsResultsShow show;
  char *search_key;
  GtkStringList *show_labels;

  GtkLabel *summary_label;
  GtkRevealer *preview_bar;
  GtkLabel *preview_label;
  GtkDropDown *show_dropdown;
  GtkSearchEntry *search_entry;
  GtkButton *export_button;
  GtkColumnView *column_view;
  GtkStack *stack;
  AdwStatusPage *empty_page;
};

G_DEFINE_FINAL_TYPE (BcsResultsView, bcs_results_view, GTK_TYPE_WIDGET)

static const struct {
  const char *property;
  const char *title;
  gboolean expand;
} columns[] = {
  { "name", N_("Name"), TRUE },
  { "email", N_("E-mail"), TRUE },
  { "direction", N_("Direction"), FALSE },
  { "action", N_("Action"), FALSE },
  { "outcome", N_("Outcome"), FALSE },
  { "reason", N_("Reason"), TRUE },
};

#define ACTION_COLUMN 3

/* ---- rows ---- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  const char *property = user_data;
  GObject *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  g_object_get (row, property, &text, NULL);
  gtk_label_set_label (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text != NULL && *text != '\0' ? text : NULL);
}

static void
add_columns (BcsResultsView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkColumnViewColumn) column = NULL;
      g_autoptr (GtkSorter) sorter = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) columns[i].property);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (BCS_TYPE_RESULT_OBJECT, NULL,
                                                                               columns[i].property)));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* ---- filtering ---- */

static gboolean
match_row (gpointer item,
           gpointer user_data)
{
  BcsResultsView *self = user_data;

  return bcs_results_filter_matches (bcs_result_object_get_result (item), self->show, self->search_key);
}

static void
refilter (BcsResultsView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
bcs_results_view_set_show (BcsResultsView *self,
                           BcsResultsShow  show)
{
  g_return_if_fail (BCS_IS_RESULTS_VIEW (self));
  g_return_if_fail (show < BCS_RESULTS_N_SHOW);

  if (gtk_drop_down_get_selected (self->show_dropdown) != show)
    {
      /* comes back here through notify::selected */
      gtk_drop_down_set_selected (self->show_dropdown, show);
      return;
    }
  self->show = show;
  refilter (self);
}

static void
on_show_selected (BcsResultsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->show_dropdown);

  if (selected < BCS_RESULTS_N_SHOW)
    bcs_results_view_set_show (self, selected);
}

void
bcs_results_view_set_search (BcsResultsView *self,
                             const char     *text)
{
  g_return_if_fail (BCS_IS_RESULTS_VIEW (self));

  g_free (self->search_key);
  self->search_key = bcs_results_search_key_new (text);
  refilter (self);
}

static void
on_search_changed (BcsResultsView *self)
{
  bcs_results_view_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

void
bcs_results_view_focus_search (BcsResultsView *self)
{
  g_return_if_fail (BCS_IS_RESULTS_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- the report ---- */

static char *
describe_summary (const BcsSyncReport *report)
{
  g_autofree char *summary = bcs_sync_report_format_summary (report);
  g_auto (GStrv) lines = g_strsplit (summary, "\n", 2);

  /* the first line of the CLI's summary: "Sync finished." etc. */
  return g_strdup (lines[0] != NULL ? lines[0] : "");
}

void
bcs_results_view_set_report (BcsResultsView      *self,
                             const BcsSyncReport *report)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint counts[BCS_RESULTS_N_SHOW];
  const char *labels[BCS_RESULTS_N_SHOW + 1] = { NULL };
  g_autofree char *summary = NULL;
  gboolean preview;
  g_autoptr (GtkSelectionModel) selection = NULL;

  g_return_if_fail (BCS_IS_RESULTS_VIEW (self));

  g_clear_pointer (&self->report, bcs_sync_report_free);
  if (report != NULL)
    self->report = bcs_sync_report_copy (report);

  /* the column view is detached while the rows change: it reacts to one
   * model instead of to every step (4× faster for thousands of rows) */
  selection = g_object_ref (gtk_column_view_get_model (self->column_view));
  gtk_column_view_set_model (self->column_view, NULL);
  if (self->report != NULL)
    for (guint i = 0; i < self->report->results->len; i++)
      g_ptr_array_add (rows, bcs_result_object_new (self->report->results, i));
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       rows->pdata, rows->len);

  gtk_column_view_set_model (self->column_view, selection);

  bcs_results_count (self->report != NULL ? self->report->results : NULL, counts);
  for (guint i = 0; i < BCS_RESULTS_N_SHOW; i++)
    labels[i] = bcs_results_show_label (i, counts[i]);
  gtk_string_list_splice (self->show_labels, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->show_labels)), labels);
  for (guint i = 0; i < BCS_RESULTS_N_SHOW; i++)
    g_free ((char *) labels[i]);
  /* a run with failures opens on them */
  bcs_results_view_set_show (self, counts[BCS_RESULTS_SHOW_FAILED] > 0 ? BCS_RESULTS_SHOW_FAILED
                                                                        : BCS_RESULTS_SHOW_ALL);

  /* a preview reads as the plan: grouped by action */
  if (self->report != NULL && self->report->dry_run)
    {
      g_autoptr (GtkColumnViewColumn) action_column =
        g_list_model_get_item (gtk_column_view_get_columns (self->column_view), ACTION_COLUMN);

      gtk_column_view_sort_by_column (self->column_view, action_column, GTK_SORT_ASCENDING);
    }

  summary = self->report != NULL ? describe_summary (self->report) : g_strdup ("");
  gtk_label_set_label (self->summary_label, summary);

  preview = self->report != NULL && self->report->dry_run && self->report->outcome != BCS_SYNC_RUN_FAILED;
  gtk_revealer_set_reveal_child (self->preview_bar, preview && counts[BCS_RESULTS_SHOW_ALL] > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), self->report != NULL);
  gtk_stack_set_visible_child_name (self->stack, counts[BCS_RESULTS_SHOW_ALL] > 0 ? "rows" : "empty");
  if (self->report != NULL && counts[BCS_RESULTS_SHOW_ALL] == 0)
    {
      g_autofree char *description =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact was already the same on both sides.",
                                      "%u contacts were already the same on both sides.",
                                      self->report->counts.unchanged),
                         self->report->counts.unchanged);
      adw_status_page_set_description (self->empty_page, description);
    }
}

const BcsSyncReport *
bcs_results_view_get_report (BcsResultsView *self)
{
  g_return_val_if_fail (BCS_IS_RESULTS_VIEW (self), NULL);

  return self->report;
}

GListModel *
bcs_results_view_get_model (BcsResultsView *self)
{
  g_return_val_if_fail (BCS_IS_RESULTS_VIEW (self), NULL);

  return G_LIST_MODEL (self->sorted);
}

/* ---- details ---- */

void
bcs_results_view_show_details (BcsResultsView *self,
                               guint           position)
{
  g_autoptr (BcsResultObject) row = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  const BcsSyncResult *result;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (row == NULL)
    return;

  result = bcs_result_object_get_result (row);
  body = bcs_results_describe_details (result);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   result->name != NULL && *result->name != '\0' ? result->name
                                                                                 : _("Unnamed Contact"),
                                   body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_body_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_row_activated (BcsResultsView *self,
                  guint           position)
{
  bcs_results_view_show_details (self, position);
}

/* ---- export ---- */

static void
toast (BcsResultsView *self,
       const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  /* a toast's title is markup */
  g_autofree char *title = g_markup_escape_text (message, -1);

  if (BCS_IS_WINDOW (root))
    bcs_window_add_toast (BCS_WINDOW (root), adw_toast_new (title));
  else
    g_message ("%s", message);
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  BcsResultsView *self = user_data;
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->report != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path == NULL)
        toast (self, _("The results can only be saved to a local file."));
      else if (!bcs_sync_report_export (self->report, path, &error))
        toast (self, error->message);
      else
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *message = g_strdup_printf (_("Results saved to “%s”"), base);
          toast (self, message);
        }
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_clicked (BcsResultsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) json = gtk_file_filter_new ();

  if (self->report == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Results"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV (spreadsheets)"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_set_name (json, _("JSON run report"));
  gtk_file_filter_add_pattern (json, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  /* the name's extension picks the format (bcs_sync_report_export) */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "contact-sync-results.csv");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the widget ---- */

GtkWidget *
bcs_results_view_new (void)
{
  return g_object_new (BCS_TYPE_RESULTS_VIEW, NULL);
}

static void
bcs_results_view_dispose (GObject *object)
{
  BcsResultsView *self = BCS_RESULTS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BCS_TYPE_RESULTS_VIEW);
  /* the template's root is not a named child: unparent it too */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  g_clear_object (&self->show_labels);

  G_OBJECT_CLASS (bcs_results_view_parent_class)->dispose (object);
}

static void
bcs_results_view_finalize (GObject *object)
{
  BcsResultsView *self = BCS_RESULTS_VIEW (object);

  g_clear_pointer (&self->report, bcs_sync_report_free);
  g_free (self->search_key);

  G_OBJECT_CLASS (bcs_results_view_parent_class)->finalize (object);
}

static void
bcs_results_view_class_init (BcsResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bcs_results_view_dispose;
  object_class->finalize = bcs_results_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/bcs-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BcsResultsView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BcsResultsView, preview_bar);
  gtk_widget_class_bind_template_child (widget_class, BcsResultsView, preview_label);
  gtk_widget_class_bind_template_child (widget_class, BcsResultsView, show_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BcsResultsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BcsResultsView, export_button);
  gtk_widget_class_bind_template_child (widget_class, BcsResultsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, BcsResultsView, stack);
  gtk_widget_class_bind_template_child (widget_class, BcsResultsView, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_show_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bcs_results_view_init (BcsResultsView *self)
{
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->show_labels = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->show_dropdown, G_LIST_MODEL (self->show_labels));

  add_columns (self);

  self->store = g_list_store_new (BCS_TYPE_RESULT_OBJECT);
  self->filter = gtk_custom_filter_new (match_row, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                        GTK_FILTER (g_object_ref (self->filter)));
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  bcs_results_view_set_report (self, NULL);
}
