/* bcs-exchange-sync-setup.h — Exchange Sync. Setup: the Microsoft 365 account, Business
 * Central (online: environment and company; on premises: address, user, key), the app
 * registration, and Validate Connection leading to Contact Sync. Setup */
#pragma once

#include <adwaita.h>

#include "bcs-profile.h"

G_BEGIN_DECLS

#define BCS_TYPE_EXCHANGE_SYNC_SETUP (bcs_exchange_sync_setup_get_type ())
G_DECLARE_FINAL_TYPE (BcsExchangeSyncSetup, bcs_exchange_sync_setup, BCS, EXCHANGE_SYNC_SETUP, AdwPreferencesWindow)

/* How the browser sign-in opens its authorize URL (default: gtk_show_uri);
 * tests replace it to play the browser */
typedef void (*BcsExchangeSyncSetupShowUriFunc) (GtkWindow  *parent,
                                                 const char *uri);

BcsExchangeSyncSetup *bcs_exchange_sync_setup_new                (BcsProfile                      *profile);
/* Opens (or raises) the window for the profile of PARENT's BcsApplication,
 * modal to PARENT; fails when the profile cannot be opened */
gboolean              bcs_exchange_sync_setup_present            (GtkWindow                       *parent,
                                                                  GError                         **error);
BcsProfile           *bcs_exchange_sync_setup_get_profile        (BcsExchangeSyncSetup            *self);
/* NULL restores gtk_show_uri */
void                  bcs_exchange_sync_setup_set_show_uri_func  (BcsExchangeSyncSetupShowUriFunc  func);
/* Tests: poll the device-code flow every SECONDS (0: the service's interval) */
void                  bcs_exchange_sync_setup_set_poll_interval  (BcsExchangeSyncSetup            *self,
                                                                  double                           seconds);
/* TRUE while a sign-in, sign-out, list fetch, key save or check runs */
gboolean              bcs_exchange_sync_setup_is_busy            (BcsExchangeSyncSetup            *self);

G_END_DECLS
