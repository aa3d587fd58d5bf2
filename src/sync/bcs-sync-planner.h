/* bcs-sync-planner.h — the sync rules of SYNC-SPEC.md, as a pure function
 *
 * bcs_sync_planner_plan (snapshot, settings) → BcsSyncPlan. No I/O, no clock,
 * no global state: the same input always gives the same plan. Safe in any
 * thread.
 *
 * Input contract (BcsSyncSnapshot; the engine fills it):
 *
 *   pairs        every pair of the store (BcsSyncPair).
 *   bc_contacts  full mode: every BC contact of the filtered set (the user's
 *                filter already applied, by the server or locally), of any
 *                type/privacy: the planner checks eligibility itself
 *                (bcs_contact_check_to_outlook).
 *                incremental mode: the filtered contacts changed since the
 *                watermark, PLUS (looked up within the filtered set) the BC
 *                contacts whose e-mail equals the e-mail of a new unpaired
 *                Outlook contact, so that such a contact is linked, not
 *                imported twice, and the BC contacts whose id a new unpaired
 *                Outlook contact carries (without them, such a contact is
 *                linked from its Outlook values: the link action then has
 *                bc == NULL and merged = the Outlook contact).
 *   bc_ids       incremental mode only: the set (char* → anything) of ids
 *                currently in the filtered set. A paired id not in it was
 *                deleted or left the filter. Full mode: NULL (the ids of
 *                bc_contacts are the set).
 *   bc_outside_filter  optional set of ids known to exist in BC but outside
 *                the filter: only used to give a better reason.
 *   outlook_contacts  full mode: every contact in the folder; incremental
 *                mode: the delta's new and changed contacts.
 *   outlook_removed   incremental mode: ids the delta reported removed
 *                (char*). Full mode: ignored (a paired Outlook id absent
 *                from outlook_contacts was removed).
 *   intents      the open intents (BcsSyncIntent) left after the engine
 *                resolved them. Contract: the engine resolves every intent
 *                before planning (link when found, else remove the intent
 *                and let the planner plan the write again); an intent still
 *                present means it could not be resolved, and the planner
 *                then never plans a second write for it: a BC contact with
 *                an open 'creating' intent and an Outlook contact with an
 *                open 'importing' intent are skipped with a reason; an
 *                Outlook contact with an open 'deleting' intent is deleted
 *                (again), never recreated or imported.
 *
 * Rules (SYNC-SPEC.md "Rules"; a BC contact is eligible when
 * bcs_contact_check_to_outlook says so; pairing is by id, e-mail only to
 * adopt unpaired contacts; e-mails are compared by bcs_contact_get_email_key):
 *   - BC eligible, no pair, no Outlook contact with its id or e-mail →
 *     create-outlook.
 *   - BC eligible, no pair, an unpaired Outlook contact carries its id, or
 *     (first contact) has the same e-mail → link (BC wins: to_outlook = the
 *     differing fields). Two unpaired Outlook contacts with the same e-mail:
 *     only one is linked.
 *   - BC not eligible, not paired → skip with the eligibility reason.
 *   - pair, BC changed (hash differs from bc_hash / fields differ from the
 *     last-synced values) → update-outlook with the changed fields.
 *   - pair, Outlook changed only, bc-wins → full mode: update-outlook
 *     (Outlook is overwritten); incremental mode: none (overwritten at the
 *     next full sync or BC change).
 *   - pair, Outlook changed, two-way-merge → bcs_contact_merge: update-bc
 *     with the fields changed only in Outlook (plus to_outlook for fields BC
 *     changed), BC wins on both-sides changes.
 *   - pair, Outlook contact removed, BC still eligible → recreate-outlook.
 *   - pair, BC deleted or no longer eligible (filter, type, e-mail,
 *     privacy) → delete-outlook (removal policy remove) or unlink with
 *     kept set (keep-unlinked; reported "skip", direction "none"). If the
 *     Outlook contact is gone too: unlink (reported "delete", "none").
 *     Reasons: "No longer matches the filter" / "Deleted in Business
 *     Central" when bc_outside_filter is given, else "Deleted in Business
 *     Central or no longer matches the filter"; "No longer synced: <the
 *     eligibility message>".
 *   - Outlook contact not paired, no id property, eligible from Outlook
 *     (bcs_contact_check_from_outlook) → create-bc; if a BC contact has the
 *     same e-mail → link instead (BC wins); not eligible → skip.
 *   - Outlook contact carrying an id whose BC contact is gone (or no longer
 *     eligible) → delete-outlook; under keep-unlinked: none (it stays, not
 *     synced, not reported).
 *   - an unpaired Outlook contact whose e-mail belongs to a BC contact that
 *     is already paired, or not eligible → skip (never a second BC copy).
 *   - two Outlook contacts carrying the same BC id → the paired (or first)
 *     one is kept, the other delete-outlook ("duplicate"), whatever the
 *     removal policy.
 *   - both sides unchanged → none (counted unchanged).
 *   - A BC contact is never deleted: no such action exists.
 *
 * Brake: removals = delete-outlook actions; with P = pairs in the store,
 * the plan exceeds the brake when removals * 100 > brake_percent * P and
 * removals >= brake_minimum; it is braked when it exceeds and
 * allow_mass_delete is FALSE. */
#pragma once

#include <gio/gio.h>

#include "bcs-sync-plan.h"
#include "bcs-sync-store.h"

G_BEGIN_DECLS

/* GSettings "conflict-policy" */
typedef enum {
  BCS_CONFLICT_BC_WINS,         /* "bc-wins" (default) */
  BCS_CONFLICT_TWO_WAY_MERGE,   /* "two-way-merge" */
} BcsConflictPolicy;

/* GSettings "removal-policy" */
typedef enum {
  BCS_REMOVAL_REMOVE,           /* "remove" (default) */
  BCS_REMOVAL_KEEP_UNLINKED,    /* "keep-unlinked" */
} BcsRemovalPolicy;

/* -1 for an unknown string */
int         bcs_conflict_policy_from_string (const char *text);
const char *bcs_conflict_policy_to_string   (BcsConflictPolicy policy);
int         bcs_removal_policy_from_string  (const char *text);
const char *bcs_removal_policy_to_string    (BcsRemovalPolicy policy);

typedef struct {
  BcsSyncMode        mode;
  BcsConflictPolicy  conflict_policy;
  BcsRemovalPolicy   removal_policy;
  guint              brake_percent;      /* GSettings "brake-percent" (i), 1..100 */
  guint              brake_minimum;      /* GSettings "brake-minimum" (i) */
  gboolean           allow_mass_delete;  /* --allow-mass-delete, or the user agreed */
  gboolean           dry_run;            /* only informs the plan; it plans the same */
} BcsSyncSettings;

/* Defaults: incremental, bc-wins, remove, 10 %, 25, no mass delete, no dry run */
void bcs_sync_settings_init (BcsSyncSettings *settings);
/* Reads conflict-policy, removal-policy, brake-percent, brake-minimum from a
 * profile's GSettings (io.github.bccontactsync.ContactSync.Profile); MODE,
 * ALLOW_MASS_DELETE and DRY_RUN are left as they are. */
void bcs_sync_settings_load  (BcsSyncSettings *settings,
                              GSettings       *profile_settings);

/* See the input contract above. The arrays and tables are borrowed; NULL
 * members are empty. */
typedef struct {
  GPtrArray  *pairs;              /* BcsSyncPair */
  GPtrArray  *bc_contacts;        /* BcsContact */
  GHashTable *bc_ids;             /* incremental: char* set; full: NULL */
  GHashTable *bc_outside_filter;  /* optional char* set */
  GPtrArray  *outlook_contacts;   /* BcsContact */
  GPtrArray  *outlook_removed;    /* incremental: char* */
  GPtrArray  *intents;            /* BcsSyncIntent */
} BcsSyncSnapshot;

BcsSyncPlan *bcs_sync_planner_plan (const BcsSyncSnapshot *snapshot,
                                    const BcsSyncSettings *settings);

G_END_DECLS
