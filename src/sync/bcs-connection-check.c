/* bcs-connection-check.c — asks the services, one request after the other,
 * what the checks need; bcs-connection-check-judge.c turns it into results */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-basic-auth-provider.h"
#include "bcs-bc-client.h"
#include "bcs-connection-check-private.h"
#include "bcs-error.h"
#include "bcs-graph-client.h"
#include "bcs-token-manager.h"
#include "bcs-token-store.h"

struct _BcsConnectionCheck
{
  GObject parent_instance;

  BcsProfile *profile;
  BcsHttp *http;
  GObject *providers[2];      /* kept alive for HTTP, which may hold them weakly */
  gboolean first_company;
};

G_DEFINE_FINAL_TYPE (BcsConnectionCheck, bcs_connection_check, G_TYPE_OBJECT)

static void
bcs_connection_check_finalize (GObject *object)
{
  BcsConnectionCheck *self = BCS_CONNECTION_CHECK (object);

  g_clear_object (&self->http);
  g_clear_object (&self->providers[0]);
  g_clear_object (&self->providers[1]);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (bcs_connection_check_parent_class)->finalize (object);
}

static void
bcs_connection_check_class_init (BcsConnectionCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_connection_check_finalize;
}

static void
bcs_connection_check_init (BcsConnectionCheck *self)
{
}

BcsConnectionCheck *
bcs_connection_check_new (BcsProfile *profile,
                          BcsHttp    *http)
{
  BcsConnectionCheck *self;

  g_return_val_if_fail (BCS_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (BCS_IS_HTTP (http), NULL);

  self = g_object_new (BCS_TYPE_CONNECTION_CHECK, NULL);
  self->profile = g_object_ref (profile);
  self->http = g_object_ref (http);
  return self;
}

BcsConnectionCheck *
bcs_connection_check_new_for_profile (BcsProfile *profile)
{
  g_autoptr(BcsHttp) http = bcs_http_new ();
  g_autoptr(BcsTokenStore) store = bcs_token_store_new_for_profile (profile);
  g_autoptr(BcsTokenManager) manager = NULL;
  g_autofree char *authority = bcs_profile_dup_authority (profile);
  g_autofree char *graph = bcs_profile_dup_graph_url (profile);
  g_autofree char *bc = NULL;
  BcsConnectionCheck *self;

  if (bcs_profile_get_deployment (profile) == BCS_DEPLOYMENT_ON_PREMISES)
    bc = g_settings_get_string (bcs_profile_get_settings (profile), "bc-onprem-base-url");
  else
    bc = bcs_profile_dup_bc_root_url (profile);

  bcs_http_set_base_url (http, BCS_SERVICE_LOGIN, authority);
  bcs_http_set_base_url (http, BCS_SERVICE_GRAPH, graph);
  if (bc != NULL && *bc != '\0')
    bcs_http_set_base_url (http, BCS_SERVICE_BC, bc);

  manager = bcs_token_manager_new (profile, store, http);
  bcs_http_set_token_provider (http, BCS_SERVICE_GRAPH, BCS_TOKEN_PROVIDER (manager));

  self = bcs_connection_check_new (profile, http);
  self->providers[0] = G_OBJECT (g_object_ref (manager));
  if (bcs_profile_get_deployment (profile) == BCS_DEPLOYMENT_ON_PREMISES)
    {
      BcsBasicAuthProvider *basic = bcs_basic_auth_provider_new (profile, store, BCS_TOKEN_PROVIDER (manager));

      bcs_http_set_token_provider (http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (basic));
      self->providers[1] = G_OBJECT (basic);
    }
  else
    bcs_http_set_token_provider (http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (manager));

  return self;
}

BcsHttp *
bcs_connection_check_get_http (BcsConnectionCheck *self)
{
  g_return_val_if_fail (BCS_IS_CONNECTION_CHECK (self), NULL);
  return self->http;
}

void
bcs_connection_check_set_default_company (BcsConnectionCheck *self,
                                          gboolean            first_company)
{
  g_return_if_fail (BCS_IS_CONNECTION_CHECK (self));
  self->first_company = first_company;
}

/* ---- gathering ---- */

typedef struct {
  BcsCheckFacts facts;
  BcsGraphClient *graph;
  BcsBcClient *bc;              /* NULL when there is no API address */
  BcsHttpRequest *request;
} Run;

static void
run_free (Run *run)
{
  bcs_check_facts_clear (&run->facts);
  g_clear_object (&run->graph);
  g_clear_object (&run->bc);
  g_clear_object (&run->request);
  g_free (run);
}

static void step_environments (GTask *task);
static void step_companies    (GTask *task);
static void step_mailbox      (GTask *task);
static void step_folder       (GTask *task);
static void step_users        (GTask *task);
static void step_judge        (GTask *task);

/* FALSE (and the task returned) when the run was cancelled */
static gboolean
still_running (GTask *task)
{
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return TRUE;

  g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_CANCELLED, _("The connection check was cancelled."));
  g_object_unref (task);
  return FALSE;
}

static void
on_me (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  run->facts.me = bcs_graph_client_get_me_finish (BCS_GRAPH_CLIENT (object), result, &run->facts.me_error);
  if (!still_running (task))
    return;
  if (run->facts.online)
    step_environments (task);
  else
    step_companies (task);
}

static void
on_environments (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  run->facts.environments = bcs_bc_client_list_environments_finish (BCS_BC_CLIENT (object), result,
                                                                    &run->facts.environments_error);
  if (!still_running (task))
    return;
  if (run->facts.environments == NULL)
    step_mailbox (task);
  else
    step_companies (task);
}

static void
step_environments (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  /* Online, Business Central takes the same sign-in: without one, or
   * without an answer from Microsoft 365, there is nothing to try */
  if (!bcs_check_facts_signed_in (&run->facts))
    {
      step_judge (task);
      return;
    }
  bcs_bc_client_list_environments_async (run->bc, g_task_get_cancellable (task), on_environments, task);
}

static void
on_companies (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  run->facts.companies = bcs_bc_client_list_companies_finish (BCS_BC_CLIENT (object), result,
                                                              &run->facts.companies_error);
  if (!still_running (task))
    return;
  step_mailbox (task);
}

static void
step_companies (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (run->bc == NULL)
    {
      step_mailbox (task);
      return;
    }
  bcs_bc_client_list_companies_async (run->bc, g_task_get_cancellable (task), on_companies, task);
}

static void
on_mailbox (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  run->facts.mailbox_ok = bcs_http_send_finish (BCS_HTTP (object), result, &run->facts.mailbox_error);
  if (!still_running (task))
    return;
  if (run->facts.mailbox_ok)
    step_folder (task);
  else
    step_users (task);
}

static void
step_mailbox (GTask *task)
{
  BcsConnectionCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  /* After a refusal by Business Central the other checks are moot */
  if (!bcs_check_facts_signed_in (&run->facts) || !bcs_check_facts_bc_usable (&run->facts))
    {
      step_judge (task);
      return;
    }
  run->request = bcs_http_request_new (BCS_SERVICE_GRAPH, "GET", "/me/contactFolders?$top=1");
  bcs_http_send_async (self->http, run->request, g_task_get_cancellable (task), on_mailbox, task);
}

static void
on_folder (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  run->facts.folder_asked = TRUE;
  run->facts.folder_id = bcs_graph_client_find_folder_finish (BCS_GRAPH_CLIENT (object), result,
                                                              &run->facts.folder_error);
  if (!still_running (task))
    return;
  step_users (task);
}

static void
step_folder (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  bcs_graph_client_find_folder_async (run->graph, run->facts.folder_name, g_task_get_cancellable (task),
                                      on_folder, task);
}

static void
on_users (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  run->facts.users = bcs_bc_client_list_users_finish (BCS_BC_CLIENT (object), result, &run->facts.users_error);
  if (!still_running (task))
    return;
  step_judge (task);
}

static void
step_users (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  const char *company_id = bcs_check_facts_users_company_id (&run->facts);

  if (run->bc == NULL || company_id == NULL || bcs_check_facts_account (&run->facts) == NULL)
    {
      step_judge (task);
      return;
    }
  bcs_bc_client_list_users_async (run->bc, company_id, g_task_get_cancellable (task), on_users, task);
}

static void
step_judge (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_task_return_pointer (task, bcs_check_facts_judge (&run->facts), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static char *
dup_setting (BcsProfile *profile,
             const char *key)
{
  g_autofree char *value = g_settings_get_string (bcs_profile_get_settings (profile), key);

  return g_strdup (g_strstrip (value));
}

void
bcs_connection_check_run_async (BcsConnectionCheck  *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Run *run;
  g_autofree char *api_base = NULL;

  g_return_if_fail (BCS_IS_CONNECTION_CHECK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_connection_check_run_async);
  /* Cancelled is BCS_ERROR_CANCELLED, as everywhere in the application */
  g_task_set_check_cancellable (task, FALSE);
  run = g_new0 (Run, 1);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  run->facts.online = bcs_profile_get_deployment (self->profile) == BCS_DEPLOYMENT_ONLINE;
  run->facts.first_company = self->first_company;
  run->facts.environment = bcs_profile_dup_environment (self->profile);
  run->facts.company_id = dup_setting (self->profile, "company-id");
  run->facts.company_name = dup_setting (self->profile, "company-name");
  run->facts.folder_name = bcs_profile_dup_folder_name (self->profile);
  run->facts.onprem_base = dup_setting (self->profile, "bc-onprem-base-url");
  run->facts.onprem_user = dup_setting (self->profile, "bc-onprem-user");

  run->graph = bcs_graph_client_new (self->http);
  if (run->facts.online || *run->facts.onprem_base != '\0')
    {
      api_base = bcs_profile_dup_bc_api_url (self->profile);
      run->bc = bcs_bc_client_new (self->http, api_base);
    }

  if (!still_running (task))
    return;
  bcs_graph_client_get_me_async (run->graph, cancellable, on_me, task);
}

GPtrArray *
bcs_connection_check_run_finish (BcsConnectionCheck  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
