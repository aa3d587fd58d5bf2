/* bcs-profile-dialogs.h — asking a profile's name, confirming its removal
 *
 * Both are AdwMessageDialogs; connect to "response". The name dialog
 * answers "cancel" or "save" (its Save enabled only for a name that
 * bcs_profile_list_check_new_name() accepts, the reason shown below the
 * entry); the removal dialog "cancel" or "remove". */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* CURRENT NULL: a new profile; else a new name for CURRENT */
AdwMessageDialog *bcs_profile_name_dialog_new      (GtkWindow          *parent,
                                                    const char * const *profiles,
                                                    const char         *current);
/* The name entered (stripped) */
const char       *bcs_profile_name_dialog_get_name (AdwMessageDialog   *dialog);
/* Sets the entry's text, as typing would */
void              bcs_profile_name_dialog_set_name (AdwMessageDialog   *dialog,
                                                    const char         *name);
AdwMessageDialog *bcs_profile_remove_dialog_new    (GtkWindow          *parent,
                                                    const char         *name);

G_END_DECLS
