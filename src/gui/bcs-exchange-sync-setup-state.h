/* bcs-exchange-sync-setup-state.h — what Exchange Sync. Setup shows, as a pure function
 *
 * The window gathers what it knows (signed in?, deployment, lists loaded,
 * fields filled, checks run) into a BcsExchangeSetupInput; this computes
 * which rows are visible and sensitive, the button labels and the summary
 * line. No GTK: tested without a display. */
#pragma once

#include <glib.h>

#include "bcs-profile.h"

G_BEGIN_DECLS

typedef enum {
  BCS_SETUP_AUTH_SIGNED_OUT,
  BCS_SETUP_AUTH_WAITING_BROWSER,   /* the browser is open at the sign-in page */
  BCS_SETUP_AUTH_REQUESTING_CODE,   /* a device code is being asked for */
  BCS_SETUP_AUTH_WAITING_CODE,      /* a device code is shown */
  BCS_SETUP_AUTH_SIGNED_IN,
  BCS_SETUP_AUTH_SIGNING_OUT,
} BcsSetupAuth;

typedef enum {
  BCS_SETUP_LIST_EMPTY,             /* not fetched (yet) */
  BCS_SETUP_LIST_LOADING,
  BCS_SETUP_LIST_LOADED,
  BCS_SETUP_LIST_FAILED,
} BcsSetupList;

typedef enum {
  BCS_SETUP_CHECKS_NONE,
  BCS_SETUP_CHECKS_RUNNING,
  BCS_SETUP_CHECKS_DONE,
} BcsSetupChecks;

typedef struct {
  BcsSetupAuth auth;
  const char *account;              /* the signed-in address, or NULL/"" */
  gboolean sandbox;                 /* --sandbox: registration and deployment fixed */
  gboolean registration_filled;     /* a client id is set (or sandbox) */
  BcsDeployment deployment;
  BcsSetupList environments;
  BcsSetupList companies;
  gboolean environment_chosen;
  gboolean company_chosen;
  gboolean onprem_url_set;          /* an allowed base URL is saved */
  gboolean onprem_user_set;
  gboolean onprem_key_saved;        /* a web service access key is in the keyring */
  BcsSetupChecks checks;
  guint n_checks;
  guint n_failed;
  guint n_warnings;
} BcsExchangeSetupInput;

typedef struct {
  char *account_subtitle;           /* the address, or "Not signed in" */
  gboolean sign_in_visible;         /* "Sign In…" and "Sign In with a Code…" */
  gboolean sign_in_sensitive;
  gboolean sign_out_visible;
  gboolean sign_out_sensitive;
  gboolean waiting_visible;         /* spinner and Cancel */
  gboolean code_visible;            /* the device code box */

  gboolean deployment_sensitive;
  gboolean online_rows_visible;     /* environment row */
  gboolean onprem_rows_visible;     /* base URL, user, key */
  gboolean company_visible;
  gboolean environment_sensitive;
  gboolean company_sensitive;
  gboolean bc_loading;              /* spinner in the group's header */
  gboolean bc_retry_visible;
  gboolean registration_sensitive;

  gboolean validate_sensitive;
  char *validate_label;
  gboolean checks_visible;
  gboolean next_visible;            /* "Contact Sync. Setup…" */
  char *summary;
} BcsExchangeSetupView;

void  bcs_exchange_setup_view_clear   (BcsExchangeSetupView        *view);
void  bcs_exchange_setup_compute      (const BcsExchangeSetupInput *input,
                                       BcsExchangeSetupView        *view);

G_END_DECLS
