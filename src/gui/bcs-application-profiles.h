/* bcs-application-profiles.h — creating, switching, renaming and removing profiles
 *
 * Actions: app.profile (state: the profile shown; activate with a name to
 * switch), app.new-profile, app.rename-profile and app.remove-profile (on
 * the profile shown; not on "default"). Removing deletes the profile's
 * settings, its tokens in the keyring and its store files; renaming moves
 * them. Both are refused while a sync of the profile runs (the store's run
 * lock, any process), and hold that lock from their first change to their
 * last (failures too): a sync started meanwhile, from any process and under
 * the old name or the new one, is refused as when another sync runs. */
#pragma once

#include "bcs-application.h"

G_BEGIN_DECLS

/* From startup: the actions */
void      bcs_application_profiles_startup     (BcsApplication       *app);
/* The actions' state and enabled flags, after the profile shown changed */
void      bcs_application_profiles_update      (BcsApplication       *app);
/* Whether a profile is being renamed or removed: no sync starts meanwhile
 * (the window's Sync actions are off, automatic runs wait) */
gboolean  bcs_application_profiles_is_busy     (BcsApplication       *app);

/* Lists NAME (checked as for a new profile) and shows it */
gboolean  bcs_application_create_profile       (BcsApplication       *app,
                                                const char           *name,
                                                GError              **error);
/* One rename or removal at a time: another while one runs fails with
 * BCS_ERROR_BUSY. Call them on the main thread: the settings and the list
 * change on the caller's context, which must keep running. */
void      bcs_application_remove_profile_async (BcsApplication       *app,
                                                const char           *name,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean  bcs_application_remove_profile_finish (BcsApplication      *app,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void      bcs_application_rename_profile_async (BcsApplication       *app,
                                                const char           *from,
                                                const char           *to,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean  bcs_application_rename_profile_finish (BcsApplication      *app,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
