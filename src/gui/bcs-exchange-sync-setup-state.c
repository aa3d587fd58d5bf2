/* bcs-exchange-sync-setup-state.c — what Exchange Sync. Setup shows, as a pure function */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-exchange-sync-setup-state.h"

void
bcs_exchange_setup_view_clear (BcsExchangeSetupView *view)
{
  g_clear_pointer (&view->account_subtitle, g_free);
  g_clear_pointer (&view->validate_label, g_free);
  g_clear_pointer (&view->summary, g_free);
}

static gboolean
onprem_filled (const BcsExchangeSetupInput *input)
{
  return input->onprem_url_set && input->onprem_user_set && input->onprem_key_saved;
}

/* The next thing to do, or what the checks found */
static char *
summary (const BcsExchangeSetupInput *input)
{
  gboolean online = input->deployment == BCS_DEPLOYMENT_ONLINE;

  switch (input->auth)
    {
    case BCS_SETUP_AUTH_WAITING_BROWSER:
      return g_strdup (_("Finish signing in in your web browser"));
    case BCS_SETUP_AUTH_REQUESTING_CODE:
      return g_strdup (_("Asking Microsoft 365 for a sign-in code…"));
    case BCS_SETUP_AUTH_WAITING_CODE:
      return g_strdup (_("Enter the code on the sign-in page, then come back here"));
    case BCS_SETUP_AUTH_SIGNING_OUT:
      return g_strdup (_("Signing out…"));
    case BCS_SETUP_AUTH_SIGNED_OUT:
      if (!input->registration_filled)
        return g_strdup (_("Fill in the app registration’s client id, then sign in"));
      return g_strdup (_("Sign in with your Microsoft 365 account to begin"));
    case BCS_SETUP_AUTH_SIGNED_IN:
    default:
      break;
    }

  if (input->checks == BCS_SETUP_CHECKS_RUNNING)
    return g_strdup (_("Checking the connection…"));

  if (input->checks == BCS_SETUP_CHECKS_DONE && input->n_checks > 0)
    {
      if (input->n_failed > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u check failed: see what to do below",
                                             "%u checks failed: see what to do below",
                                             input->n_failed),
                                input->n_failed);
      if (input->n_warnings > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The connection works; %u check needs a look",
                                             "The connection works; %u checks need a look",
                                             input->n_warnings),
                                input->n_warnings);
      return g_strdup (_("The connection works. Next, choose which contacts to sync."));
    }

  if (input->environments == BCS_SETUP_LIST_LOADING || input->companies == BCS_SETUP_LIST_LOADING)
    return g_strdup (online ? _("Loading the environments and companies…")
                            : _("Loading the companies…"));

  if (input->environments == BCS_SETUP_LIST_FAILED || input->companies == BCS_SETUP_LIST_FAILED)
    return g_strdup (_("Business Central could not be read: see the message above"));

  if (!online && !onprem_filled (input))
    return g_strdup (_("Fill in the server address, user name and web service access key"));

  if (online && !input->environment_chosen)
    return g_strdup (_("Choose the Business Central environment"));

  if (!input->company_chosen)
    {
      if (input->sandbox)
        return g_strdup (_("Choose a company, or validate to use the sandbox’s first one"));
      return g_strdup (_("Choose the Business Central company to sync"));
    }

  return g_strdup (_("Ready: validate the connection"));
}

void
bcs_exchange_setup_compute (const BcsExchangeSetupInput *input,
                            BcsExchangeSetupView        *view)
{
  gboolean signed_in = input->auth == BCS_SETUP_AUTH_SIGNED_IN;
  gboolean waiting = input->auth == BCS_SETUP_AUTH_WAITING_BROWSER ||
                     input->auth == BCS_SETUP_AUTH_REQUESTING_CODE ||
                     input->auth == BCS_SETUP_AUTH_WAITING_CODE;
  gboolean running = input->checks == BCS_SETUP_CHECKS_RUNNING;
  gboolean online = input->deployment == BCS_DEPLOYMENT_ONLINE;

  g_return_if_fail (input != NULL && view != NULL);

  bcs_exchange_setup_view_clear (view);

  if (signed_in && input->account != NULL && *input->account != '\0')
    view->account_subtitle = g_strdup (input->account);
  else if (signed_in)
    view->account_subtitle = g_strdup (_("Signed in"));
  else
    view->account_subtitle = g_strdup (_("Not signed in"));

  view->sign_in_visible = input->auth == BCS_SETUP_AUTH_SIGNED_OUT;
  view->sign_in_sensitive = input->registration_filled;
  view->sign_out_visible = signed_in || input->auth == BCS_SETUP_AUTH_SIGNING_OUT;
  view->sign_out_sensitive = signed_in && !running;
  view->waiting_visible = waiting;
  view->code_visible = input->auth == BCS_SETUP_AUTH_WAITING_CODE;

  view->deployment_sensitive = !input->sandbox && !running;
  view->online_rows_visible = online;
  view->onprem_rows_visible = !online;
  view->company_visible = TRUE;
  view->environment_sensitive = online && signed_in && !running &&
                                input->environments == BCS_SETUP_LIST_LOADED;
  view->company_sensitive = !running && input->companies == BCS_SETUP_LIST_LOADED &&
                            (signed_in || !online);
  view->bc_loading = input->environments == BCS_SETUP_LIST_LOADING ||
                     input->companies == BCS_SETUP_LIST_LOADING;
  view->bc_retry_visible = !view->bc_loading &&
                           (input->environments == BCS_SETUP_LIST_FAILED ||
                            input->companies == BCS_SETUP_LIST_FAILED);
  view->registration_sensitive = !input->sandbox && !waiting &&
                                 input->auth != BCS_SETUP_AUTH_SIGNING_OUT;

  view->validate_sensitive = signed_in && !running && (online || onprem_filled (input));
  if (running)
    view->validate_label = g_strdup (_("Validating…"));
  else if (input->checks == BCS_SETUP_CHECKS_DONE)
    view->validate_label = g_strdup (_("_Validate Again"));
  else
    view->validate_label = g_strdup (_("_Validate Connection"));
  view->checks_visible = input->checks != BCS_SETUP_CHECKS_NONE;
  view->next_visible = signed_in && input->checks == BCS_SETUP_CHECKS_DONE &&
                       input->n_checks > 0 && input->n_failed == 0;
  view->summary = summary (input);
}
