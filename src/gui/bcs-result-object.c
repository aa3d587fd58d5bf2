/* bcs-result-object.c — one per-contact result as an item of a GListModel
 *
 * Its properties are the words the columns show (translated), so that a
 * GtkStringSorter on a GtkPropertyExpression sorts what people see. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include "bcs-result-object.h"
#include "bcs-results-filter.h"

struct _BcsResultObject
{
  GObject parent_instance;

  GPtrArray *results;
  guint index;
};

G_DEFINE_FINAL_TYPE (BcsResultObject, bcs_result_object, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_EMAIL,
  PROP_DIRECTION,
  PROP_ACTION,
  PROP_OUTCOME,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
nonnull (const char *text)
{
  return text != NULL ? text : "";
}

static void
bcs_result_object_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  const BcsSyncResult *result = bcs_result_object_get_result (BCS_RESULT_OBJECT (object));

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, nonnull (result->name));
      break;
    case PROP_EMAIL:
      g_value_set_string (value, nonnull (result->email));
      break;
    case PROP_DIRECTION:
      g_value_set_string (value, bcs_results_direction_label (result->direction));
      break;
    case PROP_ACTION:
      g_value_set_string (value, bcs_results_action_label (result->action));
      break;
    case PROP_OUTCOME:
      g_value_set_string (value, bcs_results_outcome_label (result->outcome));
      break;
    case PROP_REASON:
      g_value_set_string (value, nonnull (result->reason));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bcs_result_object_finalize (GObject *object)
{
  BcsResultObject *self = BCS_RESULT_OBJECT (object);

  g_clear_pointer (&self->results, g_ptr_array_unref);

  G_OBJECT_CLASS (bcs_result_object_parent_class)->finalize (object);
}

static void
bcs_result_object_class_init (BcsResultObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bcs_result_object_get_property;
  object_class->finalize = bcs_result_object_finalize;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTION] =
    g_param_spec_string ("direction", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] =
    g_param_spec_string ("outcome", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bcs_result_object_init (BcsResultObject *self)
{
}

BcsResultObject *
bcs_result_object_new (GPtrArray *results,
                       guint      index)
{
  BcsResultObject *self;

  g_return_val_if_fail (results != NULL && index < results->len, NULL);

  self = g_object_new (BCS_TYPE_RESULT_OBJECT, NULL);
  self->results = g_ptr_array_ref (results);
  self->index = index;
  return self;
}

const BcsSyncResult *
bcs_result_object_get_result (BcsResultObject *self)
{
  g_return_val_if_fail (BCS_IS_RESULT_OBJECT (self), NULL);

  return g_ptr_array_index (self->results, self->index);
}

guint
bcs_result_object_get_index (BcsResultObject *self)
{
  g_return_val_if_fail (BCS_IS_RESULT_OBJECT (self), 0);

  return self->index;
}
