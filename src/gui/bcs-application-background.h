/* bcs-application-background.h — automatic sync in the application
 *
 * The primary instance keeps one BcsScheduler per profile that has
 * automatic sync on (the main schema's "profiles"), runs their syncs
 * through a BcsSyncService, notifies failed, braked and signed-out runs,
 * and holds the application while any profile syncs automatically: closing
 * the window leaves it running; turning the last one off lets it quit.
 * --background starts it without a window; --background --profile NAME
 * watches NAME only. Runs made elsewhere in the application (the window)
 * are recorded by the profile's scheduler: a success starts the interval
 * over, a failure counts towards the back-off like a failed automatic run.
 * Actions: app.show-results and app.setup, each with a profile name. */
#pragma once

#include "bcs-application.h"
#include "bcs-scheduler.h"
#include "bcs-sync-result.h"

G_BEGIN_DECLS

/* What a background run tells the user */
typedef enum {
  BCS_BACKGROUND_NOTICE_NONE,      /* another run was going on, or cancelled */
  BCS_BACKGROUND_NOTICE_WITHDRAW,  /* it worked (some contacts may have failed:
                                    * the history says which): an earlier
                                    * notice is stale */
  BCS_BACKGROUND_NOTICE_SIGN_IN,   /* the sign-in expired: app.setup */
  BCS_BACKGROUND_NOTICE_BRAKED,    /* the safety brake stopped it: app.show-results */
  BCS_BACKGROUND_NOTICE_FAILED,    /* it failed: app.show-results */
} BcsBackgroundNotice;

BcsBackgroundNotice  bcs_background_notice_for_run    (const BcsSyncReport *report,
                                                       const GError        *error);
/* The action (with the profile name as its target) a notice opens, or NULL */
const char          *bcs_background_notice_get_action (BcsBackgroundNotice  notice);
/* The notification, or NULL for NONE and WITHDRAW */
GNotification       *bcs_background_notification_new  (BcsBackgroundNotice  notice,
                                                       const char          *profile,
                                                       const BcsSyncReport *report,
                                                       const GError        *error);

/* From startup: the actions, and the schedulers of the profiles */
void      bcs_application_background_startup       (BcsApplication *app);
/* From handle-local-options for --background: an exit code, or -1 to go
 * on (the first activation then opens no window) */
int       bcs_application_background_handle_local  (BcsApplication *app);
/* From activate: TRUE when this activation is the --background start
 * (no window) */
gboolean  bcs_application_background_take_activation (BcsApplication *app);

/* How a run that the window made counts for the automatic sync */
typedef enum {
  BCS_BACKGROUND_RUN_IGNORED,    /* a dry run, cancelled, or it met another run */
  BCS_BACKGROUND_RUN_SUCCEEDED,  /* ok or partial: the schedule starts over */
  BCS_BACKGROUND_RUN_FAILED,     /* failed or braked: counts towards the back-off
                                  * as a failed automatic run does */
} BcsBackgroundRunVerdict;

BcsBackgroundRunVerdict bcs_background_judge_window_run (const BcsSyncReport *report,
                                                         const GError        *error);
/* Tells SCHEDULER about a run that the window made (REPORT and ERROR
 * nullable; the time is the report's end); returns the verdict */
BcsBackgroundRunVerdict bcs_background_record_window_run (BcsScheduler        *scheduler,
                                                          const BcsSyncReport *report,
                                                          const GError        *error);

/* A run of PROFILE that the window made ended (REPORT and ERROR nullable):
 * its scheduler, if it syncs automatically, counts it (a failure too) */
void      bcs_application_background_record_run    (BcsApplication      *app,
                                                    const char          *profile,
                                                    const BcsSyncReport *report,
                                                    const GError        *error);
/* The scheduler of PROFILE, or NULL when it is not synced automatically here */
BcsScheduler *bcs_application_background_get_scheduler (BcsApplication *app,
                                                        const char     *profile);

G_END_DECLS
