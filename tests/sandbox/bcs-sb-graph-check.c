/* bcs-sb-graph-check.c — what a contact body may hold, answered as Graph does
 * (RequestBodyRead for unknown properties and wrong types, ErrorInvalidArgument
 * for too many e-mail addresses or phone numbers) */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-graph-private.h"

static gboolean
fail (BcsSbResponse *response,
      const char    *code,
      const char    *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (BcsSbResponse *response,
      const char    *code,
      const char    *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  bcs_sb_graph_error (response, 400, code, message);
  return FALSE;
}

static gboolean
is_string_or_null (JsonNode *node)
{
  return JSON_NODE_HOLDS_NULL (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING);
}

static gboolean
check_ext (JsonNode      *node,
           BcsSbResponse *response)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (response, "RequestBodyRead", "'%s' must be an array.", GRAPH_EXT_PROPS_NAME);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *id, *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (response, "RequestBodyRead", "An extended property must be an object.");
      object = json_node_get_object (element);
      id = json_object_get_member (object, "id");
      value = json_object_get_member (object, "value");
      if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) ||
          json_node_get_value_type (id) != G_TYPE_STRING ||
          strlen (json_node_get_string (id)) == 0)
        return fail (response, "ErrorInvalidExtendedProperty",
                     "The extended property needs an id.");
      if (value == NULL || !is_string_or_null (value))
        return fail (response, "ErrorInvalidExtendedPropertyValue",
                     "The extended property '%s' needs a string value.",
                     json_node_get_string (id));
    }

  return TRUE;
}

static gboolean
check_value (const GraphPropInfo *info,
             JsonNode            *node,
             BcsSbResponse       *response)
{
  switch (info->kind)
    {
    case K_META:
      return TRUE;

    case K_STRING:
      if (!is_string_or_null (node))
        return fail (response, "RequestBodyRead",
                     "Cannot convert the value of '%s' to a string.", info->name);
      return TRUE;

    case K_DATE:
      if (!is_string_or_null (node))
        return fail (response, "RequestBodyRead",
                     "Cannot convert the value of '%s' to a DateTimeOffset.", info->name);
      if (JSON_NODE_HOLDS_VALUE (node))
        {
          g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
          if (date == NULL)
            return fail (response, "RequestBodyRead",
                         "Cannot convert the literal '%s' to the expected type 'Edm.DateTimeOffset'.",
                         json_node_get_string (node));
        }
      return TRUE;

    case K_STRINGS:
    case K_EMAILS:
      {
        JsonArray *array;

        if (JSON_NODE_HOLDS_NULL (node))
          return TRUE;
        if (!JSON_NODE_HOLDS_ARRAY (node))
          return fail (response, "RequestBodyRead",
                       "A collection was expected for '%s'.", info->name);
        array = json_node_get_array (node);
        if (info->max > 0 && json_array_get_length (array) > info->max)
          return fail (response, "ErrorInvalidArgument",
                       "A contact can have at most %u values in '%s'.", info->max, info->name);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *element = json_array_get_element (array, i);

            if (info->kind == K_STRINGS && !is_string_or_null (element))
              return fail (response, "RequestBodyRead",
                           "The values of '%s' must be strings.", info->name);
            if (info->kind == K_EMAILS)
              {
                JsonObject *object;
                JsonNode *name, *address;

                if (!JSON_NODE_HOLDS_OBJECT (element))
                  return fail (response, "RequestBodyRead",
                               "The values of '%s' must be emailAddress objects.", info->name);
                object = json_node_get_object (element);
                name = json_object_get_member (object, "name");
                address = json_object_get_member (object, "address");
                if ((name != NULL && !is_string_or_null (name)) ||
                    (address != NULL && !is_string_or_null (address)))
                  return fail (response, "RequestBodyRead",
                               "An emailAddress holds a name and an address, both strings.");
              }
          }
        return TRUE;
      }

    case K_ADDRESS:
      {
        JsonObject *object;
        g_autoptr(GList) members = NULL;

        if (JSON_NODE_HOLDS_NULL (node))
          return TRUE;
        if (!JSON_NODE_HOLDS_OBJECT (node))
          return fail (response, "RequestBodyRead",
                       "'%s' must be a physicalAddress object.", info->name);
        object = json_node_get_object (node);
        members = json_object_get_members (object);
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (!g_strv_contains (bcs_sb_graph_address_keys, l->data) &&
                !g_str_equal (l->data, "@odata.type"))
              return fail (response, "RequestBodyRead",
                           "The property '%s' does not exist on type 'microsoft.graph.physicalAddress'.",
                           (const char *) l->data);
            if (!is_string_or_null (json_object_get_member (object, l->data)))
              return fail (response, "RequestBodyRead",
                           "'%s/%s' must be a string.", info->name, (const char *) l->data);
          }
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

gboolean
bcs_sb_graph_contact_check (JsonObject    *body,
                            BcsSbResponse *response)
{
  g_autoptr(GList) members = json_object_get_members (body);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (body, name);
      int index;

      if (g_str_has_prefix (name, "@odata."))
        continue;
      if (g_str_equal (name, GRAPH_EXT_PROPS_NAME))
        {
          if (!check_ext (node, response))
            return FALSE;
          continue;
        }
      index = bcs_sb_graph_property_index (name);
      if (index < 0)
        return fail (response, "RequestBodyRead",
                     "The property '%s' does not exist on type 'microsoft.graph.contact'. Make sure "
                     "to only use property names that are defined by the type.", name);
      if (!check_value (&bcs_sb_graph_props[index], node, response))
        return FALSE;
    }

  return TRUE;
}
