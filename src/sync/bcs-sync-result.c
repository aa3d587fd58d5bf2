/* bcs-sync-result.c — per-contact results and the run report */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bcs-sync-result.h"

static int
string_index (const char *const *names,
              guint              n_names,
              const char        *text)
{
  if (text == NULL)
    return -1;
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (names[i], text) == 0)
      return (int) i;
  return -1;
}

static const char *const mode_names[] = { "sync", "full-sync" };
static const char *const direction_names[] = { "none", "to-outlook", "to-bc" };
static const char *const action_names[] = {
  "create", "update", "delete", "recreate", "link", "skip"
};
static const char *const outcome_names[] = { "ok", "skipped", "failed", "planned" };
static const char *const run_outcome_names[] = {
  "ok", "partial", "failed", "braked", "cancelled", "running"
};

#define ENUM_STRINGS(prefix, type, names)                                 \
  const char *                                                            \
  prefix##_to_string (type value)                                         \
  {                                                                       \
    if ((guint) value < G_N_ELEMENTS (names))                             \
      return names[value];                                                \
    return NULL;                                                          \
  }                                                                       \
  int                                                                     \
  prefix##_from_string (const char *text)                                 \
  {                                                                       \
    return string_index (names, G_N_ELEMENTS (names), text);              \
  }

ENUM_STRINGS (bcs_sync_mode, BcsSyncMode, mode_names)
ENUM_STRINGS (bcs_sync_direction, BcsSyncDirection, direction_names)
ENUM_STRINGS (bcs_sync_result_action, BcsSyncResultAction, action_names)
ENUM_STRINGS (bcs_sync_outcome, BcsSyncOutcome, outcome_names)
ENUM_STRINGS (bcs_sync_run_outcome, BcsSyncRunOutcome, run_outcome_names)

/* Results */

BcsSyncResult *
bcs_sync_result_new (void)
{
  return g_new0 (BcsSyncResult, 1);
}

BcsSyncResult *
bcs_sync_result_copy (const BcsSyncResult *result)
{
  BcsSyncResult *copy = g_new0 (BcsSyncResult, 1);

  *copy = *result;
  copy->name = g_strdup (result->name);
  copy->email = g_strdup (result->email);
  copy->bc_id = g_strdup (result->bc_id);
  copy->bc_number = g_strdup (result->bc_number);
  copy->outlook_id = g_strdup (result->outlook_id);
  copy->reason = g_strdup (result->reason);
  copy->changes = g_strdup (result->changes);
  return copy;
}

void
bcs_sync_result_free (BcsSyncResult *result)
{
  if (result == NULL)
    return;
  g_free (result->name);
  g_free (result->email);
  g_free (result->bc_id);
  g_free (result->bc_number);
  g_free (result->outlook_id);
  g_free (result->reason);
  g_free (result->changes);
  g_free (result);
}

G_DEFINE_BOXED_TYPE (BcsSyncResult, bcs_sync_result,
                     bcs_sync_result_copy, bcs_sync_result_free)

GPtrArray *
bcs_sync_results_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sync_result_free);
}

void
bcs_sync_counts_add_result (BcsSyncCounts       *counts,
                            const BcsSyncResult *result)
{
  if (result->outcome == BCS_SYNC_OUTCOME_FAILED)
    {
      counts->failed++;
      return;
    }
  if (result->outcome == BCS_SYNC_OUTCOME_SKIPPED
      || result->action == BCS_SYNC_RESULT_SKIP)
    {
      counts->skipped++;
      return;
    }

  switch (result->action)
    {
    case BCS_SYNC_RESULT_CREATE:
      if (result->direction == BCS_SYNC_DIRECTION_TO_BC)
        counts->bc_created++;
      else if (result->direction == BCS_SYNC_DIRECTION_TO_OUTLOOK)
        counts->outlook_created++;
      break;
    case BCS_SYNC_RESULT_UPDATE:
      if (result->direction == BCS_SYNC_DIRECTION_TO_BC)
        counts->bc_updated++;
      else if (result->direction == BCS_SYNC_DIRECTION_TO_OUTLOOK)
        counts->outlook_updated++;
      break;
    case BCS_SYNC_RESULT_RECREATE:
      counts->outlook_updated++;
      break;
    case BCS_SYNC_RESULT_DELETE:
      if (result->direction == BCS_SYNC_DIRECTION_TO_OUTLOOK)
        counts->outlook_deleted++;
      break;
    case BCS_SYNC_RESULT_LINK:
      counts->linked++;
      break;
    case BCS_SYNC_RESULT_SKIP:
    default:
      break;
    }
}

/* Reports */

BcsSyncReport *
bcs_sync_report_new (BcsSyncMode mode,
                     gboolean    dry_run)
{
  BcsSyncReport *report = g_new0 (BcsSyncReport, 1);

  report->mode = mode;
  report->dry_run = dry_run;
  report->outcome = BCS_SYNC_RUN_RUNNING;
  report->results = bcs_sync_results_new ();
  return report;
}

BcsSyncReport *
bcs_sync_report_copy (const BcsSyncReport *report)
{
  BcsSyncReport *copy = g_new0 (BcsSyncReport, 1);

  *copy = *report;
  copy->message = g_strdup (report->message);
  /* Shared, not copied: the results of a finished run are read-only (the
   * service keeps a copy of each report: 100,000 results twice otherwise) */
  copy->results = g_ptr_array_ref (report->results);
  return copy;
}

void
bcs_sync_report_free (BcsSyncReport *report)
{
  if (report == NULL)
    return;
  g_free (report->message);
  g_ptr_array_unref (report->results);
  g_free (report);
}

G_DEFINE_BOXED_TYPE (BcsSyncReport, bcs_sync_report,
                     bcs_sync_report_copy, bcs_sync_report_free)

void
bcs_sync_report_add_result (BcsSyncReport *report,
                            BcsSyncResult *result)
{
  bcs_sync_counts_add_result (&report->counts, result);
  g_ptr_array_add (report->results, result);
}

BcsSyncRunOutcome
bcs_sync_report_compute_outcome (const BcsSyncReport *report)
{
  const BcsSyncCounts *c = &report->counts;
  guint written = c->outlook_created + c->outlook_updated + c->outlook_deleted
                  + c->bc_created + c->bc_updated + c->linked;

  if (c->failed == 0)
    return BCS_SYNC_RUN_OK;
  if (written == 0)
    return BCS_SYNC_RUN_FAILED;
  return BCS_SYNC_RUN_PARTIAL;
}

char *
bcs_sync_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time == 0)
    return g_strdup ("");
  time = g_date_time_new_from_unix_utc (unix_time);
  if (time == NULL)
    return g_strdup ("");
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_uint (JsonBuilder *builder,
          const char  *name,
          guint        value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_result (JsonBuilder         *builder,
            const BcsSyncResult *result)
{
  g_auto(GStrv) fields = bcs_field_mask_to_strv (result->fields);

  json_builder_begin_object (builder);
  add_string (builder, "name", result->name);
  add_string (builder, "email", result->email);
  add_string (builder, "bc_id", result->bc_id);
  add_string (builder, "bc_number", result->bc_number);
  add_string (builder, "outlook_id", result->outlook_id);
  add_string (builder, "direction", bcs_sync_direction_to_string (result->direction));
  add_string (builder, "action", bcs_sync_result_action_to_string (result->action));
  add_string (builder, "outcome", bcs_sync_outcome_to_string (result->outcome));
  add_string (builder, "reason", result->reason);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    json_builder_add_string_value (builder, fields[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

JsonNode *
bcs_sync_report_to_json_node (const BcsSyncReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *started = bcs_sync_format_time (report->started_at);
  g_autofree char *finished = bcs_sync_format_time (report->finished_at);
  const BcsSyncCounts *c = &report->counts;

  json_builder_begin_object (builder);
  add_string (builder, "mode", bcs_sync_mode_to_string (report->mode));
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, report->dry_run);
  add_string (builder, "outcome", bcs_sync_run_outcome_to_string (report->outcome));
  add_string (builder, "started_at", started);
  add_string (builder, "finished_at", finished);

  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  add_uint (builder, "outlook_created", c->outlook_created);
  add_uint (builder, "outlook_updated", c->outlook_updated);
  add_uint (builder, "outlook_deleted", c->outlook_deleted);
  add_uint (builder, "bc_created", c->bc_created);
  add_uint (builder, "bc_updated", c->bc_updated);
  add_uint (builder, "linked", c->linked);
  add_uint (builder, "unchanged", c->unchanged);
  add_uint (builder, "skipped", c->skipped);
  add_uint (builder, "failed", c->failed);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "requests");
  json_builder_begin_object (builder);
  add_uint (builder, "login", report->requests.login);
  add_uint (builder, "graph", report->requests.graph);
  add_uint (builder, "bc", report->requests.bc);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "contacts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->results->len; i++)
    add_result (builder, g_ptr_array_index (report->results, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
bcs_sync_result_to_json_node (const BcsSyncResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_result (builder, result);
  return json_builder_get_root (builder);
}

static void
csv_append (GString    *out,
            const char *value)
{
  if (value == NULL)
    value = "";
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
bcs_sync_results_to_csv (GPtrArray *results)
{
  GString *out = g_string_new ("name,email,bc_id,bc_number,outlook_id,"
                               "direction,action,outcome,reason,fields\r\n");

  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      const BcsSyncResult *r = g_ptr_array_index (results, i);
      g_auto(GStrv) fields = bcs_field_mask_to_strv (r->fields);
      g_autofree char *joined = g_strjoinv (";", fields);
      const char *cells[] = {
        r->name, r->email, r->bc_id, r->bc_number, r->outlook_id,
        bcs_sync_direction_to_string (r->direction),
        bcs_sync_result_action_to_string (r->action),
        bcs_sync_outcome_to_string (r->outcome),
        r->reason, joined,
      };

      for (guint j = 0; j < G_N_ELEMENTS (cells); j++)
        {
          if (j > 0)
            g_string_append_c (out, ',');
          csv_append (out, cells[j]);
        }
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

gboolean
bcs_sync_report_export (const BcsSyncReport *report,
                        const char          *path,
                        GError             **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *text = NULL;
  gboolean ok;

  if (g_str_has_suffix (lower, ".csv"))
    {
      text = bcs_sync_results_to_csv (report->results);
      ok = g_file_set_contents (path, text, -1, error);
    }
  else
    ok = bcs_sync_report_save_json (report, path, "\n", error);

  if (!ok)
    {
      g_prefix_error (error, _("Could not export the results: "));
      return FALSE;
    }
  return TRUE;
}

/* A macro, so that the format strings stay literals (-Wformat-nonliteral)
 * and xgettext finds them through g_dngettext */
#define SUMMARY_LINE(out, n, singular, plural)                              \
  G_STMT_START {                                                          \
    if ((n) > 0)                                                          \
      {                                                                   \
        g_string_append ((out), "  ");                                    \
        g_string_append_printf ((out), g_dngettext (GETTEXT_PACKAGE,      \
                                                    singular, plural,     \
                                                    (n)), (n));           \
        g_string_append_c ((out), '\n');                                  \
      }                                                                   \
  } G_STMT_END

char *
bcs_sync_report_format_summary (const BcsSyncReport *report)
{
  GString *out = g_string_new (NULL);
  const BcsSyncCounts *c = &report->counts;
  const char *title;
  gboolean planned = report->dry_run || report->outcome == BCS_SYNC_RUN_BRAKED;

  switch (report->outcome)
    {
    case BCS_SYNC_RUN_OK:
      title = report->dry_run ? _("Dry run finished: nothing was written.")
                              : _("Sync finished.");
      break;
    case BCS_SYNC_RUN_PARTIAL:
      title = _("Sync finished, but some contacts failed.");
      break;
    case BCS_SYNC_RUN_FAILED:
      title = _("Sync failed.");
      break;
    case BCS_SYNC_RUN_BRAKED:
      title = _("Sync stopped by the safety brake: nothing was written.");
      break;
    case BCS_SYNC_RUN_CANCELLED:
      title = _("Sync cancelled.");
      break;
    case BCS_SYNC_RUN_RUNNING:
    default:
      title = _("Sync did not finish.");
      break;
    }
  g_string_append_printf (out, "%s\n", title);

  if (planned)
    {
      SUMMARY_LINE (out, c->outlook_created,
                  "Would create %u contact in Outlook",
                  "Would create %u contacts in Outlook");
      SUMMARY_LINE (out, c->outlook_updated,
                  "Would update %u contact in Outlook",
                  "Would update %u contacts in Outlook");
      SUMMARY_LINE (out, c->outlook_deleted,
                  "Would remove %u contact from Outlook",
                  "Would remove %u contacts from Outlook");
      SUMMARY_LINE (out, c->bc_created,
                  "Would create %u contact in Business Central",
                  "Would create %u contacts in Business Central");
      SUMMARY_LINE (out, c->bc_updated,
                  "Would update %u contact in Business Central",
                  "Would update %u contacts in Business Central");
      SUMMARY_LINE (out, c->linked,
                  "Would link %u contact",
                  "Would link %u contacts");
    }
  else
    {
      SUMMARY_LINE (out, c->outlook_created,
                  "Created %u contact in Outlook",
                  "Created %u contacts in Outlook");
      SUMMARY_LINE (out, c->outlook_updated,
                  "Updated %u contact in Outlook",
                  "Updated %u contacts in Outlook");
      SUMMARY_LINE (out, c->outlook_deleted,
                  "Removed %u contact from Outlook",
                  "Removed %u contacts from Outlook");
      SUMMARY_LINE (out, c->bc_created,
                  "Created %u contact in Business Central",
                  "Created %u contacts in Business Central");
      SUMMARY_LINE (out, c->bc_updated,
                  "Updated %u contact in Business Central",
                  "Updated %u contacts in Business Central");
      SUMMARY_LINE (out, c->linked,
                  "Linked %u contact",
                  "Linked %u contacts");
    }
  SUMMARY_LINE (out, c->unchanged,
                  "%u contact unchanged",
                  "%u contacts unchanged");
  SUMMARY_LINE (out, c->skipped,
                  "%u contact skipped (see the results for the reasons)",
                  "%u contacts skipped (see the results for the reasons)");
  SUMMARY_LINE (out, c->failed,
                  "%u contact failed (see the results for the reasons)",
                  "%u contacts failed (see the results for the reasons)");

  if (report->message != NULL && *report->message != '\0')
    g_string_append_printf (out, "%s\n", report->message);

  return g_string_free (out, FALSE);
}
