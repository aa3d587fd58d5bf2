/* bcs-autostart.h — start at login while a profile syncs automatically
 *
 * Outside Flatpak: an XDG autostart entry,
 * $XDG_CONFIG_HOME/autostart/APP_ID.desktop, that runs
 * "bc-contact-sync --background". Inside Flatpak (/.flatpak-info), where
 * that directory is not the host's: the Background portal (libportal),
 * asked without a parent window. Turning automatic sync off everywhere
 * removes the entry (or withdraws the autostart request). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BCS_AUTOSTART_PROGRAM "bc-contact-sync"
/* The application's main schema, with its "profiles" list */
#define BCS_APP_SCHEMA_ID "io.github.bccontactsync.ContactSync"

gboolean   bcs_autostart_in_flatpak        (void);
/* $XDG_CONFIG_HOME/autostart/APP_ID.desktop */
char      *bcs_autostart_dup_path          (void);
/* "bc-contact-sync" when the running program is the one found in PATH
 * (or when the running program is not bc-contact-sync at all, e.g. a
 * test), else the absolute path of the running executable */
char      *bcs_autostart_dup_program       (void);
/* The entry's text, running PROGRAM --background (quoted as the desktop
 * entry specification wants), with --sandbox SANDBOX_URL unless NULL (an
 * application started on a sandbox starts on it again at login) */
char      *bcs_autostart_dup_entry         (const char  *program,
                                            const char  *sandbox_url);

/* Writes (ENABLED) or removes the entry; nothing changes when it is
 * already as wanted. Outside Flatpak only. */
gboolean   bcs_autostart_set_file          (gboolean     enabled,
                                            const char  *sandbox_url,
                                            GError     **error);

/* The names of the profiles (the main schema's "profiles") whose
 * auto-sync-interval is not "off" */
GStrv      bcs_autostart_list_auto_sync_profiles (GSettings *app_settings);

/* The entry outside Flatpak, the Background portal inside */
void       bcs_autostart_update_async      (gboolean             enabled,
                                            const char          *sandbox_url,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean   bcs_autostart_update_finish     (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
