/* bcs-sync-result.h — per-contact results and the run report
 *
 * A run produces one BcsSyncReport: its mode, outcome, times, counts, HTTP
 * request counters and a BcsSyncResult for every contact that had an action,
 * a skip or a failure (unchanged contacts are only counted). The report's
 * JSON is DESIGN.md's "run report" format, byte for byte in its keys:
 *
 *   {"mode", "dry_run", "outcome", "started_at", "finished_at",
 *    "counts": {"outlook_created", "outlook_updated", "outlook_deleted",
 *               "bc_created", "bc_updated", "linked", "unchanged",
 *               "skipped", "failed"},
 *    "requests": {"login", "graph", "bc"},
 *    "contacts": [{"name", "email", "bc_id", "bc_number", "outlook_id",
 *                  "direction", "action", "outcome", "reason", "fields"}]}
 *
 * Unset strings are written as "" (never null). Times are ISO 8601 UTC
 * ("2026-11-24T10:00:00Z").
 *
 * Plain data: a report or result belongs to one thread at a time. */
#pragma once

#include <json-glib/json-glib.h>

#include "bcs-contact.h"

G_BEGIN_DECLS

/* "sync" | "full-sync" */
typedef enum {
  BCS_SYNC_MODE_INCREMENTAL,
  BCS_SYNC_MODE_FULL,
} BcsSyncMode;

/* "none" | "to-outlook" | "to-bc" */
typedef enum {
  BCS_SYNC_DIRECTION_NONE,
  BCS_SYNC_DIRECTION_TO_OUTLOOK,
  BCS_SYNC_DIRECTION_TO_BC,
} BcsSyncDirection;

/* The report's "action": "create" | "update" | "delete" | "recreate" |
 * "link" | "skip". A contact kept in Outlook but unlinked (removal policy
 * keep-unlinked) is reported as "skip" with direction "none" and outcome
 * "skipped" (counted as skipped), its reason saying "…: kept in Outlook, no
 * longer synced": nothing is deleted or written on either side, only the
 * pair is forgotten. */
typedef enum {
  BCS_SYNC_RESULT_CREATE,
  BCS_SYNC_RESULT_UPDATE,
  BCS_SYNC_RESULT_DELETE,
  BCS_SYNC_RESULT_RECREATE,
  BCS_SYNC_RESULT_LINK,
  BCS_SYNC_RESULT_SKIP,
} BcsSyncResultAction;

/* Per contact: "ok" | "skipped" | "failed" | "planned" (dry run) */
typedef enum {
  BCS_SYNC_OUTCOME_OK,
  BCS_SYNC_OUTCOME_SKIPPED,
  BCS_SYNC_OUTCOME_FAILED,
  BCS_SYNC_OUTCOME_PLANNED,
} BcsSyncOutcome;

/* Per run: "ok" | "partial" | "failed" | "braked" | "cancelled"; RUNNING is
 * the store's state of a run that was started and never finished (a crash):
 * it is written as "running" and only appears in the store's history. */
typedef enum {
  BCS_SYNC_RUN_OK,
  BCS_SYNC_RUN_PARTIAL,
  BCS_SYNC_RUN_FAILED,
  BCS_SYNC_RUN_BRAKED,
  BCS_SYNC_RUN_CANCELLED,
  BCS_SYNC_RUN_RUNNING,
} BcsSyncRunOutcome;

/* String forms above; from_string returns -1 for an unknown string */
const char *bcs_sync_mode_to_string          (BcsSyncMode         mode);
int         bcs_sync_mode_from_string        (const char         *text);
const char *bcs_sync_direction_to_string     (BcsSyncDirection    direction);
int         bcs_sync_direction_from_string   (const char         *text);
const char *bcs_sync_result_action_to_string (BcsSyncResultAction action);
int         bcs_sync_result_action_from_string (const char       *text);
const char *bcs_sync_outcome_to_string       (BcsSyncOutcome      outcome);
int         bcs_sync_outcome_from_string     (const char         *text);
const char *bcs_sync_run_outcome_to_string   (BcsSyncRunOutcome   outcome);
int         bcs_sync_run_outcome_from_string (const char         *text);

/* The counts of the report (and of a plan: see bcs-sync-plan.h) */
typedef struct {
  guint outlook_created;
  guint outlook_updated;   /* updates and recreations in Outlook */
  guint outlook_deleted;
  guint bc_created;
  guint bc_updated;
  guint linked;
  guint unchanged;
  guint skipped;
  guint failed;
} BcsSyncCounts;

/* HTTP requests sent (a $batch counts as one) */
typedef struct {
  guint login;
  guint graph;
  guint bc;
} BcsSyncRequests;

/* One contact's result. Every string is nullable (written as ""). */
typedef struct {
  char                *name;        /* display name */
  char                *email;
  char                *bc_id;
  char                *bc_number;
  char                *outlook_id;
  BcsSyncDirection     direction;
  BcsSyncResultAction  action;
  BcsSyncOutcome       outcome;
  char                *reason;      /* translated sentence for people */
  BcsFieldMask         fields;      /* the fields written (update, link) */
  char                *changes;     /* nullable: each written field's value
                                     * before and after, see
                                     * bcs-sync-result-changes.h; kept in the
                                     * store, not in the report or CSV */
} BcsSyncResult;

#define BCS_TYPE_SYNC_RESULT (bcs_sync_result_get_type ())
GType          bcs_sync_result_get_type  (void) G_GNUC_CONST;
BcsSyncResult *bcs_sync_result_new       (void);
BcsSyncResult *bcs_sync_result_copy      (const BcsSyncResult *result);
void           bcs_sync_result_free      (BcsSyncResult       *result);
/* A GPtrArray that frees its BcsSyncResult elements */
GPtrArray     *bcs_sync_results_new      (void);
/* Adds RESULT's effect to COUNTS: failed → failed, skipped (or action
 * skip) → skipped; ok or planned → by action and direction (create to
 * Outlook → outlook_created, update/recreate to Outlook → outlook_updated,
 * delete to Outlook → outlook_deleted, create to BC → bc_created, update to
 * BC → bc_updated, link → linked; delete with direction none is not
 * counted). */
void           bcs_sync_counts_add_result (BcsSyncCounts       *counts,
                                           const BcsSyncResult *result);

/* One run */
typedef struct {
  gint64             id;            /* the store's run id; 0 when not stored */
  BcsSyncMode        mode;
  gboolean           dry_run;
  BcsSyncRunOutcome  outcome;
  gint64             started_at;    /* Unix time, seconds, UTC */
  gint64             finished_at;   /* 0: not finished */
  BcsSyncCounts      counts;
  BcsSyncRequests    requests;
  char              *message;       /* nullable: why the run failed/braked, for people */
  GPtrArray         *results;       /* BcsSyncResult; never NULL (may be empty,
                                     * e.g. when listed from the store without
                                     * its results) */
} BcsSyncReport;

#define BCS_TYPE_SYNC_REPORT (bcs_sync_report_get_type ())
GType          bcs_sync_report_get_type  (void) G_GNUC_CONST;
/* outcome RUNNING, started_at 0: the caller sets it */
BcsSyncReport *bcs_sync_report_new       (BcsSyncMode          mode,
                                          gboolean             dry_run);
/* The copy shares REPORT's results array (a reference): a report's results
 * are read-only once its run has ended; never add to a copy's */
BcsSyncReport *bcs_sync_report_copy      (const BcsSyncReport *report);
void           bcs_sync_report_free      (BcsSyncReport       *report);

/* Appends RESULT (taken) and counts it (bcs_sync_counts_add_result). */
void           bcs_sync_report_add_result (BcsSyncReport      *report,
                                           BcsSyncResult      *result);

/* The run outcome that the results imply for a run that ran to its end:
 * "failed" when every attempted write failed (and there was at least one),
 * "partial" when some failed, "ok" otherwise. Braked and cancelled runs are
 * set by the engine. */
BcsSyncRunOutcome bcs_sync_report_compute_outcome (const BcsSyncReport *report);

/* DESIGN.md's run report */
JsonNode      *bcs_sync_report_to_json_node (const BcsSyncReport *report);
/* One element of its "contacts" */
JsonNode      *bcs_sync_result_to_json_node (const BcsSyncResult *result);
/* … as text, pretty-printed when PRETTY: json_to_string() of the node,
 * byte for byte, but written contact by contact (bcs-sync-report-json.c) */
char          *bcs_sync_report_to_json   (const BcsSyncReport *report,
                                          gboolean             pretty);
/* The same bytes written to STREAM as they are made: no tree, no whole text
 * in memory (a report of 100,000 contacts) */
gboolean       bcs_sync_report_write_json (const BcsSyncReport *report,
                                           gboolean             pretty,
                                           GOutputStream       *stream,
                                           GError             **error);
/* The pretty JSON, then TRAILER (nullable, e.g. "\n"), to PATH: atomic (a
 * temporary file renamed into place), streamed */
gboolean       bcs_sync_report_save_json (const BcsSyncReport *report,
                                          const char          *path,
                                          const char          *trailer,
                                          GError             **error);
/* The results as CSV: a header row
 *   name,email,bc_id,bc_number,outlook_id,direction,action,outcome,reason,fields
 * then one row per result; RFC 4180 (CRLF line ends, fields with comma,
 * quote, CR or LF quoted, quotes doubled); "fields" joined with ";". UTF-8. */
char          *bcs_sync_results_to_csv   (GPtrArray           *results);
/* Writes the report to PATH: CSV of its results when PATH ends in ".csv"
 * (case-insensitive), else the report JSON. Atomic (g_file_set_contents). */
gboolean       bcs_sync_report_export    (const BcsSyncReport *report,
                                          const char          *path,
                                          GError             **error);
/* A few translated lines for the CLI: the outcome ("Sync finished.",
 * "Dry run finished: nothing was written.", "Sync stopped by the safety
 * brake: nothing was written.", …), then one indented line per non-zero
 * count ("Created 12 contacts in Outlook", or "Would create …" for a dry
 * run or a braked run), then report->message if set. Ends with "\n". */
char          *bcs_sync_report_format_summary (const BcsSyncReport *report);

/* ISO 8601 UTC of a Unix time, "" for 0 */
char          *bcs_sync_format_time      (gint64               unix_time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSyncResult, bcs_sync_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSyncReport, bcs_sync_report_free)

G_END_DECLS
