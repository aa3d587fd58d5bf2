/* bcs-sync-store.h — the persistent sync state of one profile (SQLite)
 *
 * One file per profile (bcs_profile_dup_store_path(): $XDG_STATE_HOME/
 * bc-contact-sync/NAME.db), mode 0600 (its -wal and -shm too), parent
 * directory created 0700, WAL journal, busy timeout, schema versioned with
 * PRAGMA user_version and migrated on open.
 *
 * What it holds (SYNC-SPEC.md "Pairing and state", "Crash safety"):
 *   pairs    one row per synced contact: BC id ↔ Outlook id, stamps, hashes
 *            and the last-synced values (for the two-way merge);
 *   meta     delta link, BC watermark, and the scope the pairs belong to
 *            (company id, folder id, folder name);
 *   intents  writes about to be sent (creating / importing / deleting);
 *   runs     the run history with per-contact results, bounded to the
 *            profile's history-runs;
 *   lock     the run lock: one run at a time per profile.
 *
 * Threading: every function is blocking (_sync); call them from the engine's
 * worker thread. One BcsSyncStore belongs to one thread: never share it
 * between threads (open one per thread; SQLite serialises them through the
 * busy timeout and the run lock).
 *
 * Errors are BCS_ERROR_STORE (what failed and the file), except the run lock
 * (BCS_ERROR_BUSY). Functions returning a gboolean with a GError follow the
 * GError convention; lookups return NULL with no error when nothing is found.
 *
 * Typical engine use:
 *   store = bcs_sync_store_open_sync (path, profile_name, &error);
 *   bcs_sync_store_lock_sync (store, &error);            // or BUSY
 *   if (!bcs_sync_store_scope_matches (store, company_id, folder_id))
 *     bcs_sync_store_reset_scope_sync (store, company_id, folder_id,
 *                                      folder_name, &error);  // start fresh
 *   run_id = bcs_sync_store_start_run_sync (store, report, &error);
 *   ... resolve intents, read, plan, then per batch:
 *   bcs_sync_store_begin (store, &error);
 *   bcs_sync_store_add_intent_sync (...) ×n;
 *   bcs_sync_store_commit (store, &error);
 *   ... send the batch ...
 *   bcs_sync_store_begin; put_pair / remove_intent ×n; commit;
 *   ... at the end:
 *   bcs_sync_store_set_meta_sync (store, BCS_SYNC_META_DELTA_LINK, link, ...);
 *   bcs_sync_store_add_results_sync (store, run_id, report->results, ...);
 *   bcs_sync_store_finish_run_sync (store, report, history_runs, ...);
 *   bcs_sync_store_unlock (store);
 *   g_object_unref (store);    // also releases the lock */
#pragma once

#include <gio/gio.h>

#include "bcs-contact.h"
#include "bcs-sync-result.h"

G_BEGIN_DECLS

/* The schema version this build writes (PRAGMA user_version) */
#define BCS_SYNC_STORE_SCHEMA_VERSION 3

/* meta keys */
#define BCS_SYNC_META_DELTA_LINK   "delta_link"    /* Outlook folder's delta link */
#define BCS_SYNC_META_BC_WATERMARK "bc_watermark"  /* largest lastModifiedDateTime seen */
#define BCS_SYNC_META_FOLDER_ID    "folder_id"
#define BCS_SYNC_META_FOLDER_NAME  "folder_name"
#define BCS_SYNC_META_COMPANY_ID   "company_id"

/* One pair. Strings are nullable; SYNCED is the contact as last synced (the
 * merge base; both sides were equal to it), nullable. */
typedef struct {
  char       *bc_id;               /* primary key */
  char       *outlook_id;          /* unique */
  char       *bc_number;
  char       *bc_etag;
  char       *outlook_change_key;
  char       *bc_hash;             /* bcs_contact_hash of BC's side as last synced */
  char       *outlook_hash;        /* … of Outlook's side */
  BcsContact *synced;              /* stored as bcs_contact_serialize() JSON; pairs
                                    * from list_pairs leave it NULL until
                                    * bcs_sync_pair_get_synced() reads it */
  gint64      updated_at;          /* Unix time, set by put_pair */
  char       *synced_text;         /* the stored JSON not parsed yet, or NULL */
} BcsSyncPair;

#define BCS_TYPE_SYNC_PAIR (bcs_sync_pair_get_type ())
GType        bcs_sync_pair_get_type (void) G_GNUC_CONST;
BcsSyncPair *bcs_sync_pair_new      (void);
/* A pair of CONTACT as it now is on both sides (ids, number, stamps taken
 * from CONTACT; both hashes bcs_contact_hash (CONTACT); synced a copy).
 * OUTLOOK_ID and CHANGE_KEY override CONTACT's when not NULL. */
BcsSyncPair *bcs_sync_pair_new_from_contact (const BcsContact *contact,
                                             const char       *outlook_id,
                                             const char       *change_key);
BcsSyncPair *bcs_sync_pair_copy     (const BcsSyncPair *pair);
/* SYNCED, parsed from SYNCED_TEXT on first use (nullable) */
const BcsContact *bcs_sync_pair_get_synced (const BcsSyncPair *pair);
void         bcs_sync_pair_free     (BcsSyncPair       *pair);
/* A GPtrArray that frees its BcsSyncPair elements */
GPtrArray   *bcs_sync_pairs_new     (void);

typedef enum {
  BCS_SYNC_INTENT_CREATING,   /* "creating": Outlook create of a BC contact */
  BCS_SYNC_INTENT_IMPORTING,  /* "importing": BC create of an Outlook contact */
  BCS_SYNC_INTENT_DELETING,   /* "deleting": removal of an Outlook contact */
} BcsSyncIntentKind;

const char *bcs_sync_intent_kind_to_string   (BcsSyncIntentKind kind);
int         bcs_sync_intent_kind_from_string (const char       *text);

/* One open intent. creating: bc_id set (outlook_id NULL until known);
 * importing: outlook_id and email set; deleting: outlook_id (and bc_id)
 * set. PAYLOAD is free JSON text for the engine (e.g. the body sent). */
typedef struct {
  gint64             id;
  BcsSyncIntentKind  kind;
  char              *bc_id;
  char              *outlook_id;
  char              *email;
  char              *payload;
  gint64             created_at;
} BcsSyncIntent;

#define BCS_TYPE_SYNC_INTENT (bcs_sync_intent_get_type ())
GType          bcs_sync_intent_get_type (void) G_GNUC_CONST;
BcsSyncIntent *bcs_sync_intent_new      (BcsSyncIntentKind     kind);
BcsSyncIntent *bcs_sync_intent_copy     (const BcsSyncIntent *intent);
void           bcs_sync_intent_free     (BcsSyncIntent       *intent);
/* A GPtrArray that frees its BcsSyncIntent elements */
GPtrArray     *bcs_sync_intents_new     (void);

#define BCS_TYPE_SYNC_STORE (bcs_sync_store_get_type ())
G_DECLARE_FINAL_TYPE (BcsSyncStore, bcs_sync_store, BCS, SYNC_STORE, GObject)

/* Opens (creating it and its directory when missing) and migrates the store
 * at PATH. PROFILE_NAME is used in messages ("Another sync of profile “X”
 * is running"). */
BcsSyncStore *bcs_sync_store_open_sync       (const char    *path,
                                              const char    *profile_name,
                                              GError       **error);
const char   *bcs_sync_store_get_path        (BcsSyncStore  *self);
/* PRAGMA user_version of the open file */
int           bcs_sync_store_get_schema_version (BcsSyncStore *self);

/* The run lock. Taken in a BEGIN IMMEDIATE transaction: a lock row of a
 * live process (this host) → BCS_ERROR_BUSY "Another sync of profile “X” is
 * running (process N)."; a row of a dead process (kill (pid, 0) fails with
 * ESRCH) or of this very store is taken over. Released by
 * bcs_sync_store_unlock() and when the store is finalized. Locking twice on
 * the same store is fine. */
gboolean      bcs_sync_store_lock_sync       (BcsSyncStore  *self,
                                              GError       **error);
void          bcs_sync_store_unlock          (BcsSyncStore  *self);
gboolean      bcs_sync_store_is_locked       (BcsSyncStore  *self);

/* Batch transactions (BEGIN IMMEDIATE / COMMIT / ROLLBACK). Not nested:
 * begin while a batch is open fails. Every write below outside a batch is
 * its own transaction. */
gboolean      bcs_sync_store_begin           (BcsSyncStore  *self,
                                              GError       **error);
gboolean      bcs_sync_store_commit          (BcsSyncStore  *self,
                                              GError       **error);
void          bcs_sync_store_rollback        (BcsSyncStore  *self);
gboolean      bcs_sync_store_in_batch        (BcsSyncStore  *self);

/* Pairs. put_pair inserts or replaces by bc_id (a different pair holding
 * the same outlook_id is replaced too) and sets pair->updated_at. */
gboolean      bcs_sync_store_put_pair_sync   (BcsSyncStore       *self,
                                              BcsSyncPair        *pair,
                                              GError            **error);
BcsSyncPair  *bcs_sync_store_get_pair_by_bc_id_sync      (BcsSyncStore  *self,
                                                          const char    *bc_id,
                                                          GError       **error);
BcsSyncPair  *bcs_sync_store_get_pair_by_outlook_id_sync (BcsSyncStore  *self,
                                                          const char    *outlook_id,
                                                          GError       **error);
/* Deleting a missing pair is not an error */
gboolean      bcs_sync_store_delete_pair_sync (BcsSyncStore *self,
                                               const char   *bc_id,
                                               GError      **error);
/* Every pair (bcs_sync_pairs_new() array, ordered by bc_id); their last-
 * synced values are parsed on demand (bcs_sync_pair_get_synced) */
GPtrArray    *bcs_sync_store_list_pairs_sync (BcsSyncStore  *self,
                                              GError       **error);
/* Every pair as bcs_sync_store_list_pairs_sync() lists it (same order),
 * with only its bc_id and outlook_id (the other members NULL, no last-synced
 * values): each pair is ONE allocation, freed with g_free() (the array does
 * it; never bcs_sync_pair_free() one). What an incremental run needs of the
 * pairs nothing touched: a sync with nothing new reads 100,000 of them. */
GPtrArray    *bcs_sync_store_list_pair_keys_sync (BcsSyncStore  *self,
                                                  GError       **error);
/* -1 on error */
gint64        bcs_sync_store_count_pairs_sync (BcsSyncStore *self,
                                               GError      **error);

/* Meta (BCS_SYNC_META_*). get: NULL (no error) when unset; set: VALUE NULL
 * deletes the key. */
char         *bcs_sync_store_get_meta_sync   (BcsSyncStore  *self,
                                              const char    *key,
                                              GError       **error);
gboolean      bcs_sync_store_set_meta_sync   (BcsSyncStore  *self,
                                              const char    *key,
                                              const char    *value,
                                              GError       **error);

/* The scope: the pairs belong to one company and one Outlook folder. TRUE
 * when the stored company id and folder id equal these, or when nothing is
 * stored yet and there are no pairs. FOLDER_ID NULL compares the company
 * only (the folder is not known yet). */
gboolean      bcs_sync_store_scope_matches   (BcsSyncStore  *self,
                                              const char    *company_id,
                                              const char    *folder_id);
/* Starts fresh in a new scope: deletes every pair and intent, the delta link
 * and the watermark, stores the new company id, folder id and name. The
 * run history is kept. */
gboolean      bcs_sync_store_reset_scope_sync (BcsSyncStore *self,
                                               const char   *company_id,
                                               const char   *folder_id,
                                               const char   *folder_name,
                                               GError      **error);

/* Intents. add sets intent->id and created_at and returns TRUE. */
gboolean      bcs_sync_store_add_intent_sync    (BcsSyncStore  *self,
                                                 BcsSyncIntent *intent,
                                                 GError       **error);
gboolean      bcs_sync_store_remove_intent_sync (BcsSyncStore  *self,
                                                 gint64         id,
                                                 GError       **error);
/* Open intents, oldest first (bcs_sync_intents_new() array) */
GPtrArray    *bcs_sync_store_list_intents_sync  (BcsSyncStore  *self,
                                                 GError       **error);

/* Runs. start_run stores REPORT's mode, dry_run and started_at (0: now)
 * with outcome "running", sets report->id and returns it (0 on error). */
gint64        bcs_sync_store_start_run_sync  (BcsSyncStore   *self,
                                              BcsSyncReport  *report,
                                              GError        **error);
/* Stores REPORT's outcome, finished_at (0: now, written back), counts,
 * requests and message for run report->id, then deletes the oldest runs
 * (and their results) beyond the newest KEEP_RUNS (0: keep all). The
 * results are not written here: see add_results. */
gboolean      bcs_sync_store_finish_run_sync (BcsSyncStore   *self,
                                              BcsSyncReport  *report,
                                              guint           keep_runs,
                                              GError        **error);
/* Appends RESULTS (BcsSyncResult) to run RUN_ID in one transaction (or in
 * the open batch): one prepared statement, about a second for 100,000. */
gboolean      bcs_sync_store_add_results_sync (BcsSyncStore  *self,
                                               gint64         run_id,
                                               GPtrArray     *results,
                                               GError       **error);
/* Up to LIMIT runs (0: all), newest first, without their results */
GPtrArray    *bcs_sync_store_list_runs_sync  (BcsSyncStore  *self,
                                              guint          limit,
                                              GError       **error);
/* One run without its results; NULL (no error) when unknown */
BcsSyncReport *bcs_sync_store_get_run_sync   (BcsSyncStore  *self,
                                              gint64         run_id,
                                              GError       **error);
/* The newest run, with all its results when WITH_RESULTS; NULL (no error)
 * when there is none */
BcsSyncReport *bcs_sync_store_get_last_run_sync (BcsSyncStore *self,
                                                 gboolean      with_results,
                                                 GError      **error);
/* Results of run RUN_ID in insertion order, from OFFSET, at most LIMIT
 * (0: all): a bcs_sync_results_new() array */
GPtrArray    *bcs_sync_store_get_results_sync (BcsSyncStore *self,
                                               gint64        run_id,
                                               guint         offset,
                                               guint         limit,
                                               GError      **error);
/* -1 on error */
gint64        bcs_sync_store_count_results_sync (BcsSyncStore *self,
                                                 gint64        run_id,
                                                 GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSyncPair, bcs_sync_pair_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSyncIntent, bcs_sync_intent_free)

G_END_DECLS
