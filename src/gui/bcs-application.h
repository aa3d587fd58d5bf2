/* bcs-application.h — the application: actions, command line, windows
 *
 * The window shows one profile at a time: --profile NAME, else the last
 * used one (the main schema's "last-profile"), else "default". Switching
 * (bcs_application_set_profile, the app.profile action) rebinds the window
 * to that profile's sync; it is refused while the window runs a sync. */
#pragma once

#include <adwaita.h>

#include "bcs-sync-service.h"

G_BEGIN_DECLS

#define BCS_TYPE_APPLICATION (bcs_application_get_type ())
G_DECLARE_FINAL_TYPE (BcsApplication, bcs_application, BCS, APPLICATION, AdwApplication)

BcsApplication *bcs_application_new                   (void);
/* The profile the window shows ("profile" property) */
const char     *bcs_application_get_profile           (BcsApplication  *self);
/* --profile NAME as given on the command line, or NULL */
const char     *bcs_application_get_requested_profile (BcsApplication  *self);
const char     *bcs_application_get_sandbox_url       (BcsApplication  *self);
/* The main settings (window size, "profiles", "last-profile") */
GSettings      *bcs_application_get_settings          (BcsApplication  *self);
/* The profiles to offer: the main schema's "profiles", and the one shown */
GStrv           bcs_application_dup_profiles          (BcsApplication  *self);
/* Shows profile NAME: remembered as the last used (not with --sandbox) and
 * listed; fails while a window runs a sync */
gboolean        bcs_application_set_profile           (BcsApplication  *self,
                                                       const char      *name,
                                                       GError         **error);
/* A sync service for profile NAME as this application runs it (its
 * --sandbox, the sandbox's first company) */
BcsSyncService *bcs_application_new_sync_service      (BcsApplication  *self,
                                                       const char      *name,
                                                       GError         **error);

G_END_DECLS
