/* test-profile-list.c — the list of profiles, names, and a profile's files
 * and settings (no display, no keyring) */
#include "config.h"

#include <glib/gstdio.h>

#include "bcs-error.h"
#include "bcs-profile.h"
#include "bcs-profile-list.h"

static void
assert_strv (GStrv        got,
             const char  *first,
             ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *want = first; want != NULL; want = va_arg (args, const char *), i++)
    g_assert_cmpstr (got[i], ==, want);
  va_end (args);
  g_assert_null (got[i]);
}

static void
test_normalize (void)
{
  const char *messy[] = { "work", "", "bad name", "Work", "home", "work", NULL };
  const char *with_default[] = { "a", "default", NULL };
  g_auto (GStrv) clean = bcs_profile_list_normalize (messy);
  g_auto (GStrv) none = bcs_profile_list_normalize (NULL);
  g_auto (GStrv) kept = bcs_profile_list_normalize (with_default);

  /* "default" always exists; invalid names and duplicates (without case) go */
  assert_strv (clean, "default", "work", "home", NULL);
  assert_strv (none, "default", NULL);
  assert_strv (kept, "a", "default", NULL);
}

static void
test_check_new_name (void)
{
  const char *list[] = { "default", "Company-A", NULL };
  g_autoptr (GError) error = NULL;

  g_assert_true (bcs_profile_list_check_new_name (list, "company_b2", NULL, NULL));

  g_assert_false (bcs_profile_list_check_new_name (list, "", NULL, &error));
  g_assert_cmpstr (error->message, ==, "Enter a name for the profile.");
  g_clear_error (&error);

  g_assert_false (bcs_profile_list_check_new_name (list, "two words", NULL, &error));
  g_assert_cmpstr (error->message, ==, "Use only letters, digits, “-” and “_” (no spaces).");
  g_clear_error (&error);

  g_assert_false (bcs_profile_list_check_new_name (list, "../etc", NULL, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* unique without case: Company-A.db and company-a.db must not collide */
  g_assert_false (bcs_profile_list_check_new_name (list, "company-a", NULL, &error));
  g_assert_cmpstr (error->message, ==, "A profile named “Company-A” already exists.");
  g_clear_error (&error);

  {
    g_autofree char *long_name = g_strnfill (65, 'x');

    g_assert_false (bcs_profile_list_check_new_name (list, long_name, NULL, &error));
    g_assert_cmpstr (error->message, ==, "The name is too long: use at most 64 characters.");
    g_clear_error (&error);
  }

  /* renaming: its own name in another case is fine, the same name is not new */
  g_assert_true (bcs_profile_list_check_new_name (list, "company-a", "Company-A", NULL));
  g_assert_false (bcs_profile_list_check_new_name (list, "Company-A", "Company-A", &error));
  g_assert_cmpstr (error->message, ==, "Enter a new name.");
  g_clear_error (&error);
  g_assert_false (bcs_profile_list_check_new_name (list, "DEFAULT", "Company-A", &error));
  g_assert_nonnull (error);
}

static void
test_add_remove_rename (void)
{
  const char *list[] = { "default", "a", "b", NULL };
  g_auto (GStrv) added = bcs_profile_list_add (list, "c");
  g_auto (GStrv) again = bcs_profile_list_add (list, "a");
  g_auto (GStrv) removed = bcs_profile_list_remove (list, "a");
  g_auto (GStrv) kept = bcs_profile_list_remove (list, "default");
  g_auto (GStrv) renamed = bcs_profile_list_rename (list, "a", "x");

  assert_strv (added, "default", "a", "b", "c", NULL);
  assert_strv (again, "default", "a", "b", NULL);
  assert_strv (removed, "default", "b", NULL);
  assert_strv (kept, "default", "a", "b", NULL);
  assert_strv (renamed, "default", "x", "b", NULL);

  g_assert_false (bcs_profile_list_can_remove ("default"));
  g_assert_true (bcs_profile_list_can_remove ("a"));
  g_assert_false (bcs_profile_list_can_remove (NULL));
}

static void
test_next_after_removal (void)
{
  const char *list[] = { "default", "a", "b", NULL };
  const char *first[] = { "a", "b", NULL };
  g_autofree char *after_a = bcs_profile_list_next_after_removal (list, "a");
  g_autofree char *after_b = bcs_profile_list_next_after_removal (list, "b");
  g_autofree char *after_first = bcs_profile_list_next_after_removal (first, "a");
  g_autofree char *missing = bcs_profile_list_next_after_removal (list, "zzz");

  g_assert_cmpstr (after_a, ==, "default");
  g_assert_cmpstr (after_b, ==, "a");
  g_assert_cmpstr (after_first, ==, "b");
  g_assert_cmpstr (missing, ==, "default");
}

static void
test_pick_startup (void)
{
  const char *list[] = { "default", "work", NULL };
  g_autofree char *requested = bcs_profile_list_pick_startup (list, "other", "work");
  g_autofree char *last = bcs_profile_list_pick_startup (list, NULL, "work");
  g_autofree char *gone = bcs_profile_list_pick_startup (list, NULL, "removed");
  g_autofree char *nothing = bcs_profile_list_pick_startup (list, NULL, "");

  /* --profile wins, even for a profile not listed yet */
  g_assert_cmpstr (requested, ==, "other");
  g_assert_cmpstr (last, ==, "work");
  g_assert_cmpstr (gone, ==, "default");
  g_assert_cmpstr (nothing, ==, "default");
}

static void
test_suggest_name (void)
{
  const char *list[] = { "default", "profile-2", "PROFILE-3", NULL };
  g_autofree char *name = bcs_profile_list_suggest_name (list);

  g_assert_cmpstr (name, ==, "profile-4");
}

/* ---- a profile's settings and store files ---- */

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
}

static void
test_settings_isolated_reset_copy (void)
{
  g_autoptr (BcsProfile) a = bcs_profile_new ("list-a", NULL, NULL);
  g_autoptr (BcsProfile) b = bcs_profile_new ("list-b", NULL, NULL);
  g_autofree char *company = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *b_company = NULL;

  g_settings_set_string (bcs_profile_get_settings (a), "company-name", "CRONUS A");
  g_settings_set_string (bcs_profile_get_settings (a), "folder-name", "Folder A");
  g_settings_set_string (bcs_profile_get_settings (b), "company-name", "CRONUS B");

  /* the same schema, two paths: nothing of one shows in the other */
  b_company = g_settings_get_string (bcs_profile_get_settings (b), "company-name");
  g_assert_cmpstr (b_company, ==, "CRONUS B");

  bcs_profile_copy_settings (a, b);
  company = g_settings_get_string (bcs_profile_get_settings (b), "company-name");
  folder = g_settings_get_string (bcs_profile_get_settings (b), "folder-name");
  g_assert_cmpstr (company, ==, "CRONUS A");
  g_assert_cmpstr (folder, ==, "Folder A");

  bcs_profile_reset_settings (a);
  bcs_profile_reset_settings (b);
  g_assert_null (g_settings_get_user_value (bcs_profile_get_settings (a), "company-name"));
  g_assert_null (g_settings_get_user_value (bcs_profile_get_settings (b), "folder-name"));
}

static void
test_store_files (void)
{
  g_autoptr (BcsProfile) a = bcs_profile_new ("files-a", NULL, NULL);
  g_autoptr (BcsProfile) b = bcs_profile_new ("files-b", NULL, NULL);
  g_autoptr (BcsProfile) c = bcs_profile_new ("files-c", NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *a_path = bcs_profile_dup_store_path (a);
  g_autofree char *a_wal = g_strconcat (a_path, "-wal", NULL);
  g_autofree char *b_path = bcs_profile_dup_store_path (b);
  g_autofree char *b_wal = g_strconcat (b_path, "-wal", NULL);
  g_autofree char *c_path = bcs_profile_dup_store_path (c);
  g_autofree char *text = NULL;

  g_assert_true (g_str_has_suffix (a_path, "/bc-contact-sync/files-a.db"));
  write_file (a_path, "store a");
  write_file (a_wal, "wal a");
  write_file (c_path, "store c");

  /* moving: the store and its WAL; never over another profile's store */
  g_assert_true (bcs_profile_move_store (a, b, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (a_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (a_wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (b_wal, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "wal a");
  g_assert_false (bcs_profile_move_store (b, c, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_STORE);
  g_clear_error (&error);
  g_assert_true (g_file_test (b_path, G_FILE_TEST_EXISTS));

  /* deleting: all of it; nothing there is fine */
  g_assert_true (bcs_profile_delete_store (b, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (b_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (b_wal, G_FILE_TEST_EXISTS));
  g_assert_true (bcs_profile_delete_store (b, &error));
  g_assert_true (g_file_test (c_path, G_FILE_TEST_EXISTS));
  g_assert_true (bcs_profile_delete_store (c, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = g_dir_make_tmp ("bcs-profile-list-XXXXXX", NULL);
  g_autofree char *store_dir = g_build_filename (state, "bc-contact-sync", NULL);
  int status;

  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile-list/normalize", test_normalize);
  g_test_add_func ("/profile-list/check-new-name", test_check_new_name);
  g_test_add_func ("/profile-list/add-remove-rename", test_add_remove_rename);
  g_test_add_func ("/profile-list/next-after-removal", test_next_after_removal);
  g_test_add_func ("/profile-list/pick-startup", test_pick_startup);
  g_test_add_func ("/profile-list/suggest-name", test_suggest_name);
  g_test_add_func ("/profile/settings-isolated-reset-copy", test_settings_isolated_reset_copy);
  g_test_add_func ("/profile/store-files", test_store_files);

  status = g_test_run ();
  g_rmdir (store_dir);
  g_rmdir (state);
  return status;
}
