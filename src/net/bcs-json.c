/* bcs-json.c — null-tolerant typed getters over JSON from servers */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <math.h>
#include <stdarg.h>

#include "bcs-json.h"

JsonObject *
bcs_json_node_get_object (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  if (object == NULL || member == NULL)
    return NULL;

  return json_object_get_member (object, member);
}

const char *
bcs_json_get_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gint64
bcs_json_get_int (JsonObject *object,
                  const char *member,
                  gint64      default_value)
{
  JsonNode *node = get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* 2⁶³ itself is out of range: compare with < */
      if (value >= -9223372036854775808.0 && value < 9223372036854775808.0 && value == floor (value))
        return (gint64) value;
    }

  return default_value;
}

gboolean
bcs_json_get_boolean (JsonObject *object,
                      const char *member,
                      gboolean    default_value)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;

  return json_node_get_boolean (node);
}

JsonObject *
bcs_json_get_object (JsonObject *object,
                     const char *member)
{
  return bcs_json_node_get_object (get_member (object, member));
}

JsonArray *
bcs_json_get_array (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

const char *
bcs_json_get_path_string (JsonObject *object,
                          ...)
{
  const char *member;
  const char *next;
  va_list args;

  va_start (args, object);
  member = va_arg (args, const char *);
  while (member != NULL && object != NULL)
    {
      next = va_arg (args, const char *);
      if (next == NULL)
        {
          va_end (args);
          return bcs_json_get_string (object, member);
        }
      object = bcs_json_get_object (object, member);
      member = next;
    }
  va_end (args);

  return NULL;
}

char *
bcs_json_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");

  return json_to_string (node, FALSE);
}

JsonNode *
bcs_json_parse (const char  *data,
                gsize        length,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "empty document");
      return NULL;
    }

  return json_node_ref (root);
}
