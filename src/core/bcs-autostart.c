/* bcs-autostart.c — start at login while a profile syncs automatically */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libportal/portal.h>

#include "bcs-autostart.h"
#include "bcs-error.h"
#include "bcs-profile.h"

gboolean
bcs_autostart_in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

char *
bcs_autostart_dup_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

char *
bcs_autostart_dup_program (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *in_path = NULL;
  g_autofree char *base = NULL;

  if (self == NULL)
    return g_strdup (BCS_AUTOSTART_PROGRAM);

  base = g_path_get_basename (self);
  if (g_strcmp0 (base, BCS_AUTOSTART_PROGRAM) != 0)
    return g_strdup (BCS_AUTOSTART_PROGRAM);

  in_path = g_find_program_in_path (BCS_AUTOSTART_PROGRAM);
  if (in_path != NULL && same_file (in_path, self))
    return g_strdup (BCS_AUTOSTART_PROGRAM);

  /* run from a build directory */
  return g_steal_pointer (&self);
}

/* An Exec argument: quoted when it holds a reserved character, "%" doubled
 * (the desktop entry specification, "The Exec key") */
static char *
quote_exec_argument (const char *arg)
{
  static const char reserved[] = " \t\n\"'\\><~|&;$*?#()`";
  GString *out = g_string_new (NULL);
  gboolean quote = strpbrk (arg, reserved) != NULL;

  if (quote)
    g_string_append_c (out, '"');
  for (const char *p = arg; *p; p++)
    {
      if (quote && strchr ("\"`$\\", *p) != NULL)
        g_string_append_c (out, '\\');
      if (*p == '%')
        g_string_append_c (out, '%');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

char *
bcs_autostart_dup_entry (const char *program,
                         const char *sandbox_url)
{
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autofree char *quoted = NULL;
  g_autofree char *exec = NULL;
  const char *group = G_KEY_FILE_DESKTOP_GROUP;

  g_return_val_if_fail (program != NULL && *program != '\0', NULL);

  quoted = quote_exec_argument (program);
  if (sandbox_url != NULL)
    {
      g_autofree char *quoted_url = quote_exec_argument (sandbox_url);

      exec = g_strconcat (quoted, " --background --sandbox ", quoted_url, NULL);
    }
  else
    exec = g_strconcat (quoted, " --background", NULL);

  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_TYPE,
                         G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_NAME,
                         _("Business Central Contact Sync"));
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Syncs contacts automatically in the background"));
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (key_file, group, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (key_file, group, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (key_file, group, "X-GNOME-Autostart-enabled", TRUE);
  g_key_file_set_boolean (key_file, group, "X-GNOME-UsesNotifications", TRUE);

  return g_key_file_to_data (key_file, NULL, NULL);
}

gboolean
bcs_autostart_set_file (gboolean     enabled,
                        const char  *sandbox_url,
                        GError     **error)
{
  g_autofree char *path = bcs_autostart_dup_path ();
  g_autofree char *dir = NULL;
  g_autofree char *program = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *current = NULL;

  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, BCS_ERROR, BCS_ERROR_FAILED,
                       _("Could not remove the autostart entry %s: %s"),
                       path, g_strerror (saved_errno));
          return FALSE;
        }
      return TRUE;
    }

  program = bcs_autostart_dup_program ();
  entry = bcs_autostart_dup_entry (program, sandbox_url);

  if (g_file_get_contents (path, &current, NULL, NULL) && g_strcmp0 (current, entry) == 0)
    return TRUE;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, BCS_ERROR, BCS_ERROR_FAILED,
                   _("Could not create the folder %s for the autostart entry: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_file_set_contents (path, entry, -1, error))
    {
      g_prefix_error (error, _("Could not write the autostart entry: "));
      return FALSE;
    }

  return TRUE;
}

GStrv
bcs_autostart_list_auto_sync_profiles (GSettings *app_settings)
{
  g_auto (GStrv) names = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (G_IS_SETTINGS (app_settings), NULL);

  names = g_settings_get_strv (app_settings, "profiles");
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (BcsProfile) profile = NULL;
      g_autofree char *interval = NULL;

      if (!bcs_profile_name_is_valid (names[i]) || g_strv_contains ((const char * const *) names + i + 1, names[i]))
        continue;

      profile = bcs_profile_new (names[i], NULL, NULL);
      if (profile == NULL)
        continue;

      interval = g_settings_get_string (bcs_profile_get_settings (profile), "auto-sync-interval");
      if (g_strcmp0 (interval, "off") != 0)
        g_strv_builder_add (builder, names[i]);
    }

  return g_strv_builder_end (builder);
}

static void
request_background_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    {
      g_prefix_error (&error, _("The desktop did not allow starting at login: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
bcs_autostart_update_async (gboolean             enabled,
                            const char          *sandbox_url,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, bcs_autostart_update_async);

  if (bcs_autostart_in_flatpak ())
    {
      g_autoptr (XdpPortal) portal = xdp_portal_new ();
      g_autoptr (GPtrArray) commandline = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (commandline, g_strdup (BCS_AUTOSTART_PROGRAM));
      g_ptr_array_add (commandline, g_strdup ("--background"));
      if (sandbox_url != NULL)
        {
          g_ptr_array_add (commandline, g_strdup ("--sandbox"));
          g_ptr_array_add (commandline, g_strdup (sandbox_url));
        }
      xdp_portal_request_background (portal, NULL,
                                     _("Sync contacts automatically in the background"),
                                     commandline,
                                     enabled ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                     cancellable, request_background_cb,
                                     g_steal_pointer (&task));
      return;
    }

  /* a small file: written at once */
  if (!bcs_autostart_set_file (enabled, sandbox_url, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

gboolean
bcs_autostart_update_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
