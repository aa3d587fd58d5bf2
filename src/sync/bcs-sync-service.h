/* bcs-sync-service.h — the sync of one profile, for the window, the CLI and the timer
 *
 * Owns the profile's settings and token source and the running job: a run
 * goes to a worker thread (GTask) where a BcsSyncEngine does the work;
 * "progress" and "run-finished" are emitted on the main context of the
 * thread that created the service. One run at a time: a second
 * bcs_sync_service_run_async() while one runs fails with BCS_ERROR_BUSY
 * (and the store's run lock keeps other processes out too). */
#pragma once

#include <gio/gio.h>

#include "bcs-profile.h"
#include "bcs-sync-engine.h"
#include "bcs-sync-result.h"

G_BEGIN_DECLS

#define BCS_TYPE_SYNC_SERVICE (bcs_sync_service_get_type ())
G_DECLARE_FINAL_TYPE (BcsSyncService, bcs_sync_service, BCS, SYNC_SERVICE, GObject)

BcsSyncService      *bcs_sync_service_new               (BcsProfile          *profile);
BcsProfile          *bcs_sync_service_get_profile       (BcsSyncService      *self);
/* Where runs get their tokens (called in the worker, on its context).
 * Default: the token manager on the keyring (after a sign-in), for a
 * sandbox profile as for a real one; tests may hand in a
 * BcsSyncSandboxAuth (tokens in memory) instead. */
void                 bcs_sync_service_set_provider_func (BcsSyncService      *self,
                                                         BcsSyncProviderFunc  func,
                                                         gpointer             user_data,
                                                         GDestroyNotify       destroy);
void                 bcs_sync_service_set_store_path    (BcsSyncService      *self,
                                                         const char          *path);
/* The store file of the profile's runs (the run history reads it) */
const char          *bcs_sync_service_get_store_path    (BcsSyncService      *self);
void                 bcs_sync_service_set_backoff       (BcsSyncService      *self,
                                                         double               base_seconds,
                                                         double               cap_seconds);
/* Without a configured company, use Business Central's first one (--sandbox) */
void                 bcs_sync_service_set_default_company (BcsSyncService    *self,
                                                           gboolean           first_company);

gboolean             bcs_sync_service_is_running        (BcsSyncService      *self);

void                 bcs_sync_service_run_async         (BcsSyncService      *self,
                                                         BcsSyncMode          mode,
                                                         gboolean             dry_run,
                                                         gboolean             allow_mass_delete,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
/* The run's report (NULL when the run never started) in *REPORT, and
 * FALSE with ERROR as bcs_sync_engine_run_sync() sets it */
gboolean             bcs_sync_service_run_finish        (BcsSyncService      *self,
                                                         GAsyncResult        *result,
                                                         BcsSyncReport      **report,
                                                         GError             **error);

/* The report of the last run of this service, or NULL */
const BcsSyncReport *bcs_sync_service_get_last_report   (BcsSyncService      *self);
/* The last run recorded in the store (any process), with its results */
BcsSyncReport       *bcs_sync_service_load_last_run     (BcsSyncService      *self,
                                                         GError             **error);

G_END_DECLS
