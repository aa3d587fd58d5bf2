/* bcs-profile.h — one setup: its settings, endpoints and where its state lives
 *
 * Settings come from the relocatable schema io.github.bccontactsync.ContactSync.Profile
 * at /io/github/bccontactsync/ContactSync/profiles/NAME/. With a sandbox URL
 * (--sandbox), the endpoints become URL/login, URL/graph/v1.0 and URL/bc and
 * the tenant, environment and client id those of bcs-sandbox; the settings
 * themselves are not changed. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BCS_PROFILE_SCHEMA_ID "io.github.bccontactsync.ContactSync.Profile"
#define BCS_PROFILE_PATH_PREFIX "/io/github/bccontactsync/ContactSync/profiles/"

typedef enum {
  BCS_DEPLOYMENT_ONLINE,
  BCS_DEPLOYMENT_ON_PREMISES,
} BcsDeployment;

#define BCS_TYPE_PROFILE (bcs_profile_get_type ())
G_DECLARE_FINAL_TYPE (BcsProfile, bcs_profile, BCS, PROFILE, GObject)

/* Letters, digits, '-' and '_', at most 64: safe in a settings path and a file name */
gboolean       bcs_profile_name_is_valid      (const char  *name);
BcsProfile    *bcs_profile_new                (const char  *name,
                                               const char  *sandbox_url,
                                               GError     **error);
const char    *bcs_profile_get_name           (BcsProfile *self);
GSettings     *bcs_profile_get_settings       (BcsProfile *self);
gboolean       bcs_profile_is_sandbox         (BcsProfile *self);
BcsDeployment  bcs_profile_get_deployment     (BcsProfile *self);

/* "https://login.microsoftonline.com/TENANT" (no trailing slash) */
char          *bcs_profile_dup_authority      (BcsProfile *self);
char          *bcs_profile_dup_client_id      (BcsProfile *self);
char          *bcs_profile_dup_tenant         (BcsProfile *self);
char          *bcs_profile_dup_environment    (BcsProfile *self);
/* "https://graph.microsoft.com/v1.0" */
char          *bcs_profile_dup_graph_url      (BcsProfile *self);
/* "https://api.businesscentral.dynamics.com" (environments live below it) */
char          *bcs_profile_dup_bc_root_url    (BcsProfile *self);
/* The API base: online ROOT/v2.0/TENANT/ENVIRONMENT/api/v2.0, on premises BASE/api/v2.0 */
char          *bcs_profile_dup_bc_api_url     (BcsProfile *self);
/* The automation API base, beside the API base */
char          *bcs_profile_dup_bc_automation_url (BcsProfile *self);
char          *bcs_profile_dup_company_id     (BcsProfile *self);
char          *bcs_profile_dup_folder_name    (BcsProfile *self);
/* $XDG_STATE_HOME/bc-contact-sync/NAME.db */
char          *bcs_profile_dup_store_path     (BcsProfile *self);

/* Removing and renaming a profile (its tokens are the token store's) */
/* Every key of the profile's settings back to its default */
void           bcs_profile_reset_settings     (BcsProfile  *self);
/* Every key set in FROM's settings set the same in TO's */
void           bcs_profile_copy_settings      (BcsProfile  *from,
                                               BcsProfile  *to);
/* Deletes the store file and its -wal, -shm and -journal files; missing
 * files are fine */
gboolean       bcs_profile_delete_store       (BcsProfile  *self,
                                               GError     **error);
/* Moves FROM's store files to TO's paths; fails when TO has a store */
gboolean       bcs_profile_move_store         (BcsProfile  *from,
                                               BcsProfile  *to,
                                               GError     **error);

G_END_DECLS
