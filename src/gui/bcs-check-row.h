/* bcs-check-row.h — one connection check in Exchange Sync. Setup: status icon, title, message, hint */
#pragma once

#include <adwaita.h>

#include "bcs-connection-check.h"

G_BEGIN_DECLS

#define BCS_TYPE_CHECK_ROW (bcs_check_row_get_type ())
G_DECLARE_FINAL_TYPE (BcsCheckRow, bcs_check_row, BCS, CHECK_ROW, AdwActionRow)

/* The icon of STATUS (✓ ✗ ! –) and what it says to a screen reader */
const char     *bcs_check_status_icon_name   (BcsCheckStatus                  status);
const char     *bcs_check_status_label       (BcsCheckStatus                  status);

GtkWidget      *bcs_check_row_new            (const BcsConnectionCheckResult *result);
BcsCheckStatus  bcs_check_row_get_status     (BcsCheckRow                    *self);
const char     *bcs_check_row_get_check_id   (BcsCheckRow                    *self);
const char     *bcs_check_row_get_message    (BcsCheckRow                    *self);
const char     *bcs_check_row_get_hint       (BcsCheckRow                    *self);

G_END_DECLS
