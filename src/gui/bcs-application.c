/* bcs-application.c — the application: actions, command line, windows */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-application.h"
#include "bcs-application-background.h"
#include "bcs-application-profiles.h"
#include "bcs-cli.h"
#include "bcs-contact-sync-setup.h"
#include "bcs-error.h"
#include "bcs-profile.h"
#include "bcs-profile-list.h"
#include "bcs-renderer.h"
#include "bcs-window.h"

#define PLATFORM_PROFILE "bcs-profile"

struct _BcsApplication
{
  AdwApplication parent_instance;

  char *profile;
  char *requested_profile;   /* --profile, or NULL */
  char *sandbox_url;
  char *pending_profile;     /* --profile of a remote invocation, for the next activate */
  GSettings *settings;

  gboolean options_parsed;   /* handle-local-options was reached */
};

G_DEFINE_FINAL_TYPE (BcsApplication, bcs_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

BcsApplication *
bcs_application_new (void)
{
  return g_object_new (BCS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

const char *
bcs_application_get_profile (BcsApplication *self)
{
  g_return_val_if_fail (BCS_IS_APPLICATION (self), NULL);

  return self->profile;
}

const char *
bcs_application_get_requested_profile (BcsApplication *self)
{
  g_return_val_if_fail (BCS_IS_APPLICATION (self), NULL);

  return self->requested_profile;
}

const char *
bcs_application_get_sandbox_url (BcsApplication *self)
{
  g_return_val_if_fail (BCS_IS_APPLICATION (self), NULL);

  return self->sandbox_url;
}

GSettings *
bcs_application_get_settings (BcsApplication *self)
{
  g_return_val_if_fail (BCS_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (BASE_ID);
  return self->settings;
}

GStrv
bcs_application_dup_profiles (BcsApplication *self)
{
  g_auto (GStrv) listed = NULL;
  g_auto (GStrv) clean = NULL;

  g_return_val_if_fail (BCS_IS_APPLICATION (self), NULL);

  listed = g_settings_get_strv (bcs_application_get_settings (self), "profiles");
  clean = bcs_profile_list_normalize ((const char * const *) listed);
  return bcs_profile_list_add ((const char * const *) clean, self->profile);
}

gboolean
bcs_application_set_profile (BcsApplication  *self,
                             const char      *name,
                             GError         **error)
{
  g_return_val_if_fail (BCS_IS_APPLICATION (self), FALSE);

  if (!bcs_profile_name_is_valid (name))
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                   _("“%s” is not a valid profile name. Use letters, digits, “-” and “_” (at most 64)."),
                   name != NULL ? name : "");
      return FALSE;
    }

  if (g_strcmp0 (name, self->profile) != 0)
    {
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
        if (BCS_IS_WINDOW (l->data) && bcs_window_is_syncing (l->data))
          {
            /* TRANSLATORS: %s is the name of a profile */
            g_set_error (error, BCS_ERROR, BCS_ERROR_BUSY,
                         _("A sync of profile “%s” is running. Wait for it to finish (or cancel it), "
                           "then switch profiles."), self->profile);
            return FALSE;
          }

      g_free (self->profile);
      self->profile = g_strdup (name);
    }

  /* a demo against a sandbox leaves the real setup as it was */
  if (self->sandbox_url == NULL)
    {
      GSettings *settings = bcs_application_get_settings (self);
      g_auto (GStrv) listed = g_settings_get_strv (settings, "profiles");
      g_auto (GStrv) clean = bcs_profile_list_normalize ((const char * const *) listed);
      g_auto (GStrv) with = bcs_profile_list_add ((const char * const *) clean, name);

      if (!g_strv_equal ((const char * const *) listed, (const char * const *) with))
        g_settings_set_strv (settings, "profiles", (const char * const *) with);
      g_settings_set_string (settings, "last-profile", name);
    }

  bcs_application_profiles_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  return TRUE;
}

BcsSyncService *
bcs_application_new_sync_service (BcsApplication  *self,
                                  const char      *name,
                                  GError         **error)
{
  g_autoptr (BcsProfile) profile = NULL;
  BcsSyncService *service;

  g_return_val_if_fail (BCS_IS_APPLICATION (self), NULL);

  profile = bcs_profile_new (name, self->sandbox_url, error);
  if (profile == NULL)
    return NULL;

  service = bcs_sync_service_new (profile);
  if (bcs_profile_is_sandbox (profile))
    bcs_sync_service_set_default_company (service, TRUE);
  return service;
}

/* Headless commands run here, before GTK is initialised (DESIGN.md) */
static int
bcs_application_handle_local_options (GApplication *app,
                                      GVariantDict *dict)
{
  BcsApplication *self = BCS_APPLICATION (app);
  g_autoptr (BcsCliOptions) options = NULL;
  g_autoptr (GError) error = NULL;

  self->options_parsed = TRUE;

  if (g_variant_dict_contains (dict, "version"))
    {
      g_print ("bc-contact-sync %s\n", VERSION);
      return 0;
    }

  options = bcs_cli_options_parse (dict, &error);
  if (options == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_free (self->profile);
  self->profile = g_strdup (options->profile);
  g_free (self->sandbox_url);
  self->sandbox_url = g_strdup (options->sandbox_url);
  g_clear_pointer (&self->requested_profile, g_free);
  if (g_variant_dict_contains (dict, "profile"))
    self->requested_profile = g_strdup (options->profile);

  if (options->command == BCS_CLI_COMMAND_BACKGROUND)
    return bcs_application_background_handle_local (self);

  if (options->command != BCS_CLI_COMMAND_NONE)
    return bcs_cli_run (options);

  /* The window: the profile asked for, else the last used one */
  {
    GSettings *settings = bcs_application_get_settings (self);
    g_auto (GStrv) listed = g_settings_get_strv (settings, "profiles");
    g_autofree char *last = g_settings_get_string (settings, "last-profile");

    g_free (self->profile);
    self->profile = bcs_profile_list_pick_startup ((const char * const *) listed,
                                                   self->requested_profile,
                                                   self->sandbox_url == NULL ? last : NULL);
  }

  return -1;
}

/* A second `bc-contact-sync --profile NAME` hands NAME to the running instance */
static void
bcs_application_add_platform_data (GApplication    *app,
                                   GVariantBuilder *builder)
{
  BcsApplication *self = BCS_APPLICATION (app);

  G_APPLICATION_CLASS (bcs_application_parent_class)->add_platform_data (app, builder);
  if (self->requested_profile != NULL)
    g_variant_builder_add (builder, "{sv}", PLATFORM_PROFILE,
                           g_variant_new_string (self->requested_profile));
}

static void
bcs_application_before_emit (GApplication *app,
                             GVariant     *platform_data)
{
  BcsApplication *self = BCS_APPLICATION (app);
  const char *name = NULL;

  G_APPLICATION_CLASS (bcs_application_parent_class)->before_emit (app, platform_data);
  g_clear_pointer (&self->pending_profile, g_free);
  if (g_variant_lookup (platform_data, PLATFORM_PROFILE, "&s", &name) && bcs_profile_name_is_valid (name))
    self->pending_profile = g_strdup (name);
}

/* GApplication exits 1 when it cannot parse the command line (an unknown
 * option, a missing value); DESIGN.md wants 2 for every command-line error. */
static gboolean
bcs_application_local_command_line (GApplication   *app,
                                    char         ***arguments,
                                    int            *exit_status)
{
  BcsApplication *self = BCS_APPLICATION (app);

  self->options_parsed = FALSE;

  if (!G_APPLICATION_CLASS (bcs_application_parent_class)->local_command_line (app, arguments, exit_status))
    return FALSE;

  if (!self->options_parsed && *exit_status != 0)
    {
      /* TRANSLATORS: %s is the program's name, bc-contact-sync */
      g_printerr (_("Run “%s --help” to see the options.\n"),
                  g_get_prgname () != NULL ? g_get_prgname () : "bc-contact-sync");
      *exit_status = 2;
    }

  return TRUE;
}

static void
bcs_application_activate (GApplication *app)
{
  BcsApplication *self = BCS_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  /* started with --background: no window this time */
  if (bcs_application_background_take_activation (self))
    return;

  if (window == NULL)
    window = GTK_WINDOW (bcs_window_new (self));

  /* `bc-contact-sync --profile NAME` while this instance runs */
  if (self->pending_profile != NULL)
    {
      g_autofree char *name = g_steal_pointer (&self->pending_profile);
      g_autoptr (GError) error = NULL;

      if (!bcs_application_set_profile (self, name, &error) && BCS_IS_WINDOW (window))
        bcs_window_tell (GTK_WIDGET (window), error->message);
    }

  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Contact Sync engineers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Business Central Contact Sync"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Contact Sync engineers"),
                         "version", VERSION,
                         "comments", _("Keeps the contacts of a Business Central company and an Outlook folder in sync."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* TRANSLATORS: your names, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr (GtkBuilder) builder =
    gtk_builder_new_from_resource (RESOURCE_PREFIX "/bcs-shortcuts-window.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));

  gtk_window_set_transient_for (shortcuts, gtk_application_get_active_window (app));
  gtk_window_set_application (shortcuts, app);
  gtk_window_present (shortcuts);
}

/* The setup goes with its main window even while something else holds a
 * reference to that window (destroy-with-parent waits for its disposal) */
static void
setup_parent_removed_cb (GtkApplication *app,
                         GtkWindow      *window,
                         GtkWindow      *setup)
{
  if (gtk_window_get_transient_for (setup) == window)
    gtk_window_destroy (setup);
}

/* Contact Sync. Setup of the current profile; one at a time */
static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BcsApplication *self = BCS_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr (BcsProfile) profile = NULL;
  g_autoptr (GError) error = NULL;
  BcsContactSyncSetup *setup;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (BCS_IS_CONTACT_SYNC_SETUP (l->data))
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return;
      }

  profile = bcs_profile_new (self->profile, self->sandbox_url, &error);
  if (profile == NULL)
    {
      g_warning ("Cannot open Contact Sync. Setup: %s", error->message);
      if (BCS_IS_WINDOW (parent))
        bcs_window_tell (GTK_WIDGET (parent), error->message);
      return;
    }

  setup = bcs_contact_sync_setup_new (profile);
  gtk_window_set_transient_for (GTK_WINDOW (setup), parent);
  gtk_window_set_modal (GTK_WINDOW (setup), parent != NULL);
  gtk_window_set_application (GTK_WINDOW (setup), GTK_APPLICATION (self));
  g_signal_connect_object (self, "window-removed",
                           G_CALLBACK (setup_parent_removed_cb), setup, 0);
  gtk_window_present (GTK_WINDOW (setup));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
  { "preferences", preferences_action },
};

static void
bcs_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (bcs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  bcs_application_profiles_startup (BCS_APPLICATION (app));
  bcs_application_background_startup (BCS_APPLICATION (app));
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.shortcuts", shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
}

/* Every window of the application comes here before it is shown: the
 * renderer is chosen then (a background run that never shows a window
 * never loads the GL driver to ask) */
static void
bcs_application_window_added (GtkApplication *app,
                              GtkWindow      *window)
{
  /* on a software GL, windows draw with cairo */
  bcs_renderer_choose (gtk_widget_get_display (GTK_WIDGET (window)));

  GTK_APPLICATION_CLASS (bcs_application_parent_class)->window_added (app, window);
}

static void
bcs_application_finalize (GObject *object)
{
  BcsApplication *self = BCS_APPLICATION (object);

  g_clear_pointer (&self->profile, g_free);
  g_clear_pointer (&self->requested_profile, g_free);
  g_clear_pointer (&self->sandbox_url, g_free);
  g_clear_pointer (&self->pending_profile, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bcs_application_parent_class)->finalize (object);
}

static void
bcs_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BcsApplication *self = BCS_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_string (value, self->profile);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bcs_application_class_init (BcsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = bcs_application_finalize;
  object_class->get_property = bcs_application_get_property;
  app_class->local_command_line = bcs_application_local_command_line;
  app_class->handle_local_options = bcs_application_handle_local_options;
  app_class->add_platform_data = bcs_application_add_platform_data;
  app_class->before_emit = bcs_application_before_emit;
  app_class->startup = bcs_application_startup;
  app_class->activate = bcs_application_activate;
  GTK_APPLICATION_CLASS (klass)->window_added = bcs_application_window_added;

  properties[PROP_PROFILE] =
    g_param_spec_string ("profile", NULL, NULL, "default",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bcs_application_init (BcsApplication *self)
{
  self->profile = g_strdup ("default");
  bcs_cli_options_add_entries (G_APPLICATION (self));
}
