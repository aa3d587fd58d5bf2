/* bcs-application-background.h — automatic sync in the application
 *
 * The primary instance keeps one BcsScheduler per profile that has
 * automatic sync on (the main schema's "profiles"), runs their syncs
 * through a BcsSyncService, notifies failed, braked and signed-out runs,
 * and holds the application while any profile syncs automatically: closing
 * the window leaves it running; turning the last one off lets it quit.
 * --background starts it without a window. Actions: app.show-results and
 * app.setup, each with a profile name. */
#pragma once

#include "bcs-application.h"

G_BEGIN_DECLS

/* From startup: the actions, and the schedulers of the profiles */
void      bcs_application_background_startup       (BcsApplication *app);
/* From handle-local-options for --background: an exit code, or -1 to go
 * on (the first activation then opens no window) */
int       bcs_application_background_handle_local  (BcsApplication *app);
/* From activate: TRUE when this activation is the --background start
 * (no window) */
gboolean  bcs_application_background_take_activation (BcsApplication *app);

G_END_DECLS
