/* bcs-sb-bc-order.c — $orderby, the skip tokens of server-driven paging, and
 * $select for Business Central's contacts
 *
 * Rows are ordered by the given fields, then by the primary key (number), as
 * BC's SQL queries are; a skip token holds the sort keys of the last row of a
 * page, so the next page starts right after it even when rows were added or
 * removed in between.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-bc-private.h"

/* ---- $orderby ---- */

#define MAX_ORDER 8

struct _BcsSbBcOrder {
  guint n;
  int fields[MAX_ORDER];
  gboolean desc[MAX_ORDER];
};

BcsSbBcOrder *
bcs_sb_bc_order_parse (const char  *text,
                       char       **error)
{
  g_autoptr(BcsSbBcOrder) order = g_new0 (BcsSbBcOrder, 1);
  g_auto(GStrv) parts = NULL;

  if (text == NULL || *text == '\0')
    return g_steal_pointer (&order);
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) split = g_strsplit_set (g_strstrip (parts[i]), " \t", -1);
      const char *words[3] = { NULL, NULL, NULL };
      guint n = 0;
      int field;

      for (guint j = 0; split[j] != NULL; j++)
        if (*split[j] != '\0' && n++ < 3)
          words[n - 1] = split[j];

      if (n == 0 || n > 2 || (n == 2 && strcmp (words[1], "asc") != 0 && strcmp (words[1], "desc") != 0))
        {
          *error = g_strdup_printf ("Syntax error in $orderby at '%s'.", parts[i]);
          return NULL;
        }
      field = bcs_sb_bc_field_lookup (words[0]);
      if (field < 0)
        {
          *error = g_strdup_printf ("Could not find a property named '%s' on type 'Microsoft.NAV.contact'.",
                                    words[0]);
          return NULL;
        }
      if (order->n == MAX_ORDER)
        {
          *error = g_strdup ("Too many properties in $orderby.");
          return NULL;
        }
      order->fields[order->n] = field;
      order->desc[order->n] = n == 2 && strcmp (words[1], "desc") == 0;
      order->n++;
    }
  return g_steal_pointer (&order);
}

gboolean
bcs_sb_bc_order_is_default (BcsSbBcOrder *order)
{
  return order->n == 0 || (order->n == 1 && order->fields[0] == BC_F_NUMBER && !order->desc[0]);
}

int
bcs_sb_bc_order_compare (BcsSbBcOrder         *order,
                         const BcsSbBcContact *a,
                         const BcsSbBcContact *b)
{
  for (guint i = 0; i < order->n; i++)
    {
      int field = order->fields[i];
      int cmp;

      switch (bcs_sb_bc_fields[field].kind)
        {
        case BC_KIND_BOOL:
          cmp = (int) !!a->privacy_blocked - (int) !!b->privacy_blocked;
          break;
        case BC_KIND_DATETIME:
          cmp = a->modified_ms < b->modified_ms ? -1 : a->modified_ms > b->modified_ms ? 1 : 0;
          break;
        case BC_KIND_DATE:
        case BC_KIND_GUID:
          cmp = g_strcmp0 (a->values[field], b->values[field]);
          break;
        case BC_KIND_STRING:
        case BC_KIND_ENUM:
        default:
          cmp = bcs_sb_bc_strcasecmp (bcs_sb_bc_contact_get (a, field), bcs_sb_bc_contact_get (b, field));
          break;
        }
      if (cmp != 0)
        return order->desc[i] ? -cmp : cmp;
    }
  /* Then by the primary key, as BC's SQL queries do */
  return strcmp (bcs_sb_bc_contact_get (a, BC_F_NUMBER), bcs_sb_bc_contact_get (b, BC_F_NUMBER));
}

void
bcs_sb_bc_order_free (BcsSbBcOrder *order)
{
  g_free (order);
}

/* The sort keys of LAST and its number, as base64url of a JSON array */
char *
bcs_sb_bc_order_token (BcsSbBcOrder         *order,
                       const BcsSbBcContact *last)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;
  char *b64;

  for (guint i = 0; i < order->n; i++)
    {
      int field = order->fields[i];

      if (bcs_sb_bc_fields[field].kind == BC_KIND_BOOL)
        json_array_add_boolean_element (array, last->privacy_blocked);
      else if (bcs_sb_bc_fields[field].kind == BC_KIND_DATETIME)
        json_array_add_int_element (array, last->modified_ms);
      else
        json_array_add_string_element (array, bcs_sb_bc_contact_get (last, field));
    }
  json_array_add_string_element (array, bcs_sb_bc_contact_get (last, BC_F_NUMBER));
  json_node_set_array (node, array);
  text = json_to_string (node, FALSE);
  b64 = g_base64_encode ((const guchar *) text, strlen (text));
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '.');
  return b64;
}

BcsSbBcContact *
bcs_sb_bc_order_untoken (BcsSbBcOrder *order,
                         const char   *token)
{
  g_autofree char *b64 = g_strdup (token);
  g_autofree guchar *data = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BcsSbBcContact) contact = g_new0 (BcsSbBcContact, 1);
  JsonNode *root;
  JsonArray *array;
  gsize length = 0;

  g_strdelimit (b64, "-", '+');
  g_strdelimit (b64, "_", '/');
  g_strdelimit (b64, ".", '=');
  data = g_base64_decode (b64, &length);
  if (length == 0 || !json_parser_load_from_data (parser, (const char *) data, (gssize) length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  if (json_array_get_length (array) != order->n + 1)
    return NULL;
  for (guint i = 0; i <= order->n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      int field = i < order->n ? order->fields[i] : BC_F_NUMBER;

      if (!JSON_NODE_HOLDS_VALUE (element))
        return NULL;
      if (bcs_sb_bc_fields[field].kind == BC_KIND_BOOL)
        contact->privacy_blocked = json_node_get_boolean (element);
      else if (bcs_sb_bc_fields[field].kind == BC_KIND_DATETIME)
        contact->modified_ms = json_node_get_int (element);
      else if (json_node_get_value_type (element) == G_TYPE_STRING)
        bcs_sb_bc_contact_set (contact, field, json_node_get_string (element));
      else
        return NULL;
    }
  return g_steal_pointer (&contact);
}

/* ---- $select ---- */

gboolean *
bcs_sb_bc_select_parse (const char  *text,
                        char       **error)
{
  g_autofree gboolean *select = NULL;
  g_auto(GStrv) parts = NULL;

  if (text == NULL || *text == '\0' || strcmp (text, "*") == 0)
    return NULL;
  select = g_new0 (gboolean, BC_N_FIELDS);
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *name = g_strstrip (parts[i]);
      int field = bcs_sb_bc_field_lookup (name);

      if (field < 0)
        {
          *error = g_strdup_printf ("Could not find a property named '%s' on type 'Microsoft.NAV.contact'.", name);
          return NULL;
        }
      select[field] = TRUE;
    }
  return g_steal_pointer (&select);
}
