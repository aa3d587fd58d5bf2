/* test-cli.c — the command line of DESIGN.md: parsing rules, help, exit codes */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "bcs-cli.h"
#include "bcs-cli-options.h"
#include "bcs-error.h"

#define APP_TIMEOUT_SECONDS 60

/* DESIGN.md's command line, with the help text each option must show */
static const struct {
  const char *option;
  const char *arg;     /* NULL: a flag */
  const char *help;
} design_options[] = {
  { "--profile", "NAME", "Which setup to use (default: “default”)" },
  { "--sandbox", "URL", "Use a local bcs-sandbox at URL instead of Microsoft’s services" },
  { "--sign-in", NULL, "Sign in in the terminal (device code flow)" },
  { "--sign-out", NULL, "Forget the account’s tokens" },
  { "--validate", NULL, "Run the connection checks, print each, exit 0 if all pass" },
  { "--sync", NULL, "Run an incremental sync headless and print a summary" },
  { "--full-sync", NULL, "Run a full sync headless and print a summary" },
  { "--dry-run", NULL, "With --sync or --full-sync: plan only, write nothing" },
  { "--report", "FILE", "Write the run’s JSON report to FILE" },
  { "--allow-mass-delete", NULL, "Let a run pass the safety brake" },
  { "--export-results", "FILE", "Write the last run’s per-contact results to FILE (.csv or .json)" },
  { "--background", NULL, "Start without a window, for automatic sync" },
  { "--version", NULL, "Print the version and exit" },
};

/* The commands; the ones not built yet must say so and exit 2 */
static const struct {
  BcsCliCommand command;
  const char *option;
  const char *dict_key;
} commands[] = {
  { BCS_CLI_COMMAND_SIGN_IN, "--sign-in", "sign-in" },
  { BCS_CLI_COMMAND_SIGN_OUT, "--sign-out", "sign-out" },
  { BCS_CLI_COMMAND_VALIDATE, "--validate", "validate" },
  { BCS_CLI_COMMAND_SYNC, "--sync", "sync" },
  { BCS_CLI_COMMAND_FULL_SYNC, "--full-sync", "full-sync" },
  { BCS_CLI_COMMAND_EXPORT_RESULTS, "--export-results", "export-results" },
  { BCS_CLI_COMMAND_BACKGROUND, "--background", "background" },
};

/* ---- running the real executable -------------------------------------- */

typedef struct {
  gboolean done;
  gboolean timed_out;
  char *out;
  char *err;
  GError *error;
} AppRun;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AppRun *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &run->out, &run->err, &run->error);
  run->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  AppRun *run = user_data;

  run->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs bc-contact-sync with ARGV (NULL-terminated, without the program) as a
 * person would in a terminal with no display; returns the exit status. */
static int
run_app (const char * const  *args,
         char               **out,
         char               **err)
{
  const char *app = g_getenv ("BCS_TEST_APP");
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  AppRun run = { 0 };
  guint timeout_id;

  g_assert_nonnull (app);

  g_ptr_array_add (argv, (char *) app);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Headless commands must work over ssh and from a timer */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  /* English messages, printed as UTF-8 */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  timeout_id = g_timeout_add_seconds (APP_TIMEOUT_SECONDS, timeout_cb, &run);
  g_subprocess_communicate_utf8_async (process, "", NULL, communicate_cb, &run);
  while (!run.done && !run.timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (run.timed_out)
    {
      g_subprocess_force_exit (process);
      while (!run.done)
        g_main_context_iteration (NULL, TRUE);
      g_error ("%s %s did not finish within %d s", app, args[0] ? args[0] : "",
               APP_TIMEOUT_SECONDS);
    }
  g_source_remove (timeout_id);

  g_assert_no_error (run.error);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s",
                  g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1,
                  run.out, run.err);
  g_assert_true (g_subprocess_get_if_exited (process));

  *out = g_steal_pointer (&run.out);
  *err = g_steal_pointer (&run.err);
  return g_subprocess_get_exit_status (process);
}

/* Whether a line of OUTPUT shows OPTION (with its ARG) and its HELP */
static gboolean
help_lists_option (const char *output,
                   const char *option,
                   const char *arg,
                   const char *help)
{
  g_auto (GStrv) lines = g_strsplit (output, "\n", -1);
  g_autofree char *shown = arg != NULL ? g_strdup_printf ("%s=%s ", option, arg)
                                       : g_strdup_printf ("%s ", option);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strchug (lines[i]);

      if (g_str_has_prefix (line, shown) && strstr (line, help) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
test_help (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_app (args, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Usage:"));
  g_assert_nonnull (strstr (out, "Keeps the contacts of a Business Central company and an Outlook folder in sync."));

  for (guint i = 0; i < G_N_ELEMENTS (design_options); i++)
    if (!help_lists_option (out, design_options[i].option, design_options[i].arg,
                            design_options[i].help))
      g_error ("--help does not list %s %s with “%s”:\n%s", design_options[i].option,
               design_options[i].arg ? design_options[i].arg : "", design_options[i].help, out);
}

static void
test_version (void)
{
  const char *args[] = { "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_app (args, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "bc-contact-sync " VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_unknown_option (void)
{
  const char *args[] = { "--no-such-option", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_app (args, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--no-such-option"));
  g_assert_nonnull (strstr (err, "--help"));
  g_assert_cmpstr (out, ==, "");
}

static void
test_missing_value (void)
{
  const char *args[] = { "--profile", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_app (args, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--profile"));
}

/* Command-line errors that the parser catches before anything runs */
static void
test_binary_rejects (void)
{
  static const struct {
    const char *args[4];
    const char *message;
  } cases[] = {
    { { "--sync", "--full-sync", NULL }, "cannot be used together" },
    { { "--dry-run", NULL }, "only works with --sync or --full-sync" },
    { { "--profile", "bad name!", NULL }, "bad name!" },
    { { "--sandbox", "http://example.com", NULL }, "example.com" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("case %u: %s", i, cases[i].args[0]);
      g_assert_cmpint (run_app (cases[i].args, &out, &err), ==, 2);
      g_assert_nonnull (strstr (err, cases[i].message));
    }
}

/* Every command that is not built yet says so and exits 2, with no display;
 * a loopback --sandbox URL is accepted on the way. */
static void
test_not_available_yet (void)
{
  g_autofree char *export_path = g_build_filename (g_get_tmp_dir (), "bcs-test-cli-export.csv", NULL);
  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *args[6] = { "--sandbox", "http://127.0.0.1:9", commands[i].option, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      if (bcs_cli_command_is_available (commands[i].command))
        {
          g_test_message ("%s is built: its own tests cover it", commands[i].option);
          continue;
        }

      if (commands[i].command == BCS_CLI_COMMAND_EXPORT_RESULTS)
        args[3] = export_path;

      g_assert_cmpint (run_app (args, &out, &err), ==, 2);
      g_assert_nonnull (strstr (err, commands[i].option));
      g_assert_nonnull (strstr (err, "not available yet"));
      g_assert_false (g_file_test (export_path, G_FILE_TEST_EXISTS));
      checked++;
    }

  if (checked == 0)
    g_test_skip ("every command is built");
}

/* ---- parsing rules, on the dictionary GApplication builds --------------- */

static BcsCliOptions *
parse (GError **error,
       ...)
{
  g_autoptr (GVariantDict) dict = g_variant_dict_new (NULL);
  va_list ap;
  const char *key;

  /* pairs of option name and value: "b" for flags, a string otherwise */
  va_start (ap, error);
  while ((key = va_arg (ap, const char *)) != NULL)
    {
      const char *value = va_arg (ap, const char *);

      if (g_str_equal (value, "b"))
        g_variant_dict_insert (dict, key, "b", TRUE);
      else if (g_str_equal (key, "report") || g_str_equal (key, "export-results"))
        g_variant_dict_insert (dict, key, "^ay", value);
      else
        g_variant_dict_insert (dict, key, "s", value);
    }
  va_end (ap);

  return bcs_cli_options_parse (dict, error);
}

static void
test_parse_defaults (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsCliOptions) options = parse (&error, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (options);
  g_assert_cmpint (options->command, ==, BCS_CLI_COMMAND_NONE);
  g_assert_cmpstr (options->profile, ==, "default");
  g_assert_null (options->sandbox_url);
  g_assert_false (options->dry_run);
  g_assert_false (options->allow_mass_delete);
  g_assert_null (options->report_path);
  g_assert_null (options->export_path);
  g_assert_false (bcs_cli_command_is_headless (options->command));
}

static void
test_parse_commands (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (BcsCliOptions) options = NULL;
      gboolean takes_file = commands[i].command == BCS_CLI_COMMAND_EXPORT_RESULTS;

      options = parse (&error, commands[i].dict_key, takes_file ? "/tmp/out.json" : "b", NULL);
      g_assert_no_error (error);
      g_assert_cmpint (options->command, ==, commands[i].command);
      g_assert_cmpint (bcs_cli_command_is_headless (options->command), ==,
                       commands[i].command != BCS_CLI_COMMAND_BACKGROUND);
      if (takes_file)
        g_assert_cmpstr (options->export_path, ==, "/tmp/out.json");
    }
}

static void
test_parse_sync_options (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsCliOptions) options = NULL;

  options = parse (&error, "sync", "b", "dry-run", "b", "report", "/tmp/r.json",
                   "allow-mass-delete", "b", "profile", "work-2", NULL);
  g_assert_no_error (error);
  g_assert_cmpint (options->command, ==, BCS_CLI_COMMAND_SYNC);
  g_assert_true (options->dry_run);
  g_assert_true (options->allow_mass_delete);
  g_assert_cmpstr (options->report_path, ==, "/tmp/r.json");
  g_assert_cmpstr (options->profile, ==, "work-2");
  g_clear_pointer (&options, bcs_cli_options_free);

  options = parse (&error, "full-sync", "b", "dry-run", "b", NULL);
  g_assert_no_error (error);
  g_assert_cmpint (options->command, ==, BCS_CLI_COMMAND_FULL_SYNC);
  g_assert_true (options->dry_run);
}

static void
test_parse_two_commands (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsCliOptions) options = parse (&error, "sync", "b", "full-sync", "b", NULL);

  g_assert_null (options);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "--sync"));
  g_assert_nonnull (strstr (error->message, "--full-sync"));
  g_clear_error (&error);

  options = parse (&error, "validate", "b", "sign-out", "b", NULL);
  g_assert_null (options);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
}

static void
test_parse_needs_sync (void)
{
  static const struct {
    const char *key;
    const char *value;
    const char *with;
  } cases[] = {
    { "dry-run", "b", NULL },
    { "report", "/tmp/r.json", NULL },
    { "allow-mass-delete", "b", NULL },
    { "dry-run", "b", "validate" },
    { "report", "/tmp/r.json", "sign-in" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (BcsCliOptions) options = NULL;

      if (cases[i].with != NULL)
        options = parse (&error, cases[i].key, cases[i].value, cases[i].with, "b", NULL);
      else
        options = parse (&error, cases[i].key, cases[i].value, NULL);

      g_assert_null (options);
      g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, cases[i].key));
      g_assert_cmpint (bcs_error_exit_code (error), ==, 2);
    }
}

static void
test_parse_profile (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsCliOptions) options = parse (&error, "profile", "bad name!", NULL);

  g_assert_null (options);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "bad name!"));
  g_clear_error (&error);

  options = parse (&error, "profile", "Work_2", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (options->profile, ==, "Work_2");
}

static void
test_parse_sandbox (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsCliOptions) options = parse (&error, "sandbox", "http://example.com", NULL);

  g_assert_null (options);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INSECURE);
  g_assert_cmpint (bcs_error_exit_code (error), ==, 2);
  g_clear_error (&error);

  options = parse (&error, "sandbox", "http://127.0.0.1:9", "validate", "b", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (options->sandbox_url, ==, "http://127.0.0.1:9");
  g_assert_cmpint (options->command, ==, BCS_CLI_COMMAND_VALIDATE);
}

static void
test_url_is_allowed (void)
{
  static const char *allowed[] = {
    "https://login.microsoftonline.com/common",
    "HTTPS://api.businesscentral.dynamics.com/v2.0/",
    "https://example.com:8443/path?q=1",
    "http://127.0.0.1:9",
    "http://127.0.0.1:8080/graph/v1.0",
    "http://127.1.2.3/",
    "http://[::1]:8080/",
    "http://localhost:1234",
    "http://LocalHost/",
    "https://bücher.example/",
  };
  static const struct {
    const char *url;
    int code;
  } refused[] = {
    { "http://example.com", BCS_ERROR_INSECURE },
    { "http://192.168.1.10:8080/", BCS_ERROR_INSECURE },
    { "http://localhost.example.com/", BCS_ERROR_INSECURE },
    { "http://127.0.0.1.example.com/", BCS_ERROR_INSECURE },
    { "http://[2001:db8::1]/", BCS_ERROR_INSECURE },
    { "ftp://127.0.0.1/", BCS_ERROR_INVALID_INPUT },
    { "file:///etc/passwd", BCS_ERROR_INVALID_INPUT },
    { "garbage", BCS_ERROR_INVALID_INPUT },
    { "", BCS_ERROR_INVALID_INPUT },
    { "https://", BCS_ERROR_INVALID_INPUT },
    { "http:// spaces in host/", BCS_ERROR_INVALID_INPUT },
    { "https://exa mple.com/", BCS_ERROR_INVALID_INPUT },
    { "https://a%20b/", BCS_ERROR_INVALID_INPUT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("allowed: %s", allowed[i]);
      g_assert_true (bcs_cli_url_is_allowed (allowed[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("refused: %s", refused[i].url);
      g_assert_false (bcs_cli_url_is_allowed (refused[i].url, &error));
      g_assert_error (error, BCS_ERROR, refused[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_profile_name_is_valid (void)
{
  g_autofree char *longest = g_strnfill (64, 'a');
  g_autofree char *too_long = g_strnfill (65, 'a');
  static const char *valid[] = { "default", "work-2", "Work_2", "a", "0" };
  static const char *invalid[] = { "", "bad name!", "a/b", "..", "a.b", "é", "a\nb", "-x y" };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (bcs_cli_profile_name_is_valid (valid[i]));
  g_assert_true (bcs_cli_profile_name_is_valid (longest));

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("invalid: %s", invalid[i]);
      g_assert_false (bcs_cli_profile_name_is_valid (invalid[i]));
    }
  g_assert_false (bcs_cli_profile_name_is_valid (too_long));
  g_assert_false (bcs_cli_profile_name_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/unknown-option", test_unknown_option);
  g_test_add_func ("/cli/missing-value", test_missing_value);
  g_test_add_func ("/cli/binary-rejects", test_binary_rejects);
  g_test_add_func ("/cli/not-available-yet", test_not_available_yet);
  g_test_add_func ("/cli/parse/defaults", test_parse_defaults);
  g_test_add_func ("/cli/parse/commands", test_parse_commands);
  g_test_add_func ("/cli/parse/sync-options", test_parse_sync_options);
  g_test_add_func ("/cli/parse/two-commands", test_parse_two_commands);
  g_test_add_func ("/cli/parse/needs-sync", test_parse_needs_sync);
  g_test_add_func ("/cli/parse/profile", test_parse_profile);
  g_test_add_func ("/cli/parse/sandbox", test_parse_sandbox);
  g_test_add_func ("/cli/url-is-allowed", test_url_is_allowed);
  g_test_add_func ("/cli/profile-name-is-valid", test_profile_name_is_valid);

  return g_test_run ();
}
