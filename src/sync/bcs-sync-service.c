/* bcs-sync-service.c — runs of one profile in a worker thread */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-sync-service.h"
#include "bcs-sync-store.h"
#include "bcs-token-manager.h"
#include "bcs-token-store.h"

struct _BcsSyncService
{
  GObject parent_instance;

  BcsProfile *profile;
  char *store_path;
  double backoff_base;
  double backoff_cap;
  gboolean first_company;
  BcsSyncProviderFunc provider_func;
  gpointer provider_data;
  GDestroyNotify provider_destroy;
  GTask *running;
  BcsSyncReport *last_report;
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_RUN_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BcsSyncService, bcs_sync_service, G_TYPE_OBJECT)

static void
bcs_sync_service_finalize (GObject *object)
{
  BcsSyncService *self = BCS_SYNC_SERVICE (object);

  if (self->provider_destroy != NULL)
    self->provider_destroy (self->provider_data);
  g_clear_object (&self->profile);
  g_free (self->store_path);
  g_clear_pointer (&self->last_report, bcs_sync_report_free);

  G_OBJECT_CLASS (bcs_sync_service_parent_class)->finalize (object);
}

static void
bcs_sync_service_class_init (BcsSyncServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_sync_service_finalize;

  /**
   * BcsSyncService::progress:
   * @progress: a BcsSyncProgress, valid during the emission
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * BcsSyncService::run-finished:
   * @report: the run's BcsSyncReport (NULL when it never started)
   */
  signals[SIGNAL_RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, BCS_TYPE_SYNC_REPORT);
}

static void
bcs_sync_service_init (BcsSyncService *self)
{
  self->backoff_base = 1.0;
  self->backoff_cap = 60.0;
}

BcsSyncService *
bcs_sync_service_new (BcsProfile *profile)
{
  BcsSyncService *self = g_object_new (BCS_TYPE_SYNC_SERVICE, NULL);

  self->profile = g_object_ref (profile);
  self->store_path = bcs_profile_dup_store_path (profile);
  return self;
}

BcsProfile *
bcs_sync_service_get_profile (BcsSyncService *self)
{
  return self->profile;
}

void
bcs_sync_service_set_provider_func (BcsSyncService      *self,
                                    BcsSyncProviderFunc  func,
                                    gpointer             user_data,
                                    GDestroyNotify       destroy)
{
  if (self->provider_destroy != NULL)
    self->provider_destroy (self->provider_data);
  self->provider_func = func;
  self->provider_data = user_data;
  self->provider_destroy = destroy;
}

void
bcs_sync_service_set_store_path (BcsSyncService *self,
                                 const char     *path)
{
  g_free (self->store_path);
  self->store_path = g_strdup (path);
}

const char *
bcs_sync_service_get_store_path (BcsSyncService *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_SERVICE (self), NULL);

  return self->store_path;
}

void
bcs_sync_service_set_backoff (BcsSyncService *self,
                              double          base_seconds,
                              double          cap_seconds)
{
  self->backoff_base = base_seconds;
  self->backoff_cap = cap_seconds;
}

void
bcs_sync_service_set_default_company (BcsSyncService *self,
                                      gboolean        first_company)
{
  self->first_company = first_company;
}

gboolean
bcs_sync_service_is_running (BcsSyncService *self)
{
  return self->running != NULL;
}

/* ---- the default token source ---- */

/* The keyring's tokens of the profile, after a sign-in (Exchange Sync.
 * Setup or --sign-in): a sandbox profile too, as a real one. Without a
 * sign-in the run fails with BCS_ERROR_AUTH_REQUIRED. */
static BcsTokenProvider *
default_provider (BcsHttp  *http,
                  gpointer  user_data)
{
  BcsProfile *profile = user_data;
  g_autoptr(BcsTokenStore) store = bcs_token_store_new_for_profile (profile);

  return BCS_TOKEN_PROVIDER (bcs_token_manager_new (profile, store, http));
}

/* ---- running ---- */

typedef struct {
  BcsSyncEngine *engine;
  BcsSyncMode mode;
  gboolean dry_run;
  gboolean allow_mass_delete;
  BcsSyncReport *report;
  GError *error;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->engine);
  g_clear_pointer (&data->report, bcs_sync_report_free);
  g_clear_error (&data->error);
  g_free (data);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;

  data->report = bcs_sync_engine_run_sync (data->engine, data->mode, data->dry_run,
                                           data->allow_mass_delete, cancellable, &data->error);
  g_task_return_boolean (task, TRUE);
}

static void
on_progress (const BcsSyncProgress *progress,
             gpointer               user_data)
{
  BcsSyncService *self = user_data;

  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, progress);
}

typedef struct {
  BcsSyncReport *report;
  GError *error;
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_clear_pointer (&outcome->report, bcs_sync_report_free);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  BcsSyncService *self = BCS_SYNC_SERVICE (object);
  g_autoptr(GTask) outer = user_data;
  RunData *data = g_task_get_task_data (G_TASK (result));
  Outcome *outcome = g_new0 (Outcome, 1);

  self->running = NULL;
  outcome->report = g_steal_pointer (&data->report);
  outcome->error = g_steal_pointer (&data->error);
  g_clear_pointer (&self->last_report, bcs_sync_report_free);
  if (outcome->report != NULL)
    self->last_report = bcs_sync_report_copy (outcome->report);
  g_signal_emit (self, signals[SIGNAL_RUN_FINISHED], 0, outcome->report);
  g_task_return_pointer (outer, outcome, (GDestroyNotify) outcome_free);
}

void
bcs_sync_service_run_async (BcsSyncService      *self,
                            BcsSyncMode          mode,
                            gboolean             dry_run,
                            gboolean             allow_mass_delete,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) worker = NULL;
  RunData *data;

  g_task_set_source_tag (task, bcs_sync_service_run_async);
  /* A cancelled run still reports (outcome cancelled): no GIO short cut */
  g_task_set_check_cancellable (task, FALSE);
  if (self->running != NULL)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_BUSY,
                               _("A sync of profile “%s” is already running."),
                               bcs_profile_get_name (self->profile));
      return;
    }

  data = g_new0 (RunData, 1);
  data->engine = bcs_sync_engine_new (self->profile);
  data->mode = mode;
  data->dry_run = dry_run;
  data->allow_mass_delete = allow_mass_delete;
  bcs_sync_engine_set_store_path (data->engine, self->store_path);
  bcs_sync_engine_set_backoff (data->engine, self->backoff_base, self->backoff_cap);
  bcs_sync_engine_set_default_company (data->engine, self->first_company);
  if (self->provider_func != NULL)
    bcs_sync_engine_set_provider_func (data->engine, self->provider_func, self->provider_data, NULL);
  else
    bcs_sync_engine_set_provider_func (data->engine, default_provider,
                                       g_object_ref (self->profile), g_object_unref);
  bcs_sync_engine_set_progress_func (data->engine, on_progress, self, NULL);

  worker = g_task_new (self, cancellable, on_run_done, g_steal_pointer (&task));
  g_task_set_task_data (worker, data, (GDestroyNotify) run_data_free);
  g_task_set_check_cancellable (worker, FALSE);
  self->running = worker;
  g_task_run_in_thread (worker, run_thread);
}

gboolean
bcs_sync_service_run_finish (BcsSyncService  *self,
                             GAsyncResult    *result,
                             BcsSyncReport  **report,
                             GError         **error)
{
  Outcome *outcome;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (report != NULL)
    *report = NULL;
  outcome = g_task_propagate_pointer (G_TASK (result), error);
  if (outcome == NULL)
    return FALSE;
  if (report != NULL)
    *report = g_steal_pointer (&outcome->report);
  ok = outcome->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&outcome->error));
  outcome_free (outcome);
  return ok;
}

const BcsSyncReport *
bcs_sync_service_get_last_report (BcsSyncService *self)
{
  return self->last_report;
}

BcsSyncReport *
bcs_sync_service_load_last_run (BcsSyncService  *self,
                                GError         **error)
{
  g_autoptr(BcsSyncStore) store = NULL;
  BcsSyncReport *report;

  store = bcs_sync_store_open_sync (self->store_path, bcs_profile_get_name (self->profile), error);
  if (store == NULL)
    return NULL;
  report = bcs_sync_store_get_last_run_sync (store, TRUE, error);
  if (report == NULL && error != NULL && *error == NULL)
    g_set_error (error, BCS_ERROR, BCS_ERROR_NOT_FOUND,
                 _("Profile “%s” has not synced yet: there are no results to export."),
                 bcs_profile_get_name (self->profile));
  return report;
}
