/* bcs-result-details.c — the details dialog of one contact's result */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-result-details.h"
#include "bcs-results-filter.h"

/* ---- text (pure) ---- */

char *
bcs_result_details_value_text (const char *value,
                               guint       max_chars)
{
  g_autofree char *valid = NULL;
  const char *end;

  if (value == NULL || *value == '\0')
    /* TRANSLATORS: a field without a value, before or after a change */
    return g_strdup (_("(empty)"));
  valid = g_utf8_make_valid (value, -1);
  if ((guint) g_utf8_strlen (valid, -1) <= max_chars)
    return g_steal_pointer (&valid);
  end = g_utf8_offset_to_pointer (valid, max_chars);
  return g_strdup_printf ("%.*s…", (int) (end - valid), valid);
}

char *
bcs_result_details_heading (const BcsSyncResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  if (result->name == NULL || *result->name == '\0')
    return g_strdup (_("Unnamed Contact"));
  return bcs_result_details_value_text (result->name, 120);
}

const char *
bcs_result_details_changes_title (const BcsSyncResult *result)
{
  gboolean to_bc;

  g_return_val_if_fail (result != NULL, NULL);

  to_bc = result->direction == BCS_SYNC_DIRECTION_TO_BC;
  switch (result->outcome)
    {
    case BCS_SYNC_OUTCOME_PLANNED:
      return to_bc ? _("To change in Business Central") : _("To change in Outlook");
    case BCS_SYNC_OUTCOME_FAILED:
    case BCS_SYNC_OUTCOME_SKIPPED:
      return to_bc ? _("Not changed in Business Central") : _("Not changed in Outlook");
    case BCS_SYNC_OUTCOME_OK:
    default:
      return to_bc ? _("Changed in Business Central") : _("Changed in Outlook");
    }
}

char *
bcs_result_details_describe_change (const BcsSyncChange *change)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_return_val_if_fail (change != NULL, NULL);

  before = bcs_result_details_value_text (change->before, BCS_RESULT_DETAILS_MAX_CHARS);
  after = bcs_result_details_value_text (change->after, BCS_RESULT_DETAILS_MAX_CHARS);
  /* TRANSLATORS: a field's change for a screen reader: "City: Bonn, changed to Köln" */
  return g_strdup_printf (_("%s: %s, changed to %s"),
                          bcs_contact_field_get_label (change->field), before, after);
}

char *
bcs_result_details_body (const BcsSyncResult *result)
{
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (BcsSyncResult) shown = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  changes = bcs_sync_result_list_changes (result);
  if (changes->len == 0)
    return bcs_results_describe_details (result);
  /* the list of changes names the fields */
  shown = bcs_sync_result_copy (result);
  shown->fields = 0;
  return bcs_results_describe_details (shown);
}

/* ---- the dialog ---- */

static GtkWidget *
value_label (const char *value,
             gboolean    before)
{
  g_autofree char *text = bcs_result_details_value_text (value, BCS_RESULT_DETAILS_MAX_CHARS);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* a long value takes three lines at most; the tooltip has more of it */
  gtk_label_set_lines (GTK_LABEL (label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_tooltip_text (label, text);
  if (before || value == NULL || *value == '\0')
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* Field
 *   before (dimmed)
 * → after */
static GtkWidget *
change_row (const BcsSyncChange *change)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *after = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *field = gtk_label_new (bcs_contact_field_get_label (change->field));
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  GtkWidget *before = value_label (change->before, TRUE);
  g_autofree char *description = bcs_result_details_describe_change (change);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (field), 0.0);
  gtk_widget_add_css_class (field, "caption-heading");
  /* the before value lines up with the after value, behind the arrow */
  gtk_widget_set_margin_start (before, 16 + 6);
  gtk_widget_set_valign (arrow, GTK_ALIGN_START);
  gtk_widget_set_margin_top (arrow, 2);
  gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  gtk_box_append (GTK_BOX (after), arrow);
  gtk_box_append (GTK_BOX (after), value_label (change->after, FALSE));
  gtk_box_append (GTK_BOX (box), field);
  gtk_box_append (GTK_BOX (box), before);
  gtk_box_append (GTK_BOX (box), after);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  return box;
}

static GtkWidget *
changes_widget (const BcsSyncResult *result,
                GPtrArray           *changes)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (bcs_result_details_changes_title (result));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_widget_add_css_class (title, "heading");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  bcs_result_details_changes_title (result), -1);
  for (guint i = 0; i < changes->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), change_row (g_ptr_array_index (changes, i)));

  /* thirteen fields at most, but each may take three lines: scroll beyond */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 400);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), scrolled);
  return box;
}

GtkWidget *
bcs_result_details_present (GtkWindow           *parent,
                            const BcsSyncResult *result)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (result != NULL, NULL);

  heading = bcs_result_details_heading (result);
  body = bcs_result_details_body (result);
  changes = bcs_sync_result_list_changes (result);

  dialog = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_body_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
  if (changes->len > 0)
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), changes_widget (result, changes));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
