/* bcs-sb-graph-json.c — pages of contacts written straight to JSON text, and
 * the paging options ($top, $skip, Prefer: odata.maxpagesize, nextLinks)
 *
 * A page of 1,000 contacts as a JsonNode tree costs ~40,000 nodes to build and
 * walk again in the generator; written directly it is one GString. Inner
 * requests of a $batch still get nodes: their bodies nest in the batch reply. */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-graph-private.h"

#define GRAPH_JSON_TYPE "application/json;odata.metadata=minimal;odata.streaming=true;" \
                        "IEEE754Compatible=false;charset=utf-8"

void
bcs_sb_graph_json_append_string (GString    *out,
                                 const char *s)
{
  /* what needs escaping: quote, backslash and the control characters */
  static const char reject[] = "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
                               "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f";
  static const char hex[] = "0123456789abcdef";
  const char *p = s;

  g_string_append_c (out, '"');
  for (;;)
    {
      gsize n = strcspn (p, reject);
      unsigned char c;

      g_string_append_len (out, p, n);
      p += n;
      if (*p == '\0')
        break;
      c = (unsigned char) *p++;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
    }
  g_string_append_c (out, '"');
}

void
bcs_sb_graph_json_append_node (GString  *out,
                               JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            bcs_sb_graph_json_append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            bcs_sb_graph_json_append_string (out, name);
            g_string_append_c (out, ':');
            bcs_sb_graph_json_append_node (out, member);
          }
        g_string_append_c (out, '}');
        break;
      }

    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          bcs_sb_graph_json_append_string (out, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];
            g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
          }
        break;
      }
    }
}

void
bcs_sb_graph_page_init (GraphPage  *page,
                        gboolean    raw,
                        const char *context,
                        guint       size_hint)
{
  memset (page, 0, sizeof *page);
  page->context = g_strdup (context);
  if (raw)
    {
      page->raw = g_string_sized_new (256 + size_hint * 1300);
      g_string_append (page->raw, "{\"@odata.context\":");
      bcs_sb_graph_json_append_string (page->raw, context);
      g_string_append (page->raw, ",\"value\":[");
    }
  else
    page->array = json_array_sized_new (size_hint);
}

void
bcs_sb_graph_page_add_contact (GraphPage    *page,
                               GraphContact *contact,
                               guint64       select,
                               GPtrArray    *expand_ids,
                               gboolean      expand_all)
{
  if (page->raw != NULL)
    {
      if (page->count > 0)
        g_string_append_c (page->raw, ',');
      bcs_sb_graph_contact_append_json (page->raw, contact, select, expand_ids, expand_all);
    }
  else
    json_array_add_object_element (page->array,
                                   bcs_sb_graph_contact_to_object (contact, select, expand_ids, expand_all));
  page->count++;
}

void
bcs_sb_graph_page_add_object (GraphPage  *page,
                              JsonObject *object)
{
  if (page->raw != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

      if (page->count > 0)
        g_string_append_c (page->raw, ',');
      bcs_sb_graph_json_append_node (page->raw, node);
      json_object_unref (object);
    }
  else
    json_array_add_object_element (page->array, object);
  page->count++;
}

void
bcs_sb_graph_page_finish (GraphPage     *page,
                          BcsSbResponse *response,
                          const char    *link_name,
                          const char    *link)
{
  if (page->raw != NULL)
    {
      gsize length;
      char *text;

      g_string_append_c (page->raw, ']');
      if (link != NULL)
        {
          g_string_append_c (page->raw, ',');
          bcs_sb_graph_json_append_string (page->raw, link_name);
          g_string_append_c (page->raw, ':');
          bcs_sb_graph_json_append_string (page->raw, link);
        }
      g_string_append_c (page->raw, '}');
      length = page->raw->len;
      text = g_string_free (g_steal_pointer (&page->raw), FALSE);
      bcs_sb_response_set_raw (response, 200, GRAPH_JSON_TYPE, NULL, 0);
      response->raw = g_bytes_new_take (text, length);
    }
  else
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "@odata.context", page->context);
      json_object_set_array_member (object, "value", g_steal_pointer (&page->array));
      if (link != NULL)
        json_object_set_string_member (object, link_name, link);
      bcs_sb_response_set_object (response, 200, object);
    }
  g_clear_pointer (&page->context, g_free);
}

void
bcs_sb_graph_page_clear (GraphPage *page)
{
  if (page->raw != NULL)
    g_string_free (g_steal_pointer (&page->raw), TRUE);
  g_clear_pointer (&page->array, json_array_unref);
  g_clear_pointer (&page->context, g_free);
}

/* ---- paging ---- */

gboolean
bcs_sb_graph_parse_count (BcsSbRequest  *request,
                          const char    *name,
                          guint          fallback,
                          guint          max,
                          guint         *out,
                          BcsSbResponse *response)
{
  const char *text = bcs_sb_request_get_query (request, name);
  guint64 value;

  *out = fallback;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &value, NULL))
    {
      g_autofree char *message = g_strdup_printf ("Invalid value '%s' for %s.", text, name);
      bcs_sb_graph_error (response, 400, "BadRequest", message);
      return FALSE;
    }
  if (max > 0 && value > max)
    {
      g_autofree char *message = g_strdup_printf ("The limit of '%u' for %s was exceeded. "
                                                  "The maximum allowed is '%u'.", max, name, max);
      bcs_sb_graph_error (response, 400, "ErrorInvalidArgument", message);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

char *
bcs_sb_graph_context_url (BcsSbRequest *request,
                          const char   *what)
{
  return g_strdup_printf ("%s/$metadata#users('%s')/%s", request->base_url,
                          request->user != NULL ? request->user : "", what);
}

static void
append_param (GString    *out,
              const char *name,
              const char *value)
{
  g_string_append_c (out, out->len == 0 ? '?' : '&');
  g_string_append_uri_escaped (out, name, "$", FALSE);
  g_string_append_c (out, '=');
  g_string_append_uri_escaped (out, value, "$,()'/:@", FALSE);
}

char *
bcs_sb_graph_link (BcsSbRequest *request,
                   const char   *name,
                   const char   *value)
{
  GString *query = g_string_new (NULL);
  g_autoptr(GList) keys = g_hash_table_get_keys (request->query);
  g_autofree char *path = g_uri_escape_string (request->path, "/$=", FALSE);

  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    if (strcmp (l->data, name) != 0)
      append_param (query, l->data, g_hash_table_lookup (request->query, l->data));
  if (value != NULL)
    append_param (query, name, value);

  {
    g_autofree char *q = g_string_free (query, FALSE);
    return g_strconcat (request->base_url != NULL ? request->base_url : "", path, q, NULL);
  }
}

/* Prefer: odata.maxpagesize=N (answered with Preference-Applied), else FALLBACK */
guint
bcs_sb_graph_prefer_page_size (BcsSbRequest  *request,
                               BcsSbResponse *response,
                               guint          fallback,
                               guint          max)
{
  const char *prefer = soup_message_headers_get_list (request->headers, "Prefer");
  const char *p = prefer != NULL ? strstr (prefer, "odata.maxpagesize=") : NULL;
  guint64 size;
  g_autofree char *applied = NULL;

  if (p == NULL)
    return fallback;
  size = g_ascii_strtoull (p + strlen ("odata.maxpagesize="), NULL, 10);
  size = CLAMP (size, 1, max);
  applied = g_strdup_printf ("odata.maxpagesize=%u", (guint) size);
  soup_message_headers_replace (response->headers, "Preference-Applied", applied);
  return (guint) size;
}
