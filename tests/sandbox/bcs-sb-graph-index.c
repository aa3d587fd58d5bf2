/* bcs-sb-graph-index.c — contacts by e-mail address and by extended property
 *
 * A client that looks a contact up with $filter=emailAddresses/any(…) or
 * singleValueExtendedProperties/Any(…) for each of thousands of contacts must
 * not make the sandbox scan 100,000 contacts each time. Keys are case folded:
 * Exchange compares these strings without regard to case. */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include "bcs-sb-graph-private.h"

char *
bcs_sb_graph_index_email_key (const char *address)
{
  g_autofree char *folded = g_utf8_casefold (address, -1);

  return g_strconcat ("e:", folded, NULL);
}

char *
bcs_sb_graph_index_ext_key (const char *id,
                            const char *value)
{
  g_autofree char *id_folded = g_utf8_casefold (id, -1);
  g_autofree char *value_folded = g_utf8_casefold (value, -1);

  return g_strconcat ("x:", id_folded, "\n", value_folded, NULL);
}

static GPtrArray *
contact_keys (GraphContact *contact)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  guint n = bcs_sb_graph_contact_count (contact, P_EMAILS);

  for (guint i = 0; i < n; i++)
    {
      const char *address = bcs_sb_graph_contact_element (contact, P_EMAILS, i, "address");
      if (address != NULL)
        g_ptr_array_add (keys, bcs_sb_graph_index_email_key (address));
    }
  n = bcs_sb_graph_contact_count (contact, GRAPH_EXT_PROP);
  for (guint i = 0; i < n; i++)
    {
      const char *id = bcs_sb_graph_contact_element (contact, GRAPH_EXT_PROP, i, "id");
      const char *value = bcs_sb_graph_contact_element (contact, GRAPH_EXT_PROP, i, "value");
      if (id != NULL && value != NULL)
        g_ptr_array_add (keys, bcs_sb_graph_index_ext_key (id, value));
    }
  return keys;
}

void
bcs_sb_graph_index_add (BcsSbGraph   *graph,
                        GraphContact *contact)
{
  g_autoptr(GPtrArray) keys = contact_keys (contact);

  for (guint i = 0; i < keys->len; i++)
    {
      GPtrArray *contacts = g_hash_table_lookup (graph->index, keys->pdata[i]);

      if (contacts == NULL)
        {
          contacts = g_ptr_array_new ();
          g_hash_table_insert (graph->index, g_strdup (keys->pdata[i]), contacts);
        }
      if (!g_ptr_array_find (contacts, contact, NULL))
        g_ptr_array_add (contacts, contact);
    }
}

void
bcs_sb_graph_index_remove (BcsSbGraph   *graph,
                           GraphContact *contact)
{
  g_autoptr(GPtrArray) keys = contact_keys (contact);

  for (guint i = 0; i < keys->len; i++)
    {
      GPtrArray *contacts = g_hash_table_lookup (graph->index, keys->pdata[i]);

      if (contacts == NULL)
        continue;
      g_ptr_array_remove (contacts, contact);
      if (contacts->len == 0)
        g_hash_table_remove (graph->index, keys->pdata[i]);
    }
}

GPtrArray *
bcs_sb_graph_index_lookup (BcsSbGraph *graph,
                           const char *key)
{
  return g_hash_table_lookup (graph->index, key);
}
