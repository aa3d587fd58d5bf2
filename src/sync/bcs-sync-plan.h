/* bcs-sync-plan.h — what a run will do: ordered actions with reasons
 *
 * The planner (bcs-sync-planner.h) produces a BcsSyncPlan; the engine
 * executes its actions in order and turns each into result rows
 * (bcs_sync_action_to_results). A plan is immutable once built (only the
 * planner adds actions) and belongs to one thread at a time.
 *
 * Order of the actions: link, recreate-outlook, update-outlook,
 * create-outlook, delete-outlook, unlink, update-bc, create-bc, skip, none;
 * within a kind, in the order the planner met the contacts.
 *
 * Ids: action->merged always carries the ids to write to (bc_id, and the
 * Outlook id / change key of a paired contact, taken from the pair when
 * Outlook was not read: in incremental mode action->outlook is NULL for an
 * Outlook contact that did not change). action->pair is the pair as stored.
 *
 * What the engine does per kind (BC = Business Central):
 *   create-outlook    create action->bc in Outlook (commit a 'creating'
 *                     intent first); on success put a pair of action->bc
 *                     with the new Outlook id.
 *   update-outlook    PATCH the Outlook contact action->merged->outlook_id
 *                     with action->to_outlook fields of action->merged; then
 *                     put the pair (synced = action->merged).
 *   recreate-outlook  as create-outlook (the Outlook copy was removed).
 *   delete-outlook    remove action->outlook->outlook_id (always set; commit a
 *                     'deleting' intent first); then delete action->pair (if
 *                     any). Also used for duplicates (pair NULL).
 *   unlink            delete action->pair only; the Outlook contact stays
 *                     (action->kept: by the removal policy keep-unlinked,
 *                     else it is gone already).
 *   link              pair action->bc with action->outlook (action->bc is NULL
 *                     when BC was not read: incremental, an Outlook contact
 *                     carrying the id of an unchanged BC contact; then pair it
 *                     with merged = the Outlook values), then PATCH
 *                     Outlook with action->to_outlook fields of action->merged
 *                     (BC wins; also sets the id properties and category,
 *                     which the engine always sends on link); put the pair.
 *   create-bc         create action->outlook in BC as a Person (commit an
 *                     'importing' intent first); then PATCH the Outlook
 *                     contact's id properties and put the pair.
 *   update-bc         PATCH BC (action->pair->bc_id, If-Match the etag) with
 *                     action->to_bc fields of action->merged. When
 *                     action->to_outlook is not 0 as well (two-way merge,
 *                     fields changed on both sides), also PATCH Outlook with
 *                     those; put the pair (synced = action->merged) only when
 *                     every write of the action succeeded.
 *   skip              nothing; reported.
 *   none              nothing written; counted as unchanged. When action->pair
 *                     and action->merged are set, the engine may refresh the
 *                     pair's stamps (etag, change key, hashes) from
 *                     action->merged: its synced fields are the pair's
 *                     last-synced values. Incremental pairs where neither
 *                     side was read get no action at all, only a count
 *                     (bcs_sync_plan_add_unchanged). An Outlook contact kept
 *                     unlinked (keep-unlinked) is a none with no pair.
 *
 * Brake: when bcs_sync_plan_is_braked(), the engine writes nothing, reports
 * every action as planned with run outcome "braked" (exit code 3). */
#pragma once

#include <glib-object.h>

#include "bcs-contact.h"
#include "bcs-contact-check.h"
#include "bcs-sync-result.h"
#include "bcs-sync-store.h"

G_BEGIN_DECLS

typedef enum {
  BCS_SYNC_ACTION_LINK,              /* "link" */
  BCS_SYNC_ACTION_RECREATE_OUTLOOK,  /* "recreate-outlook" */
  BCS_SYNC_ACTION_UPDATE_OUTLOOK,    /* "update-outlook" */
  BCS_SYNC_ACTION_CREATE_OUTLOOK,    /* "create-outlook" */
  BCS_SYNC_ACTION_DELETE_OUTLOOK,    /* "delete-outlook" */
  BCS_SYNC_ACTION_UNLINK,            /* "unlink" */
  BCS_SYNC_ACTION_UPDATE_BC,         /* "update-bc" */
  BCS_SYNC_ACTION_CREATE_BC,         /* "create-bc" */
  BCS_SYNC_ACTION_SKIP,              /* "skip" */
  BCS_SYNC_ACTION_NONE,              /* "none": unchanged */
} BcsSyncActionKind;

const char *bcs_sync_action_kind_to_string (BcsSyncActionKind kind);

/* Packed contacts: a copy of a BcsContact in ONE allocation (the struct and
 * its strings), freed with g_free(), never with bcs_contact_free(), and
 * never modified. About half the memory of a bcs_contact_copy() (one
 * allocation instead of twenty): what the engine holds of 100,000 contacts
 * between reading and writing. bcs_contact_copy() of it is an ordinary
 * contact. */
BcsContact    *bcs_sync_contact_pack      (const BcsContact *contact);
/* Packs CONTACT and frees it (bcs_contact_free) */
BcsContact    *bcs_sync_contact_pack_take (BcsContact       *contact);
/* Every member equal (ids and stamps too), NULL equal to NULL */
gboolean       bcs_sync_contact_identical (const BcsContact *a,
                                           const BcsContact *b);

/* One action. Every pointer member is nullable and owned by the action;
 * when PACKED, bc, outlook and merged are packed contacts (the planner's
 * actions) and merged may be the very same pointer as bc (a creation
 * writes the contact as read). */
typedef struct {
  BcsSyncActionKind  kind;
  BcsSyncDirection   direction;    /* to-outlook | to-bc | none */
  BcsContact        *bc;           /* the BC contact as read (or the pair's
                                    * last-synced values when BC was not read) */
  BcsContact        *outlook;      /* the Outlook contact as read */
  BcsSyncPair       *pair;         /* the existing pair */
  BcsContact        *merged;       /* the values both sides hold after the
                                    * action: what is written and stored as
                                    * the pair's last-synced values */
  BcsFieldMask       to_outlook;   /* fields written to Outlook */
  BcsFieldMask       to_bc;        /* fields written to BC */
  BcsSkipReason      skip;         /* skip: the eligibility code (NONE for
                                    * other skips, e.g. an open intent) */
  char              *reason;       /* translated sentence for people */
  gboolean           packed;       /* see above */
  gboolean           kept;         /* unlink: the Outlook contact stays,
                                    * no longer synced (keep-unlinked) */
} BcsSyncAction;

BcsSyncAction *bcs_sync_action_new  (BcsSyncActionKind    kind);
void           bcs_sync_action_free (BcsSyncAction       *action);

/* The name shown in results: merged, else bc, else outlook display name */
const char    *bcs_sync_action_get_name (const BcsSyncAction *action);

/* Appends the report rows of ACTION to RESULTS with OUTCOME (ok, failed,
 * planned; skip actions always get skipped): none → no row; update-bc with
 * to_outlook too → two rows (to-bc, then to-outlook); else one row.
 * delete-outlook → "delete" to-outlook; unlink → "delete" direction none
 * (the pair of a contact gone from both sides is forgotten), but a kept
 * unlink (keep-unlinked: the Outlook contact stays, no longer synced) →
 * "skip" direction none, outcome skipped (failed when the store write
 * failed), counted as skipped: nothing is written to either side;
 * recreate → "recreate"; link → "link" with the to_outlook fields. */
void           bcs_sync_action_to_results (const BcsSyncAction *action,
                                           BcsSyncOutcome       outcome,
                                           GPtrArray           *results);

#define BCS_TYPE_SYNC_PLAN (bcs_sync_plan_get_type ())
G_DECLARE_FINAL_TYPE (BcsSyncPlan, bcs_sync_plan, BCS, SYNC_PLAN, GObject)

BcsSyncPlan   *bcs_sync_plan_new             (BcsSyncMode mode);
BcsSyncMode    bcs_sync_plan_get_mode        (BcsSyncPlan *self);
/* Takes ACTION; keeps the order of the kinds above (the planner's use) */
void           bcs_sync_plan_add_action      (BcsSyncPlan   *self,
                                              BcsSyncAction *action);
guint          bcs_sync_plan_get_n_actions   (BcsSyncPlan *self);
/* In execution order */
const BcsSyncAction *bcs_sync_plan_get_action (BcsSyncPlan *self,
                                               guint        index);
/* Counts N pairs as unchanged without an action (incremental mode: neither
 * side was read, nothing to do or refresh) */
void           bcs_sync_plan_add_unchanged   (BcsSyncPlan *self,
                                              guint        n);
/* Number of actions of KIND */
guint          bcs_sync_plan_count_kind      (BcsSyncPlan       *self,
                                              BcsSyncActionKind  kind);
/* The counts the plan would produce if every write succeeded (unchanged and
 * skipped included): what a dry run reports */
const BcsSyncCounts *bcs_sync_plan_get_counts (BcsSyncPlan *self);

/* The brake (set by the planner) */
void           bcs_sync_plan_set_brake       (BcsSyncPlan *self,
                                              guint        n_paired,
                                              gboolean     exceeds,
                                              gboolean     braked);
/* Removals from Outlook (delete-outlook actions) */
guint          bcs_sync_plan_get_n_removals  (BcsSyncPlan *self);
/* Pairs in the store when planning */
guint          bcs_sync_plan_get_n_paired    (BcsSyncPlan *self);
/* The removals pass the threshold (whether or not mass delete is allowed) */
gboolean       bcs_sync_plan_exceeds_brake   (BcsSyncPlan *self);
/* The threshold is passed and mass delete is not allowed: write nothing */
gboolean       bcs_sync_plan_is_braked       (BcsSyncPlan *self);
/* A translated sentence for a braked plan, e.g. "The sync would remove 40
 * of 100 contacts from Outlook …"; NULL when not braked */
char          *bcs_sync_plan_dup_brake_message (BcsSyncPlan *self);

/* Every row of the plan with OUTCOME (a dry run: planned), appended to
 * REPORT with its counts (the plan's counts, unchanged included). */
void           bcs_sync_plan_fill_report     (BcsSyncPlan   *self,
                                              BcsSyncReport *report,
                                              BcsSyncOutcome outcome);

G_END_DECLS
