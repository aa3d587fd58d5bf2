/* bcs-filter-row.c — an entry row holding one field's Business Central filter
 *
 * Validates while typing: bcs_filter_row_state_new() computes what to show,
 * bcs_filter_row_apply_state() shows it. The row stores nothing itself; the
 * window saves the valid expressions ("state-changed"). */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-filter-row.h"

struct _BcsFilterRow
{
  AdwEntryRow parent_instance;

  BcsFilterField field;
  BcsFilterRowState *state;

  GtkLabel *example_label;
  GtkImage *error_icon;
};

G_DEFINE_FINAL_TYPE (BcsFilterRow, bcs_filter_row, ADW_TYPE_ENTRY_ROW)

enum {
  PROP_0,
  PROP_FIELD_ID,
  PROP_VALID,
  N_PROPS
};

enum {
  STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
bcs_filter_row_new (BcsFilterField field)
{
  g_return_val_if_fail (field >= 0 && field < BCS_N_FILTER_FIELDS, NULL);

  return g_object_new (BCS_TYPE_FILTER_ROW,
                       "field-id", bcs_filter_field_to_string (field),
                       NULL);
}

BcsFilterField
bcs_filter_row_get_field (BcsFilterRow *self)
{
  g_return_val_if_fail (BCS_IS_FILTER_ROW (self), 0);

  return self->field;
}

const BcsFilterRowState *
bcs_filter_row_get_state (BcsFilterRow *self)
{
  g_return_val_if_fail (BCS_IS_FILTER_ROW (self), NULL);

  return self->state;
}

gboolean
bcs_filter_row_is_valid (BcsFilterRow *self)
{
  g_return_val_if_fail (BCS_IS_FILTER_ROW (self), FALSE);

  return self->state->valid;
}

static GtkText *
get_text_widget (BcsFilterRow *self)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (self));

  return GTK_IS_TEXT (delegate) ? GTK_TEXT (delegate) : NULL;
}

void
bcs_filter_row_apply_state (BcsFilterRow            *self,
                            const BcsFilterRowState *state)
{
  GtkText *text = get_text_widget (self);
  gboolean was_valid;

  g_return_if_fail (BCS_IS_FILTER_ROW (self));
  g_return_if_fail (state != NULL);

  was_valid = self->state == NULL || self->state->valid;

  if (state->valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), state->css_class);

  /* the example stands where the text goes, as a placeholder would if the
   * title did not take that place in an empty entry row */
  gtk_widget_set_visible (GTK_WIDGET (self->example_label), state->empty);
  gtk_widget_set_visible (GTK_WIDGET (self->error_icon), !state->valid);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_icon), state->message);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), state->tooltip);

  if (text != NULL)
    {
      g_autoptr (PangoAttrList) attrs = pango_attr_list_new ();

      if (!state->valid && state->error_end_index > state->error_start_index)
        {
          PangoAttribute *underline = pango_attr_underline_new (PANGO_UNDERLINE_ERROR);

          underline->start_index = state->error_start_index;
          underline->end_index = state->error_end_index;
          pango_attr_list_insert (attrs, underline);
        }
      gtk_text_set_attributes (text, attrs);

      gtk_accessible_update_state (GTK_ACCESSIBLE (text),
                                   GTK_ACCESSIBLE_STATE_INVALID,
                                   state->valid ? GTK_ACCESSIBLE_INVALID_FALSE
                                                : GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (text),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, state->tooltip,
                                      -1);
    }

  if (self->state != state)
    {
      g_clear_pointer (&self->state, bcs_filter_row_state_free);
      self->state = g_new0 (BcsFilterRowState, 1);
      *self->state = *state;
      self->state->message = g_strdup (state->message);
      self->state->tooltip = g_strdup (state->tooltip);
    }

  if (was_valid != state->valid)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
changed_cb (BcsFilterRow *self)
{
  g_autoptr (BcsFilterRowState) state =
    bcs_filter_row_state_new (self->field, gtk_editable_get_text (GTK_EDITABLE (self)));

  bcs_filter_row_apply_state (self, state);
  g_signal_emit (self, signals[STATE_CHANGED], 0);
}

static void
set_field (BcsFilterRow *self,
           const char   *id)
{
  int field = bcs_filter_field_from_string (id);
  GtkText *text = get_text_widget (self);
  g_autofree char *example = NULL;

  if (field < 0)
    {
      g_critical ("“%s” is not a filter field", id);
      return;
    }

  self->field = field;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 bcs_filter_row_state_get_title (self->field));
  /* Translators: %s is a filter expression such as “Berlin|Hamburg” */
  example = g_strdup_printf (_("e.g. %s"), bcs_filter_row_state_get_example (self->field));
  gtk_label_set_text (self->example_label, example);
  if (text != NULL)
    {
      g_autofree char *label = bcs_filter_row_state_dup_label (self->field);

      gtk_accessible_update_property (GTK_ACCESSIBLE (text),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
    }
  changed_cb (self);
}

static void
bcs_filter_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BcsFilterRow *self = BCS_FILTER_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD_ID:
      g_value_set_string (value, bcs_filter_field_to_string (self->field));
      break;
    case PROP_VALID:
      g_value_set_boolean (value, bcs_filter_row_is_valid (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bcs_filter_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BcsFilterRow *self = BCS_FILTER_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD_ID:
      set_field (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bcs_filter_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BCS_TYPE_FILTER_ROW);

  G_OBJECT_CLASS (bcs_filter_row_parent_class)->dispose (object);
}

static void
bcs_filter_row_finalize (GObject *object)
{
  BcsFilterRow *self = BCS_FILTER_ROW (object);

  g_clear_pointer (&self->state, bcs_filter_row_state_free);

  G_OBJECT_CLASS (bcs_filter_row_parent_class)->finalize (object);
}

static void
bcs_filter_row_class_init (BcsFilterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = bcs_filter_row_get_property;
  object_class->set_property = bcs_filter_row_set_property;
  object_class->dispose = bcs_filter_row_dispose;
  object_class->finalize = bcs_filter_row_finalize;

  /* The field's id, as in the "filter" setting: "city", "postCode"… */
  properties[PROP_FIELD_ID] =
    g_param_spec_string ("field-id", NULL, NULL, "name",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After the text changed and its state is shown */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/bcs-filter-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BcsFilterRow, example_label);
  gtk_widget_class_bind_template_child (widget_class, BcsFilterRow, error_icon);
}

static void
bcs_filter_row_init (BcsFilterRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "changed", G_CALLBACK (changed_cb), NULL);
}
