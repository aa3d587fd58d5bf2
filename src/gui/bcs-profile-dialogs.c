/* bcs-profile-dialogs.c — asking a profile's name, confirming its removal */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-profile-dialogs.h"
#include "bcs-profile-list.h"

#define DATA_KEY "bcs-profile-name-dialog"

typedef struct {
  GStrv profiles;
  char *current;
  char *name;
  GtkEntry *entry;
  GtkLabel *error_label;
} NameDialog;

static void
name_dialog_free (NameDialog *data)
{
  g_strfreev (data->profiles);
  g_free (data->current);
  g_free (data->name);
  g_free (data);
}

static void
entry_changed_cb (GtkEditable      *editable,
                  AdwMessageDialog *dialog)
{
  NameDialog *data = g_object_get_data (G_OBJECT (dialog), DATA_KEY);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  g_free (data->name);
  data->name = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  ok = bcs_profile_list_check_new_name ((const char * const *) data->profiles, data->name,
                                        data->current, &error);
  adw_message_dialog_set_response_enabled (dialog, "save", ok);
  /* an empty entry is not an error yet */
  gtk_label_set_label (data->error_label, ok || *data->name == '\0' ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), !ok && *data->name != '\0');
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (data->entry), "error");
  else if (*data->name != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (data->entry), "error");
}

AdwMessageDialog *
bcs_profile_name_dialog_new (GtkWindow          *parent,
                             const char * const *profiles,
                             const char         *current)
{
  NameDialog *data = g_new0 (NameDialog, 1);
  AdwMessageDialog *dialog;
  GtkWidget *box;

  data->profiles = g_strdupv ((GStrv) profiles);
  data->current = g_strdup (current);
  data->name = g_strdup ("");

  if (current == NULL)
    dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("New Profile"),
                                                         _("A profile keeps its own sign-in, settings, "
                                                           "contact status and schedule, for example for "
                                                           "a second company.")));
  else
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Rename Profile"), NULL));
      /* TRANSLATORS: %s is the name of a profile */
      adw_message_dialog_format_body (dialog, _("“%s” keeps its sign-in, settings and history under the new name."),
                                      current);
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  data->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_activates_default (data->entry, TRUE);
  gtk_entry_set_placeholder_text (data->entry, _("For example company-b"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Profile name"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Letters, digits, “-” and “_”"),
                                  -1);
  data->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (data->error_label, TRUE);
  gtk_label_set_xalign (data->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (data->error_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (data->error_label), "caption");
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->error_label));
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "save", current == NULL ? _("C_reate") : _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", FALSE);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_object_set_data_full (G_OBJECT (dialog), DATA_KEY, data, (GDestroyNotify) name_dialog_free);
  g_signal_connect_object (data->entry, "changed", G_CALLBACK (entry_changed_cb), dialog, 0);
  if (current != NULL)
    gtk_editable_set_text (GTK_EDITABLE (data->entry), current);
  gtk_widget_grab_focus (GTK_WIDGET (data->entry));

  return dialog;
}

const char *
bcs_profile_name_dialog_get_name (AdwMessageDialog *dialog)
{
  NameDialog *data = g_object_get_data (G_OBJECT (dialog), DATA_KEY);

  g_return_val_if_fail (data != NULL, NULL);
  return data->name;
}

void
bcs_profile_name_dialog_set_name (AdwMessageDialog *dialog,
                                  const char       *name)
{
  NameDialog *data = g_object_get_data (G_OBJECT (dialog), DATA_KEY);

  g_return_if_fail (data != NULL);
  gtk_editable_set_text (GTK_EDITABLE (data->entry), name);
}

AdwMessageDialog *
bcs_profile_remove_dialog_new (GtkWindow  *parent,
                               const char *name)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, NULL, NULL));

  /* TRANSLATORS: %s is the name of a profile */
  adw_message_dialog_format_heading (dialog, _("Remove Profile “%s”?"), name);
  adw_message_dialog_set_body (dialog,
                               _("Its settings, its sign-in (the tokens in the keyring), its contact "
                                 "status and its run history are deleted. The contacts in Business "
                                 "Central and Outlook stay as they are."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}
