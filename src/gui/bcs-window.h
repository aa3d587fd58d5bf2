/* bcs-window.h — the main window */
#pragma once

#include <adwaita.h>

#include "bcs-application.h"

G_BEGIN_DECLS

#define BCS_TYPE_WINDOW (bcs_window_get_type ())
G_DECLARE_FINAL_TYPE (BcsWindow, bcs_window, BCS, WINDOW, AdwApplicationWindow)

BcsWindow *bcs_window_new                (BcsApplication *application);
void       bcs_window_show_not_available (BcsWindow      *self,
                                          const char     *message);
void       bcs_window_add_toast          (BcsWindow      *self,
                                          AdwToast       *toast);
/* Shows TEXT (plain, not markup) in a toast of the window holding INSIDE
 * (nullable); without such a window it is logged */
void       bcs_window_tell               (GtkWidget      *inside,
                                          const char     *text);
/* TRUE while the window runs a sync (switching profiles waits for it) */
gboolean   bcs_window_is_syncing         (BcsWindow      *self);
/* Enables Sync, Full Sync, Preview … as the window's state allows */
void       bcs_window_update_sync_actions (BcsWindow     *self);

G_END_DECLS
