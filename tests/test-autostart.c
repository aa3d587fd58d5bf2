/* test-autostart.c — the XDG autostart entry of automatic sync */
#include "config.h"

#include <gio/gio.h>
#include <gio/gdesktopappinfo.h>
#include <glib/gstdio.h>

#include "bcs-autostart.h"
#include "bcs-profile.h"

static char *config_home;   /* this test's $XDG_CONFIG_HOME */

static char *
expected_path (void)
{
  return g_build_filename (config_home, "autostart",
                           "io.github.bccontactsync.ContactSync.desktop", NULL);
}

static void
assert_valid_desktop_file (const char *path)
{
  g_autofree char *validator = g_find_program_in_path ("desktop-file-validate");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { NULL, path, NULL };
  int status = -1;

  if (validator == NULL)
    {
      g_test_message ("desktop-file-validate is not installed: checked by GKeyFile only");
      return;
    }

  argv[0] = validator;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("desktop-file-validate rejects %s:\n%s%s", path, out, err);
  /* it prints hints and warnings without failing: none wanted */
  g_assert_cmpstr (out, ==, "");
}

static void
test_path_in_config_home (void)
{
  g_autofree char *path = bcs_autostart_dup_path ();
  g_autofree char *expected = expected_path ();

  g_assert_cmpstr (path, ==, expected);
}

static void
test_written_when_on (void)
{
  g_autofree char *path = expected_path ();
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *type = NULL;
  g_autofree char *name = NULL;
  g_autofree char *exec = NULL;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (bcs_autostart_set_file (TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  type = g_key_file_get_string (key_file, "Desktop Entry", "Type", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "Application");
  name = g_key_file_get_string (key_file, "Desktop Entry", "Name", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, !=, "");
  /* this test is not bc-contact-sync: the entry names the program */
  exec = g_key_file_get_string (key_file, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, "bc-contact-sync --background");
  g_assert_true (g_key_file_get_boolean (key_file, "Desktop Entry", "NoDisplay", &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_get_boolean (key_file, "Desktop Entry", "X-GNOME-Autostart-enabled", &error));
  g_assert_no_error (error);

  assert_valid_desktop_file (path);

  g_assert_true (bcs_autostart_set_file (FALSE, NULL, &error));
  g_assert_no_error (error);
}

static void
test_removed_when_off (void)
{
  g_autofree char *path = expected_path ();
  g_autoptr (GError) error = NULL;

  g_assert_true (bcs_autostart_set_file (TRUE, NULL, &error));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (bcs_autostart_set_file (FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* already gone: fine */
  g_assert_true (bcs_autostart_set_file (FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_idempotent (void)
{
  g_autofree char *path = expected_path ();
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  GStatBuf before, after;

  g_assert_true (bcs_autostart_set_file (TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &before), ==, 0);
  g_assert_true (g_file_get_contents (path, &first, NULL, NULL));

  /* unchanged: not rewritten (an atomic rewrite would change the inode) */
  g_assert_true (bcs_autostart_set_file (TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  g_assert_true (g_file_get_contents (path, &second, NULL, NULL));
  g_assert_cmpstr (first, ==, second);

  g_assert_true (bcs_autostart_set_file (FALSE, NULL, &error));
}

static void
test_stale_entry_replaced (void)
{
  g_autofree char *path = expected_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = bcs_autostart_dup_entry ("bc-contact-sync", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "[Desktop Entry]\nType=Application\n"
                                      "Name=Old\nExec=/old/build/bc-contact-sync --background\n",
                                      -1, NULL));

  g_assert_true (bcs_autostart_set_file (TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);

  g_assert_true (bcs_autostart_set_file (FALSE, NULL, &error));
}

/* A build directory with a space and quotes: the entry still starts that
 * program, and stays valid */
static void
test_exec_quoted (void)
{
  g_autofree char *dir = g_build_filename (config_home, "my \"build\"", NULL);
  g_autofree char *program = g_build_filename (dir, "bc-contact-sync", NULL);
  g_autofree char *entry = bcs_autostart_dup_entry (program, NULL);
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (GDesktopAppInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (config_home, "quoted.desktop", NULL);
  g_autofree char *exec = NULL;
  g_autofree char *expected_exec = NULL;
  g_auto (GStrv) argv = NULL;

  /* GDesktopAppInfo wants the program to exist */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (program, "#!/bin/sh\n", -1, NULL));
  g_assert_cmpint (g_chmod (program, 0700), ==, 0);

  g_key_file_load_from_data (key_file, entry, -1, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  /* NULL when the program in Exec cannot be found */
  info = g_desktop_app_info_new_from_keyfile (key_file);
  g_assert_nonnull (info);

  exec = g_key_file_get_string (key_file, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  /* the specification's quoting is a subset of the shell's */
  g_assert_true (g_shell_parse_argv (exec, NULL, &argv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (argv), ==, 2);
  g_assert_cmpstr (argv[0], ==, program);
  g_assert_cmpstr (argv[1], ==, "--background");
  expected_exec = g_strdup_printf ("\"%s/my \\\"build\\\"/bc-contact-sync\" --background", config_home);
  g_assert_cmpstr (exec, ==, expected_exec);

  g_assert_true (g_file_set_contents (path, entry, -1, NULL));
  assert_valid_desktop_file (path);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* "%" starts a field code in Exec: a literal one is doubled */
static void
test_exec_percent (void)
{
  g_autofree char *entry = bcs_autostart_dup_entry ("/opt/100%/bc-contact-sync", NULL);
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *exec = NULL;

  g_key_file_load_from_data (key_file, entry, -1, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  exec = g_key_file_get_string (key_file, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, "/opt/100%%/bc-contact-sync --background");
}

/* Started on a sandbox, it starts on it again at login */
static void
test_sandbox_kept (void)
{
  g_autofree char *path = expected_path ();
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *exec = NULL;

  g_assert_true (bcs_autostart_set_file (TRUE, "http://127.0.0.1:8080", &error));
  g_assert_no_error (error);
  g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  exec = g_key_file_get_string (key_file, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, "bc-contact-sync --background --sandbox http://127.0.0.1:8080");
  assert_valid_desktop_file (path);

  g_assert_true (bcs_autostart_set_file (FALSE, NULL, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_auto_sync_profiles (void)
{
  g_autoptr (GSettings) app_settings = g_settings_new (BCS_APP_SCHEMA_ID);
  const char *names[] = { "default", "work", "home", "work", NULL };
  g_autoptr (BcsProfile) work = bcs_profile_new ("work", NULL, NULL);
  g_autoptr (BcsProfile) home = bcs_profile_new ("home", NULL, NULL);
  g_autoptr (BcsProfile) unlisted = bcs_profile_new ("unlisted", NULL, NULL);
  g_auto (GStrv) none = NULL;
  g_auto (GStrv) one = NULL;
  g_auto (GStrv) two = NULL;

  g_settings_set_strv (app_settings, "profiles", names);
  none = bcs_autostart_list_auto_sync_profiles (app_settings);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  /* a profile that is not in the list does not count */
  g_settings_set_string (bcs_profile_get_settings (unlisted), "auto-sync-interval", "daily");
  g_settings_set_string (bcs_profile_get_settings (work), "auto-sync-interval", "hourly");
  one = bcs_autostart_list_auto_sync_profiles (app_settings);
  g_assert_cmpuint (g_strv_length (one), ==, 1);
  g_assert_cmpstr (one[0], ==, "work");

  g_settings_set_string (bcs_profile_get_settings (home), "auto-sync-interval", "15-minutes");
  two = bcs_autostart_list_auto_sync_profiles (app_settings);
  g_assert_cmpuint (g_strv_length (two), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) two, "work"));
  g_assert_true (g_strv_contains ((const char * const *) two, "home"));

  g_settings_reset (bcs_profile_get_settings (work), "auto-sync-interval");
  g_settings_reset (bcs_profile_get_settings (home), "auto-sync-interval");
  g_settings_reset (bcs_profile_get_settings (unlisted), "auto-sync-interval");
  g_settings_reset (app_settings, "profiles");
}

static void
update_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
update (gboolean enabled)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  bcs_autostart_update_async (enabled, NULL, NULL, update_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (bcs_autostart_update_finish (result, &error));
  g_assert_no_error (error);
}

/* Outside Flatpak, the async entry point writes and removes the file */
static void
test_update_outside_flatpak (void)
{
  g_autofree char *path = expected_path ();

  if (bcs_autostart_in_flatpak ())
    {
      g_test_skip ("running inside Flatpak: the portal is used, not a file");
      return;
    }

  update (TRUE);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  update (FALSE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("bcs-test-autostart-XXXXXX", &error);
  int status;

  g_assert_no_error (error);
  /* before anything reads it: GLib caches the user's directories */
  config_home = g_build_filename (tmp, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/autostart/path-in-config-home", test_path_in_config_home);
  g_test_add_func ("/autostart/written-when-on", test_written_when_on);
  g_test_add_func ("/autostart/removed-when-off", test_removed_when_off);
  g_test_add_func ("/autostart/idempotent", test_idempotent);
  g_test_add_func ("/autostart/stale-entry-replaced", test_stale_entry_replaced);
  g_test_add_func ("/autostart/exec-quoted", test_exec_quoted);
  g_test_add_func ("/autostart/exec-percent", test_exec_percent);
  g_test_add_func ("/autostart/sandbox-kept", test_sandbox_kept);
  g_test_add_func ("/autostart/auto-sync-profiles", test_auto_sync_profiles);
  g_test_add_func ("/autostart/update-outside-flatpak", test_update_outside_flatpak);

  status = g_test_run ();

  remove_tree (tmp);
  g_free (config_home);
  return status;
}
