/* bcs-sb-graph-shape.c — a contact as Graph's responses show it: every
 * property in Graph's order, null / [] / {} for unset ones, $select and the
 * $expand of extended properties; as JSON nodes or straight as text */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-graph-private.h"

/* Unset values share one immutable node each: a page of 1,000 contacts then
 * allocates only what is set. */
static JsonNode *
shared_default (GraphPropKind kind)
{
  static JsonNode *null_node, *empty_array, *empty_object;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      null_node = json_node_init_null (json_node_alloc ());
      empty_array = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (empty_array, json_array_new ());
      empty_object = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (empty_object, json_object_new ());
      json_node_seal (null_node);
      json_node_seal (empty_array);
      json_node_seal (empty_object);
      g_once_init_leave (&once, 1);
    }

  switch (kind)
    {
    case K_STRINGS:
    case K_EMAILS:
      return empty_array;
    case K_ADDRESS:
      return empty_object;
    case K_META:
    case K_STRING:
    case K_DATE:
    default:
      return null_node;
    }
}

static JsonNode *
take_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

static JsonNode *
take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
strings_to_node (GraphPropKind  kind,
                 GraphStrings  *strings)
{
  if (kind == K_STRINGS)
    {
      JsonArray *array = json_array_sized_new (strings->n);

      for (guint i = 0; i < strings->n; i++)
        json_array_add_string_element (array, strings->v[i]);
      return take_array (array);
    }
  if (kind == K_EMAILS)
    {
      JsonArray *array = json_array_sized_new (strings->n / 2);

      for (guint i = 0; i + 1 < strings->n; i += 2)
        {
          JsonObject *email = json_object_new ();

          json_object_set_string_member (email, "name", strings->v[i]);
          json_object_set_string_member (email, "address", strings->v[i + 1]);
          json_array_add_object_element (array, email);
        }
      return take_array (array);
    }
  {
    JsonObject *object = json_object_new ();

    for (guint i = 0; i < N_ADDRESS_KEYS; i++)
      if (strings->v[i] != NULL)
        json_object_set_string_member (object, bcs_sb_graph_address_keys[i], strings->v[i]);
    return take_object (object);
  }
}

static void
strings_append_json (GString       *out,
                     GraphPropKind  kind,
                     GraphStrings  *strings)
{
  if (kind == K_STRINGS)
    {
      g_string_append_c (out, '[');
      for (guint i = 0; i < strings->n; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          bcs_sb_graph_json_append_string (out, strings->v[i]);
        }
      g_string_append_c (out, ']');
    }
  else if (kind == K_EMAILS)
    {
      g_string_append_c (out, '[');
      for (guint i = 0; i + 1 < strings->n; i += 2)
        {
          g_string_append (out, i > 0 ? ",{\"name\":" : "{\"name\":");
          if (strings->v[i] != NULL)
            bcs_sb_graph_json_append_string (out, strings->v[i]);
          else
            g_string_append_len (out, "null", 4);
          g_string_append (out, ",\"address\":");
          if (strings->v[i + 1] != NULL)
            bcs_sb_graph_json_append_string (out, strings->v[i + 1]);
          else
            g_string_append_len (out, "null", 4);
          g_string_append_c (out, '}');
        }
      g_string_append_c (out, ']');
    }
  else
    {
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      for (guint i = 0; i < N_ADDRESS_KEYS; i++)
        if (strings->v[i] != NULL)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            g_string_append_c (out, '"');
            g_string_append (out, bcs_sb_graph_address_keys[i]);
            g_string_append (out, "\":");
            bcs_sb_graph_json_append_string (out, strings->v[i]);
          }
      g_string_append_c (out, '}');
    }
}

static JsonNode *
value_node (GraphContact *contact,
            guint         index)
{
  const GraphPropInfo *info = &bcs_sb_graph_props[index];
  gpointer value = contact->v[index];

  if (index == P_ID)
    value = contact->id;
  else if (index == P_PARENT)
    value = contact->folder->id;

  if (value == NULL)
    return json_node_ref (shared_default (info->kind));
  if (graph_kind_is_string (info->kind))
    {
      JsonNode *node = json_node_alloc ();
      json_node_init_string (node, value);
      return node;
    }
  return strings_to_node (info->kind, value);
}

static gboolean
wants (guint64 select,
       guint   index)
{
  return select == 0 || index == P_ID || (select & (G_GUINT64_CONSTANT (1) << index)) != 0;
}

static gboolean
ext_wanted (JsonObject *property,
            GPtrArray  *expand_ids,
            gboolean    expand_all)
{
  g_autofree char *id = NULL;

  if (expand_all)
    return TRUE;
  id = g_ascii_strdown (json_object_get_string_member (property, "id"), -1);
  return g_ptr_array_find_with_equal_func (expand_ids, id, g_str_equal, NULL);
}

JsonObject *
bcs_sb_graph_contact_to_object (GraphContact *contact,
                                guint64       select,
                                GPtrArray    *expand_ids,
                                gboolean      expand_all)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "@odata.etag", bcs_sb_graph_contact_etag (contact));
  for (guint i = 0; i < GRAPH_N_PROPS; i++)
    if (wants (select, i))
      json_object_set_member (object, bcs_sb_graph_props[i].name, value_node (contact, i));

  if (expand_all || expand_ids != NULL)
    {
      JsonArray *ext = json_array_new ();

      for (guint i = 0; contact->ext != NULL && i < json_array_get_length (contact->ext); i++)
        if (ext_wanted (json_array_get_object_element (contact->ext, i), expand_ids, expand_all))
          json_array_add_element (ext, json_node_copy (json_array_get_element (contact->ext, i)));
      json_object_set_array_member (object, GRAPH_EXT_PROPS_NAME, ext);
    }

  return object;
}

/* ,"name": for each property, made once */
typedef struct {
  char *text;
  gsize length;
} JsonKey;

static const JsonKey *
json_keys (void)
{
  static JsonKey keys[GRAPH_N_PROPS];
  static gsize once;

  if (g_once_init_enter (&once))
    {
      for (guint i = 0; i < GRAPH_N_PROPS; i++)
        {
          keys[i].text = g_strdup_printf (",\"%s\":", bcs_sb_graph_props[i].name);
          keys[i].length = strlen (keys[i].text);
        }
      g_once_init_leave (&once, 1);
    }
  return keys;
}

void
bcs_sb_graph_contact_append_json (GString      *out,
                                  GraphContact *contact,
                                  guint64       select,
                                  GPtrArray    *expand_ids,
                                  gboolean      expand_all)
{
  const JsonKey *keys = json_keys ();

  g_string_append (out, "{\"@odata.etag\":");
  bcs_sb_graph_json_append_string (out, contact->etag);
  for (guint i = 0; i < GRAPH_N_PROPS; i++)
    {
      gpointer value = contact->v[i];

      if (!wants (select, i))
        continue;
      if (i == P_ID)
        value = contact->id;
      else if (i == P_PARENT)
        value = contact->folder->id;
      g_string_append_len (out, keys[i].text, keys[i].length);
      if (value == NULL && bcs_sb_graph_props[i].kind == K_ADDRESS)
        g_string_append_len (out, "{}", 2);
      else if (value == NULL && (bcs_sb_graph_props[i].kind == K_STRINGS || bcs_sb_graph_props[i].kind == K_EMAILS))
        g_string_append_len (out, "[]", 2);
      else if (value == NULL)
        g_string_append_len (out, "null", 4);
      else if (graph_kind_is_string (bcs_sb_graph_props[i].kind))
        bcs_sb_graph_json_append_string (out, value);
      else
        strings_append_json (out, bcs_sb_graph_props[i].kind, value);
    }
  if (expand_all || expand_ids != NULL)
    {
      gboolean first = TRUE;

      g_string_append (out, ",\"" GRAPH_EXT_PROPS_NAME "\":[");
      for (guint i = 0; contact->ext != NULL && i < json_array_get_length (contact->ext); i++)
        if (ext_wanted (json_array_get_object_element (contact->ext, i), expand_ids, expand_all))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            bcs_sb_graph_json_append_node (out, json_array_get_element (contact->ext, i));
          }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
}

const char *
bcs_sb_graph_contact_etag (GraphContact *contact)
{
  return contact->etag;
}
