/* bcs-window.c — the main window */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-a11y.h"
#include "bcs-exchange-sync-setup.h"
#include "bcs-window-private.h"

G_DEFINE_FINAL_TYPE (BcsWindow, bcs_window, ADW_TYPE_APPLICATION_WINDOW)

BcsWindow *
bcs_window_new (BcsApplication *application)
{
  return g_object_new (BCS_TYPE_WINDOW, "application", application, NULL);
}

void
bcs_window_add_toast (BcsWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (BCS_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
bcs_window_tell (GtkWidget  *inside,
                 const char *text)
{
  GtkRoot *root = inside != NULL ? gtk_widget_get_root (inside) : NULL;

  g_return_if_fail (text != NULL);

  if (BCS_IS_WINDOW (root))
    {
      /* a toast's title is markup */
      g_autofree char *title = g_markup_escape_text (text, -1);

      bcs_window_add_toast (BCS_WINDOW (root), adw_toast_new (title));
    }
  else
    g_message ("%s", text);
}

/* Says honestly that a feature is not built yet; never fakes a result */
void
bcs_window_show_not_available (BcsWindow  *self,
                               const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 4);
  bcs_window_add_toast (self, toast);
}

/* First run and later: Exchange Sync. Setup of the current profile */
static void
setup_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_autoptr (GError) error = NULL;

  if (!bcs_exchange_sync_setup_present (GTK_WINDOW (widget), &error))
    {
      /* a toast's title is markup */
      g_autofree char *title = g_markup_escape_text (error->message, -1);

      bcs_window_add_toast (BCS_WINDOW (widget), adw_toast_new (title));
    }
}

static void
bcs_window_dispose (GObject *object)
{
  BcsWindow *self = BCS_WINDOW (object);

  bcs_window_sync_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BCS_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bcs_window_parent_class)->dispose (object);
}

static void
bcs_window_class_init (BcsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bcs_window_dispose;

  g_type_ensure (BCS_TYPE_PROFILE_SWITCHER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/bcs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, profile_switcher);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, BcsWindow, setup_button);

  gtk_widget_class_install_action (widget_class, "win.setup", NULL, setup_action);
  bcs_window_sync_class_init (widget_class);
  bcs_window_history_class_init (widget_class);
}

static void
bcs_window_init (BcsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  bcs_a11y_label_inner_toggle (GTK_WIDGET (self->primary_menu_button), _("Main Menu"));

  if (DEVELOPMENT_PROFILE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  adw_status_page_set_icon_name (self->status_page, APP_ID);
  bcs_window_sync_init (self);
  bcs_window_history_init (self);

  /* The window's size is remembered between runs */
  self->settings = g_settings_new (BASE_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}
