/* bcs-overview.h — both sides at a glance, the last sync, Sync / Full Sync / Preview */
#pragma once

#include <adwaita.h>

#include "bcs-profile.h"
#include "bcs-sync-result.h"

G_BEGIN_DECLS

#define BCS_TYPE_OVERVIEW (bcs_overview_get_type ())
G_DECLARE_FINAL_TYPE (BcsOverview, bcs_overview, BCS, OVERVIEW, GtkWidget)

/* The last sync for people (pure): "Never synced" with REPORT NULL, else
 * e.g. "Today at 10:04 — finished: 12 changes" */
char      *bcs_overview_describe_last_run (const BcsSyncReport *report,
                                           GDateTime           *now);

GtkWidget *bcs_overview_new               (void);
/* Reads company, environment, account and folder from PROFILE's settings
 * (and follows them) */
void       bcs_overview_set_profile       (BcsOverview         *self,
                                           BcsProfile          *profile);
/* REPORT: the last run (NULL: none yet) */
void       bcs_overview_set_last_run      (BcsOverview         *self,
                                           const BcsSyncReport *report);
const char *bcs_overview_get_last_run_text (BcsOverview        *self);

G_END_DECLS
