/* bcs-contact-sync-setup.h — Contact Sync. Setup: folder, filters and sync policies of a profile */
#pragma once

#include <adwaita.h>

#include "bcs-profile.h"
#include "bcs-sync-engine.h"

G_BEGIN_DECLS

#define BCS_TYPE_CONTACT_SYNC_SETUP (bcs_contact_sync_setup_get_type ())
G_DECLARE_FINAL_TYPE (BcsContactSyncSetup, bcs_contact_sync_setup, BCS, CONTACT_SYNC_SETUP, AdwPreferencesWindow)

/* A window bound to PROFILE's settings: every change is saved at once, except
 * filter expressions that do not parse */
BcsContactSyncSetup *bcs_contact_sync_setup_new         (BcsProfile          *profile);
BcsProfile          *bcs_contact_sync_setup_get_profile (BcsContactSyncSetup *self);
/* Where "Count Matching Contacts" gets its tokens (NULL: the keyring's
 * sign-in, the default) */
void                 bcs_contact_sync_setup_set_count_provider (BcsContactSyncSetup *self,
                                                                BcsSyncProviderFunc  func,
                                                                gpointer             user_data);
/* The count row's subtitle: the number of matching contacts, or why not */
const char          *bcs_contact_sync_setup_get_count_text     (BcsContactSyncSetup *self);

G_END_DECLS
