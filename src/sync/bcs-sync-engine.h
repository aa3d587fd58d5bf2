/* bcs-sync-engine.h — one sync run: read both sides, plan, write, record
 *
 * The engine executes SYNC-SPEC.md for one profile: it locks the store,
 * resolves open intents, reads Business Central and Outlook (incremental or
 * full), asks the planner, stops at the safety brake, and writes the plan
 * in batches ($batch of 20 to Graph, of up to 100 to Business Central),
 * several batches in flight, recording intents before and pairs after each
 * batch. The watermark and the delta link advance only after a run without
 * failures.
 *
 * Threading: create and configure the engine on the caller's thread, then
 * call bcs_sync_engine_run_sync() in a worker thread (BcsSyncService does
 * this in a GTask). The run uses its own thread-default GMainContext, its
 * own BcsHttp (SoupSession), token provider and store connection. Progress
 * is delivered on the context given to bcs_sync_engine_set_progress_func(). */
#pragma once

#include <gio/gio.h>

#include "bcs-http.h"
#include "bcs-profile.h"
#include "bcs-sync-result.h"
#include "bcs-token-provider.h"

G_BEGIN_DECLS

typedef enum {
  BCS_SYNC_PHASE_STARTING,        /* lock, folder, intents */
  BCS_SYNC_PHASE_READING_BC,
  BCS_SYNC_PHASE_READING_OUTLOOK,
  BCS_SYNC_PHASE_PLANNING,
  BCS_SYNC_PHASE_WRITING,         /* done/total: actions */
  BCS_SYNC_PHASE_WAITING,         /* throttled: wait_seconds, service */
  BCS_SYNC_PHASE_FINISHING,
} BcsSyncPhase;

typedef struct {
  BcsSyncPhase  phase;
  guint         done;
  guint         total;
  double        wait_seconds;     /* WAITING: how long the service asked to wait */
  BcsService    service;          /* WAITING: which service */
} BcsSyncProgress;

/* A translated line for people, e.g. "Writing: 40 of 120 contacts" */
char *bcs_sync_progress_describe (const BcsSyncProgress *progress);

typedef void               (*BcsSyncProgressFunc) (const BcsSyncProgress *progress,
                                                   gpointer               user_data);
/* Creates the token provider of a run on the worker's context; HTTP is the
 * run's BcsHttp (login base URL set to the profile's authority) */
typedef BcsTokenProvider * (*BcsSyncProviderFunc) (BcsHttp               *http,
                                                   gpointer               user_data);

#define BCS_TYPE_SYNC_ENGINE (bcs_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (BcsSyncEngine, bcs_sync_engine, BCS, SYNC_ENGINE, GObject)

/* Reads the profile's settings now (on the calling thread) */
BcsSyncEngine *bcs_sync_engine_new                (BcsProfile          *profile);
/* Required before running: where the run gets its tokens */
void           bcs_sync_engine_set_provider_func  (BcsSyncEngine       *self,
                                                   BcsSyncProviderFunc  func,
                                                   gpointer             user_data,
                                                   GDestroyNotify       destroy);
/* FUNC is called on CONTEXT (NULL: the thread-default context of the
 * caller of this function) */
void           bcs_sync_engine_set_progress_func  (BcsSyncEngine       *self,
                                                   BcsSyncProgressFunc  func,
                                                   gpointer             user_data,
                                                   GDestroyNotify       destroy);
/* The store file (default: bcs_profile_dup_store_path()) */
void           bcs_sync_engine_set_store_path     (BcsSyncEngine       *self,
                                                   const char          *path);
/* Backoff without Retry-After (tests make it small) */
void           bcs_sync_engine_set_backoff        (BcsSyncEngine       *self,
                                                   double               base_seconds,
                                                   double               cap_seconds);
/* Company and folder to use when the profile has none (--sandbox) */
void           bcs_sync_engine_set_default_company (BcsSyncEngine      *self,
                                                    gboolean            first_company);

/* Runs once, blocking: call it in a worker thread. Returns the run's report
 * whenever the run started (outcome ok, partial, failed, braked or
 * cancelled; also stored in the store's history) and sets ERROR for a run
 * that could not be done (configuration, sign-in, connection: exit 2),
 * BCS_ERROR_BRAKE (exit 3) or BCS_ERROR_CANCELLED (exit 4). A run whose
 * contacts partly failed returns its report without an error. */
BcsSyncReport *bcs_sync_engine_run_sync           (BcsSyncEngine       *self,
                                                   BcsSyncMode          mode,
                                                   gboolean             dry_run,
                                                   gboolean             allow_mass_delete,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* The exit code of DESIGN.md for a run's REPORT and ERROR (either may be NULL) */
int            bcs_sync_exit_code                 (const BcsSyncReport *report,
                                                   const GError        *error);

G_END_DECLS
