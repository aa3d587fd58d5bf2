/* bcs-check-row.c — one connection check in Exchange Sync. Setup: status icon, title, message, hint */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-check-row.h"

struct _BcsCheckRow
{
  AdwActionRow parent_instance;

  GtkImage *status_image;
  GtkLabel *status_label;

  BcsCheckStatus status;
  char *check_id;
  char *message;
  char *hint;
};

G_DEFINE_FINAL_TYPE (BcsCheckRow, bcs_check_row, ADW_TYPE_ACTION_ROW)

const char *
bcs_check_status_icon_name (BcsCheckStatus status)
{
  switch (status)
    {
    case BCS_CHECK_STATUS_PASS:
      return "emblem-ok-symbolic";
    case BCS_CHECK_STATUS_WARNING:
      return "dialog-warning-symbolic";
    case BCS_CHECK_STATUS_FAIL:
      return "dialog-error-symbolic";
    case BCS_CHECK_STATUS_SKIPPED:
    default:
      return "action-unavailable-symbolic";
    }
}

const char *
bcs_check_status_label (BcsCheckStatus status)
{
  switch (status)
    {
    case BCS_CHECK_STATUS_PASS:
      return _("Passed");
    case BCS_CHECK_STATUS_WARNING:
      return _("Warning");
    case BCS_CHECK_STATUS_FAIL:
      return _("Failed");
    case BCS_CHECK_STATUS_SKIPPED:
    default:
      return _("Skipped");
    }
}

static const char *
status_css_class (BcsCheckStatus status)
{
  switch (status)
    {
    case BCS_CHECK_STATUS_PASS:
      return "success";
    case BCS_CHECK_STATUS_WARNING:
      return "warning";
    case BCS_CHECK_STATUS_FAIL:
      return "error";
    case BCS_CHECK_STATUS_SKIPPED:
    default:
      return "dim-label";
    }
}

GtkWidget *
bcs_check_row_new (const BcsConnectionCheckResult *result)
{
  BcsCheckRow *self;
  GString *subtitle;
  const char *label;
  g_autofree char *description = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  self = g_object_new (BCS_TYPE_CHECK_ROW, NULL);
  self->status = result->status;
  self->check_id = g_strdup (bcs_connection_check_id_to_string (result->id));
  self->message = g_strdup (result->message);
  self->hint = g_strdup (result->hint);

  label = bcs_check_status_label (result->status);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), result->title ? result->title : "");
  gtk_widget_set_name (GTK_WIDGET (self), self->check_id);

  /* the subtitle is markup: the message, then what to do in italics */
  subtitle = g_string_new (NULL);
  if (result->message != NULL)
    {
      g_autofree char *message = g_markup_escape_text (result->message, -1);

      g_string_append (subtitle, message);
    }
  if (result->hint != NULL && *result->hint != '\0')
    {
      g_autofree char *hint = g_markup_escape_text (result->hint, -1);

      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      g_string_append_printf (subtitle, "<i>%s</i>", hint);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);
  g_string_free (subtitle, TRUE);

  gtk_image_set_from_icon_name (self->status_image, bcs_check_status_icon_name (result->status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_image), status_css_class (result->status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_label_set_label (self->status_label, label);

  /* A screen reader reads the whole row as one sentence */
  description = g_strdup_printf ("%s: %s%s%s", label,
                                 result->message ? result->message : "",
                                 result->hint ? " " : "",
                                 result->hint ? result->hint : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  return GTK_WIDGET (self);
}

BcsCheckStatus
bcs_check_row_get_status (BcsCheckRow *self)
{
  g_return_val_if_fail (BCS_IS_CHECK_ROW (self), BCS_CHECK_STATUS_SKIPPED);
  return self->status;
}

const char *
bcs_check_row_get_check_id (BcsCheckRow *self)
{
  g_return_val_if_fail (BCS_IS_CHECK_ROW (self), NULL);
  return self->check_id;
}

const char *
bcs_check_row_get_message (BcsCheckRow *self)
{
  g_return_val_if_fail (BCS_IS_CHECK_ROW (self), NULL);
  return self->message;
}

const char *
bcs_check_row_get_hint (BcsCheckRow *self)
{
  g_return_val_if_fail (BCS_IS_CHECK_ROW (self), NULL);
  return self->hint;
}

static void
bcs_check_row_finalize (GObject *object)
{
  BcsCheckRow *self = BCS_CHECK_ROW (object);

  g_clear_pointer (&self->check_id, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->hint, g_free);

  G_OBJECT_CLASS (bcs_check_row_parent_class)->finalize (object);
}

static void
bcs_check_row_class_init (BcsCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bcs_check_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/bcs-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BcsCheckRow, status_image);
  gtk_widget_class_bind_template_child (widget_class, BcsCheckRow, status_label);
}

static void
bcs_check_row_init (BcsCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
