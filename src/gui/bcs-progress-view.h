/* bcs-progress-view.h — a running sync: phase, counts, progress bar, Cancel */
#pragma once

#include <adwaita.h>

#include "bcs-sync-engine.h"

G_BEGIN_DECLS

#define BCS_TYPE_PROGRESS_VIEW (bcs_progress_view_get_type ())
G_DECLARE_FINAL_TYPE (BcsProgressView, bcs_progress_view, BCS, PROGRESS_VIEW, GtkWidget)

/* What the view shows for one progress report (pure: tested without a display) */
typedef struct {
  char    *status;      /* "Writing: 40 of 120 contacts", the throttling wait… */
  double   fraction;    /* 0…1 when known */
  gboolean pulse;       /* the amount of work is not known yet */
  gboolean waiting;     /* a throttling wait (counted down) */
} BcsProgressState;

void        bcs_progress_state_compute (const BcsSyncProgress *progress,
                                        BcsProgressState      *state);
void        bcs_progress_state_clear   (BcsProgressState      *state);

GtkWidget  *bcs_progress_view_new      (void);
/* A new run: TITLE ("Syncing…", "Previewing…"), nothing done yet */
void        bcs_progress_view_start    (BcsProgressView       *self,
                                        const char            *title);
void        bcs_progress_view_update   (BcsProgressView       *self,
                                        const BcsSyncProgress *progress);
const char *bcs_progress_view_get_status (BcsProgressView     *self);

G_END_DECLS
