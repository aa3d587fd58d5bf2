/* bcs-sync-result-changes.c — each written field's value before and after */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <json-glib/json-glib.h>

#include "bcs-sync-result-changes.h"

void
bcs_sync_change_free (BcsSyncChange *change)
{
  if (change == NULL)
    return;
  g_free (change->before);
  g_free (change->after);
  g_free (change);
}

static void
add_value (JsonBuilder *builder,
           const char  *value)
{
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
bcs_sync_result_set_changes (BcsSyncResult    *result,
                             const BcsContact *before,
                             const BcsContact *after,
                             BcsFieldMask      fields)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_if_fail (result != NULL);

  g_clear_pointer (&result->changes, g_free);
  fields &= BCS_FIELD_MASK_ALL;
  if (fields == 0)
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint field = 0; field < BCS_N_FIELDS; field++)
    {
      if ((fields & BCS_FIELD_MASK (field)) == 0)
        continue;
      json_builder_set_member_name (builder, bcs_contact_field_to_string (field));
      json_builder_begin_array (builder);
      add_value (builder, before != NULL ? before->values[field] : NULL);
      add_value (builder, after != NULL ? after->values[field] : NULL);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  result->changes = json_generator_to_data (generator, NULL);
}

/* A string or null element; FALSE for anything else */
static gboolean
element_string (JsonArray  *array,
                guint       index,
                char      **value)
{
  JsonNode *node = json_array_get_element (array, index);

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

GPtrArray *
bcs_sync_result_list_changes (const BcsSyncResult *result)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sync_change_free);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;

  g_return_val_if_fail (result != NULL, NULL);

  if (result->changes == NULL || *result->changes == '\0')
    return g_steal_pointer (&changes);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, result->changes, -1, NULL))
    {
      g_debug ("Unreadable changes of a result: ignored");
      return g_steal_pointer (&changes);
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_steal_pointer (&changes);
  object = json_node_get_object (root);

  /* field order, whatever the order of the text */
  for (guint field = 0; field < BCS_N_FIELDS; field++)
    {
      JsonNode *member = json_object_get_member (object, bcs_contact_field_to_string (field));
      g_autoptr(BcsSyncChange) change = NULL;
      JsonArray *pair;

      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
        continue;
      pair = json_node_get_array (member);
      if (json_array_get_length (pair) != 2)
        continue;
      change = g_new0 (BcsSyncChange, 1);
      change->field = field;
      if (!element_string (pair, 0, &change->before) || !element_string (pair, 1, &change->after))
        continue;
      g_ptr_array_add (changes, g_steal_pointer (&change));
    }
  return g_steal_pointer (&changes);
}

void
bcs_sync_result_set_action_changes (BcsSyncResult       *result,
                                    const BcsSyncAction *action)
{
  const BcsContact *before = NULL;

  g_return_if_fail (result != NULL);
  g_return_if_fail (action != NULL);

  if ((result->action != BCS_SYNC_RESULT_UPDATE && result->action != BCS_SYNC_RESULT_LINK)
      || result->fields == 0 || action->merged == NULL)
    return;

  if (result->direction == BCS_SYNC_DIRECTION_TO_OUTLOOK)
    before = action->outlook;
  else if (result->direction == BCS_SYNC_DIRECTION_TO_BC)
    before = action->bc;
  /* the side was not read: it still holds the last-synced values */
  if (before == NULL && action->pair != NULL)
    before = bcs_sync_pair_get_synced (action->pair);
  if (before == NULL)
    return;

  bcs_sync_result_set_changes (result, before, action->merged, result->fields);
}
