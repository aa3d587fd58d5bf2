/* bcs-exchange-sync-setup-private.h — what the parts of Exchange Sync. Setup share */
#pragma once

#include "bcs-exchange-sync-setup.h"
#include "bcs-exchange-sync-setup-state.h"
#include "bcs-http.h"
#include "bcs-sign-in.h"
#include "bcs-token-provider.h"
#include "bcs-token-store.h"

G_BEGIN_DECLS

struct _BcsExchangeSyncSetup
{
  AdwPreferencesWindow parent_instance;

  BcsProfile *profile;
  BcsTokenStore *store;
  BcsExchangeSetupView view;
  guint busy;                       /* async operations running */

  /* account (-account.c) */
  BcsSetupAuth auth;
  BcsSignIn *sign_in;
  BcsHttp *sign_in_http;
  GCancellable *sign_in_cancellable;
  double poll_interval;

  /* Business Central (-bc.c) */
  BcsHttp *bc_http;
  BcsTokenProvider *bc_provider;
  GCancellable *bc_cancellable;
  BcsSetupList environments;
  BcsSetupList companies;
  GPtrArray *company_ids;           /* char *, parallel to company_model */
  char *bc_error;
  gboolean filling_lists;           /* ignore notify::selected while filling */
  gboolean key_saved;

  /* checks (-validate.c) */
  GCancellable *check_cancellable;
  BcsSetupChecks checks;
  guint n_checks;
  guint n_failed;
  guint n_warnings;

  /* template */
  AdwPreferencesGroup *account_group;
  AdwActionRow *account_row;
  GtkButton *sign_out_button;
  AdwActionRow *sign_in_row;
  GtkButton *sign_in_button;
  GtkButton *sign_in_code_button;
  AdwActionRow *waiting_row;
  GtkSpinner *waiting_spinner;
  GtkButton *cancel_sign_in_button;
  AdwPreferencesRow *code_row;
  GtkLinkButton *verification_link;
  GtkLabel *user_code_label;
  GtkButton *copy_code_button;
  AdwExpanderRow *registration_row;
  AdwActionRow *registration_help_row;
  AdwEntryRow *client_id_row;
  AdwEntryRow *tenant_row;

  AdwPreferencesGroup *bc_group;
  GtkSpinner *bc_spinner;
  GtkButton *retry_button;
  AdwComboRow *deployment_row;
  AdwComboRow *environment_row;
  GtkStringList *environment_model;
  AdwEntryRow *onprem_url_row;
  AdwEntryRow *onprem_user_row;
  AdwPasswordEntryRow *onprem_key_row;
  GtkImage *key_saved_image;
  AdwComboRow *company_row;
  GtkStringList *company_model;

  AdwPreferencesGroup *connection_group;
  GtkButton *validate_button;
  GtkListBox *checks_list;
  GtkButton *next_button;
};

/* Recomputes the view (bcs_exchange_setup_compute) and applies it */
void     bcs_exchange_sync_setup_update             (BcsExchangeSyncSetup *self);
gboolean bcs_exchange_sync_setup_error_is_cancelled (const GError         *error);
void     bcs_exchange_sync_setup_hold               (BcsExchangeSyncSetup *self);
void     bcs_exchange_sync_setup_release            (BcsExchangeSyncSetup *self);
void     bcs_exchange_sync_setup_toast              (BcsExchangeSyncSetup *self,
                                                     const char           *message);
void     bcs_exchange_sync_setup_show_uri           (BcsExchangeSyncSetup *self,
                                                     const char           *uri);

/* -account.c */
/* The browser did not open with URI: shows it to copy (and copies it),
 * offering the device code instead */
void     bcs_exchange_sync_setup_browser_failed     (BcsExchangeSyncSetup *self,
                                                     const char           *uri,
                                                     const GError         *error);
void     bcs_exchange_sync_setup_account_init       (BcsExchangeSyncSetup *self);
void     bcs_exchange_sync_setup_account_dispose    (BcsExchangeSyncSetup *self);
void     bcs_exchange_sync_setup_account_class_init (GtkWidgetClass       *widget_class);

/* -bc.c */
void     bcs_exchange_sync_setup_bc_init            (BcsExchangeSyncSetup *self);
void     bcs_exchange_sync_setup_bc_dispose         (BcsExchangeSyncSetup *self);
void     bcs_exchange_sync_setup_bc_class_init      (GtkWidgetClass       *widget_class);
/* Fetches the environments (online) or companies (on premises) again */
void     bcs_exchange_sync_setup_bc_reload          (BcsExchangeSyncSetup *self);
/* After a sign-out: empties the lists */
void     bcs_exchange_sync_setup_bc_forget          (BcsExchangeSyncSetup *self);

/* -validate.c */
void     bcs_exchange_sync_setup_validate_dispose   (BcsExchangeSyncSetup *self);
void     bcs_exchange_sync_setup_validate_class_init (GtkWidgetClass      *widget_class);
/* Forgets the results shown (after anything they depend on changed) */
void     bcs_exchange_sync_setup_validate_reset     (BcsExchangeSyncSetup *self);

G_END_DECLS
