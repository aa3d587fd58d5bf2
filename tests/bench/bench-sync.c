/* bench-sync.c — first full sync and a no-change sync, against bcs-sandbox in its own process
 *
 * Prints figures, asserts nothing about time. For each size: bcs-sandbox
 * (BCS_TEST_SANDBOX) seeded with N Business Central contacts and an empty
 * folder; bc-contact-sync (BCS_TEST_APP) runs --full-sync then --sync.
 * Printed: requests per service beside the minimum the APIs allow (Graph
 * writes in $batch of 20, Business Central pages of 20,000), wall time,
 * peak RSS of the app process. --realistic: the sandbox's real limits and
 * latency, 10,000 contacts, with the floor they allow and Business
 * Central's documented pace (3 minutes per 1,000 contacts).
 *
 *   bench-sync [--realistic] [--sizes 1000,10000,100000] */
#include "config.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>

#include "bcs-json.h"

typedef struct {
  double seconds;
  long max_rss_kb;
  int status;
  JsonNode *report;
} AppRun;

static void
run_app (const char  *app,
         const char  *url,
         const char  *mode,
         const char  *report_path,
         char       **env,
         AppRun      *run)
{
  const char *argv[] = { app, "--sandbox", url, mode, "--report", report_path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  struct rusage usage;
  gint64 start = g_get_monotonic_time ();
  GPid pid;

  if (!g_spawn_async (NULL, (char **) argv, env,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    g_error ("cannot start %s: %s", app, error->message);
  if (wait4 (pid, &run->status, 0, &usage) != pid)
    g_error ("wait4 failed");
  run->seconds = (g_get_monotonic_time () - start) / 1e6;
  run->max_rss_kb = usage.ru_maxrss;
  if (g_file_get_contents (report_path, &json, NULL, NULL))
    run->report = bcs_json_parse (json, -1, NULL);
  g_remove (report_path);
}

static guint
report_int (JsonNode   *report,
            const char *group,
            const char *key)
{
  JsonObject *object = report != NULL ? bcs_json_get_object (bcs_json_node_get_object (report), group) : NULL;

  return object != NULL ? (guint) bcs_json_get_int (object, key, 0) : 0;
}

static void
print_run (const char *label,
           AppRun     *run,
           guint       n_bc)
{
  guint created = report_int (run->report, "counts", "outlook_created");
  guint graph = report_int (run->report, "requests", "graph");
  guint bc = report_int (run->report, "requests", "bc");
  guint login = report_int (run->report, "requests", "login");
  /* Minimum: Graph writes in batches of 20 + a folder lookup + a delta
   * round (pages of 1,000); BC: a company list + pages of 20,000 */
  guint graph_min = (created + 19) / 20 + 1 + 1;
  guint bc_min = 1 + MAX (1u, (n_bc + 19999) / 20000);

  g_print ("  %-10s exit %d, %8.2f s, peak RSS %6.1f MB, requests: graph %u (minimum %u%s), "
           "bc %u (minimum %u), login %u; created %u in Outlook\n",
           label, WIFEXITED (run->status) ? WEXITSTATUS (run->status) : -1, run->seconds,
           run->max_rss_kb / 1024.0, graph, graph_min,
           g_str_equal (label, "full-sync") ? "" : " for writes only", bc, bc_min, login, created);
}

static void
bench_size (const char *app,
            const char *sandbox,
            guint       n,
            gboolean    realistic)
{
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bcs-bench-XXXXXX", NULL);
  g_autofree char *state_home = g_build_filename (dir, "state", NULL);
  g_autofree char *report_path = g_build_filename (dir, "report.json", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) env = g_get_environ ();
  AppRun full = { 0 }, again = { 0 };
  const char *url;
  GPid sandbox_pid;
  int sandbox_stdout;
  int status;

  {
    const char *argv[] = { sandbox, "--bc-contacts", count, "--auto-approve", "--seed", "1",
                           realistic ? "--realistic" : NULL, NULL };

    if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                   &sandbox_pid, NULL, &sandbox_stdout, NULL, &error))
      g_error ("cannot start %s: %s", sandbox, error->message);
  }
  out = g_data_input_stream_new (G_INPUT_STREAM (g_unix_input_stream_new (sandbox_stdout, TRUE)));
  line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
  if (line == NULL || (url = strstr (line, "http://")) == NULL)
    g_error ("bcs-sandbox did not say where it listens");

  env = g_environ_setenv (env, "XDG_STATE_HOME", state_home, TRUE);
  g_print ("%u Business Central contacts%s:\n", n, realistic ? " (realistic limits and latency)" : "");
  run_app (app, url, "--full-sync", report_path, env, &full);
  print_run ("full-sync", &full, n);
  run_app (app, url, "--sync", report_path, env, &again);
  print_run ("sync", &again, n);
  {
    guint total = report_int (again.report, "requests", "graph") + report_int (again.report, "requests", "bc") +
                  report_int (again.report, "requests", "login");

    g_print ("  no-change sync: %u requests in all (target ≤ 10), %.2f s (target < 1 s)\n",
             total, again.seconds);
  }
  if (realistic)
    {
      guint created = report_int (full.report, "counts", "outlook_created");
      /* Outlook runs 4 requests at a time at 100 ms a write; 10,000 per 10 minutes */
      double floor_latency = created / 4.0 * 0.100;
      double floor_rate = created > 10000 ? (created / 10000.0 - 1) * 600.0 : 0;
      double floor = MAX (floor_latency, floor_rate);
      double bc_pace = n / 1000.0 * 180.0;

      g_print ("  floor: %.1f s (%u writes ÷ 4 concurrent × 100 ms; rate cap %.1f s); measured %.1f s "
               "(%.0f %% of the floor)\n", floor, created, floor_rate, full.seconds,
               floor > 0 ? full.seconds / floor * 100.0 : 0);
      g_print ("  Business Central's own pace (3 min per 1,000): %.0f s — %.1f× faster\n",
               bc_pace, full.seconds > 0 ? bc_pace / full.seconds : 0);
    }

  kill (sandbox_pid, SIGTERM);
  waitpid (sandbox_pid, &status, 0);
  g_spawn_close_pid (sandbox_pid);
  g_clear_pointer (&full.report, json_node_unref);
  g_clear_pointer (&again.report, json_node_unref);
  {
    g_autofree char *sub = g_build_filename (state_home, "bc-contact-sync", NULL);
    g_autoptr(GDir) d = g_dir_open (sub, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (sub, name, NULL);

        g_remove (file);
      }
    g_rmdir (sub);
    g_rmdir (state_home);
    g_rmdir (dir);
  }
}

int
main (int argc, char *argv[])
{
  const char *app = g_getenv ("BCS_TEST_APP");
  const char *sandbox = g_getenv ("BCS_TEST_SANDBOX");
  gboolean realistic = FALSE;
  g_autofree char *sizes = NULL;
  g_auto(GStrv) parts = NULL;
  GOptionEntry entries[] = {
    { "realistic", 0, 0, G_OPTION_ARG_NONE, &realistic, "Real limits and latency, 10,000 contacts", NULL },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes, "Comma-separated numbers of contacts", "N,N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— sync benchmark");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (app == NULL || sandbox == NULL)
    {
      g_printerr ("BCS_TEST_APP and BCS_TEST_SANDBOX must point to bc-contact-sync and bcs-sandbox\n");
      return 2;
    }
  if (sizes == NULL)
    sizes = g_strdup (realistic ? "10000" : "1000,10000,100000");
  parts = g_strsplit (sizes, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    bench_size (app, sandbox, (guint) g_ascii_strtoull (parts[i], NULL, 10), realistic);
  return 0;
}
