/* bcs-cli-auth.c — --sign-in (device code flow) and --sign-out in the terminal */
#define G_LOG_DOMAIN "bcs-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-cli-auth.h"
#include "bcs-cli-loop.h"
#include "bcs-error.h"
#include "bcs-http.h"
#include "bcs-profile.h"
#include "bcs-sign-in.h"
#include "bcs-token-store.h"

typedef struct {
  BcsCliLoop loop;
  char *account;
  GError *error;
} Run;

static void
show_code (const BcsOAuthDeviceCode *code,
           gpointer                  user_data)
{
  g_print ("%s\n", code->message);
  g_print (_("Waiting for the sign-in to finish in the browser… (Ctrl+C to cancel)\n"));
}

static void
on_signed_in (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;

  run->account = bcs_sign_in_device_finish (BCS_SIGN_IN (object), result, &run->error);
  bcs_cli_loop_quit (&run->loop);
}

static void
on_signed_out (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;

  bcs_sign_out_finish (result, &run->error);
  bcs_cli_loop_quit (&run->loop);
}

static int
exit_code_for (const GError *error)
{
  return g_error_matches (error, BCS_ERROR, BCS_ERROR_CANCELLED) ? 4 : 2;
}

int
bcs_cli_sign_in (const BcsCliOptions *options)
{
  g_autoptr(BcsProfile) profile = NULL;
  g_autoptr(BcsTokenStore) store = NULL;
  g_autoptr(BcsHttp) http = NULL;
  g_autoptr(BcsSignIn) sign_in = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  int status;

  profile = bcs_profile_new (options->profile, options->sandbox_url, &error);
  if (profile == NULL)
    {
      g_printerr (_("Cannot sign in: %s\n"), error->message);
      return 2;
    }

  bcs_cli_loop_init (&run.loop);
  store = bcs_token_store_new_for_profile (profile);
  http = bcs_http_new ();
  sign_in = bcs_sign_in_new (profile, store, http);

  /* TRANSLATORS: %s is a profile name */
  g_print (_("Signing in profile “%s” to Microsoft 365 and Business Central.\n"), bcs_profile_get_name (profile));
  bcs_sign_in_device_async (sign_in, show_code, &run, run.loop.cancellable, on_signed_in, &run);
  bcs_cli_loop_run (&run.loop);

  if (run.account != NULL)
    {
      /* TRANSLATORS: %s is an e-mail address */
      g_print (_("Signed in as %s.\n"), run.account);
      status = 0;
    }
  else
    {
      g_printerr (_("Sign-in failed: %s\n"), run.error->message);
      status = exit_code_for (run.error);
    }

  g_clear_object (&sign_in);
  g_clear_object (&http);
  g_clear_object (&store);
  bcs_cli_loop_clear (&run.loop);

  g_free (run.account);
  g_clear_error (&run.error);
  return status;
}

int
bcs_cli_sign_out (const BcsCliOptions *options)
{
  g_autoptr(BcsProfile) profile = NULL;
  g_autoptr(BcsTokenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  Run run = { 0 };
  int status;

  profile = bcs_profile_new (options->profile, options->sandbox_url, &error);
  if (profile == NULL)
    {
      g_printerr (_("Cannot sign out: %s\n"), error->message);
      return 2;
    }

  account = g_settings_get_string (bcs_profile_get_settings (profile), "account");

  bcs_cli_loop_init (&run.loop);
  store = bcs_token_store_new_for_profile (profile);
  bcs_sign_out_async (profile, store, run.loop.cancellable, on_signed_out, &run);
  bcs_cli_loop_run (&run.loop);
  g_clear_object (&store);
  bcs_cli_loop_clear (&run.loop);

  if (run.error == NULL)
    {
      if (*account != '\0')
        /* TRANSLATORS: the first %s is an e-mail address, the second a profile name */
        g_print (_("Signed out %s from profile “%s”: its tokens were removed from the keyring.\n"),
                 account, bcs_profile_get_name (profile));
      else
        /* TRANSLATORS: %s is a profile name */
        g_print (_("Signed out of profile “%s”: its tokens were removed from the keyring.\n"),
                 bcs_profile_get_name (profile));
      status = 0;
    }
  else
    {
      g_printerr (_("Sign-out failed: %s\n"), run.error->message);
      status = exit_code_for (run.error);
    }

  g_clear_error (&run.error);
  return status;
}
