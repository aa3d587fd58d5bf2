/* bcs-results-view.c — every contact's result of a run: filter, search, sort, details, export
 *
 * The model: a BcsResultsModel over the run's results array (shared with
 * the report, nothing is copied per row; rows are made as they are shown),
 * filtered by outcome and search and sorted by the column the column view's
 * sorter names, in O(n) per change → BcsStagedModel (a wholesale change is
 * shown a screenful's rows a few per frame: GTK makes a row's widgets when
 * it is first shown, and ~200 rows × 6 cells at once stall the window) →
 * GtkSingleSelection. The columns'
 * sorters only give the headers their sort buttons: which column sorts, and
 * which way, is read back from the column view's sorter by comparing two
 * probes (GTK 4.8 has no getter for it). */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-a11y.h"
#include "bcs-result-details.h"
#include "bcs-result-object.h"
#include "bcs-results-model.h"
#include "bcs-results-view.h"
#include "bcs-staged-model.h"
#include "bcs-window.h"

/* A wholesale change of the rows is shown STAGE_ROWS rows per frame up to
 * STAGE_LIMIT (past the rows the column view makes widgets for), then the
 * rest. Without a GPU a row's first drawing takes 1–2 ms of the main
 * thread: 5 rows a frame keep such a frame near 20 ms (bench-window). */
#define STAGE_ROWS 5
#define STAGE_LIMIT 240

/* A column's sorter's data */
typedef struct {
  BcsResultsView *view;
  BcsResultsColumn column;
} ColumnSorter;

struct _BcsResultsView
{
  GtkWidget parent_instance;

  BcsSyncReport *report;
  BcsResultsModel *model;
  BcsStagedModel *staged;
  GtkSingleSelection *selection;
  ColumnSorter column_sorters[BCS_RESULTS_N_COLUMNS];
  GObject *probes[2];
  gboolean probing;
  int probe_column;           /* -1: every column orders the probes */
  BcsResultsShow show;
  char *search_key;
  gboolean relabeling;        /* the outcome filter's labels are being replaced */
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
} columns[BCS_RESULTS_N_COLUMNS] = {
  [BCS_RESULTS_COLUMN_NAME] = { "name", N_("Name"), TRUE },
  [BCS_RESULTS_COLUMN_EMAIL] = { "email", N_("E-mail"), TRUE },
  [BCS_RESULTS_COLUMN_DIRECTION] = { "direction", N_("Direction"), FALSE },
  [BCS_RESULTS_COLUMN_ACTION] = { "action", N_("Action"), FALSE },
  [BCS_RESULTS_COLUMN_OUTCOME] = { "outcome", N_("Outcome"), FALSE },
  [BCS_RESULTS_COLUMN_REASON] = { "reason", N_("Reason"), TRUE },
};

/* ---- rows ---- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "result-cell");
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
  /* a label set to the text it has would still be measured again */
  if (g_strcmp0 (gtk_label_get_label (label), text != NULL ? text : "") != 0)
    gtk_label_set_label (label, text);
}

/* A cell's whole text as its tooltip (cells are ellipsized). Asked of the
 * column view, not set on every cell: setting a tooltip queries the
 * pointer's position from the display server, a round trip for each cell
 * bound while scrolling or when the rows change. */
static gboolean
on_query_tooltip (GtkWidget  *column_view,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  GtkWidget *picked = keyboard ? gtk_root_get_focus (gtk_widget_get_root (column_view))
                               : gtk_widget_pick (column_view, x, y, GTK_PICK_DEFAULT);
  graphene_rect_t bounds;
  const char *text;

  while (picked != NULL && picked != column_view && !gtk_widget_has_css_class (picked, "result-cell"))
    picked = keyboard ? gtk_widget_get_first_child (picked) : gtk_widget_get_parent (picked);
  if (picked == NULL || picked == column_view)
    return FALSE;

  text = gtk_label_get_label (GTK_LABEL (picked));
  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  if (gtk_widget_compute_bounds (picked, column_view, &bounds))
    gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { bounds.origin.x, bounds.origin.y,
                                                         bounds.size.width, bounds.size.height });
  return TRUE;
}

/* Before the rows change: a selected row that is gone would be looked for
 * among all the new rows (GtkSingleSelection), making an object of each */
static void
unselect (BcsResultsView *self)
{
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* ---- sorting ---- */

/* A column's order of two rows; while probing, the order the probe asks for */
static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const ColumnSorter *sorter = user_data;
  BcsResultsView *self = sorter->view;
  GPtrArray *results = bcs_results_model_get_results (self->model);
  guint ia, ib;

  if (self->probing)
    return self->probe_column < 0 || (int) sorter->column == self->probe_column ? -1 : 1;

  if (!BCS_IS_RESULT_OBJECT ((gpointer) a) || !BCS_IS_RESULT_OBJECT ((gpointer) b) || results == NULL)
    return 0;
  ia = bcs_result_object_get_index (BCS_RESULT_OBJECT ((gpointer) a));
  ib = bcs_result_object_get_index (BCS_RESULT_OBJECT ((gpointer) b));
  if (ia >= results->len || ib >= results->len)
    return 0;
  return bcs_results_model_compare (self->model, sorter->column, ia, ib);
}

static GtkOrdering
probe (BcsResultsView *self,
       GtkSorter      *sorter,
       int             column)
{
  self->probe_column = column;
  return gtk_sorter_compare (sorter, self->probes[0], self->probes[1]);
}

/* The column view's sorter changed (a header clicked, sort_by_column):
 * with every column ordering the probes the same way, the result is the
 * primary column's, inverted when it sorts descending; the primary column
 * is the one that, alone ordering them that way, still gives that result */
static void
on_sorter_changed (BcsResultsView *self,
                   GtkSorterChange change,
                   GtkSorter      *sorter)
{
  int column = -1;
  gboolean descending = FALSE;

  if (self->model == NULL)
    return;
  if (gtk_sorter_get_order (sorter) != GTK_SORTER_ORDER_NONE)
    {
      GtkOrdering all;

      self->probing = TRUE;
      all = probe (self, sorter, -1);
      if (all != GTK_ORDERING_EQUAL)
        {
          descending = all == GTK_ORDERING_LARGER;
          for (int c = 0; c < BCS_RESULTS_N_COLUMNS && column < 0; c++)
            if (probe (self, sorter, c) == all)
              column = c;
        }
      self->probing = FALSE;
    }
  unselect (self);
  bcs_results_model_set_sort (self->model, column, descending);
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
      self->column_sorters[i].view = self;
      self->column_sorters[i].column = i;
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, &self->column_sorters[i], NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* ---- filtering ---- */

static void
refilter (BcsResultsView *self)
{
  unselect (self);
  bcs_results_model_set_filter (self->model, self->show, self->search_key);
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

  if (!self->relabeling && selected < BCS_RESULTS_N_SHOW)
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

/* The report's header, copied, with its results array shared: the rows are
 * shown from it, not copied (a run's results are not changed afterwards) */
static BcsSyncReport *
share_report (const BcsSyncReport *report)
{
  BcsSyncReport *shared = bcs_sync_report_new (report->mode, report->dry_run);

  shared->id = report->id;
  shared->outcome = report->outcome;
  shared->started_at = report->started_at;
  shared->finished_at = report->finished_at;
  shared->counts = report->counts;
  shared->requests = report->requests;
  shared->message = g_strdup (report->message);
  g_ptr_array_unref (shared->results);
  shared->results = g_ptr_array_ref (report->results);
  return shared;
}

void
bcs_results_view_set_report (BcsResultsView      *self,
                             const BcsSyncReport *report)
{
  guint counts[BCS_RESULTS_N_SHOW];
  const char *labels[BCS_RESULTS_N_SHOW + 1] = { NULL };
  g_autofree char *summary = NULL;
  gboolean preview;

  g_return_if_fail (BCS_IS_RESULTS_VIEW (self));

  g_clear_pointer (&self->report, bcs_sync_report_free);
  if (report != NULL)
    self->report = share_report (report);

  bcs_results_count (self->report != NULL ? self->report->results : NULL, counts);
  /* a run with failures opens on them */
  self->show = counts[BCS_RESULTS_SHOW_FAILED] > 0 ? BCS_RESULTS_SHOW_FAILED : BCS_RESULTS_SHOW_ALL;

  self->relabeling = TRUE;
  for (guint i = 0; i < BCS_RESULTS_N_SHOW; i++)
    labels[i] = bcs_results_show_label (i, counts[i]);
  gtk_string_list_splice (self->show_labels, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->show_labels)), labels);
  for (guint i = 0; i < BCS_RESULTS_N_SHOW; i++)
    g_free ((char *) labels[i]);
  gtk_drop_down_set_selected (self->show_dropdown, self->show);
  self->relabeling = FALSE;

  /* the rows with their filter: one change, O(1) for all of them, O(n) on
   * row numbers for the failures */
  unselect (self);
  bcs_results_model_replace (self->model, self->report != NULL ? self->report->results : NULL,
                             self->show, self->search_key);

  /* a preview reads as the plan: grouped by action */
  if (self->report != NULL && self->report->dry_run)
    {
      g_autoptr (GtkColumnViewColumn) action_column =
        g_list_model_get_item (gtk_column_view_get_columns (self->column_view), BCS_RESULTS_COLUMN_ACTION);

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

  return G_LIST_MODEL (self->model);
}

/* ---- details ---- */

void
bcs_results_view_show_details (BcsResultsView *self,
                               guint           position)
{
  g_autoptr (BcsResultObject) row = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (row == NULL)
    return;

  /* what was done, the fields before and after, the error and what to do */
  bcs_result_details_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                              bcs_result_object_get_result (row));
}

static void
on_row_activated (BcsResultsView *self,
                  guint           position)
{
  bcs_results_view_show_details (self, position);
}

/* ---- export ---- */

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
        bcs_window_tell (GTK_WIDGET (self), _("The results can only be saved to a local file."));
      else if (!bcs_sync_report_export (self->report, path, &error))
        bcs_window_tell (GTK_WIDGET (self), error->message);
      else
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *message = g_strdup_printf (_("Results saved to “%s”"), base);
          bcs_window_tell (GTK_WIDGET (self), message);
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

  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                          on_sorter_changed, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BCS_TYPE_RESULTS_VIEW);
  /* the template's root is not a named child: unparent it too */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->staged);
  g_clear_object (&self->model);
  g_clear_object (&self->probes[0]);
  g_clear_object (&self->probes[1]);
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
  gtk_widget_init_template (GTK_WIDGET (self));

  self->show_labels = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->show_dropdown, G_LIST_MODEL (self->show_labels));
  bcs_a11y_label_inner_toggle (GTK_WIDGET (self->show_dropdown), _("Show results by outcome"));

  self->model = bcs_results_model_new ();
  self->probes[0] = g_object_new (G_TYPE_OBJECT, NULL);
  self->probes[1] = g_object_new (G_TYPE_OBJECT, NULL);
  add_columns (self);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->column_view), TRUE);
  g_signal_connect (self->column_view, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed), self, G_CONNECT_SWAPPED);

  /* no row is selected until one is clicked or reached by keyboard */
  self->staged = bcs_staged_model_new (G_LIST_MODEL (self->model), STAGE_ROWS, STAGE_LIMIT);
  bcs_staged_model_set_pacer (self->staged, GTK_WIDGET (self->column_view));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->staged)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  bcs_results_view_set_report (self, NULL);
}
