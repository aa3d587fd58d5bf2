/* bcs-result-object.h — one per-contact result as an item of a GListModel */
#pragma once

#include <glib-object.h>

#include "bcs-sync-result.h"

G_BEGIN_DECLS

#define BCS_TYPE_RESULT_OBJECT (bcs_result_object_get_type ())
G_DECLARE_FINAL_TYPE (BcsResultObject, bcs_result_object, BCS, RESULT_OBJECT, GObject)

/* Row INDEX of RESULTS (BcsSyncResult; the array is referenced, not copied:
 * the rows of a run share it) */
BcsResultObject     *bcs_result_object_new        (GPtrArray       *results,
                                                   guint            index);
const BcsSyncResult *bcs_result_object_get_result (BcsResultObject *self);
/* The row's index in its results array */
guint                bcs_result_object_get_index  (BcsResultObject *self);

G_END_DECLS
