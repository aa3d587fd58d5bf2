/* bcs-profile-switcher.c — the header bar's profile menu */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-profile-switcher.h"

struct _BcsProfileSwitcher
{
  GtkWidget parent_instance;

  GtkMenuButton *button;
  GMenu *menu;
  BcsApplication *app;       /* weak */
  gboolean locked;
};

G_DEFINE_FINAL_TYPE (BcsProfileSwitcher, bcs_profile_switcher, GTK_TYPE_WIDGET)

GtkWidget *
bcs_profile_switcher_new (void)
{
  return g_object_new (BCS_TYPE_PROFILE_SWITCHER, NULL);
}

static void
rebuild (BcsProfileSwitcher *self)
{
  g_autoptr (GMenu) profiles = g_menu_new ();
  g_autoptr (GMenu) manage = g_menu_new ();
  g_auto (GStrv) names = NULL;
  g_autofree char *accessible = NULL;
  const char *current;

  g_menu_remove_all (self->menu);
  if (self->app == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  names = bcs_application_dup_profiles (self->app);
  current = bcs_application_get_profile (self->app);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (names[i], NULL);

      g_menu_item_set_action_and_target_value (item, "app.profile", g_variant_new_string (names[i]));
      g_menu_append_item (profiles, item);
    }
  g_menu_append (manage, _("_New Profile…"), "app.new-profile");
  g_menu_append (manage, _("Re_name Profile…"), "app.rename-profile");
  g_menu_append (manage, _("_Remove Profile…"), "app.remove-profile");
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (profiles));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (manage));

  gtk_menu_button_set_label (self->button, current);
  /* TRANSLATORS: %s is the name of a profile */
  accessible = g_strdup_printf (_("Profile %s"), current);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self), g_strv_length (names) > 1);
}

static void
update_tooltip (BcsProfileSwitcher *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), !self->locked);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button),
                               self->locked ? _("Profiles can be switched when the sync has finished")
                                            : _("Switch Profile"));
}

static void
changed_cb (BcsProfileSwitcher *self)
{
  rebuild (self);
}

static void
app_weak_notify (gpointer  data,
                 GObject  *where_the_object_was)
{
  BcsProfileSwitcher *self = data;

  self->app = NULL;
}

void
bcs_profile_switcher_set_application (BcsProfileSwitcher *self,
                                      BcsApplication     *app)
{
  g_return_if_fail (BCS_IS_PROFILE_SWITCHER (self));
  g_return_if_fail (app == NULL || BCS_IS_APPLICATION (app));

  if (self->app == app)
    return;
  if (self->app != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->app, self);
      g_signal_handlers_disconnect_by_data (bcs_application_get_settings (self->app), self);
      g_object_weak_unref (G_OBJECT (self->app), app_weak_notify, self);
    }
  self->app = app;
  if (app != NULL)
    {
      g_object_weak_ref (G_OBJECT (app), app_weak_notify, self);
      g_signal_connect_swapped (app, "notify::profile", G_CALLBACK (changed_cb), self);
      g_signal_connect_swapped (bcs_application_get_settings (app), "changed::profiles",
                                G_CALLBACK (changed_cb), self);
    }
  rebuild (self);
}

void
bcs_profile_switcher_set_locked (BcsProfileSwitcher *self,
                                 gboolean            locked)
{
  g_return_if_fail (BCS_IS_PROFILE_SWITCHER (self));

  self->locked = locked;
  update_tooltip (self);
}

GtkMenuButton *
bcs_profile_switcher_get_button (BcsProfileSwitcher *self)
{
  g_return_val_if_fail (BCS_IS_PROFILE_SWITCHER (self), NULL);
  return self->button;
}

GMenuModel *
bcs_profile_switcher_get_menu (BcsProfileSwitcher *self)
{
  g_return_val_if_fail (BCS_IS_PROFILE_SWITCHER (self), NULL);
  return G_MENU_MODEL (self->menu);
}

static void
bcs_profile_switcher_dispose (GObject *object)
{
  BcsProfileSwitcher *self = BCS_PROFILE_SWITCHER (object);

  bcs_profile_switcher_set_application (self, NULL);
  if (self->button != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->button));
      self->button = NULL;
    }
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (bcs_profile_switcher_parent_class)->dispose (object);
}

static void
bcs_profile_switcher_class_init (BcsProfileSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bcs_profile_switcher_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bcsprofileswitcher");
}

static void
bcs_profile_switcher_init (BcsProfileSwitcher *self)
{
  self->menu = g_menu_new ();
  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_menu_model (self->button, G_MENU_MODEL (self->menu));
  gtk_menu_button_set_always_show_arrow (self->button, TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->button), GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  update_tooltip (self);
}
