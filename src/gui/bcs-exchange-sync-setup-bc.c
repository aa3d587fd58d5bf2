/* bcs-exchange-sync-setup-bc.c — Exchange Sync. Setup: Business Central and the app registration
 *
 * Online, the environments and then the companies of the chosen one are
 * fetched from the API after the sign-in; on premises, the companies once
 * the address, user name and key are there. The web service access key
 * goes to the keyring only, never to settings. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bcs-basic-auth-provider.h"
#include "bcs-bc-client.h"
#include "bcs-cli-options.h"
#include "bcs-exchange-sync-setup-private.h"
#include "bcs-json.h"

static GSettings *
settings_of (BcsExchangeSyncSetup *self)
{
  return bcs_profile_get_settings (self->profile);
}

static gboolean
is_online (BcsExchangeSyncSetup *self)
{
  return bcs_profile_get_deployment (self->profile) == BCS_DEPLOYMENT_ONLINE;
}

static void
set_bc_error (BcsExchangeSyncSetup *self,
              char                 *message)
{
  g_free (self->bc_error);
  self->bc_error = message;
}

/* Replaces the strings of MODEL, keeping its object (the combo row's) */
static void
fill_model (GtkStringList      *model,
            const char * const *strings)
{
  gtk_string_list_splice (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)), strings);
}

static guint
find_string (const char * const *strings,
             const char         *wanted)
{
  for (guint i = 0; wanted != NULL && strings[i] != NULL; i++)
    if (g_strcmp0 (strings[i], wanted) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* A BcsHttp with the profile's endpoints and the provider of its deployment */
static void
new_http (BcsExchangeSyncSetup *self)
{
  g_autofree char *authority = bcs_profile_dup_authority (self->profile);
  g_autofree char *graph = bcs_profile_dup_graph_url (self->profile);
  g_autofree char *bc = NULL;

  g_clear_object (&self->bc_provider);
  g_clear_object (&self->bc_http);

  if (is_online (self))
    bc = bcs_profile_dup_bc_root_url (self->profile);
  else
    bc = g_settings_get_string (settings_of (self), "bc-onprem-base-url");

  self->bc_http = bcs_http_new ();
  bcs_http_set_base_url (self->bc_http, BCS_SERVICE_LOGIN, authority);
  bcs_http_set_base_url (self->bc_http, BCS_SERVICE_GRAPH, graph);
  if (*bc != '\0')
    bcs_http_set_base_url (self->bc_http, BCS_SERVICE_BC, bc);
  self->bc_provider = bcs_auth_provider_new_for_profile (self->profile, self->store, self->bc_http);
}

static void
companies_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BcsExchangeSyncSetup *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = bcs_bc_client_list_companies_finish (BCS_BC_CLIENT (source), result, &error);

  if (self->account_row == NULL || (rows == NULL && bcs_exchange_sync_setup_error_is_cancelled (error)))
    {
      bcs_exchange_sync_setup_release (self);
      return;
    }

  if (rows == NULL)
    {
      g_message ("Listing the companies of profile “%s” failed: %s",
                 bcs_profile_get_name (self->profile), error->message);
      self->companies = BCS_SETUP_LIST_FAILED;
      /* TRANSLATORS: %s says what went wrong */
      set_bc_error (self, g_strdup_printf (_("The companies could not be listed: %s"), error->message));
    }
  else
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *chosen = g_settings_get_string (settings_of (self), "company-id");

      g_clear_pointer (&self->company_ids, g_ptr_array_unref);
      self->company_ids = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < rows->len; i++)
        {
          JsonObject *row = g_ptr_array_index (rows, i);
          const char *id = bcs_json_get_string (row, "id");
          const char *name = bcs_json_get_string (row, "displayName");

          if (id == NULL)
            continue;
          if (name == NULL || *name == '\0')
            name = bcs_json_get_string (row, "name");
          g_ptr_array_add (self->company_ids, g_strdup (id));
          g_ptr_array_add (names, g_strdup (name != NULL ? name : id));
        }
      g_ptr_array_add (names, NULL);
      g_ptr_array_add (self->company_ids, NULL);

      self->filling_lists = TRUE;
      fill_model (self->company_model, (const char * const *) names->pdata);
      adw_combo_row_set_selected (self->company_row,
                                  find_string ((const char * const *) self->company_ids->pdata, chosen));
      self->filling_lists = FALSE;
      g_ptr_array_remove_index (self->company_ids, self->company_ids->len - 1);

      self->companies = BCS_SETUP_LIST_LOADED;
      set_bc_error (self, NULL);
    }

  bcs_exchange_sync_setup_update (self);
  bcs_exchange_sync_setup_release (self);
}

/* The companies of ENVIRONMENT (online) or of the server (on premises) */
static void
fetch_companies (BcsExchangeSyncSetup *self,
                 const char           *environment)
{
  g_autoptr (BcsBcClient) client = NULL;
  g_autofree char *api_base = NULL;

  if (is_online (self))
    {
      g_autofree char *root = bcs_profile_dup_bc_root_url (self->profile);
      g_autofree char *tenant = bcs_profile_dup_tenant (self->profile);

      api_base = bcs_bc_online_api_base (root, tenant, environment);
    }
  else
    api_base = bcs_profile_dup_bc_api_url (self->profile);

  self->companies = BCS_SETUP_LIST_LOADING;
  client = bcs_bc_client_new (self->bc_http, api_base);
  bcs_exchange_sync_setup_hold (self);
  bcs_bc_client_list_companies_async (client, self->bc_cancellable, companies_done_cb, self);
  bcs_exchange_sync_setup_update (self);
}

static void
environments_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  BcsExchangeSyncSetup *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = bcs_bc_client_list_environments_finish (BCS_BC_CLIENT (source), result, &error);

  if (self->account_row == NULL || (rows == NULL && bcs_exchange_sync_setup_error_is_cancelled (error)))
    {
      bcs_exchange_sync_setup_release (self);
      return;
    }

  if (rows == NULL)
    {
      g_message ("Listing the environments of profile “%s” failed: %s",
                 bcs_profile_get_name (self->profile), error->message);
      self->environments = BCS_SETUP_LIST_FAILED;
      /* TRANSLATORS: %s says what went wrong */
      set_bc_error (self, g_strdup_printf (_("The environments could not be listed: %s"), error->message));
    }
  else
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *chosen = bcs_profile_dup_environment (self->profile);
      guint position;

      for (guint i = 0; i < rows->len; i++)
        {
          const char *name = bcs_json_get_string (g_ptr_array_index (rows, i), "name");

          if (name != NULL && *name != '\0')
            g_ptr_array_add (names, g_strdup (name));
        }
      g_ptr_array_add (names, NULL);

      self->filling_lists = TRUE;
      fill_model (self->environment_model, (const char * const *) names->pdata);
      position = find_string ((const char * const *) names->pdata, chosen);
      adw_combo_row_set_selected (self->environment_row, position);
      self->filling_lists = FALSE;

      self->environments = BCS_SETUP_LIST_LOADED;
      set_bc_error (self, NULL);
      if (position != GTK_INVALID_LIST_POSITION)
        fetch_companies (self, chosen);
    }

  bcs_exchange_sync_setup_update (self);
  bcs_exchange_sync_setup_release (self);
}

static void
clear_lists (BcsExchangeSyncSetup *self)
{
  if (self->bc_cancellable != NULL)
    g_cancellable_cancel (self->bc_cancellable);
  g_clear_object (&self->bc_cancellable);

  self->filling_lists = TRUE;
  fill_model (self->environment_model, NULL);
  fill_model (self->company_model, NULL);
  self->filling_lists = FALSE;
  g_clear_pointer (&self->company_ids, g_ptr_array_unref);
  self->environments = BCS_SETUP_LIST_EMPTY;
  self->companies = BCS_SETUP_LIST_EMPTY;
  set_bc_error (self, NULL);
}

void
bcs_exchange_sync_setup_bc_reload (BcsExchangeSyncSetup *self)
{
  GSettings *settings = settings_of (self);
  g_autofree char *account = g_settings_get_string (settings, "account");

  clear_lists (self);
  self->bc_cancellable = g_cancellable_new ();

  if (is_online (self))
    {
      g_autoptr (BcsBcClient) client = NULL;
      g_autofree char *api_base = NULL;

      if (*account == '\0')
        {
          bcs_exchange_sync_setup_update (self);
          return;
        }

      new_http (self);
      api_base = bcs_profile_dup_bc_api_url (self->profile);
      client = bcs_bc_client_new (self->bc_http, api_base);
      self->environments = BCS_SETUP_LIST_LOADING;
      bcs_exchange_sync_setup_hold (self);
      bcs_bc_client_list_environments_async (client, self->bc_cancellable, environments_done_cb, self);
    }
  else
    {
      g_autofree char *url = g_settings_get_string (settings, "bc-onprem-base-url");
      g_autofree char *user = g_settings_get_string (settings, "bc-onprem-user");

      if (*url != '\0' && bcs_cli_url_is_allowed (url, NULL) && *user != '\0' && self->key_saved)
        {
          new_http (self);
          fetch_companies (self, NULL);
        }
    }

  bcs_exchange_sync_setup_update (self);
}

void
bcs_exchange_sync_setup_bc_forget (BcsExchangeSyncSetup *self)
{
  clear_lists (self);
  g_clear_object (&self->bc_provider);
  g_clear_object (&self->bc_http);
}

static void
retry_clicked_cb (BcsExchangeSyncSetup *self)
{
  bcs_exchange_sync_setup_bc_reload (self);
}

static void
environment_selected_cb (BcsExchangeSyncSetup *self)
{
  guint position = adw_combo_row_get_selected (self->environment_row);
  const char *name;

  if (self->filling_lists || position == GTK_INVALID_LIST_POSITION)
    return;

  name = gtk_string_list_get_string (self->environment_model, position);
  g_settings_set_string (settings_of (self), "environment", name);
  /* a company id belongs to one environment */
  g_settings_set_string (settings_of (self), "company-id", "");
  g_settings_set_string (settings_of (self), "company-name", "");
  bcs_exchange_sync_setup_validate_reset (self);

  if (self->bc_cancellable != NULL)
    g_cancellable_cancel (self->bc_cancellable);
  g_clear_object (&self->bc_cancellable);
  self->bc_cancellable = g_cancellable_new ();
  self->filling_lists = TRUE;
  fill_model (self->company_model, NULL);
  self->filling_lists = FALSE;
  fetch_companies (self, name);
}

static void
company_selected_cb (BcsExchangeSyncSetup *self)
{
  guint position = adw_combo_row_get_selected (self->company_row);

  if (self->filling_lists || position == GTK_INVALID_LIST_POSITION ||
      self->company_ids == NULL || position >= self->company_ids->len)
    return;

  g_settings_set_string (settings_of (self), "company-id", g_ptr_array_index (self->company_ids, position));
  g_settings_set_string (settings_of (self), "company-name",
                         gtk_string_list_get_string (self->company_model, position));
  bcs_exchange_sync_setup_validate_reset (self);
  bcs_exchange_sync_setup_update (self);
}

static void
deployment_selected_cb (BcsExchangeSyncSetup *self)
{
  gboolean onprem = adw_combo_row_get_selected (self->deployment_row) == 1;

  if (bcs_profile_is_sandbox (self->profile))
    return;

  g_settings_set_string (settings_of (self), "deployment", onprem ? "on-premises" : "online");
  bcs_exchange_sync_setup_validate_reset (self);
  bcs_exchange_sync_setup_bc_reload (self);
}

static void
onprem_url_apply_cb (BcsExchangeSyncSetup *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->onprem_url_row))));
  g_autoptr (GError) error = NULL;

  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  if (!bcs_cli_url_is_allowed (url, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->onprem_url_row), "error");
      set_bc_error (self, g_strdup (error->message));
      bcs_exchange_sync_setup_update (self);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->onprem_url_row), "error");
  gtk_editable_set_text (GTK_EDITABLE (self->onprem_url_row), url);
  g_settings_set_string (settings_of (self), "bc-onprem-base-url", url);
  bcs_exchange_sync_setup_validate_reset (self);
  bcs_exchange_sync_setup_bc_reload (self);
}

static void
onprem_user_apply_cb (BcsExchangeSyncSetup *self)
{
  g_autofree char *user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->onprem_user_row))));

  g_settings_set_string (settings_of (self), "bc-onprem-user", user);
  bcs_exchange_sync_setup_validate_reset (self);
  bcs_exchange_sync_setup_bc_reload (self);
}

static void
key_stored_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BcsExchangeSyncSetup *self = user_data;
  g_autoptr (GError) error = NULL;

  if (!bcs_token_store_store_finish (BCS_TOKEN_STORE (source), result, &error))
    {
      g_message ("Saving the web service access key of profile “%s” failed: %s",
                 bcs_profile_get_name (self->profile), error->message);
      if (self->account_row != NULL)
        {
          /* TRANSLATORS: %s says what went wrong */
          set_bc_error (self, g_strdup_printf (_("The key could not be saved in the keyring: %s"),
                                               error->message));
          bcs_exchange_sync_setup_update (self);
        }
    }
  else if (self->account_row != NULL)
    {
      self->key_saved = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->onprem_key_row), "");
      bcs_exchange_sync_setup_toast (self, _("The web service access key is saved in the keyring"));
      bcs_exchange_sync_setup_validate_reset (self);
      bcs_exchange_sync_setup_bc_reload (self);
    }

  bcs_exchange_sync_setup_release (self);
}

static void
onprem_key_apply_cb (BcsExchangeSyncSetup *self)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->onprem_key_row));

  if (key == NULL || *key == '\0')
    return;

  bcs_exchange_sync_setup_hold (self);
  bcs_token_store_store_async (self->store, BCS_TOKEN_KIND_WEB_SERVICE_KEY, key, NULL,
                               key_stored_cb, self);
}

static void
key_looked_up_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BcsExchangeSyncSetup *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *key = bcs_token_store_lookup_finish (BCS_TOKEN_STORE (source), result, &error);

  if (error != NULL)
    g_message ("Reading the keyring for profile “%s” failed: %s",
               bcs_profile_get_name (self->profile), error->message);

  if (self->account_row != NULL)
    {
      self->key_saved = key != NULL && *key != '\0';
      if (!is_online (self))
        bcs_exchange_sync_setup_bc_reload (self);
      else
        bcs_exchange_sync_setup_update (self);
    }

  bcs_exchange_sync_setup_release (self);
}

static void
registration_changed_cb (BcsExchangeSyncSetup *self)
{
  bcs_exchange_sync_setup_update (self);
}

void
bcs_exchange_sync_setup_bc_init (BcsExchangeSyncSetup *self)
{
  GSettings *settings = settings_of (self);
  g_autofree char *url = g_settings_get_string (settings, "bc-onprem-base-url");
  g_autofree char *user = g_settings_get_string (settings, "bc-onprem-user");

  adw_combo_row_set_selected (self->deployment_row, is_online (self) ? 0 : 1);
  gtk_editable_set_text (GTK_EDITABLE (self->onprem_url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->onprem_user_row), user);

  if (bcs_profile_is_sandbox (self->profile))
    {
      g_autofree char *client_id = bcs_profile_dup_client_id (self->profile);
      g_autofree char *tenant = bcs_profile_dup_tenant (self->profile);

      gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id);
      gtk_editable_set_text (GTK_EDITABLE (self->tenant_row), tenant);
      adw_expander_row_set_subtitle (self->registration_row,
                                     _("The sandbox’s registration is used (--sandbox)"));
    }
  else
    {
      g_autofree char *client_id = g_settings_get_string (settings, "client-id");

      g_settings_bind (settings, "client-id", self->client_id_row, "text", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "tenant", self->tenant_row, "text", G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (settings, "changed::client-id",
                               G_CALLBACK (registration_changed_cb), self, G_CONNECT_SWAPPED);
      /* without a client id nothing can sign in: show where it goes */
      if (*client_id == '\0')
        adw_expander_row_set_expanded (self->registration_row, TRUE);
    }

  g_signal_connect_object (self->deployment_row, "notify::selected",
                           G_CALLBACK (deployment_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->environment_row, "notify::selected",
                           G_CALLBACK (environment_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->company_row, "notify::selected",
                           G_CALLBACK (company_selected_cb), self, G_CONNECT_SWAPPED);

  bcs_exchange_sync_setup_hold (self);
  bcs_token_store_lookup_async (self->store, BCS_TOKEN_KIND_WEB_SERVICE_KEY, NULL,
                                key_looked_up_cb, self);
  if (is_online (self))
    bcs_exchange_sync_setup_bc_reload (self);
}

void
bcs_exchange_sync_setup_bc_dispose (BcsExchangeSyncSetup *self)
{
  if (self->bc_cancellable != NULL)
    g_cancellable_cancel (self->bc_cancellable);
}

void
bcs_exchange_sync_setup_bc_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, onprem_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, onprem_user_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, onprem_key_apply_cb);
}
