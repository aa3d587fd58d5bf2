/* bcs-sb-bc-state.c — Business Central's users, and the whole BC state as
 * JSON for /_sandbox/state and --state FILE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include "bcs-sb-bc-private.h"

/* ---- users ---- */

BcsSbBcUser *
bcs_sb_bc_user_new (const char *id,
                    const char *user_name,
                    const char *display_name,
                    const char *contact_email,
                    const char *auth_email)
{
  BcsSbBcUser *user = g_new0 (BcsSbBcUser, 1);

  user->id = g_strdup (id);
  user->user_name = g_strdup (user_name);
  user->display_name = g_strdup (display_name ? display_name : "");
  user->contact_email = g_strdup (contact_email ? contact_email : "");
  user->auth_email = g_strdup (auth_email ? auth_email : "");
  return user;
}

void
bcs_sb_bc_user_free (BcsSbBcUser *user)
{
  if (user == NULL)
    return;
  g_free (user->id);
  g_free (user->user_name);
  g_free (user->display_name);
  g_free (user->contact_email);
  g_free (user->auth_email);
  g_free (user);
}

JsonObject *
bcs_sb_bc_user_to_json (const BcsSbBcUser *user,
                        gboolean           internal)
{
  JsonObject *object = json_object_new ();
  g_autofree char *etag = bcs_sb_bc_etag (g_str_hash (user->id));

  if (!internal)
    json_object_set_string_member (object, "@odata.etag", etag);
  json_object_set_string_member (object, "userSecurityId", user->id);
  json_object_set_string_member (object, "userName", user->user_name);
  json_object_set_string_member (object, "displayName", user->display_name);
  json_object_set_string_member (object, "state", "Enabled");
  json_object_set_string_member (object, "expiryDate", "0001-01-01T00:00:00Z");
  json_object_set_string_member (object, "contactEmail", user->contact_email);
  if (internal)
    json_object_set_string_member (object, "authenticationEmail", user->auth_email);
  return object;
}

BcsSbBcUser *
bcs_sb_bc_find_user (BcsSbBc    *bc,
                     const char *auth_email)
{
  if (auth_email == NULL)
    return NULL;
  for (guint i = 0; i < bc->users->len; i++)
    {
      BcsSbBcUser *user = g_ptr_array_index (bc->users, i);

      if (*user->auth_email != '\0' && g_ascii_strcasecmp (user->auth_email, auth_email) == 0)
        return user;
    }
  return NULL;
}

/* ---- state ---- */

static JsonArray *
get_array (JsonObject *object,
           const char *name,
           gpointer    unused)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonNode *
bcs_sb_bc_to_json (BcsSbBc *bc)
{
  JsonObject *object = json_object_new ();
  JsonArray *companies = json_array_new ();
  JsonArray *users = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < bc->companies->len; i++)
    {
      BcsSbBcCompany *company = g_ptr_array_index (bc->companies, i);
      JsonObject *c = json_object_new ();
      JsonArray *contacts = json_array_sized_new (company->contacts->len);

      json_object_set_string_member (c, "id", company->id);
      json_object_set_string_member (c, "name", company->name);
      json_object_set_string_member (c, "systemCreatedAt", company->created_at);
      json_object_set_int_member (c, "timestamp", (gint64) company->timestamp);
      json_object_set_int_member (c, "nextNumber", company->next_number);
      for (guint j = 0; j < company->contacts->len; j++)
        json_array_add_object_element (contacts,
                                       bcs_sb_bc_contact_to_json (g_ptr_array_index (company->contacts, j), NULL));
      json_object_set_array_member (c, "contacts", contacts);
      json_array_add_object_element (companies, c);
    }
  for (guint i = 0; i < bc->users->len; i++)
    json_array_add_object_element (users, bcs_sb_bc_user_to_json (g_ptr_array_index (bc->users, i), TRUE));

  json_object_set_array_member (object, "companies", companies);
  json_object_set_array_member (object, "users", users);
  json_node_take_object (node, object);
  return node;
}

void
bcs_sb_bc_load_json (BcsSbBc  *bc,
                     JsonNode *node)
{
  JsonObject *object;
  JsonArray *companies, *users;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  companies = get_array (object, "companies", NULL);
  users = get_array (object, "users", NULL);

  if (companies != NULL)
    {
      g_ptr_array_set_size (bc->companies, 0);
      for (guint i = 0; i < json_array_get_length (companies); i++)
        {
          JsonNode *cnode = json_array_get_element (companies, i);
          JsonObject *c;
          JsonArray *contacts;
          BcsSbBcCompany *company;
          const char *id;

          if (!JSON_NODE_HOLDS_OBJECT (cnode))
            continue;
          c = json_node_get_object (cnode);
          id = json_object_get_string_member_with_default (c, "id", NULL);
          if (id == NULL)
            continue;
          company = bcs_sb_bc_company_new (id, json_object_get_string_member_with_default (c, "name", ""));
          g_free (company->created_at);
          company->created_at = g_strdup (json_object_get_string_member_with_default (c, "systemCreatedAt",
                                                                                        "2025-10-01T08:00:00.000Z"));
          company->timestamp = json_object_get_int_member_with_default (c, "timestamp", 16384);
          company->next_number = json_object_get_int_member_with_default (c, "nextNumber", 10);
          contacts = get_array (c, "contacts", NULL);
          for (guint j = 0; contacts != NULL && j < json_array_get_length (contacts); j++)
            {
              JsonNode *n = json_array_get_element (contacts, j);
              BcsSbBcContact *contact;

              if (!JSON_NODE_HOLDS_OBJECT (n))
                continue;
              contact = bcs_sb_bc_contact_from_json (json_node_get_object (n));
              if (contact == NULL)
                continue;
              if (contact->values[BC_F_NUMBER] == NULL)
                {
                  g_autofree char *number = g_strdup_printf ("CT%06u", company->next_number);

                  company->next_number += 10;
                  bcs_sb_bc_contact_set (contact, BC_F_NUMBER, number);
                }
              if (g_hash_table_contains (company->by_id, contact->values[BC_F_ID])
                  || g_hash_table_contains (company->by_number, contact->values[BC_F_NUMBER]))
                {
                  bcs_sb_bc_contact_free (contact);
                  continue;
                }
              if (contact->row_version == 0)
                contact->row_version = ++bc->row_version;
              bc->row_version = MAX (bc->row_version, contact->row_version);
              bc->last_modified_ms = MAX (bc->last_modified_ms, contact->modified_ms);
              bcs_sb_bc_company_insert (company, contact);
            }
          g_ptr_array_add (bc->companies, company);
        }
    }

  if (users != NULL)
    {
      g_ptr_array_set_size (bc->users, 0);
      for (guint i = 0; i < json_array_get_length (users); i++)
        {
          JsonNode *unode = json_array_get_element (users, i);
          JsonObject *u;

          if (!JSON_NODE_HOLDS_OBJECT (unode))
            continue;
          u = json_node_get_object (unode);
          if (json_object_get_string_member_with_default (u, "userSecurityId", NULL) == NULL)
            continue;
          g_ptr_array_add (bc->users,
                           bcs_sb_bc_user_new (json_object_get_string_member (u, "userSecurityId"),
                                               json_object_get_string_member_with_default (u, "userName", ""),
                                               json_object_get_string_member_with_default (u, "displayName", ""),
                                               json_object_get_string_member_with_default (u, "contactEmail", ""),
                                               json_object_get_string_member_with_default (u, "authenticationEmail", "")));
        }
    }
}
