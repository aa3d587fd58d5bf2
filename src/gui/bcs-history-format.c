/* bcs-history-format.c — how the run history describes a run (pure) */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-history-format.h"

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b)
         && g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

char *
bcs_history_format_when (const BcsSyncReport *run,
                         GDateTime           *now)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) yesterday = NULL;
  g_autofree char *clock = NULL;
  char *text;

  g_return_val_if_fail (run != NULL && now != NULL, NULL);

  if (run->started_at <= 0 || (utc = g_date_time_new_from_unix_utc (run->started_at)) == NULL)
    return g_strdup ("");
  when = g_date_time_to_timezone (utc, g_date_time_get_timezone (now));
  yesterday = g_date_time_add_days (now, -1);
  clock = g_date_time_format (when, "%H:%M");

  if (same_day (when, now))
    /* TRANSLATORS: %s is a time, e.g. 10:04 */
    return g_strdup_printf (_("Today at %s"), clock);
  if (same_day (when, yesterday))
    /* TRANSLATORS: %s is a time, e.g. 10:04 */
    return g_strdup_printf (_("Yesterday at %s"), clock);
  /* TRANSLATORS: a date and time, see g_date_time_format(); %-d is the
   * day without padding */
  text = g_date_time_format (when, _("%-d %b %Y at %H:%M"));
  return g_strstrip (text);
}

const char *
bcs_history_mode_label (const BcsSyncReport *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  if (run->dry_run)
    return C_("run mode", "Preview");
  if (run->mode == BCS_SYNC_MODE_FULL)
    return C_("run mode", "Full Sync");
  return C_("run mode", "Sync");
}

char *
bcs_history_format_title (const BcsSyncReport *run,
                          GDateTime           *now)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (run != NULL && now != NULL, NULL);

  when = bcs_history_format_when (run, now);
  if (*when == '\0')
    return g_strdup (bcs_history_mode_label (run));
  /* TRANSLATORS: "Today at 10:04 — Sync" */
  return g_strdup_printf (_("%s — %s"), when, bcs_history_mode_label (run));
}

/* Appends PART (taken; NULL: a zero count, nothing) */
static void
add_count (GString *text,
           char    *part)
{
  g_autofree char *owned = part;

  if (owned == NULL)
    return;
  if (text->len > 0)
    /* TRANSLATORS: between the counts of a run, "12 created · 1 failed" */
    g_string_append (text, _(" · "));
  g_string_append (text, owned);
}

/* "%u …" of N, or NULL when N is 0; FORMAT a literal g_dngettext() call, so
 * that xgettext finds the plural forms and the compiler checks them */
#define COUNT(n, format) ((n) > 0 ? g_strdup_printf (format, (n)) : NULL)

char *
bcs_history_format_counts (const BcsSyncReport *run)
{
  const BcsSyncCounts *c;
  GString *text;
  guint created, updated, deleted, linked;

  g_return_val_if_fail (run != NULL, NULL);

  c = &run->counts;
  text = g_string_new (NULL);
  created = c->outlook_created + c->bc_created;
  updated = c->outlook_updated + c->bc_updated;
  deleted = c->outlook_deleted;
  linked = c->linked;
  /* nothing was written: say what would have been */
  if (run->dry_run || run->outcome == BCS_SYNC_RUN_BRAKED)
    {
      add_count (text, COUNT (created, g_dngettext (GETTEXT_PACKAGE, "%u to create", "%u to create",
                                                    created)));
      add_count (text, COUNT (updated, g_dngettext (GETTEXT_PACKAGE, "%u to update", "%u to update",
                                                    updated)));
      add_count (text, COUNT (deleted, g_dngettext (GETTEXT_PACKAGE, "%u to remove", "%u to remove",
                                                    deleted)));
      add_count (text, COUNT (linked, g_dngettext (GETTEXT_PACKAGE, "%u to link", "%u to link", linked)));
    }
  else
    {
      add_count (text, COUNT (created, g_dngettext (GETTEXT_PACKAGE, "%u created", "%u created", created)));
      add_count (text, COUNT (updated, g_dngettext (GETTEXT_PACKAGE, "%u updated", "%u updated", updated)));
      add_count (text, COUNT (deleted, g_dngettext (GETTEXT_PACKAGE, "%u removed", "%u removed", deleted)));
      add_count (text, COUNT (linked, g_dngettext (GETTEXT_PACKAGE, "%u linked", "%u linked", linked)));
    }
  add_count (text, COUNT (c->skipped, g_dngettext (GETTEXT_PACKAGE, "%u skipped", "%u skipped",
                                                   c->skipped)));
  add_count (text, COUNT (c->failed, g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed", c->failed)));

  if (text->len == 0)
    {
      if (c->unchanged > 0)
        g_string_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                            "No changes: %u contact already the same",
                                            "No changes: %u contacts already the same",
                                            c->unchanged),
                         c->unchanged);
      else
        g_string_assign (text, _("No contacts"));
    }
  return g_string_free (text, FALSE);
}

const char *
bcs_history_outcome_label (BcsSyncRunOutcome outcome)
{
  switch (outcome)
    {
    case BCS_SYNC_RUN_OK:
      return _("Finished");
    case BCS_SYNC_RUN_PARTIAL:
      return _("Partly failed");
    case BCS_SYNC_RUN_FAILED:
      return _("Failed");
    case BCS_SYNC_RUN_BRAKED:
      return _("Stopped by the safety brake");
    case BCS_SYNC_RUN_CANCELLED:
      return _("Cancelled");
    case BCS_SYNC_RUN_RUNNING:
    default:
      /* started and never finished: still running elsewhere, or interrupted */
      return _("Did not finish");
    }
}

const char *
bcs_history_outcome_icon (BcsSyncRunOutcome outcome)
{
  switch (outcome)
    {
    case BCS_SYNC_RUN_OK:
      return "emblem-ok-symbolic";
    case BCS_SYNC_RUN_PARTIAL:
    case BCS_SYNC_RUN_BRAKED:
      return "dialog-warning-symbolic";
    case BCS_SYNC_RUN_FAILED:
      return "dialog-error-symbolic";
    case BCS_SYNC_RUN_CANCELLED:
      return "process-stop-symbolic";
    case BCS_SYNC_RUN_RUNNING:
    default:
      return "dialog-question-symbolic";
    }
}

const char *
bcs_history_outcome_style (BcsSyncRunOutcome outcome)
{
  switch (outcome)
    {
    case BCS_SYNC_RUN_OK:
      return "success";
    case BCS_SYNC_RUN_PARTIAL:
    case BCS_SYNC_RUN_BRAKED:
      return "warning";
    case BCS_SYNC_RUN_FAILED:
      return "error";
    case BCS_SYNC_RUN_CANCELLED:
    case BCS_SYNC_RUN_RUNNING:
    default:
      return "dim-label";
    }
}

char *
bcs_history_describe_run (const BcsSyncReport *run,
                          GDateTime           *now)
{
  g_autofree char *title = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (run != NULL && now != NULL, NULL);

  title = bcs_history_format_title (run, now);
  counts = bcs_history_format_counts (run);
  /* TRANSLATORS: what a screen reader says for a run: "Today at 10:04 —
   * Sync: Finished. 12 created · 1 failed" */
  text = g_strdup_printf (_("%s: %s. %s"), title, bcs_history_outcome_label (run->outcome), counts);
  if (run->message != NULL && *run->message != '\0')
    return g_strconcat (text, ". ", run->message, NULL);
  return g_steal_pointer (&text);
}

BcsHistoryPage
bcs_history_page_for (gboolean loaded,
                      gboolean failed,
                      guint    n_runs)
{
  /* runs already shown stay while a reload runs or after it failed */
  if (n_runs > 0)
    return BCS_HISTORY_PAGE_RUNS;
  if (failed)
    return BCS_HISTORY_PAGE_ERROR;
  if (!loaded)
    return BCS_HISTORY_PAGE_LOADING;
  return BCS_HISTORY_PAGE_EMPTY;
}
