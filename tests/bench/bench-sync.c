/* bench-sync.c — the sync benchmark of issue 5
 *
 * Drives the real executables: bcs-sandbox in its own process and
 * bc-contact-sync --sign-in / --full-sync --report / --sync --report against
 * it. For each size: the first full sync into an empty folder (wall time,
 * requests per service from the report and from the sandbox's stats, the
 * minimum the APIs allow and the ratio, peak RSS), then a no-change
 * incremental sync (requests, time). Then, against a sandbox started with
 * --realistic, the first sync of 10,000 contacts beside the floor the
 * modelled limits allow and Business Central's documented pace.
 *
 * Targets are printed as met or missed; the program fails only when a run
 * itself fails. See README.md. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bcs-bench-util.h"

#define RUN_TIMEOUT_S        3000.0
#define GRAPH_BATCH          20      /* Graph $batch: at most 20 requests */
#define BC_BATCH             100     /* Business Central $batch as the engine uses it */
#define BC_PAGE              20000   /* Business Central's page size */
#define BC_PACE_S_PER_1000   180.0   /* BC's own sync: about 3 minutes per 1,000 contacts */
#define TARGET_REQUESTS      1.05
#define TARGET_REALISTIC     1.10
#define TARGET_INCR_REQUESTS 10
#define TARGET_INCR_SECONDS  1.0
#define TARGET_RSS_MB        200.0
#define TARGET_SPEEDUP       5.0

typedef struct {
  guint size;
  gboolean ok;
  double full_seconds;
  BcsBenchRequests report;
  BcsBenchRequests stats;
  BcsBenchRequests minimum;
  gint64 created;
  double rss_mb;
  double incr_seconds;
  gint64 incr_requests;       /* from the sandbox */
  gint64 incr_report;         /* from the report */
  double incr_rss_mb;
} SizeResult;

typedef struct {
  guint size;
  gboolean ok;
  double seconds;
  gint64 writes;
  gint64 inner;               /* Outlook requests counted against the rate */
  gint64 batches;
  double latency_floor;       /* writes ÷ concurrency × write latency */
  double rate_floor;          /* the rate window, inner requests counted */
  double floor;
  double pace;
  gint64 concurrency;
  gint64 write_ms;
  gint64 rate;
  gint64 window_ms;
} RealisticResult;

static const char *app;
static const char *sandbox_exe;
static char *work_dir;

static const char *
met (gboolean ok)
{
  return ok ? "met" : "MISSED";
}

static gint64
ceil_div (gint64 a,
          gint64 b)
{
  return a <= 0 ? 0 : (a + b - 1) / b;
}

static gboolean
run_step (const char          *what,
          const char * const  *args,
          const char          *log,
          BcsBenchRun         *run)
{
  g_autoptr(GError) error = NULL;

  if (!bcs_bench_run_app (app, args, log, -1, RUN_TIMEOUT_S, run, &error))
    {
      g_printerr ("%s: cannot run %s: %s\n", what, app, error->message);
      return FALSE;
    }
  if (!run->exited || run->status != 0)
    {
      g_autofree char *tail = bcs_bench_tail (log, 3000);

      g_printerr ("%s failed (%s %d after %.1f s%s). Its output ends:\n%s\n", what,
                  run->exited ? "exit" : "signal", run->exited ? run->status : run->signal,
                  run->seconds, run->timed_out ? ", timed out" : "", tail);
      return FALSE;
    }
  return TRUE;
}

static gboolean
reset_stats (const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = bcs_bench_request (url, "DELETE", "/_sandbox/stats", NULL, &status, &error);
  if (error != NULL || status / 100 != 2)
    {
      g_printerr ("DELETE /_sandbox/stats failed: %s\n", error ? error->message : "bad status");
      return FALSE;
    }
  return TRUE;
}

static BcsBenchSandbox *
start_sandbox (guint    size,
               gboolean realistic)
{
  g_autofree char *count = g_strdup_printf ("%u", size);
  const char *args[] = { "--port", "0", "--bc-contacts", count, "--seed", "1", "--auto-approve",
                         realistic ? "--realistic" : NULL, NULL };
  g_autoptr(GError) error = NULL;
  BcsBenchSandbox *sandbox = bcs_bench_sandbox_start (sandbox_exe, args, &error);

  if (sandbox == NULL)
    g_printerr ("Cannot start bcs-sandbox with %u contacts: %s\n", size, error->message);
  return sandbox;
}

/* Sign in a profile of its own, then a full sync with a report */
static gboolean
sign_in_and_full_sync (BcsBenchSandbox *sandbox,
                       const char      *profile,
                       const char      *tag,
                       BcsBenchRun     *run,
                       JsonObject     **report)
{
  g_autofree char *log = g_strdup_printf ("%s/%s.log", work_dir, tag);
  g_autofree char *report_path = g_strdup_printf ("%s/%s-full.json", work_dir, tag);
  const char *sign_in[] = { "--sandbox", sandbox->url, "--profile", profile, "--sign-in", NULL };
  const char *full[] = { "--sandbox", sandbox->url, "--profile", profile, "--full-sync",
                         "--report", report_path, NULL };
  g_autoptr(GError) error = NULL;
  BcsBenchRun signed_in;

  if (!run_step ("--sign-in", sign_in, log, &signed_in) || !reset_stats (sandbox->url))
    return FALSE;
  g_print ("  signed in (%.1f s); first full sync…\n", signed_in.seconds);
  if (!run_step ("--full-sync", full, log, run))
    return FALSE;
  *report = bcs_bench_read_report (report_path, &error);
  if (*report == NULL)
    {
      g_printerr ("Cannot read the report: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
bench_size (SizeResult *r)
{
  g_autofree char *profile = g_strdup_printf ("bench%u", r->size);
  g_autofree char *log = g_strdup_printf ("%s/%s.log", work_dir, profile);
  g_autofree char *incr_path = g_strdup_printf ("%s/%s-sync.json", work_dir, profile);
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) incr_report = NULL;
  g_autoptr(GError) error = NULL;
  BcsBenchSandbox *sandbox;
  BcsBenchRun run;
  JsonObject *counts;
  gint64 graph_writes;
  gint64 bc_writes;
  BcsBenchRequests incr_stats;
  BcsBenchRequests incr_counts;

  g_print ("\n== %u Business Central contacts ==\n", r->size);
  sandbox = start_sandbox (r->size, FALSE);
  if (sandbox == NULL)
    return;

  if (!sign_in_and_full_sync (sandbox, profile, profile, &run, &report) ||
      !bcs_bench_get_stats (sandbox->url, &r->stats, &error))
    {
      if (error != NULL)
        g_printerr ("%s\n", error->message);
      bcs_bench_sandbox_stop (sandbox);
      return;
    }

  r->full_seconds = run.seconds;
  r->rss_mb = run.max_rss_kb / 1024.0;
  bcs_bench_requests_from (report, &r->report);
  counts = bcs_bench_get_object (report, "counts");
  r->created = bcs_bench_get_int (counts, "outlook_created");
  graph_writes = ceil_div (bcs_bench_get_int (counts, "outlook_created"), GRAPH_BATCH) +
                 ceil_div (bcs_bench_get_int (counts, "outlook_updated") +
                           bcs_bench_get_int (counts, "linked"), GRAPH_BATCH) +
                 ceil_div (bcs_bench_get_int (counts, "outlook_deleted"), GRAPH_BATCH);
  bc_writes = ceil_div (bcs_bench_get_int (counts, "bc_created") + bcs_bench_get_int (counts, "bc_updated"),
                        BC_BATCH);
  /* login: one access token per resource (Graph, BC) from the refresh token;
   * Graph: list the folders, create "Business Central", one delta round, the
   * write batches; BC: the company, the pages of contacts, the write batches */
  r->minimum.login = 2;
  r->minimum.graph = 3 + graph_writes;
  r->minimum.bc = 1 + ceil_div (r->size, BC_PAGE) + bc_writes;
  g_print ("  full sync: %.2f s, %" G_GINT64_FORMAT " created in Outlook, peak RSS %.1f MB\n",
           r->full_seconds, r->created, r->rss_mb);

  /* A no-change incremental sync */
  if (!reset_stats (sandbox->url))
    {
      bcs_bench_sandbox_stop (sandbox);
      return;
    }
  {
    const char *incr[] = { "--sandbox", sandbox->url, "--profile", profile, "--sync",
                           "--report", incr_path, NULL };

    if (!run_step ("--sync", incr, log, &run) ||
        !bcs_bench_get_stats (sandbox->url, &incr_stats, &error) ||
        (incr_report = bcs_bench_read_report (incr_path, &error)) == NULL)
      {
        if (error != NULL)
          g_printerr ("%s\n", error->message);
        bcs_bench_sandbox_stop (sandbox);
        return;
      }
  }
  bcs_bench_requests_from (incr_report, &incr_counts);
  r->incr_seconds = run.seconds;
  r->incr_rss_mb = run.max_rss_kb / 1024.0;
  r->incr_requests = bcs_bench_requests_total (&incr_stats);
  r->incr_report = bcs_bench_requests_total (&incr_counts);
  g_print ("  no-change sync: %.2f s, %" G_GINT64_FORMAT " requests (login %" G_GINT64_FORMAT
           ", graph %" G_GINT64_FORMAT ", bc %" G_GINT64_FORMAT ")\n", r->incr_seconds, r->incr_requests,
           incr_stats.login, incr_stats.graph, incr_stats.bc);

  r->ok = TRUE;
  bcs_bench_sandbox_stop (sandbox);
}

static void
bench_realistic (RealisticResult *r)
{
  g_autofree char *profile = g_strdup_printf ("realistic%u", r->size);
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonNode) limits = NULL;
  g_autoptr(GError) error = NULL;
  BcsBenchRequests stats;
  BcsBenchSandbox *sandbox;
  BcsBenchRun run;
  JsonObject *graph;
  JsonObject *counts;
  gint64 batches;

  g_print ("\n== --realistic, %u Business Central contacts ==\n", r->size);
  sandbox = start_sandbox (r->size, TRUE);
  if (sandbox == NULL)
    return;

  limits = bcs_bench_request (sandbox->url, "GET", "/_sandbox/limits", NULL, NULL, &error);
  graph = limits != NULL && JSON_NODE_HOLDS_OBJECT (limits)
          ? bcs_bench_get_object (json_node_get_object (limits), "graph") : NULL;
  if (graph == NULL)
    {
      g_printerr ("GET /_sandbox/limits failed: %s\n", error ? error->message : "no graph limits");
      bcs_bench_sandbox_stop (sandbox);
      return;
    }
  r->concurrency = MAX (bcs_bench_get_int (graph, "concurrency"), 1);
  r->write_ms = bcs_bench_get_int (graph, "write_ms");
  r->rate = bcs_bench_get_int (graph, "rate");
  r->window_ms = bcs_bench_get_int (graph, "window_ms");
  g_print ("  Outlook limits: %" G_GINT64_FORMAT " concurrent, %" G_GINT64_FORMAT " ms per write, %"
           G_GINT64_FORMAT " requests per %.0f s\n", r->concurrency, r->write_ms, r->rate, r->window_ms / 1000.0);

  if (!sign_in_and_full_sync (sandbox, profile, profile, &run, &report) ||
      !bcs_bench_get_stats (sandbox->url, &stats, &error))
    {
      if (error != NULL)
        g_printerr ("%s\n", error->message);
      bcs_bench_sandbox_stop (sandbox);
      return;
    }
  bcs_bench_sandbox_stop (sandbox);

  counts = bcs_bench_get_object (report, "counts");
  r->seconds = run.seconds;
  r->writes = bcs_bench_get_int (counts, "outlook_created") + bcs_bench_get_int (counts, "outlook_updated") +
              bcs_bench_get_int (counts, "linked") + bcs_bench_get_int (counts, "outlook_deleted");
  batches = ceil_div (r->writes, GRAPH_BATCH);
  r->batches = batches;
  /* Inner requests count one by one against the rate; reads are the rest */
  r->inner = r->writes + MAX (stats.graph - batches, 0);
  /* The model: every write (an inner request of a $batch) holds one of the
   * mailbox's CONCURRENCY slots for the write latency, whatever batches it
   * travels in; so at best the slots are never idle */
  r->latency_floor = (double) r->writes / r->concurrency * r->write_ms / 1000.0;
  r->rate_floor = r->rate > 0 && r->inner > r->rate
                  ? (double) ((r->inner - 1) / r->rate) * r->window_ms / 1000.0 : 0.0;
  r->floor = MAX (r->latency_floor, r->rate_floor);
  r->pace = r->size / 1000.0 * BC_PACE_S_PER_1000;
  r->ok = TRUE;
  g_print ("  first sync: %.1f s for %" G_GINT64_FORMAT " Outlook writes\n", r->seconds, r->writes);
}

static void
print_table (SizeResult      *results,
             guint            n,
             RealisticResult *realistic)
{
  g_print ("\n%-8s %9s %-21s %-21s %-17s %7s %8s %9s %8s\n", "contacts", "full (s)", "requests: report",
           "requests: sandbox", "minimum", "ratio", "RSS (MB)", "incr req", "incr (s)");
  g_print ("%-8s %9s %-21s %-21s %-17s %7s %8s %9s %8s\n", "", "", "login/graph/bc", "login/graph/bc",
           "login/graph/bc", "", "", "", "");
  for (guint i = 0; i < n; i++)
    {
      SizeResult *r = &results[i];
      g_autofree char *rep = NULL;
      g_autofree char *sta = NULL;
      g_autofree char *min = NULL;

      if (!r->ok)
        {
          g_print ("%-8u run failed\n", r->size);
          continue;
        }
      rep = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                             r->report.login, r->report.graph, r->report.bc);
      sta = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                             r->stats.login, r->stats.graph, r->stats.bc);
      min = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                             r->minimum.login, r->minimum.graph, r->minimum.bc);
      g_print ("%-8u %9.2f %-21s %-21s %-17s %7.3f %8.1f %9" G_GINT64_FORMAT " %8.2f\n", r->size,
               r->full_seconds, rep, sta, min,
               (double) bcs_bench_requests_total (&r->stats) / bcs_bench_requests_total (&r->minimum),
               r->rss_mb, r->incr_requests, r->incr_seconds);
    }

  g_print ("\nTargets\n");
  for (guint i = 0; i < n; i++)
    {
      SizeResult *r = &results[i];
      double ratio;

      if (!r->ok)
        continue;
      ratio = (double) bcs_bench_requests_total (&r->stats) / bcs_bench_requests_total (&r->minimum);
      g_print ("  %u: requests within 5 %% of the minimum (%.3f×): %s; no-change sync ≤ %d requests (%"
               G_GINT64_FORMAT "): %s", r->size, ratio, met (ratio <= TARGET_REQUESTS), TARGET_INCR_REQUESTS,
               r->incr_requests, met (r->incr_requests <= TARGET_INCR_REQUESTS));
      if (r->size >= 100000)
        g_print ("; no-change sync < 1 s (%.2f s): %s; peak RSS < 200 MB (%.1f MB): %s",
                 r->incr_seconds, met (r->incr_seconds < TARGET_INCR_SECONDS), r->rss_mb,
                 met (r->rss_mb < TARGET_RSS_MB));
      if (r->report.graph != r->stats.graph || r->report.bc != r->stats.bc || r->report.login != r->stats.login)
        g_print ("; the report's counts differ from the sandbox's");
      g_print ("\n");
    }

  if (realistic != NULL && realistic->ok)
    {
      RealisticResult *r = realistic;
      double ratio = r->floor > 0 ? r->seconds / r->floor : 0.0;
      double speedup = r->pace / r->seconds;

      g_print ("\n--realistic, first sync of %u contacts: %.1f s\n", r->size, r->seconds);
      g_print ("  latency floor: %.1f s = %" G_GINT64_FORMAT " Outlook writes (in %" G_GINT64_FORMAT
               " $batch requests) ÷ %" G_GINT64_FORMAT " concurrent × %" G_GINT64_FORMAT " ms\n",
               r->latency_floor, r->writes, r->batches, r->concurrency, r->write_ms);
      g_print ("  rate floor: %.1f s (%" G_GINT64_FORMAT " Outlook requests, inner ones counted, at %" G_GINT64_FORMAT
               " per %.0f s)\n", r->rate_floor, r->inner, r->rate, r->window_ms / 1000.0);
      g_print ("  floor = max(latency, rate) = %.1f s; %.1f s is %.3f× the floor (target ≤ %.2f): %s\n",
               r->floor, r->seconds, ratio, TARGET_REALISTIC,
               met (r->floor > 0 && ratio <= TARGET_REALISTIC));
      g_print ("  Business Central's pace for its own sync: %.0f s = %u ÷ 1,000 × %.0f s; %.1f s is %.1f× "
               "faster (target ≥ %.0f×): %s\n", r->pace, r->size, BC_PACE_S_PER_1000, r->seconds, speedup,
               TARGET_SPEEDUP, met (speedup >= TARGET_SPEEDUP));
    }
  else if (realistic != NULL)
    g_print ("\n--realistic, first sync of %u contacts: run failed\n", realistic->size);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *sizes_text = NULL;
  int realistic_size = 10000;
  GOptionEntry entries[] = {
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &app, "The bc-contact-sync executable", "PATH" },
    { "sandbox", 0, 0, G_OPTION_ARG_FILENAME, &sandbox_exe, "The bcs-sandbox executable", "PATH" },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text,
      "Business Central contact counts, comma-separated (default 1000,10000,100000; \"\" for none)", "N,…" },
    { "realistic-size", 0, 0, G_OPTION_ARG_INT, &realistic_size,
      "Contacts of the --realistic run (default 10000; 0 skips it)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the sync benchmark");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sizes = NULL;
  g_autofree SizeResult *results = NULL;
  RealisticResult realistic = { 0 };
  guint n = 0;
  gboolean ok = TRUE;

  bcs_bench_private_session (argc, argv);
  setlocale (LC_ALL, "");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (app == NULL)
    app = g_getenv ("BCS_TEST_APP");
  if (sandbox_exe == NULL)
    sandbox_exe = g_getenv ("BCS_TEST_SANDBOX");
  if (app == NULL || sandbox_exe == NULL)
    {
      g_printerr ("--app and --sandbox (or BCS_TEST_APP and BCS_TEST_SANDBOX) are needed\n");
      return 2;
    }
  if (g_getenv ("BCS_BENCH_SIZES") != NULL && sizes_text == NULL)
    sizes_text = g_strdup (g_getenv ("BCS_BENCH_SIZES"));
  if (g_getenv ("BCS_BENCH_REALISTIC_SIZE") != NULL)
    realistic_size = atoi (g_getenv ("BCS_BENCH_REALISTIC_SIZE"));

  sizes = g_strsplit (sizes_text != NULL ? sizes_text : "1000,10000,100000", ",", -1);
  results = g_new0 (SizeResult, g_strv_length (sizes) + 1);
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint64 size;

      if (*g_strstrip (sizes[i]) == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (sizes[i], 10, 1, 10000000, &size, &error))
        {
          g_printerr ("--sizes: %s\n", error->message);
          return 2;
        }
      results[n++].size = (guint) size;
    }

  work_dir = g_build_filename (bcs_bench_home (), "bench", NULL);
  g_mkdir_with_parents (work_dir, 0700);
  g_print ("bench-sync: %s against %s\n", app, sandbox_exe);

  for (guint i = 0; i < n; i++)
    {
      bench_size (&results[i]);
      ok = ok && results[i].ok;
    }
  if (realistic_size > 0)
    {
      realistic.size = (guint) realistic_size;
      bench_realistic (&realistic);
      ok = ok && realistic.ok;
    }

  print_table (results, n, realistic_size > 0 ? &realistic : NULL);
  g_free (work_dir);
  return ok ? 0 : 1;
}
