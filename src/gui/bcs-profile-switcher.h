/* bcs-profile-switcher.h — the header bar's profile menu
 *
 * A menu button labelled with the profile shown, listing the profiles
 * (app.profile), New Profile…, Rename Profile… and Remove Profile…. Hidden
 * while there is only one profile (New Profile… is in the primary menu
 * too); insensitive, with a tooltip saying why, while the window syncs. */
#pragma once

#include <adwaita.h>

#include "bcs-application.h"

G_BEGIN_DECLS

#define BCS_TYPE_PROFILE_SWITCHER (bcs_profile_switcher_get_type ())
G_DECLARE_FINAL_TYPE (BcsProfileSwitcher, bcs_profile_switcher, BCS, PROFILE_SWITCHER, GtkWidget)

GtkWidget  *bcs_profile_switcher_new             (void);
/* Follows APP's profiles and the profile it shows (NULL: none) */
void        bcs_profile_switcher_set_application (BcsProfileSwitcher *self,
                                                  BcsApplication     *app);
void        bcs_profile_switcher_set_locked      (BcsProfileSwitcher *self,
                                                  gboolean            locked);
GtkMenuButton *bcs_profile_switcher_get_button   (BcsProfileSwitcher *self);
GMenuModel *bcs_profile_switcher_get_menu        (BcsProfileSwitcher *self);

G_END_DECLS
