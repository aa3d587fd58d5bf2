/* bcs-overview.c — both sides at a glance, the last sync, Sync / Full Sync / Preview
 *
 * The buttons are actionable (win.sync, win.full-sync, win.preview): the
 * window enables them. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-overview.h"

struct _BcsOverview
{
  GtkWidget parent_instance;

  BcsProfile *profile;
  gulong settings_changed_id;

  AdwActionRow *company_row;
  AdwActionRow *environment_row;
  AdwActionRow *account_row;
  AdwActionRow *folder_row;
  AdwActionRow *last_run_row;
  GtkButton *results_button;
};

G_DEFINE_FINAL_TYPE (BcsOverview, bcs_overview, GTK_TYPE_WIDGET)

static guint
changes_of (const BcsSyncReport *report)
{
  const BcsSyncCounts *c = &report->counts;

  return c->outlook_created + c->outlook_updated + c->outlook_deleted
         + c->bc_created + c->bc_updated + c->linked;
}

static char *
describe_outcome (const BcsSyncReport *report)
{
  guint changes = changes_of (report);

  switch (report->outcome)
    {
    case BCS_SYNC_RUN_OK:
      if (report->dry_run)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "preview: %u change planned",
                                             "preview: %u changes planned", changes), changes);
      if (changes == 0)
        return g_strdup (_("finished: everything was up to date"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "finished: %u change",
                                           "finished: %u changes", changes), changes);
    case BCS_SYNC_RUN_PARTIAL:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "finished, but %u contact failed",
                                           "finished, but %u contacts failed", report->counts.failed),
                              report->counts.failed);
    case BCS_SYNC_RUN_FAILED:
      return g_strdup (_("failed"));
    case BCS_SYNC_RUN_BRAKED:
      return g_strdup (_("stopped by the safety brake: nothing was written"));
    case BCS_SYNC_RUN_CANCELLED:
      return g_strdup (_("cancelled"));
    case BCS_SYNC_RUN_RUNNING:
    default:
      return g_strdup (_("did not finish"));
    }
}

char *
bcs_overview_describe_last_run (const BcsSyncReport *report,
                                GDateTime           *now)
{
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) local_now = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *outcome = NULL;
  gint64 stamp;

  if (report == NULL)
    return g_strdup (_("Never synced"));

  stamp = report->finished_at != 0 ? report->finished_at : report->started_at;
  outcome = describe_outcome (report);
  if (stamp == 0)
    return g_steal_pointer (&outcome);

  when = g_date_time_new_from_unix_local (stamp);
  local_now = g_date_time_to_local (now);
  if (when == NULL || local_now == NULL)
    return g_steal_pointer (&outcome);

  if (g_date_time_get_year (when) == g_date_time_get_year (local_now)
      && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (local_now))
    {
      g_autofree char *clock = g_date_time_format (when, "%H:%M");
      /* TRANSLATORS: %s is a time, e.g. 10:04 */
      time_text = g_strdup_printf (_("Today at %s"), clock);
    }
  else
    {
      /* TRANSLATORS: a date and time, see g_date_time_format() */
      time_text = g_date_time_format (when, _("%e %b %Y at %H:%M"));
      g_strstrip (time_text);
    }

  /* TRANSLATORS: "Today at 10:04 — finished: 12 changes" */
  return g_strdup_printf (_("%s — %s"), time_text, outcome);
}

static void
set_row (AdwActionRow *row,
         const char   *value,
         const char   *unset)
{
  adw_action_row_set_subtitle (row, value != NULL && *value != '\0' ? value : unset);
}

static void
refresh_profile (BcsOverview *self)
{
  GSettings *settings;
  g_autofree char *company = NULL;
  g_autofree char *environment = NULL;
  g_autofree char *account = NULL;
  g_autofree char *folder = NULL;

  if (self->profile == NULL)
    return;

  settings = bcs_profile_get_settings (self->profile);
  company = g_settings_get_string (settings, "company-name");
  account = g_settings_get_string (settings, "account");
  folder = bcs_profile_dup_folder_name (self->profile);
  if (bcs_profile_get_deployment (self->profile) == BCS_DEPLOYMENT_ON_PREMISES)
    environment = g_settings_get_string (settings, "bc-onprem-base-url");
  else
    environment = bcs_profile_dup_environment (self->profile);

  if (bcs_profile_is_sandbox (self->profile))
    {
      set_row (self->company_row, company, _("The sandbox’s first company"));
      set_row (self->account_row, account, _("The sandbox’s demo account"));
    }
  else
    {
      set_row (self->company_row, company, _("Not chosen yet"));
      set_row (self->account_row, account, _("Not signed in"));
    }
  set_row (self->environment_row, environment, _("Not chosen yet"));
  set_row (self->folder_row, folder, _("Not chosen yet"));
}

GtkWidget *
bcs_overview_new (void)
{
  return g_object_new (BCS_TYPE_OVERVIEW, NULL);
}

static void
disconnect_profile (BcsOverview *self)
{
  if (self->profile != NULL && self->settings_changed_id != 0)
    g_signal_handler_disconnect (bcs_profile_get_settings (self->profile), self->settings_changed_id);
  self->settings_changed_id = 0;
  g_clear_object (&self->profile);
}

void
bcs_overview_set_profile (BcsOverview *self,
                          BcsProfile  *profile)
{
  g_return_if_fail (BCS_IS_OVERVIEW (self));
  g_return_if_fail (profile == NULL || BCS_IS_PROFILE (profile));

  disconnect_profile (self);
  if (profile == NULL)
    return;

  self->profile = g_object_ref (profile);
  self->settings_changed_id = g_signal_connect_swapped (bcs_profile_get_settings (profile), "changed",
                                                        G_CALLBACK (refresh_profile), self);
  refresh_profile (self);
}

void
bcs_overview_set_last_run (BcsOverview         *self,
                           const BcsSyncReport *report)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *text = bcs_overview_describe_last_run (report, now);

  g_return_if_fail (BCS_IS_OVERVIEW (self));

  adw_action_row_set_subtitle (self->last_run_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->results_button), report != NULL);
}

const char *
bcs_overview_get_last_run_text (BcsOverview *self)
{
  g_return_val_if_fail (BCS_IS_OVERVIEW (self), NULL);

  return adw_action_row_get_subtitle (self->last_run_row);
}

static void
bcs_overview_dispose (GObject *object)
{
  BcsOverview *self = BCS_OVERVIEW (object);

  disconnect_profile (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BCS_TYPE_OVERVIEW);
  /* the template's root is not a named child: unparent it too */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (bcs_overview_parent_class)->dispose (object);
}

static void
bcs_overview_class_init (BcsOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bcs_overview_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/bcs-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, BcsOverview, company_row);
  gtk_widget_class_bind_template_child (widget_class, BcsOverview, environment_row);
  gtk_widget_class_bind_template_child (widget_class, BcsOverview, account_row);
  gtk_widget_class_bind_template_child (widget_class, BcsOverview, folder_row);
  gtk_widget_class_bind_template_child (widget_class, BcsOverview, last_run_row);
  gtk_widget_class_bind_template_child (widget_class, BcsOverview, results_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bcs_overview_init (BcsOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bcs_overview_set_last_run (self, NULL);
}
