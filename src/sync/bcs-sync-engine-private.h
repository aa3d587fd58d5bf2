/* bcs-sync-engine-private.h — the state of one run, shared by the engine's files */
#pragma once

#include "bcs-bc-client.h"
#include "bcs-bc-filter.h"
#include "bcs-graph-client.h"
#include "bcs-sync-engine.h"
#include "bcs-sync-planner.h"
#include "bcs-sync-store.h"
#include "bcs-waiter.h"

G_BEGIN_DECLS

/* meta key of this engine: the filter the pairs were synced with; a changed
 * filter makes the next run a full one */
#define BCS_SYNC_META_FILTER "filter"

/* Business Central contact rows per page (Prefer: odata.maxpagesize): the
 * server's maximum, 20,000, so a first sync of 100,000 takes 6 BC requests
 * (21 with 5,000). A page is not parsed as one tree (about 4 KB a row, 80 MB
 * for 20,000) but scanned and parsed 500 rows at a time (bcs-json-page.c):
 * only its body text and one slice's tree are held. Measured with
 * bench-sync (debugoptimized, --realistic-size 0), first sync peak RSS:
 * 100,000 contacts 146 MB (172 MB with 5,000 pages parsed whole), 10,000
 * contacts 39 MB (80 MB); no-change sync of 100,000 0.59–0.93 s on a busy
 * machine (1.07 s before, same machine) */
#define BCS_SYNC_BC_PAGE_SIZE 20000

typedef struct {
  BcsSyncEngine    *engine;
  GMainContext     *context;         /* the worker's thread-default context */
  GCancellable     *cancellable;
  BcsHttp          *http;
  BcsTokenProvider *provider;
  BcsGraphClient   *graph;
  BcsBcClient      *bc;
  BcsSyncStore     *store;
  BcsSyncReport    *report;
  BcsSyncSettings   settings;

  /* configuration */
  char             *company_id;
  char             *folder_id;
  char             *folder_name;
  BcsContactFilter *filter;
  char             *filter_text;     /* the filter as a stable string (meta) */
  char             *odata_filter;    /* NULL: nothing to send */
  gboolean          filter_exact;

  /* what was read */
  GPtrArray        *pairs;           /* BcsSyncPair, as the planner gets them */
  GPtrArray        *pair_keys;       /* incremental: ids only
                                      * (bcs_sync_store_list_pair_keys_sync) */
  GPtrArray        *pair_rows;       /* incremental: the pairs read in full */
  GHashTable       *pairs_by_outlook; /* outlook id → BcsSyncPair (borrowed), built
                                       * on first use: bcs_sync_run_pairs_by_outlook */
  GPtrArray        *bc_contacts;     /* BcsContact, packed (bcs_sync_contact_pack) */
  GHashTable       *bc_ids;          /* incremental: char* set */
  GHashTable       *bc_outside;      /* char* set */
  GPtrArray        *outlook_contacts; /* BcsContact */
  GHashTable       *outlook_raw;     /* outlook id → JsonObject as read */
  GPtrArray        *outlook_removed; /* char* */
  GPtrArray        *intents;         /* BcsSyncIntent still open */
  char             *next_delta_link;
  char             *next_watermark;
  gboolean          delta_expired;   /* incremental: 410, Outlook read in full */
  gboolean          outlook_full;    /* Outlook was read in full */
  gboolean          fresh_scope;     /* dry run in a new company/folder */

  /* incremental: the id listing and the delta round, sent at once
   * (bcs_sync_run_prefetch) and taken by read_bc / read_outlook */
  gboolean          ids_pending;
  BcsWaiter         ids;
  gboolean          delta_pending;
  BcsWaiter         delta;

  /* writing */
  guint             n_done;
  guint             n_total;
  guint             n_outlook_writes; /* Outlook writes that succeeded */
} BcsSyncRun;

/* outlook id → BcsSyncPair of run->pairs, made on first use (a sync with
 * nothing new never needs it) */
GHashTable *bcs_sync_run_pairs_by_outlook (BcsSyncRun *run);

/* Iterates the run's context until WAITER's call called back (a cancelled
 * call too: callers wait for their callbacks); its result, for _finish */
GAsyncResult *bcs_sync_run_wait         (BcsSyncRun      *run,
                                         BcsWaiter       *waiter);
gboolean  bcs_sync_run_check_cancelled  (BcsSyncRun      *run,
                                         GError         **error);
void      bcs_sync_run_progress         (BcsSyncRun      *run,
                                         BcsSyncPhase     phase,
                                         guint            done,
                                         guint            total);

/* bcs-sync-engine-read.c */
/* Incremental: sends Business Central's id listing and Outlook's delta
 * round (DELTA_LINK) now, to run beside the rest of the reading; read_bc
 * and read_outlook take their answers */
void      bcs_sync_run_prefetch         (BcsSyncRun      *run,
                                         const char      *delta_link);
/* Waits for what was prefetched and not taken, and drops it */
void      bcs_sync_run_drop_prefetch    (BcsSyncRun      *run);
gboolean  bcs_sync_run_read_bc          (BcsSyncRun      *run,
                                         const char      *watermark,
                                         GError         **error);
gboolean  bcs_sync_run_read_outlook     (BcsSyncRun      *run,
                                         const char      *delta_link,
                                         GError         **error);
/* incremental: BC contacts sharing an e-mail with new unpaired Outlook contacts */
gboolean  bcs_sync_run_read_bc_by_email (BcsSyncRun      *run,
                                         GError         **error);
/* After the writes: one more delta round; the new link when every change in
 * it is the run's own, else NULL */
char     *bcs_sync_run_catch_up_delta   (BcsSyncRun      *run);
/* Graph GETs of several contacts with the id property, 20 per $batch:
 * outlook id → JsonObject (missing ids are gone) */
GHashTable *bcs_sync_run_get_outlook    (BcsSyncRun      *run,
                                         GPtrArray       *ids,
                                         GError         **error);

/* bcs-sync-engine-intents.c */
gboolean  bcs_sync_run_resolve_intents  (BcsSyncRun      *run,
                                         GError         **error);

/* bcs-sync-engine-write.c: executes PLAN, appending results to run->report */
gboolean  bcs_sync_run_execute          (BcsSyncRun      *run,
                                         BcsSyncPlan     *plan,
                                         GError         **error);

/* Synchronous helpers for single calls in the worker */
JsonObject *bcs_sync_run_graph_send     (BcsSyncRun      *run,
                                         BcsHttpRequest  *request,
                                         GError         **error);
GPtrArray  *bcs_sync_run_bc_list        (BcsSyncRun      *run,
                                         const char      *filter,
                                         GError         **error);
/* The same list handed row by row to ROW_FUNC as each page arrives */
gboolean    bcs_sync_run_bc_each        (BcsSyncRun      *run,
                                         const char      *filter,
                                         BcsBcRowFunc     row_func,
                                         gpointer         row_data,
                                         GError         **error);

G_END_DECLS
