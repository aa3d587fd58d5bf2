/* bcs-sync-result-changes.h — each written field's value before and after
 *
 * An update or link result says which fields were written (result->fields);
 * result->changes adds their values before and after, so that the details
 * dialog and the Preview can show "Old → New". The text is compact JSON in
 * field order, a field name mapped to [before, after], null for unset:
 *
 *   {"email":["old@example.com","new@example.com"],"phone":[null,"+49 …"]}
 *
 * It is kept in the store's results table; the run report and the CSV
 * export do not carry it (DESIGN.md's formats do not change). */
#pragma once

#include "bcs-sync-plan.h"
#include "bcs-sync-result.h"

G_BEGIN_DECLS

/* One field's change. Values are NULL when unset. */
typedef struct {
  BcsContactField  field;
  char            *before;
  char            *after;
} BcsSyncChange;

void           bcs_sync_change_free          (BcsSyncChange       *change);

/* Sets RESULT's changes to the FIELDS of BEFORE and AFTER (NULL stands for
 * an empty contact); no fields → no changes (NULL). */
void           bcs_sync_result_set_changes   (BcsSyncResult       *result,
                                              const BcsContact    *before,
                                              const BcsContact    *after,
                                              BcsFieldMask         fields);
/* The changes of RESULT in field order (BcsSyncChange): empty when it has
 * none or when its text cannot be read (a damaged store is not fatal) */
GPtrArray     *bcs_sync_result_list_changes  (const BcsSyncResult *result);

/* Sets the changes of RESULT, one row of ACTION (bcs_sync_action_to_results):
 * for updates and links, the written side's values as read (or, when that
 * side was not read, the pair's last-synced values, which it still holds)
 * before, and action->merged after. Other rows, and rows whose "before" is
 * not known, get none. */
void           bcs_sync_result_set_action_changes (BcsSyncResult       *result,
                                                   const BcsSyncAction *action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSyncChange, bcs_sync_change_free)

G_END_DECLS
