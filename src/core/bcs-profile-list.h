/* bcs-profile-list.h — the list of a user's profiles (pure: no settings, no files)
 *
 * The main schema's "profiles" holds the names of the setups of a user, in
 * the order they were created; "default" is always one of them and can be
 * neither removed nor renamed. These functions compute new lists and check
 * names; the application writes the result to GSettings. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BCS_PROFILE_DEFAULT "default"

/* LIST (nullable) cleaned: valid names only, each once (compared without
 * case), "default" first when it was missing */
GStrv       bcs_profile_list_normalize      (const char * const *list);
gboolean    bcs_profile_list_contains       (const char * const *list,
                                             const char         *name);
/* Whether NAME may be given to a new profile, or (CURRENT non-NULL) to
 * CURRENT renamed: a valid name, not used by another profile (without
 * case: the store file NAME.db must not collide). The error says why, for
 * people. */
gboolean    bcs_profile_list_check_new_name (const char * const *list,
                                             const char         *name,
                                             const char         *current,
                                             GError            **error);
/* Whether PROFILE may be removed or renamed (not "default") */
gboolean    bcs_profile_list_can_remove     (const char         *profile);
/* LIST with NAME appended (unchanged when it is there) */
GStrv       bcs_profile_list_add            (const char * const *list,
                                             const char         *name);
/* LIST without NAME ("default" stays) */
GStrv       bcs_profile_list_remove         (const char * const *list,
                                             const char         *name);
/* LIST with FROM renamed TO, in its place */
GStrv       bcs_profile_list_rename         (const char * const *list,
                                             const char         *from,
                                             const char         *to);
/* Which profile to show once REMOVED is gone from LIST (LIST still holds
 * it): the one before it, else the one after, else "default" */
char       *bcs_profile_list_next_after_removal (const char * const *list,
                                                 const char         *removed);
/* Which profile a window opens: REQUESTED (--profile) when given, else LAST
 * (the last used) when it is listed, else "default" */
char       *bcs_profile_list_pick_startup   (const char * const *list,
                                             const char         *requested,
                                             const char         *last);
/* A name not in LIST for a new profile's entry: "profile-2", "profile-3", … */
char       *bcs_profile_list_suggest_name   (const char * const *list);

G_END_DECLS
