/* bcs-contact-count.c — how many Business Central contacts the filters let through
 *
 * The worker thread has its own main context, as the sync engine's: the
 * HTTP client, its token provider and the listing live and finish there.
 * The profile's settings are read before, on the caller's thread, and
 * handed over as plain data. Rows are counted as their pages arrive (the
 * memory of one page). */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-basic-auth-provider.h"
#include "bcs-bc-client.h"
#include "bcs-contact-check.h"
#include "bcs-contact-count.h"
#include "bcs-contact-mapping.h"
#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-token-manager.h"
#include "bcs-token-store.h"
#include "bcs-waiter.h"

typedef struct {
  /* read on the caller's thread */
  char *profile_name;
  char *authority;
  char *graph_url;
  char *bc_root_url;
  char *bc_api_url;
  char *company_id;
  gboolean on_premises;
  BcsContactFilter *filter;
  gboolean first_company;

  /* the token source: PROVIDER_FUNC, else PROFILE's sign-in (the token
   * manager and the Basic provider read their own keys of the profile) */
  BcsSyncProviderFunc provider_func;
  gpointer provider_data;
  BcsProfile *profile;

  BcsContactCount count;
} CountData;

static CountData *
count_data_new (BcsProfile *profile)
{
  CountData *data = g_new0 (CountData, 1);
  GSettings *settings = bcs_profile_get_settings (profile);

  data->profile = g_object_ref (profile);
  data->profile_name = g_strdup (bcs_profile_get_name (profile));
  data->authority = bcs_profile_dup_authority (profile);
  data->graph_url = bcs_profile_dup_graph_url (profile);
  data->on_premises = bcs_profile_get_deployment (profile) == BCS_DEPLOYMENT_ON_PREMISES;
  if (data->on_premises)
    data->bc_root_url = g_settings_get_string (settings, "bc-onprem-base-url");
  else
    data->bc_root_url = bcs_profile_dup_bc_root_url (profile);
  data->bc_api_url = bcs_profile_dup_bc_api_url (profile);
  data->company_id = bcs_profile_dup_company_id (profile);
  return data;
}

static void
count_data_free (CountData *data)
{
  g_clear_object (&data->profile);
  g_free (data->profile_name);
  g_free (data->authority);
  g_free (data->graph_url);
  g_free (data->bc_root_url);
  g_free (data->bc_api_url);
  g_free (data->company_id);
  g_clear_pointer (&data->filter, bcs_contact_filter_free);
  g_free (data);
}

static void
count_row (JsonObject *row,
           gpointer    user_data)
{
  CountData *data = user_data;
  g_autoptr (BcsContact) contact = bcs_contact_from_bc_json (row);

  data->count.listed++;
  if (contact != NULL && bcs_contact_filter_matches (data->filter, contact)
      && bcs_contact_check_to_outlook (contact, NULL) == BCS_SKIP_NONE)
    data->count.matching++;
}

/* The keyring's sign-in; on premises, Basic authentication for Business Central */
static void
set_default_providers (CountData *data,
                       BcsHttp   *http,
                       GPtrArray *keep)
{
  g_autoptr (BcsTokenStore) store = bcs_token_store_new_for_profile (data->profile);
  BcsTokenManager *manager = bcs_token_manager_new (data->profile, store, http);

  g_ptr_array_add (keep, manager);
  bcs_http_set_token_provider (http, BCS_SERVICE_GRAPH, BCS_TOKEN_PROVIDER (manager));
  if (data->on_premises)
    {
      BcsBasicAuthProvider *basic = bcs_basic_auth_provider_new (data->profile, store,
                                                                 BCS_TOKEN_PROVIDER (manager));

      g_ptr_array_add (keep, basic);
      bcs_http_set_token_provider (http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (basic));
    }
  else
    bcs_http_set_token_provider (http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (manager));
}

static gboolean
find_company (CountData     *data,
              BcsBcClient   *bc,
              GMainContext  *context,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr (GPtrArray) companies = NULL;
  g_auto (BcsWaiter) waiter = BCS_WAITER_INIT;
  const char *id;

  if (data->company_id != NULL && *data->company_id != '\0')
    return TRUE;
  if (!data->first_company)
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED,
                   _("No Business Central company is chosen for profile “%s”. Choose one in "
                     "Exchange Sync. Setup first."), data->profile_name);
      return FALSE;
    }

  bcs_bc_client_list_companies_async (bc, cancellable, bcs_waiter_done, &waiter);
  companies = bcs_bc_client_list_companies_finish (bc, bcs_waiter_wait (&waiter, context), error);
  if (companies == NULL)
    return FALSE;
  id = companies->len > 0 ? bcs_json_get_string (companies->pdata[0], "id") : NULL;
  if (id == NULL)
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED,
                           _("Business Central has no company to count contacts in."));
      return FALSE;
    }
  g_free (data->company_id);
  data->company_id = g_strdup (id);
  return TRUE;
}

static gboolean
count_sync (CountData     *data,
            GMainContext  *context,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr (BcsHttp) http = bcs_http_new ();
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (BcsBcClient) bc = NULL;
  g_autofree char *odata = NULL;
  g_auto (BcsWaiter) waiter = BCS_WAITER_INIT;

  if (data->bc_root_url == NULL || *data->bc_root_url == '\0'
      || data->bc_api_url == NULL || *data->bc_api_url == '\0')
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED,
                   _("Business Central is not set up for profile “%s”: set it up in Exchange Sync. Setup first."),
                   data->profile_name);
      return FALSE;
    }

  bcs_http_set_base_url (http, BCS_SERVICE_LOGIN, data->authority);
  bcs_http_set_base_url (http, BCS_SERVICE_GRAPH, data->graph_url);
  bcs_http_set_base_url (http, BCS_SERVICE_BC, data->bc_root_url);
  if (data->provider_func != NULL)
    {
      BcsTokenProvider *provider = data->provider_func (http, data->provider_data);

      g_ptr_array_add (keep, provider);
      bcs_http_set_token_provider (http, BCS_SERVICE_GRAPH, provider);
      bcs_http_set_token_provider (http, BCS_SERVICE_BC, provider);
    }
  else
    set_default_providers (data, http, keep);
  bc = bcs_bc_client_new (http, data->bc_api_url);

  if (!find_company (data, bc, context, cancellable, error))
    return FALSE;

  /* the server's filter narrows the listing; the filters decide */
  odata = bcs_contact_filter_to_odata (data->filter, NULL);
  bcs_bc_client_list_contacts_each_async (bc, data->company_id, odata, NULL, 0, count_row, data,
                                          cancellable, bcs_waiter_done, &waiter);
  return bcs_bc_client_list_contacts_each_finish (bc, bcs_waiter_wait (&waiter, context), error);
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountData *data = task_data;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (context);
  ok = count_sync (data, context, cancellable, &error);
  /* what the listing left on the context (closing connections) */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  if (g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_CANCELLED, "%s", _("Counting was cancelled."));
  else if (!ok)
    {
      g_prefix_error (&error, "%s", _("Could not count the contacts: "));
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_boolean (task, TRUE);
}

void
bcs_contact_count_async (BcsProfile          *profile,
                         GVariant            *filter,
                         gboolean             first_company,
                         BcsSyncProviderFunc  provider_func,
                         gpointer             provider_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GVariant) stored = NULL;
  g_autoptr (GError) error = NULL;
  CountData *data;
  BcsContactFilter *parsed;

  g_return_if_fail (BCS_IS_PROFILE (profile));
  g_return_if_fail (filter == NULL || g_variant_is_of_type (filter, G_VARIANT_TYPE ("a{ss}")));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_contact_count_async);
  g_task_set_check_cancellable (task, FALSE);

  if (filter == NULL)
    filter = stored = g_settings_get_value (bcs_profile_get_settings (profile), "filter");
  parsed = bcs_contact_filter_new_from_variant (filter, NULL, NULL, &error);
  if (parsed == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = count_data_new (profile);
  data->filter = parsed;
  data->first_company = first_company;
  data->provider_func = provider_func;
  data->provider_data = provider_data;
  g_task_set_task_data (task, data, (GDestroyNotify) count_data_free);
  g_task_run_in_thread (task, count_thread);
}

gboolean
bcs_contact_count_finish (GAsyncResult     *result,
                          BcsContactCount  *count,
                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (count != NULL)
    *count = ((CountData *) g_task_get_task_data (G_TASK (result)))->count;
  return TRUE;
}

char *
bcs_contact_count_describe (guint matching)
{
  g_autofree char *number = g_strdup_printf ("%'u", matching);

  /* TRANSLATORS: %s is a number, e.g. "1,234" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s contact matches", "%s contacts match", matching),
                          number);
}
