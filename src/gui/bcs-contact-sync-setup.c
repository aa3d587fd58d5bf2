/* bcs-contact-sync-setup.c — Contact Sync. Setup: folder, filters and sync policies of a profile
 *
 * Every control is bound to the profile's settings and saves at once, as GNOME
 * preferences do. Filter expressions are the exception: one that does not
 * parse stays in its row, marked, and is not saved until it is corrected. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-contact-count.h"
#include "bcs-contact-sync-setup.h"
#include "bcs-error.h"
#include "bcs-filter-row.h"

struct _BcsContactSyncSetup
{
  AdwPreferencesWindow parent_instance;

  BcsProfile *profile;
  GSettings *settings;
  gboolean loading_filters;
  guint pending_saves;         /* bit per BcsFilterField */
  guint save_source;

  AdwEntryRow *folder_row;
  BcsFilterRow *filter_rows[BCS_N_FILTER_FIELDS];
  GtkListBoxRow *message_rows[BCS_N_FILTER_FIELDS];   /* below each filter row */
  AdwActionRow *count_row;
  GtkButton *count_button;
  GtkSpinner *count_spinner;
  GCancellable *counting;
  BcsSyncProviderFunc count_provider;
  gpointer count_provider_data;
  AdwComboRow *conflict_row;
  AdwComboRow *removal_row;
  AdwComboRow *auto_sync_row;
  AdwActionRow *brake_percent_row;
  AdwActionRow *brake_minimum_row;
  AdwActionRow *history_row;
  GtkSpinButton *brake_percent_spin;
  GtkSpinButton *brake_minimum_spin;
  GtkSpinButton *history_spin;
};

G_DEFINE_FINAL_TYPE (BcsContactSyncSetup, bcs_contact_sync_setup, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The template's ids of the filter rows, by field */
static const char * const filter_row_ids[BCS_N_FILTER_FIELDS] = {
  [BCS_FILTER_FIELD_NAME]           = "name_row",
  [BCS_FILTER_FIELD_TYPE]           = "type_row",
  [BCS_FILTER_FIELD_COMPANY_NAME]   = "company_name_row",
  [BCS_FILTER_FIELD_COMPANY_NUMBER] = "company_number_row",
  [BCS_FILTER_FIELD_CITY]           = "city_row",
  [BCS_FILTER_FIELD_COUNTY]         = "county_row",
  [BCS_FILTER_FIELD_POST_CODE]      = "post_code_row",
  [BCS_FILTER_FIELD_COUNTRY]        = "country_row",
  [BCS_FILTER_FIELD_EMAIL]          = "email_row",
  [BCS_FILTER_FIELD_NUMBER]         = "number_row",
};

/* The nicks of the enum settings, in the order of their combo rows' items */
static const char * const conflict_nicks[] = { "bc-wins", "two-way-merge", NULL };
static const char * const removal_nicks[] = { "remove", "keep-unlinked", NULL };
static const char * const auto_sync_nicks[] = { "off", "15-minutes", "hourly", "daily", NULL };

/* What each choice means, in the same order. The choices themselves stay
 * short: a combo row shows about 20 characters of the selected one. */
static const char * const conflict_explanations[] = {
  N_("Outlook-only changes are overwritten"),
  N_("Outlook changes go to Business Central"),
};
static const char * const removal_explanations[] = {
  N_("Their Outlook copies are deleted"),
  N_("Their Outlook copies stay, no longer synced"),
};

BcsContactSyncSetup *
bcs_contact_sync_setup_new (BcsProfile *profile)
{
  g_return_val_if_fail (BCS_IS_PROFILE (profile), NULL);

  return g_object_new (BCS_TYPE_CONTACT_SYNC_SETUP, "profile", profile, NULL);
}

BcsProfile *
bcs_contact_sync_setup_get_profile (BcsContactSyncSetup *self)
{
  g_return_val_if_fail (BCS_IS_CONTACT_SYNC_SETUP (self), NULL);

  return self->profile;
}

/* "C_ity" → "City", for screen readers and messages */
static char *
strip_mnemonic (const char *title)
{
  GString *plain = g_string_new (NULL);

  for (const char *p = title; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        g_string_append_c (plain, *++p);
      else if (*p != '_')
        g_string_append_c (plain, *p);
    }

  return g_string_free (plain, FALSE);
}

/* ---- filters ---- */

/* A row of the list below each filter row, shown while its expression does
 * not parse: why, and that it is not saved */
static void
add_message_row (BcsContactSyncSetup *self,
                 BcsFilterField       field)
{
  GtkWidget *filter_row = GTK_WIDGET (self->filter_rows[field]);
  GtkWidget *list = gtk_widget_get_parent (filter_row);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *row = adw_preferences_row_new ();   /* a group's list takes only these */

  g_return_if_fail (GTK_IS_LIST_BOX (list));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_widget_add_css_class (label, "error");

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_visible (row, FALSE);
  gtk_list_box_insert (GTK_LIST_BOX (list), row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (filter_row)) + 1);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (filter_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL,
                                  -1);
  self->message_rows[field] = GTK_LIST_BOX_ROW (row);
}

static void
update_message_row (BcsContactSyncSetup *self,
                    BcsFilterField       field)
{
  const BcsFilterRowState *state = bcs_filter_row_get_state (self->filter_rows[field]);
  GtkListBoxRow *row = self->message_rows[field];

  if (row == NULL)
    return;

  gtk_label_set_text (GTK_LABEL (gtk_list_box_row_get_child (row)),
                      state->valid ? "" : state->tooltip);
  gtk_widget_set_visible (GTK_WIDGET (row), !state->valid);
}

/* Shows the stored expressions; rows holding an expression that does not
 * parse keep it (the user is still correcting it) */
static void
load_filters (BcsContactSyncSetup *self)
{
  g_autoptr (GVariant) value = g_settings_get_value (self->settings, "filter");
  const char *texts[BCS_N_FILTER_FIELDS] = { NULL };
  GVariantIter iter;
  const char *key, *text;

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &text))
    {
      int field = bcs_filter_field_from_string (key);

      if (field >= 0)
        texts[field] = text;
      else
        g_debug ("Ignoring the filter on the unknown field “%s”", key);
    }

  self->loading_filters = TRUE;
  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    {
      GtkEditable *row = GTK_EDITABLE (self->filter_rows[i]);
      const char *stored = texts[i] != NULL ? texts[i] : "";

      if (bcs_filter_row_is_valid (self->filter_rows[i])
          && g_strcmp0 (gtk_editable_get_text (row), stored) != 0)
        gtk_editable_set_text (row, stored);
    }
  self->loading_filters = FALSE;

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    update_message_row (self, i);
}

/* Replaces ROW's field in the "filter" setting; keeps the other fields, also
 * unknown ones written by a newer version */
static void
save_filter (BcsContactSyncSetup *self,
             BcsFilterRow        *row)
{
  const BcsFilterRowState *state = bcs_filter_row_get_state (row);
  BcsFilterField field = bcs_filter_row_get_field (row);
  const char *id = bcs_filter_field_to_string (field);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr (GVariant) old = g_settings_get_value (self->settings, "filter");
  const char *old_text = NULL;
  gboolean has_alias = FALSE;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *value;

  if (!state->valid)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    {
      if (bcs_filter_field_from_string (key) != (int) field)
        g_variant_builder_add (&builder, "{ss}", key, value);
      else if (g_str_equal (key, id))
        old_text = value;
      else
        has_alias = TRUE;   /* e.g. "postalCode": replaced by the field's id */
    }

  if (!has_alias && (state->empty ? old_text == NULL : g_strcmp0 (old_text, text) == 0))
    {
      g_variant_builder_clear (&builder);
      return;
    }

  if (!state->empty)
    g_variant_builder_add (&builder, "{ss}", id, text);

  g_debug ("Saving the filter on %s", id);
  g_settings_set_value (self->settings, "filter", g_variant_builder_end (&builder));
}

static void
save_pending_filters (BcsContactSyncSetup *self)
{
  guint pending = self->pending_saves;

  self->pending_saves = 0;
  g_clear_handle_id (&self->save_source, g_source_remove);

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    if (pending & (1u << i))
      save_filter (self, self->filter_rows[i]);
}

static gboolean
save_pending_filters_cb (gpointer user_data)
{
  BcsContactSyncSetup *self = user_data;

  self->save_source = 0;
  save_pending_filters (self);
  return G_SOURCE_REMOVE;
}

/* Saved from an idle: replacing the text (a selection typed over,
 * gtk_editable_set_text) passes through an empty row, which must not replace
 * the stored expression on its way */
static void
filter_row_state_changed_cb (BcsContactSyncSetup *self,
                             BcsFilterRow        *row)
{
  if (!self->loading_filters)
    {
      self->pending_saves |= 1u << bcs_filter_row_get_field (row);
      if (self->save_source == 0)
        self->save_source = g_idle_add (save_pending_filters_cb, self);
    }

  update_message_row (self, bcs_filter_row_get_field (row));
}

static void
filter_setting_changed_cb (BcsContactSyncSetup *self)
{
  load_filters (self);
}

/* ---- counting matching contacts ---- */

static void
set_counting (BcsContactSyncSetup *self,
              gboolean             counting)
{
  gtk_widget_set_visible (GTK_WIDGET (self->count_spinner), counting);
  gtk_spinner_set_spinning (self->count_spinner, counting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->count_button), !counting);
}

/* The count holds the window weakly: closing it cancels the count */
static void
count_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (BcsContactSyncSetup) self = g_weak_ref_get (ref);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  BcsContactCount count = { 0 };

  g_weak_ref_clear (ref);
  g_free (ref);
  if (!bcs_contact_count_finish (result, &count, &error)
      && g_error_matches (error, BCS_ERROR, BCS_ERROR_CANCELLED))
    return;   /* the window closed, or a new count replaced this one */
  /* the window was closed meanwhile */
  if (self == NULL || self->count_row == NULL)
    return;

  g_clear_object (&self->counting);
  set_counting (self, FALSE);
  text = error != NULL ? g_strdup (error->message) : bcs_contact_count_describe (count.matching);
  adw_action_row_set_subtitle (self->count_row, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
count_clicked_cb (BcsContactSyncSetup *self)
{
  GWeakRef *ref;

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    if (!bcs_filter_row_is_valid (self->filter_rows[i]))
      {
        adw_action_row_set_subtitle (self->count_row, _("Correct the marked filter first."));
        return;
      }

  /* the filters as shown are the ones counted */
  save_pending_filters (self);
  if (self->counting != NULL)
    g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  self->counting = g_cancellable_new ();

  set_counting (self, TRUE);
  adw_action_row_set_subtitle (self->count_row, _("Counting…"));
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  bcs_contact_count_async (self->profile, NULL, bcs_profile_is_sandbox (self->profile),
                           self->count_provider, self->count_provider_data, self->counting,
                           count_done_cb, ref);
}

void
bcs_contact_sync_setup_set_count_provider (BcsContactSyncSetup *self,
                                           BcsSyncProviderFunc  func,
                                           gpointer             user_data)
{
  g_return_if_fail (BCS_IS_CONTACT_SYNC_SETUP (self));

  self->count_provider = func;
  self->count_provider_data = user_data;
}

const char *
bcs_contact_sync_setup_get_count_text (BcsContactSyncSetup *self)
{
  g_return_val_if_fail (BCS_IS_CONTACT_SYNC_SETUP (self), NULL);

  return adw_action_row_get_subtitle (self->count_row);
}

/* ---- the enum settings and their combo rows ---- */

static gboolean
nick_to_index (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
index_to_nick (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[index]);
}

static void
bind_combo_row (BcsContactSyncSetup *self,
                const char          *key,
                AdwComboRow         *row,
                const char * const  *nicks)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick,
                                (gpointer) nicks, NULL);
}

static void
update_explanation (AdwComboRow        *row,
                    const char * const *explanations,
                    guint               n_explanations)
{
  guint selected = adw_combo_row_get_selected (row);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               selected < n_explanations ? _(explanations[selected]) : "");
}

static void
conflict_selected_cb (AdwComboRow *row)
{
  update_explanation (row, conflict_explanations, G_N_ELEMENTS (conflict_explanations));
}

static void
removal_selected_cb (AdwComboRow *row)
{
  update_explanation (row, removal_explanations, G_N_ELEMENTS (removal_explanations));
}

static void
auto_sync_selected_cb (AdwComboRow *row)
{
  /* Nothing runs the schedule yet: say so rather than pretend */
  if (adw_combo_row_get_selected (row) == 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 _("Sync from the main window when you want to"));
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 _("Saved; syncing on this schedule arrives in a later version"));
}

/* ---- the number settings ---- */

/* Spin buttons in rows: screen readers hear the row's title and subtitle */
static void
bind_spin_button (BcsContactSyncSetup *self,
                  const char          *key,
                  AdwActionRow        *row,
                  GtkSpinButton       *spin)
{
  g_autofree char *label =
    strip_mnemonic (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

  g_settings_bind (self->settings, key, gtk_spin_button_get_adjustment (spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  adw_action_row_get_subtitle (row),
                                  -1);
}

static void
bcs_contact_sync_setup_constructed (GObject *object)
{
  BcsContactSyncSetup *self = BCS_CONTACT_SYNC_SETUP (object);
  GtkEditable *folder_text;

  G_OBJECT_CLASS (bcs_contact_sync_setup_parent_class)->constructed (object);

  g_assert (self->profile != NULL);
  self->settings = g_object_ref (bcs_profile_get_settings (self->profile));

  /* Empty means the default folder (bcs_profile_dup_folder_name) */
  g_settings_bind (self->settings, "folder-name", self->folder_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  folder_text = gtk_editable_get_delegate (GTK_EDITABLE (self->folder_row));
  if (GTK_IS_TEXT (folder_text))
    gtk_text_set_placeholder_text (GTK_TEXT (folder_text), _("Business Central"));

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    add_message_row (self, i);
  load_filters (self);
  g_signal_connect_object (self->settings, "changed::filter",
                           G_CALLBACK (filter_setting_changed_cb), self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    g_signal_connect_object (self->filter_rows[i], "state-changed",
                             G_CALLBACK (filter_row_state_changed_cb), self, G_CONNECT_SWAPPED);

  bind_combo_row (self, "conflict-policy", self->conflict_row, conflict_nicks);
  bind_combo_row (self, "removal-policy", self->removal_row, removal_nicks);
  bind_combo_row (self, "auto-sync-interval", self->auto_sync_row, auto_sync_nicks);
  conflict_selected_cb (self->conflict_row);
  removal_selected_cb (self->removal_row);
  auto_sync_selected_cb (self->auto_sync_row);

  bind_spin_button (self, "brake-percent", self->brake_percent_row, self->brake_percent_spin);
  bind_spin_button (self, "brake-minimum", self->brake_minimum_row, self->brake_minimum_spin);
  bind_spin_button (self, "history-runs", self->history_row, self->history_spin);
}

static void
bcs_contact_sync_setup_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BcsContactSyncSetup *self = BCS_CONTACT_SYNC_SETUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bcs_contact_sync_setup_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BcsContactSyncSetup *self = BCS_CONTACT_SYNC_SETUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bcs_contact_sync_setup_dispose (GObject *object)
{
  BcsContactSyncSetup *self = BCS_CONTACT_SYNC_SETUP (object);

  if (self->settings != NULL)
    {
      save_pending_filters (self);
      g_settings_unbind (self->folder_row, "text");
      g_settings_unbind (self->conflict_row, "selected");
      g_settings_unbind (self->removal_row, "selected");
      g_settings_unbind (self->auto_sync_row, "selected");
      g_settings_unbind (gtk_spin_button_get_adjustment (self->brake_percent_spin), "value");
      g_settings_unbind (gtk_spin_button_get_adjustment (self->brake_minimum_spin), "value");
      g_settings_unbind (gtk_spin_button_get_adjustment (self->history_spin), "value");
    }

  if (self->counting != NULL)
    g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  gtk_widget_dispose_template (GTK_WIDGET (self), BCS_TYPE_CONTACT_SYNC_SETUP);
  g_clear_object (&self->settings);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (bcs_contact_sync_setup_parent_class)->dispose (object);
}

static void
bcs_contact_sync_setup_class_init (BcsContactSyncSetupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bcs_contact_sync_setup_constructed;
  object_class->get_property = bcs_contact_sync_setup_get_property;
  object_class->set_property = bcs_contact_sync_setup_set_property;
  object_class->dispose = bcs_contact_sync_setup_dispose;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, BCS_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BCS_TYPE_FILTER_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/bcs-contact-sync-setup.ui");
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, folder_row);
  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, filter_row_ids[i], FALSE,
                                               G_STRUCT_OFFSET (BcsContactSyncSetup, filter_rows)
                                               + i * sizeof (gpointer));
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, count_row);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, count_button);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, count_spinner);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, conflict_row);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, removal_row);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, auto_sync_row);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, brake_percent_row);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, brake_minimum_row);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, history_row);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, brake_percent_spin);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, brake_minimum_spin);
  gtk_widget_class_bind_template_child (widget_class, BcsContactSyncSetup, history_spin);
  gtk_widget_class_bind_template_callback (widget_class, conflict_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, removal_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, auto_sync_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, count_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bcs_contact_sync_setup_init (BcsContactSyncSetup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
