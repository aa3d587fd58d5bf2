/* bcs-result-details.h — the details dialog of one contact's result
 *
 * What was done, each changed field's value before and after (when the run
 * recorded them: bcs-sync-result-changes.h), and for a failure the error
 * and what to do. The text functions are pure (tested without a display);
 * bcs_result_details_present() builds the dialog from them. */
#pragma once

#include <adwaita.h>

#include "bcs-sync-result-changes.h"

G_BEGIN_DECLS

/* Values longer than this many characters are cut with "…" for display */
#define BCS_RESULT_DETAILS_MAX_CHARS 500

/* VALUE for display: "(empty)" for NULL or "", cut after MAX_CHARS
 * characters (UTF-8 safe) */
char       *bcs_result_details_value_text    (const char          *value,
                                              guint                max_chars);
/* The dialog's heading: the contact's name, cut, or "Unnamed Contact" */
char       *bcs_result_details_heading       (const BcsSyncResult *result);
/* Above the changes: "Changed in Outlook", "To change in Business
 * Central" (planned), "Not changed in Outlook" (failed) … */
const char *bcs_result_details_changes_title (const BcsSyncResult *result);
/* One change for a screen reader: "City: Bonn, changed to Köln" */
char       *bcs_result_details_describe_change (const BcsSyncChange *change);
/* The dialog's body (bcs_results_describe_details), without the list of
 * fields written when the changes show them */
char       *bcs_result_details_body          (const BcsSyncResult *result);

/* Presents the dialog for RESULT (copied) over PARENT (nullable) */
GtkWidget  *bcs_result_details_present       (GtkWindow           *parent,
                                              const BcsSyncResult *result);

G_END_DECLS
