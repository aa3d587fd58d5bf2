/* test-cli-progress.c — what --sync prints while it writes: in place on a
 * terminal, a line now and then in a log, every throttling wait; and what
 * Ctrl+C or SIGTERM in the middle of a run leaves behind */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bcs-cli-progress.h"
#include "bcs-cli-sync.h"
#include "bcs-contact-mapping.h"
#include "bcs-sync-service.h"
#include "bcs-sync-store.h"
#include "sync-test-support.h"

#define MS (G_USEC_PER_SEC / 1000)

/* ---- what was printed --------------------------------------------------- */

static void
append (const char *text,
        gpointer    user_data)
{
  g_string_append (user_data, text);
}

static void
feed (BcsCliProgress *progress,
      BcsSyncPhase    phase,
      guint           done,
      guint           total,
      gint64          now_us)
{
  BcsSyncProgress p = { phase, done, total, 0, BCS_SERVICE_GRAPH };

  bcs_cli_progress_update (progress, &p, now_us);
}

static void
feed_wait (BcsCliProgress *progress,
           BcsService      service,
           double          seconds,
           gint64          now_us)
{
  BcsSyncProgress p = { BCS_SYNC_PHASE_WAITING, 0, 0, seconds, service };

  bcs_cli_progress_update (progress, &p, now_us);
}

typedef struct {
  GArray *done;     /* guint, in the order shown */
  guint total;      /* of the last count */
} Counts;

/* The "Writing: D of T" counts in TEXT, whatever separates them ('\r' or
 * '\n'); every count must name the same total */
static Counts
parse_counts (const char *text)
{
  g_auto(GStrv) pieces = g_regex_split_simple ("[\r\n]", text, 0, 0);
  Counts counts = { g_array_new (FALSE, FALSE, sizeof (guint)), 0 };

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      guint done, total;

      if (sscanf (pieces[i], "Writing: %u of %u", &done, &total) != 2)
        continue;
      if (counts.done->len > 0)
        g_assert_cmpuint (total, ==, counts.total);
      counts.total = total;
      g_array_append_val (counts.done, done);
    }
  return counts;
}

static guint
count_at (const Counts *counts,
          guint         index)
{
  return g_array_index (counts->done, guint, index);
}

/* Several counts, each larger than the one before, the last the total */
static void
assert_counts_climb (const Counts *counts,
                     guint         at_least)
{
  g_assert_cmpuint (counts->done->len, >=, at_least);
  for (guint i = 1; i < counts->done->len; i++)
    g_assert_cmpuint (count_at (counts, i), >, count_at (counts, i - 1));
  g_assert_cmpuint (count_at (counts, counts->done->len - 1), ==, counts->total);
}

static guint
count_lines_with (const char *text,
                  const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      n++;
  return n;
}

/* Whether TEXT holds LINE as a whole line */
static gboolean
has_line (const char *text,
          const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strv_contains ((const char * const *) lines, line);
}

/* ---- the printer, fed by hand ------------------------------------------ */

/* Phases other than writing: one line each, however often they come */
static void
test_phases_once (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BcsCliProgress) progress = bcs_cli_progress_new (FALSE, append, out);

  feed (progress, BCS_SYNC_PHASE_STARTING, 0, 0, 0);
  feed (progress, BCS_SYNC_PHASE_STARTING, 0, 0, 10 * MS);
  feed (progress, BCS_SYNC_PHASE_READING_BC, 0, 0, 20 * MS);
  feed (progress, BCS_SYNC_PHASE_READING_BC, 0, 0, 30 * MS);
  feed (progress, BCS_SYNC_PHASE_READING_OUTLOOK, 0, 0, 40 * MS);
  feed (progress, BCS_SYNC_PHASE_PLANNING, 0, 0, 50 * MS);
  feed (progress, BCS_SYNC_PHASE_FINISHING, 0, 0, 60 * MS);
  bcs_cli_progress_finish (progress);

  g_assert_cmpstr (out->str, ==,
                   "Starting…\n"
                   "Reading Business Central contacts…\n"
                   "Reading Outlook contacts…\n"
                   "Planning…\n"
                   "Saving…\n");
}

/* A log: a line per tenth of the contacts, however fast they come */
static void
test_log_every_tenth (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BcsCliProgress) progress = bcs_cli_progress_new (FALSE, append, out);
  Counts counts;

  feed (progress, BCS_SYNC_PHASE_PLANNING, 0, 0, 0);
  for (guint done = 0; done <= 1000; done += 20)
    feed (progress, BCS_SYNC_PHASE_WRITING, done, 1000, done * MS);
  feed (progress, BCS_SYNC_PHASE_FINISHING, 0, 0, 1001 * MS);
  bcs_cli_progress_finish (progress);

  g_assert_null (strchr (out->str, '\r'));
  counts = parse_counts (out->str);
  g_assert_cmpuint (counts.total, ==, 1000);
  /* 0, 100, 200 … 1000 */
  g_assert_cmpuint (counts.done->len, ==, 11);
  for (guint i = 0; i < counts.done->len; i++)
    g_assert_cmpuint (count_at (&counts, i), ==, i * 100);
  g_assert_true (g_str_has_suffix (out->str, "Writing: 1000 of 1000 contacts\nSaving…\n"));
  g_array_unref (counts.done);
}

/* A log of a slow run: a line every 5 s even when a tenth takes longer */
static void
test_log_every_five_seconds (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BcsCliProgress) progress = bcs_cli_progress_new (FALSE, append, out);
  Counts counts;

  /* one contact a second: a tenth would take 100 s */
  for (guint done = 0; done <= 1000; done++)
    feed (progress, BCS_SYNC_PHASE_WRITING, done, 1000, done * G_USEC_PER_SEC);
  bcs_cli_progress_finish (progress);

  g_assert_null (strchr (out->str, '\r'));
  counts = parse_counts (out->str);
  /* 0, 5, 10 … 1000: 201 lines, not one a second */
  g_assert_cmpuint (counts.done->len, ==, 201);
  for (guint i = 0; i < counts.done->len; i++)
    g_assert_cmpuint (count_at (&counts, i), ==, i * 5);
  g_array_unref (counts.done);
}

/* A terminal: one line updated in place, at most four times a second, the
 * last count always shown, then a new line */
static void
test_terminal_in_place (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BcsCliProgress) progress = bcs_cli_progress_new (TRUE, append, out);
  g_autofree char *writing = NULL;
  const char *first;
  Counts counts;

  feed (progress, BCS_SYNC_PHASE_PLANNING, 0, 0, 0);
  /* 3 s of writing, a batch every 10 ms */
  for (guint done = 0; done <= 3000; done += 10)
    feed (progress, BCS_SYNC_PHASE_WRITING, done, 3000, 1000 * MS + done * MS);
  bcs_cli_progress_finish (progress);
  feed (progress, BCS_SYNC_PHASE_FINISHING, 0, 0, 4001 * MS);

  g_assert_true (g_str_has_prefix (out->str, "Planning…\n\rWriting: 0 of 3000 contacts"));
  first = strchr (out->str, '\r');
  writing = g_strndup (first, strstr (first, "\nSaving…") - first);
  /* in place: no new line between the counts */
  g_assert_null (strchr (writing, '\n'));
  counts = parse_counts (writing);
  /* every 250 ms: 0, 250, 500 … 3000 */
  g_assert_cmpuint (counts.done->len, ==, 13);
  for (guint i = 0; i < counts.done->len; i++)
    g_assert_cmpuint (count_at (&counts, i), ==, i * 250);
  g_assert_true (g_str_has_suffix (out->str, "\rWriting: 3000 of 3000 contacts\nSaving…\n"));
  g_array_unref (counts.done);
}

/* A shorter count after a longer one (another language's plural, say)
 * leaves nothing of the old one on screen */
static void
test_terminal_overwrites (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BcsCliProgress) progress = bcs_cli_progress_new (TRUE, append, out);

  feed (progress, BCS_SYNC_PHASE_WRITING, 900, 1000, 0);
  feed (progress, BCS_SYNC_PHASE_WRITING, 1, 1, 300 * MS);
  bcs_cli_progress_finish (progress);

  g_assert_cmpstr (out->str, ==,
                   "\rWriting: 900 of 1000 contacts"
                   "\rWriting: 1 of 1 contact      \n");
}

/* Every wait gets a line of its own, in a log and on a terminal, and the
 * count goes on after it */
static void
test_waits_kept (void)
{
  for (int terminal = 0; terminal <= 1; terminal++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(BcsCliProgress) progress = bcs_cli_progress_new (terminal, append, out);
      g_autofree char *expected = NULL;

      feed (progress, BCS_SYNC_PHASE_WRITING, 0, 100, 0);
      feed (progress, BCS_SYNC_PHASE_WRITING, 20, 100, 300 * MS);
      feed_wait (progress, BCS_SERVICE_GRAPH, 2.5, 310 * MS);
      feed_wait (progress, BCS_SERVICE_GRAPH, 2.5, 320 * MS);
      feed_wait (progress, BCS_SERVICE_BC, 4, 330 * MS);
      feed (progress, BCS_SYNC_PHASE_WRITING, 22, 100, 340 * MS);
      bcs_cli_progress_finish (progress);

      if (terminal)
        expected = g_strdup ("\rWriting: 0 of 100 contacts"
                             "\rWriting: 20 of 100 contacts\n"
                             "Microsoft 365 asked us to wait — resuming in 2 s\n"
                             "Microsoft 365 asked us to wait — resuming in 2 s\n"
                             "Business Central asked us to wait — resuming in 4 s\n"
                             "\rWriting: 22 of 100 contacts\n");
      else
        expected = g_strdup ("Writing: 0 of 100 contacts\n"
                             "Writing: 20 of 100 contacts\n"
                             "Microsoft 365 asked us to wait — resuming in 2 s\n"
                             "Microsoft 365 asked us to wait — resuming in 2 s\n"
                             "Business Central asked us to wait — resuming in 4 s\n"
                             "Writing: 22 of 100 contacts\n");
      g_assert_cmpstr (out->str, ==, expected);
    }
}

/* ---- a real --sync against the in-process sandbox ---------------------- */

static GString *captured_out;
static GString *captured_err;

static void
capture_out (const char *text)
{
  g_string_append (captured_out, text);
}

static void
capture_err (const char *text)
{
  g_string_append (captured_err, text);
}

/* Runs the CLI's COMMAND (--sync or --full-sync) on F's sandbox (tokens
 * from the sandbox's device code flow instead of the keyring), printing
 * its progress with PROGRESS and the report to REPORT_PATH (NULL: none);
 * stdout and stderr as printed */
static int
run_cli (SyncFixture     *f,
         BcsCliCommand    command,
         BcsCliProgress  *progress,
         const char      *report_path,
         char           **out,
         char           **err)
{
  g_autoptr(BcsSyncService) service = bcs_sync_service_new (f->profile);
  BcsCliOptions options = { 0 };
  GPrintFunc old_out, old_err;
  int status;

  options.command = command;
  options.profile = (char *) bcs_profile_get_name (f->profile);
  options.sandbox_url = (char *) bcs_sandbox_get_url (f->sandbox);
  options.report_path = (char *) report_path;
  bcs_sync_service_set_provider_func (service, sync_test_provider, NULL, NULL);
  bcs_sync_service_set_store_path (service, f->store_path);
  bcs_sync_service_set_default_company (service, TRUE);

  captured_out = g_string_new (NULL);
  captured_err = g_string_new (NULL);
  old_out = g_set_print_handler (capture_out);
  old_err = g_set_printerr_handler (capture_err);
  status = bcs_cli_sync_run (service, &options, progress);
  g_set_print_handler (old_out);
  g_set_printerr_handler (old_err);

  *out = g_string_free (g_steal_pointer (&captured_out), FALSE);
  *err = g_string_free (g_steal_pointer (&captured_err), FALSE);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", status, *out, *err);
  return status;
}

/* --full-sync, progress on stderr as on a terminal or in a log */
static int
run_cli_sync (SyncFixture  *f,
              gboolean      terminal,
              char        **out,
              char        **err)
{
  g_autoptr(BcsCliProgress) progress = bcs_cli_progress_new (terminal, NULL, NULL);

  return run_cli (f, BCS_CLI_COMMAND_FULL_SYNC, progress, NULL, out, err);
}

/* The 5th $batch to Graph is throttled: a wait in the middle of writing */
static void
throttle_once (SyncFixture *f)
{
  g_autoptr(JsonNode) reply =
    sync_fixture_request (f, "POST", "/_sandbox/faults",
                          "{\"rules\": [{\"service\": \"graph\", \"path\": \"$batch\", \"status\": 429,"
                          " \"retry_after\": \"1\", \"every\": 5, \"count\": 1}]}", 0);
}

/* Latency enough that writing 300 contacts takes about a second: Graph
 * answers a $batch of 20 in 5 latencies, 4 in flight */
#define CONTACTS   300
#define LATENCY_MS 40

static void
test_sync_log (void)
{
  SyncFixture *f = sync_fixture_new_with_latency (CONTACTS, 0, 11, LATENCY_MS);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  Counts counts;
  guint synced;

  throttle_once (f);
  g_assert_cmpint (run_cli_sync (f, FALSE, &out, &err), ==, 0);
  synced = sync_fixture_check_invariants (f);

  g_assert_null (strchr (err, '\r'));
  counts = parse_counts (err);
  /* every contact synced is one write (nothing was in Outlook) */
  g_assert_cmpuint (counts.total, ==, synced);
  /* 0, a tenth or more at a time (a wait shows the count again), the total */
  assert_counts_climb (&counts, 4);
  g_assert_cmpuint (counts.done->len, <=, 10 + 1 + 2);
  g_assert_cmpuint (count_lines_with (err, "Microsoft 365 asked us to wait — resuming in 1 s"), ==, 1);
  g_assert_cmpuint (count_lines_with (err, "Reading Business Central contacts…"), ==, 1);
  /* the summary on stdout */
  g_assert_nonnull (strstr (out, "Sync finished.\n"));

  g_array_unref (counts.done);
  sync_fixture_free (f);
}

static void
test_sync_terminal (void)
{
  SyncFixture *f = sync_fixture_new_with_latency (CONTACTS, 0, 12, LATENCY_MS);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *tail = NULL;
  g_auto(GStrv) lines = NULL;
  Counts counts;
  guint synced;

  throttle_once (f);
  g_assert_cmpint (run_cli_sync (f, TRUE, &out, &err), ==, 0);
  synced = sync_fixture_check_invariants (f);

  g_assert_nonnull (strchr (err, '\r'));
  counts = parse_counts (err);
  g_assert_cmpuint (counts.total, ==, synced);
  assert_counts_climb (&counts, 3);

  /* the wait on a line of its own, the counts in place around it */
  lines = g_strsplit (err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "asked us to wait") != NULL)
        g_assert_true (g_str_has_prefix (lines[i], "Microsoft 365 asked us to wait — resuming in 1 s"));
      else if (strstr (lines[i], "Writing:") != NULL)
        g_assert_true (lines[i][0] == '\r');
    }
  g_assert_cmpuint (count_lines_with (err, "asked us to wait"), ==, 1);
  /* the last count ends its line before anything else is printed */
  tail = g_strdup_printf ("\rWriting: %u of %u contacts\n", synced, synced);
  g_assert_nonnull (strstr (err, tail));

  g_array_unref (counts.done);
  sync_fixture_free (f);
}

/* ---- Ctrl+C and SIGTERM while --sync writes ---------------------------- */

/* A progress printer that keeps what it is given and, at the first count
 * shown after writing began, sends SIGNUM to this process: what Ctrl+C in
 * the terminal or a SIGTERM from systemd does in the middle of a run */
typedef struct {
  int signum;
  guint sent_at;      /* the count shown when the signal went, 0: not sent */
  guint total;
  GString *text;
} Interrupt;

static void
interrupt_while_writing (const char *text,
                         gpointer    user_data)
{
  Interrupt *interrupt = user_data;
  guint done, total;

  g_string_append (interrupt->text, text);
  if (interrupt->sent_at == 0 &&
      sscanf (text + strspn (text, "\r"), "Writing: %u of %u", &done, &total) == 2 &&
      done > 0 && done < total)
    {
      interrupt->sent_at = done;
      interrupt->total = total;
      /* the printer runs on the command's loop, which watches the signal */
      g_assert_cmpint (kill (getpid (), interrupt->signum), ==, 0);
    }
}

static const char *
outlook_id (JsonObject *contact)
{
  return json_object_get_string_member_with_default (contact, "id", NULL);
}

/* The store agrees with Outlook after a run that stopped in the middle:
 * its run is recorded as cancelled and the run lock is free; every pair
 * names a contact that is in Outlook with that BC id, and every Outlook
 * contact carrying a BC id is either paired or still an open intent (which
 * the next run resolves). Returns the number of pairs. */
static guint
assert_store_consistent (SyncFixture *f)
{
  const char *name = bcs_profile_get_name (f->profile);
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsSyncStore) store = bcs_sync_store_open_sync (f->store_path, name, &error);
  g_autoptr(BcsSyncReport) last = NULL;
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GPtrArray) intents = NULL;
  g_autoptr(GPtrArray) outlook = sync_fixture_outlook_contacts (f);
  g_autoptr(GHashTable) bc_id_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) paired = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) intended = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_no_error (error);
  last = bcs_sync_store_get_last_run_sync (store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (last);
  g_assert_cmpstr (bcs_sync_run_outcome_to_string (last->outcome), ==, "cancelled");
  g_assert_cmpint (last->finished_at, >=, last->started_at);
  g_assert_true (bcs_sync_store_lock_sync (store, &error));
  g_assert_no_error (error);
  bcs_sync_store_unlock (store);

  pairs = bcs_sync_store_list_pairs_sync (store, &error);
  g_assert_no_error (error);
  intents = bcs_sync_store_list_intents_sync (store, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < outlook->len; i++)
    {
      const char *bc_id = bcs_graph_contact_get_bc_id (outlook->pdata[i]);

      g_assert_nonnull (outlook_id (outlook->pdata[i]));
      if (bc_id != NULL)
        g_hash_table_insert (bc_id_of, (gpointer) outlook_id (outlook->pdata[i]), (gpointer) bc_id);
    }
  for (guint i = 0; i < pairs->len; i++)
    {
      const BcsSyncPair *pair = pairs->pdata[i];

      if (g_strcmp0 (g_hash_table_lookup (bc_id_of, pair->outlook_id), pair->bc_id) != 0)
        g_error ("the store pairs BC contact %s with Outlook contact %s, which Outlook does not hold",
                 pair->bc_id, pair->outlook_id);
      g_hash_table_add (paired, pair->bc_id);
    }
  for (guint i = 0; i < intents->len; i++)
    {
      const BcsSyncIntent *intent = intents->pdata[i];

      if (intent->bc_id != NULL)
        g_hash_table_add (intended, intent->bc_id);
    }
  for (guint i = 0; i < outlook->len; i++)
    {
      const char *bc_id = bcs_graph_contact_get_bc_id (outlook->pdata[i]);

      if (bc_id != NULL && !g_hash_table_contains (paired, bc_id) && !g_hash_table_contains (intended, bc_id))
        g_error ("Outlook holds BC contact %s, but the store knows of it neither as a pair nor as an intent",
                 bc_id);
    }
  return pairs->len;
}

/* After the cancelled run: the next --sync finishes the job, nothing lost,
 * nothing twice, nothing left open */
static void
assert_next_sync_completes (SyncFixture *f)
{
  g_autoptr(BcsCliProgress) progress = bcs_cli_progress_new (FALSE, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsSyncStore) store = NULL;
  g_autoptr(GPtrArray) intents = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint synced;

  g_assert_cmpint (run_cli (f, BCS_CLI_COMMAND_SYNC, progress, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Sync finished.\n"));
  synced = sync_fixture_check_invariants (f);

  store = bcs_sync_store_open_sync (f->store_path, bcs_profile_get_name (f->profile), &error);
  g_assert_no_error (error);
  intents = bcs_sync_store_list_intents_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (intents->len, ==, 0);
  g_assert_cmpint (bcs_sync_store_count_pairs_sync (store, NULL), ==, synced);
}

static void
check_signal_cancels_sync (int           signum,
                           BcsCliCommand command,
                           guint64       seed)
{
  SyncFixture *f = sync_fixture_new_with_latency (CONTACTS, 0, seed, LATENCY_MS);
  Interrupt interrupt = { signum, 0, 0, g_string_new (NULL) };
  g_autoptr(BcsCliProgress) progress = bcs_cli_progress_new (FALSE, interrupt_while_writing, &interrupt);
  g_autofree char *report_path = g_build_filename (f->dir, "report.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *report;
  Counts counts;
  guint pairs;

  g_assert_cmpint (run_cli (f, command, progress, report_path, &out, &err), ==, 4);
  g_test_message ("progress:\n%s", interrupt.text->str);
  g_assert_cmpuint (interrupt.sent_at, >, 0);

  /* stopped in the middle: the last count shown is short of the total */
  counts = parse_counts (interrupt.text->str);
  g_assert_cmpuint (counts.total, ==, interrupt.total);
  g_assert_cmpuint (count_at (&counts, counts.done->len - 1), <, counts.total);
  g_array_unref (counts.done);
  /* the summary on stdout, why on stderr, on lines of their own */
  g_assert_true (has_line (out, "Sync cancelled."));
  g_assert_true (has_line (err, "The sync was cancelled."));
  g_assert_null (strstr (err, "Sync failed"));

  /* the report says so too */
  g_assert_true (json_parser_load_from_file (parser, report_path, &error));
  g_assert_no_error (error);
  report = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (report, "outcome"), ==, "cancelled");
  g_assert_cmpint (g_remove (report_path), ==, 0);

  /* what was written before the signal is kept, and known to the store */
  pairs = assert_store_consistent (f);
  g_assert_cmpuint (pairs, >, 0);
  g_assert_cmpuint (pairs, <, interrupt.total);

  assert_next_sync_completes (f);

  g_string_free (interrupt.text, TRUE);
  sync_fixture_free (f);
}

/* Ctrl+C during --sync: exit 4, the store consistent, the next run completes */
static void
test_sync_interrupt (void)
{
  check_signal_cancels_sync (SIGINT, BCS_CLI_COMMAND_SYNC, 21);
}

/* SIGTERM (a timer's stop, a logout) during --full-sync: the same */
static void
test_sync_terminate (void)
{
  check_signal_cancels_sync (SIGTERM, BCS_CLI_COMMAND_FULL_SYNC, 22);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-progress/phases-once", test_phases_once);
  g_test_add_func ("/cli-progress/log/every-tenth", test_log_every_tenth);
  g_test_add_func ("/cli-progress/log/every-five-seconds", test_log_every_five_seconds);
  g_test_add_func ("/cli-progress/terminal/in-place", test_terminal_in_place);
  g_test_add_func ("/cli-progress/terminal/overwrites", test_terminal_overwrites);
  g_test_add_func ("/cli-progress/waits-kept", test_waits_kept);
  g_test_add_func ("/cli-progress/sync/log", test_sync_log);
  g_test_add_func ("/cli-progress/sync/terminal", test_sync_terminal);
  g_test_add_func ("/cli-progress/sync/interrupt", test_sync_interrupt);
  g_test_add_func ("/cli-progress/sync/terminate", test_sync_terminate);

  return g_test_run ();
}
