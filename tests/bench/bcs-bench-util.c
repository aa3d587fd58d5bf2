/* bcs-bench-util.c — driving the real executables as subprocesses */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "bcs-bench-util.h"

#define SESSION_VAR "BCS_BENCH_SESSION_HOME"
#define ORIG_GIO_MODULE_DIR "BCS_BENCH_ORIG_GIO_MODULE_DIR"
#define SANDBOX_START_SECONDS 60

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

/* Children die with this process, also when a test aborts: else they keep
 * meson's output pipes open and the test runs into its timeout */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The executables' environment. Under AddressSanitizer the tests ask for
 * slow, exact unwinding on every malloc (for lsan.supp): far too slow for
 * thousands of contacts, and the executables' leaks are their own tests'
 * business; here they run with fast unwinding and no leak check. */
static char **
child_environ (void)
{
  char **envp = g_get_environ ();

  if (g_environ_getenv (envp, "ASAN_OPTIONS") != NULL)
    {
      envp = g_environ_setenv (envp, "ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", TRUE);
      envp = g_environ_unsetenv (envp, "LSAN_OPTIONS");
    }
  /* The GIO modules as the tests had them (see bcs_bench_private_session) */
  if (g_environ_getenv (envp, ORIG_GIO_MODULE_DIR) != NULL)
    {
      const char *orig = g_environ_getenv (envp, ORIG_GIO_MODULE_DIR);

      envp = *orig != '\0' ? g_environ_setenv (envp, "GIO_MODULE_DIR", orig, TRUE)
                           : g_environ_unsetenv (envp, "GIO_MODULE_DIR");
      envp = g_environ_unsetenv (envp, ORIG_GIO_MODULE_DIR);
    }
  return envp;
}

void
bcs_bench_private_session (int    argc,
                           char **argv)
{
  const char *script = "echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$@\"";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) child_argv = g_ptr_array_new ();
  g_auto(GStrv) envp = NULL;
  g_autofree char *home = NULL;
  g_autofree char *runtime = NULL;
  const struct { const char *var; const char *sub; } dirs[] = {
    { "XDG_CONFIG_HOME", ".config" }, { "XDG_DATA_HOME", ".local/share" },
    { "XDG_STATE_HOME", ".local/state" }, { "XDG_CACHE_HOME", ".cache" },
  };
  int wait_status = 0;

  if (g_getenv (SESSION_VAR) != NULL)
    return;

  home = g_dir_make_tmp ("bcs-bench-XXXXXX", &error);
  if (home == NULL)
    g_error ("Cannot make a temporary HOME: %s", error->message);
  runtime = g_build_filename (home, "runtime", NULL);
  g_mkdir (runtime, 0700);

  envp = g_get_environ ();
  envp = g_environ_setenv (envp, "HOME", home, TRUE);
  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", runtime, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, dirs[i].sub, NULL);

      g_mkdir_with_parents (dir, 0700);
      envp = g_environ_setenv (envp, dirs[i].var, dir, TRUE);
    }
  envp = g_environ_setenv (envp, SESSION_VAR, home, TRUE);
  envp = g_environ_unsetenv (envp, "DBUS_SESSION_BUS_ADDRESS");
  envp = g_environ_unsetenv (envp, "GNOME_KEYRING_CONTROL");
  /* Exact unwinding on every malloc makes parsing a sandbox state of
   * thousands of contacts take seconds under AddressSanitizer; with fast
   * unwinding lsan.supp cannot match GIO's module loader (a known leak), so
   * this process loads no GIO module (it needs none: plain HTTP, the dummy
   * proxy resolver is built in) */
  if (g_environ_getenv (envp, "ASAN_OPTIONS") != NULL)
    {
      g_autofree char *no_modules = g_build_filename (home, "no-gio-modules", NULL);
      const char *orig = g_environ_getenv (envp, "GIO_MODULE_DIR");

      for (guint i = 0; envp[i] != NULL; i++)
        if (g_str_has_prefix (envp[i], "ASAN_OPTIONS=") || g_str_has_prefix (envp[i], "LSAN_OPTIONS="))
          {
            char *found = strstr (envp[i], "fast_unwind_on_malloc=0");

            if (found != NULL)
              found[strlen ("fast_unwind_on_malloc=")] = '1';
          }
      g_mkdir (no_modules, 0700);
      envp = g_environ_setenv (envp, ORIG_GIO_MODULE_DIR, orig != NULL ? orig : "", TRUE);
      envp = g_environ_setenv (envp, "GIO_MODULE_DIR", no_modules, TRUE);
    }

  g_ptr_array_add (child_argv, "dbus-run-session");
  g_ptr_array_add (child_argv, "--");
  g_ptr_array_add (child_argv, "sh");
  g_ptr_array_add (child_argv, "-c");
  g_ptr_array_add (child_argv, (char *) script);
  g_ptr_array_add (child_argv, "sh");
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (child_argv, argv[i]);
  g_ptr_array_add (child_argv, NULL);

  if (!g_spawn_sync (NULL, (char **) child_argv->pdata, envp,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                     NULL, NULL, NULL, NULL, &wait_status, &error))
    {
      g_printerr ("Cannot start a private D-Bus session with gnome-keyring "
                  "(dbus-run-session and gnome-keyring-daemon are needed): %s\n", error->message);
      remove_tree (home);
      exit (1);
    }

  remove_tree (home);
  if (WIFEXITED (wait_status))
    exit (WEXITSTATUS (wait_status));
  exit (1);
}

const char *
bcs_bench_home (void)
{
  return g_getenv (SESSION_VAR);
}

char *
bcs_bench_store_path (const char *profile)
{
  g_autofree char *name = g_strconcat (profile, ".db", NULL);

  return g_build_filename (g_get_user_state_dir (), "bc-contact-sync", name, NULL);
}

/* One line from FD, waiting at most SECONDS */
static char *
read_first_line (int       fd,
                 double    seconds,
                 GError  **error)
{
  GString *line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      char c;
      ssize_t n;

      if (left <= 0 || poll (&pfd, 1, (int) left) <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "bcs-sandbox printed no complete first line within %.0f s", seconds);
          break;
        }
      n = read (fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                       "bcs-sandbox closed its output before its first line (“%s”)", line->str);
          break;
        }
      if (c == '\n')
        return g_string_free (line, FALSE);
      g_string_append_c (line, c);
    }

  g_string_free (line, TRUE);
  return NULL;
}

BcsBenchSandbox *
bcs_bench_sandbox_start (const char          *exe,
                         const char * const  *args,
                         GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *line = NULL;
  g_auto(GStrv) envp = child_environ ();
  BcsBenchSandbox *sandbox = g_new0 (BcsBenchSandbox, 1);
  const char *prefix = "bcs-sandbox listening on ";

  g_ptr_array_add (argv, (char *) exe);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  sandbox->stdout_fd = -1;
  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                 die_with_parent, NULL, &sandbox->pid, NULL, &sandbox->stdout_fd, NULL, error))
    {
      g_free (sandbox);
      return NULL;
    }

  line = read_first_line (sandbox->stdout_fd, SANDBOX_START_SECONDS, error);
  if (line != NULL && !g_str_has_prefix (line, prefix))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "bcs-sandbox’s first line is “%s”, not “%sURL”", line, prefix);
  else if (line != NULL && !g_str_has_prefix (line + strlen (prefix), "http://127.0.0.1:"))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "bcs-sandbox listens on “%s”, not on loopback", line + strlen (prefix));
  else if (line != NULL)
    {
      sandbox->url = g_strdup (line + strlen (prefix));
      return sandbox;
    }

  bcs_bench_sandbox_stop (sandbox);
  return NULL;
}

void
bcs_bench_sandbox_stop (BcsBenchSandbox *sandbox)
{
  int status;

  if (sandbox == NULL)
    return;
  if (sandbox->pid > 0)
    {
      kill (sandbox->pid, SIGTERM);
      while (waitpid (sandbox->pid, &status, 0) < 0 && errno == EINTR)
        ;
      g_spawn_close_pid (sandbox->pid);
    }
  if (sandbox->stdout_fd >= 0)
    close (sandbox->stdout_fd);
  g_free (sandbox->url);
  g_free (sandbox);
}

JsonNode *
bcs_bench_request (const char  *url,
                   const char  *method,
                   const char  *path,
                   const char  *body,
                   guint       *status,
                   GError     **error)
{
  static SoupSession *session;
  g_autofree char *uri = g_strconcat (url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, uri);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gsize size;
  const char *data;

  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a URL: %s", uri);
      return NULL;
    }
  if (session == NULL)
    session = soup_session_new_with_options ("timeout", 300, NULL);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  reply = soup_session_send_and_read (session, message, NULL, error);
  if (reply == NULL)
    return NULL;
  if (status != NULL)
    *status = soup_message_get_status (message);

  data = g_bytes_get_data (reply, &size);
  if (size == 0)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

const char *
bcs_bench_get_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
bcs_bench_get_int (JsonObject *object,
                   const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return 0;
}

JsonObject *
bcs_bench_get_object (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
bcs_bench_get_array (JsonObject *object,
                     const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

void
bcs_bench_requests_from (JsonObject       *object,
                         BcsBenchRequests *requests)
{
  JsonObject *counts = bcs_bench_get_object (object, "requests");

  requests->login = bcs_bench_get_int (counts, "login");
  requests->graph = bcs_bench_get_int (counts, "graph");
  requests->bc = bcs_bench_get_int (counts, "bc");
}

gint64
bcs_bench_requests_total (const BcsBenchRequests *requests)
{
  return requests->login + requests->graph + requests->bc;
}

gboolean
bcs_bench_get_stats (const char        *url,
                     BcsBenchRequests  *requests,
                     GError           **error)
{
  g_autoptr(JsonNode) stats = bcs_bench_request (url, "GET", "/_sandbox/stats", NULL, NULL, error);

  if (stats == NULL || !JSON_NODE_HOLDS_OBJECT (stats))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "GET /_sandbox/stats gave no object");
      return FALSE;
    }
  bcs_bench_requests_from (json_node_get_object (stats), requests);
  return TRUE;
}

gboolean
bcs_bench_run_app (const char          *app,
                   const char * const  *args,
                   const char          *log,
                   double               kill_after,
                   double               timeout,
                   BcsBenchRun         *run,
                   GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = child_environ ();
  struct rusage usage = { 0 };
  gboolean killed = FALSE;
  gint64 start;
  GPid pid;
  int log_fd;
  int wait_status = 0;

  memset (run, 0, sizeof *run);
  g_ptr_array_add (argv, (char *) app);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* Headless, in English; settings kept between runs (the tests' memory
   * backend would forget the account between two processes) */
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "keyfile", TRUE);

  log_fd = open (log != NULL ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Cannot open %s: %s",
                   log, g_strerror (errno));
      return FALSE;
    }

  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_fds (NULL, (char **) argv->pdata, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                               die_with_parent, NULL, &pid, -1, log_fd, log_fd, error))
    {
      close (log_fd);
      return FALSE;
    }
  close (log_fd);

  for (;;)
    {
      pid_t done = wait4 (pid, &wait_status, WNOHANG, &usage);
      double elapsed;

      if (done == pid)
        break;
      if (done < 0 && errno != EINTR)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "wait4: %s", g_strerror (errno));
          return FALSE;
        }
      elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      if (!killed && kill_after >= 0 && elapsed >= kill_after)
        {
          kill (pid, SIGKILL);
          killed = TRUE;
        }
      if (!killed && elapsed >= timeout)
        {
          kill (pid, SIGKILL);
          killed = TRUE;
          run->timed_out = TRUE;
        }
      g_usleep (1000);
    }

  run->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  run->max_rss_kb = usage.ru_maxrss;
  run->exited = WIFEXITED (wait_status);
  run->status = run->exited ? WEXITSTATUS (wait_status) : -1;
  run->signal = WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0;
  g_spawn_close_pid (pid);
  return TRUE;
}

char *
bcs_bench_tail (const char *path,
                gsize       max)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, &length, NULL))
    return g_strdup ("");
  if (length <= max)
    return g_steal_pointer (&text);
  return g_strdup (text + length - max);
}

JsonObject *
bcs_bench_read_report (const char  *path,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s holds no JSON object", path);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}
