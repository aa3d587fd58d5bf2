/* bcs-sync-planner-private.h — the planner's working state, shared by its files */
#pragma once

#include "bcs-sync-planner.h"

G_BEGIN_DECLS

/* The planner's working state */
typedef struct {
  const BcsSyncSnapshot *snap;
  const BcsSyncSettings *settings;
  BcsSyncPlan *plan;

  GHashTable *pair_by_bc;          /* bc_id → BcsSyncPair (borrowed); use
                                    * bcs_planner_pair_by_bc(): made on demand */
  GHashTable *pair_by_outlook;     /* outlook_id → BcsSyncPair; likewise */
  GHashTable *bc_by_id;            /* bc_id → BcsContact */
  GHashTable *bc_by_email;         /* email key (owned) → BcsContact, first wins */
  GHashTable *paired_email;        /* email key (owned) → bc_id of a pair */
  GHashTable *outlook_by_id;       /* outlook_id → BcsContact */
  GHashTable *outlook_keeper;      /* bc_id (property) → the Outlook contact kept */
  GHashTable *outlook_by_email;    /* email key (owned) → GPtrArray of Outlook
                                    * contacts without an id property */
  GHashTable *outlook_removed;     /* incremental: outlook ids removed */
  GHashTable *handled_outlook;     /* outlook ids consumed by an action */
  GHashTable *handled_bc;          /* bc ids consumed by an action */
  GHashTable *creating;            /* bc ids with an open 'creating' intent */
  GHashTable *importing;           /* outlook ids with an open 'importing' intent */
  GHashTable *deleting;            /* outlook ids with an open 'deleting' intent */
} Planner;

guint          bcs_planner_len            (GPtrArray         *array);
GHashTable    *bcs_planner_pair_by_bc     (Planner           *p);
GHashTable    *bcs_planner_pair_by_outlook (Planner          *p);
/* An action with its direction; MERGED and REASON are taken */
BcsSyncAction *bcs_planner_new_action     (BcsSyncActionKind  kind,
                                           const BcsContact  *bc,
                                           const BcsContact  *outlook,
                                           const BcsSyncPair *pair,
                                           BcsContact        *merged,
                                           char              *reason);
/* Adds ACTION to the plan (after its masks are set: they are counted) */
void           bcs_planner_push           (Planner           *p,
                                           BcsSyncAction     *action);
void           bcs_planner_add            (Planner           *p,
                                           BcsSyncActionKind  kind,
                                           const BcsContact  *bc,
                                           const BcsContact  *outlook,
                                           const BcsSyncPair *pair,
                                           BcsContact        *merged,
                                           char              *reason);
gboolean       bcs_planner_bc_in_set      (Planner           *p,
                                           const char        *bc_id);
char          *bcs_planner_gone_reason    (Planner           *p,
                                           const char        *bc_id);
/* WHY is taken */
char          *bcs_planner_removal_reason (Planner           *p,
                                           char              *why);
void           bcs_planner_add_email      (GHashTable        *table,
                                           const BcsContact  *contact,
                                           gpointer           value);
const char    *bcs_planner_number_or_id   (const char        *number,
                                           const char        *id);
/* A copy of VALUES with BC's ids and etag and Outlook's id and change key */
BcsContact    *bcs_planner_merged_from    (const BcsContact  *values,
                                           const BcsContact  *bc,
                                           const BcsContact  *outlook);

/* Step 3: BC contacts without a pair */
void           bcs_planner_plan_new_bc      (Planner *p);
/* Step 4: Outlook contacts without a pair */
void           bcs_planner_plan_new_outlook (Planner *p);

G_END_DECLS
