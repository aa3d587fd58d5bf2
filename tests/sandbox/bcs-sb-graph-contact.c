/* bcs-sb-graph-contact.c — the Outlook contact: properties, writes, access */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-graph-private.h"

const GraphPropInfo bcs_sb_graph_props[GRAPH_N_PROPS] = {
  [P_ID] = { "id", K_META, 0 },
  [P_CREATED] = { "createdDateTime", K_META, 0 },
  [P_MODIFIED] = { "lastModifiedDateTime", K_META, 0 },
  [P_CHANGE_KEY] = { "changeKey", K_META, 0 },
  [P_CATEGORIES] = { "categories", K_STRINGS, 0 },
  [P_PARENT] = { "parentFolderId", K_META, 0 },
  [P_BIRTHDAY] = { "birthday", K_DATE, 0 },
  [P_FILE_AS] = { "fileAs", K_STRING, 0 },
  [P_DISPLAY_NAME] = { "displayName", K_STRING, 0 },
  [P_GIVEN_NAME] = { "givenName", K_STRING, 0 },
  [P_INITIALS] = { "initials", K_STRING, 0 },
  [P_MIDDLE_NAME] = { "middleName", K_STRING, 0 },
  [P_NICK_NAME] = { "nickName", K_STRING, 0 },
  [P_SURNAME] = { "surname", K_STRING, 0 },
  [P_TITLE] = { "title", K_STRING, 0 },
  [P_YOMI_GIVEN] = { "yomiGivenName", K_STRING, 0 },
  [P_YOMI_SURNAME] = { "yomiSurname", K_STRING, 0 },
  [P_YOMI_COMPANY] = { "yomiCompanyName", K_STRING, 0 },
  [P_GENERATION] = { "generation", K_STRING, 0 },
  [P_IM_ADDRESSES] = { "imAddresses", K_STRINGS, 3 },
  [P_JOB_TITLE] = { "jobTitle", K_STRING, 0 },
  [P_COMPANY_NAME] = { "companyName", K_STRING, 0 },
  [P_DEPARTMENT] = { "department", K_STRING, 0 },
  [P_OFFICE] = { "officeLocation", K_STRING, 0 },
  [P_PROFESSION] = { "profession", K_STRING, 0 },
  [P_HOMEPAGE] = { "businessHomePage", K_STRING, 0 },
  [P_ASSISTANT] = { "assistantName", K_STRING, 0 },
  [P_MANAGER] = { "manager", K_STRING, 0 },
  [P_HOME_PHONES] = { "homePhones", K_STRINGS, 2 },
  [P_MOBILE_PHONE] = { "mobilePhone", K_STRING, 0 },
  [P_BUSINESS_PHONES] = { "businessPhones", K_STRINGS, 2 },
  [P_SPOUSE] = { "spouseName", K_STRING, 0 },
  [P_NOTES] = { "personalNotes", K_STRING, 0 },
  [P_CHILDREN] = { "children", K_STRINGS, 0 },
  [P_EMAILS] = { "emailAddresses", K_EMAILS, 3 },
  [P_HOME_ADDRESS] = { "homeAddress", K_ADDRESS, 0 },
  [P_BUSINESS_ADDRESS] = { "businessAddress", K_ADDRESS, 0 },
  [P_OTHER_ADDRESS] = { "otherAddress", K_ADDRESS, 0 },
};

const char * const bcs_sb_graph_address_keys[] = {
  "street", "city", "state", "countryOrRegion", "postalCode", NULL
};

static GraphStrings *
strings_new (guint n)
{
  GraphStrings *strings = g_malloc0 (sizeof (GraphStrings) + n * sizeof (char *));

  strings->n = n;
  return strings;
}

static void
strings_free (gpointer data)
{
  GraphStrings *strings = data;

  for (guint i = 0; i < strings->n; i++)
    g_free (strings->v[i]);
  g_free (strings);
}

int
bcs_sb_graph_property_index (const char *name)
{
  static GHashTable *index;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      index = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < GRAPH_N_PROPS; i++)
        g_hash_table_insert (index, (gpointer) bcs_sb_graph_props[i].name, GUINT_TO_POINTER (i + 1));
      g_once_init_leave (&once, 1);
    }

  return GPOINTER_TO_INT (g_hash_table_lookup (index, name)) - 1;
}

/* The stored form of a checked value: NULL for unset */
static gpointer
normalize (const GraphPropInfo *info,
           JsonNode            *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;

  switch (info->kind)
    {
    case K_META:
    case K_STRING:
    case K_DATE:
      return g_strdup (json_node_get_string (node));

    case K_STRINGS:
      {
        JsonArray *in = json_node_get_array (node);
        GraphStrings *out = strings_new (json_array_get_length (in));
        guint n = 0;

        for (guint i = 0; i < json_array_get_length (in); i++)
          {
            const char *s = json_array_get_string_element (in, i);
            if (s != NULL)
              out->v[n++] = g_strdup (s);
          }
        out->n = n;
        if (n == 0)
          g_clear_pointer (&out, g_free);
        return out;
      }

    case K_EMAILS:
      {
        JsonArray *in = json_node_get_array (node);
        GraphStrings *out;

        if (json_array_get_length (in) == 0)
          return NULL;
        out = strings_new (2 * json_array_get_length (in));
        for (guint i = 0; i < json_array_get_length (in); i++)
          {
            JsonObject *src = json_array_get_object_element (in, i);
            const char *address = json_object_get_string_member_with_default (src, "address", NULL);
            const char *name = json_object_get_string_member_with_default (src, "name", NULL);

            /* Exchange fills in a missing name with the address */
            out->v[2 * i] = g_strdup (name != NULL ? name : address);
            out->v[2 * i + 1] = g_strdup (address);
          }
        return out;
      }

    case K_ADDRESS:
      {
        JsonObject *in = json_node_get_object (node);
        GraphStrings *out = strings_new (N_ADDRESS_KEYS);
        gboolean any = FALSE;

        for (guint i = 0; i < N_ADDRESS_KEYS; i++)
          {
            out->v[i] = g_strdup (json_object_get_string_member_with_default (in, bcs_sb_graph_address_keys[i], NULL));
            any |= out->v[i] != NULL;
          }
        if (!any)
          g_clear_pointer (&out, strings_free);
        return out;
      }

    default:
      g_assert_not_reached ();
    }
}

static void
clear_value (GraphContact *contact,
             guint         index)
{
  if (contact->v[index] == NULL)
    return;
  if (graph_kind_is_string (bcs_sb_graph_props[index].kind))
    g_free (contact->v[index]);
  else
    strings_free (contact->v[index]);
  contact->v[index] = NULL;
}

static void
set_string (GraphContact *contact,
            guint         index,
            char         *value)
{
  clear_value (contact, index);
  contact->v[index] = value;
}

static char *
new_change_key (BcsSbGraph *graph)
{
  guint8 bytes[12];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = g_rand_int_range (graph->rand, 0, 256);
  {
    g_autofree char *b64 = g_base64_encode (bytes, sizeof bytes);
    return g_strconcat ("EQAAABYAAAD", b64, NULL);
  }
}

static void
update_etag (GraphContact *contact)
{
  g_free (contact->etag);
  contact->etag = g_strdup_printf ("W/\"%s\"", (const char *) contact->v[P_CHANGE_KEY]);
}

static void
stamp (BcsSbGraph   *graph,
       GraphContact *contact)
{
  set_string (contact, P_CHANGE_KEY, new_change_key (graph));
  set_string (contact, P_MODIFIED, bcs_sb_now_iso8601 ());
  update_etag (contact);
}

static char *
joined_name (GraphContact *contact)
{
  const char *given = contact->v[P_GIVEN_NAME];
  const char *surname = contact->v[P_SURNAME];

  if (given != NULL && surname != NULL)
    return g_strdup_printf ("%s %s", given, surname);
  if (given != NULL || surname != NULL)
    return g_strdup (given != NULL ? given : surname);
  return NULL;
}

static void
upsert_ext (GraphContact *contact,
            JsonArray    *changes)
{
  JsonArray *ext = json_array_new ();

  /* copy on write: a response being written may still hold the old array */
  if (contact->ext != NULL)
    for (guint i = 0; i < json_array_get_length (contact->ext); i++)
      json_array_add_element (ext, json_node_copy (json_array_get_element (contact->ext, i)));

  for (guint c = 0; c < json_array_get_length (changes); c++)
    {
      JsonObject *change = json_array_get_object_element (changes, c);
      const char *id = json_object_get_string_member (change, "id");
      const char *value = json_object_get_string_member_with_default (change, "value", NULL);
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (ext) && !found; i++)
        {
          JsonObject *have = json_array_get_object_element (ext, i);

          if (g_ascii_strcasecmp (json_object_get_string_member (have, "id"), id) == 0)
            {
              json_object_set_string_member (have, "value", value);
              found = TRUE;
            }
        }
      if (!found)
        {
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "id", id);
          json_object_set_string_member (object, "value", value);
          json_array_add_object_element (ext, object);
        }
    }

  g_clear_pointer (&contact->ext, json_array_unref);
  contact->ext = ext;
}

static void
apply_body (GraphContact *contact,
            JsonObject   *body)
{
  g_autoptr(GList) members = json_object_get_members (body);

  for (GList *l = members; l != NULL; l = l->next)
    {
      int index = bcs_sb_graph_property_index (l->data);

      if (g_str_equal (l->data, GRAPH_EXT_PROPS_NAME))
        upsert_ext (contact, json_object_get_array_member (body, GRAPH_EXT_PROPS_NAME));
      if (index < 0 || bcs_sb_graph_props[index].kind == K_META)
        continue;
      clear_value (contact, index);
      contact->v[index] = normalize (&bcs_sb_graph_props[index], json_object_get_member (body, l->data));
    }
}

char *
bcs_sb_graph_new_id (BcsSbGraph *graph,
                     const char *prefix)
{
  guint8 bytes[30];
  g_autofree char *b64 = NULL;

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = g_rand_int_range (graph->rand, 0, 256);
  b64 = g_base64_encode (bytes, sizeof bytes);
  /* Graph's ids are URL-safe base64 ending in "=" */
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  return g_strconcat (prefix, b64, "AAA=", NULL);
}

GraphContact *
bcs_sb_graph_contact_create (BcsSbGraph  *graph,
                             GraphFolder *folder,
                             JsonObject  *body,
                             gboolean     restore)
{
  GraphContact *contact = g_new0 (GraphContact, 1);
  const char *id = NULL;

  if (restore)
    id = json_object_get_string_member_with_default (body, "id", NULL);
  contact->id = id != NULL ? g_strdup (id) : bcs_sb_graph_new_id (graph, "AAMkAGI2AGc");
  contact->folder = folder;
  apply_body (contact, body);

  if (restore)
    {
      static const GraphProp meta[] = { P_CREATED, P_MODIFIED, P_CHANGE_KEY };

      for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
        set_string (contact, meta[i],
                    g_strdup (json_object_get_string_member_with_default (body, bcs_sb_graph_props[meta[i]].name, NULL)));
    }
  if (contact->v[P_CHANGE_KEY] == NULL || contact->v[P_MODIFIED] == NULL)
    stamp (graph, contact);
  else
    update_etag (contact);
  if (contact->v[P_CREATED] == NULL)
    set_string (contact, P_CREATED, g_strdup (contact->v[P_MODIFIED]));
  /* Exchange makes up a display name when none is given */
  if (contact->v[P_DISPLAY_NAME] == NULL)
    set_string (contact, P_DISPLAY_NAME, joined_name (contact));

  g_hash_table_insert (graph->contacts, contact->id, contact);
  bcs_sb_graph_index_add (graph, contact);
  g_ptr_array_add (folder->contacts, contact);
  bcs_sb_graph_log_change (folder, contact);
  return contact;
}

void
bcs_sb_graph_contact_update (BcsSbGraph   *graph,
                             GraphContact *contact,
                             JsonObject   *body)
{
  g_autofree char *old_given = g_strdup (contact->v[P_GIVEN_NAME]);
  g_autofree char *old_surname = g_strdup (contact->v[P_SURNAME]);

  bcs_sb_graph_index_remove (graph, contact);
  apply_body (contact, body);
  bcs_sb_graph_index_add (graph, contact);

  /* Outlook regenerates the display name when the name parts change and no
   * display name comes with them (API-NOTES: send it in every PATCH) */
  if (!json_object_has_member (body, "displayName") &&
      (g_strcmp0 (old_given, contact->v[P_GIVEN_NAME]) != 0 ||
       g_strcmp0 (old_surname, contact->v[P_SURNAME]) != 0))
    set_string (contact, P_DISPLAY_NAME, joined_name (contact));

  stamp (graph, contact);
  bcs_sb_graph_log_change (contact->folder, contact);
}

void
bcs_sb_graph_contact_touch (BcsSbGraph   *graph,
                            GraphContact *contact)
{
  stamp (graph, contact);
  bcs_sb_graph_log_change (contact->folder, contact);
}

void
bcs_sb_graph_contact_move (BcsSbGraph   *graph,
                           GraphContact *contact,
                           GraphFolder  *to)
{
  if (contact->folder == to)
    return;
  bcs_sb_graph_log_removal (contact->folder, contact);
  g_ptr_array_remove (contact->folder->contacts, contact);
  contact->folder = to;
  g_ptr_array_add (to->contacts, contact);
  stamp (graph, contact);
  bcs_sb_graph_log_change (to, contact);
}

void
bcs_sb_graph_contact_delete (BcsSbGraph   *graph,
                             GraphContact *contact)
{
  bcs_sb_graph_log_removal (contact->folder, contact);
  bcs_sb_graph_index_remove (graph, contact);
  g_ptr_array_remove (contact->folder->contacts, contact);
  g_hash_table_remove (graph->contacts, contact->id);   /* frees it */
}

void
bcs_sb_graph_contact_free (GraphContact *contact)
{
  for (guint i = 0; i < GRAPH_N_PROPS; i++)
    clear_value (contact, i);
  g_clear_pointer (&contact->ext, json_array_unref);
  g_free (contact->id);
  g_free (contact->etag);
  g_free (contact);
}

const char *
bcs_sb_graph_contact_get_string (GraphContact *contact,
                                 const char   *name)
{
  int index = bcs_sb_graph_property_index (name);

  if (index == P_ID)
    return contact->id;
  if (index == P_PARENT)
    return contact->folder->id;
  if (index < 0 || !graph_kind_is_string (bcs_sb_graph_props[index].kind))
    return NULL;
  return contact->v[index];
}

int
bcs_sb_graph_collection_index (const char *name)
{
  int index;

  if (g_str_equal (name, GRAPH_EXT_PROPS_NAME))
    return GRAPH_EXT_PROP;
  index = bcs_sb_graph_property_index (name);
  if (index < 0 || (bcs_sb_graph_props[index].kind != K_STRINGS && bcs_sb_graph_props[index].kind != K_EMAILS))
    return -1;
  return index;
}

guint
bcs_sb_graph_contact_count (GraphContact *contact,
                            int           collection)
{
  GraphStrings *strings;

  if (collection == GRAPH_EXT_PROP)
    return contact->ext != NULL ? json_array_get_length (contact->ext) : 0;
  strings = contact->v[collection];
  if (strings == NULL)
    return 0;
  return bcs_sb_graph_props[collection].kind == K_EMAILS ? strings->n / 2 : strings->n;
}

const char *
bcs_sb_graph_contact_element (GraphContact *contact,
                              int           collection,
                              guint         index,
                              const char   *field)
{
  GraphStrings *strings;

  if (collection == GRAPH_EXT_PROP)
    return field != NULL
           ? json_object_get_string_member_with_default (json_array_get_object_element (contact->ext, index),
                                                         field, NULL)
           : NULL;
  strings = contact->v[collection];
  if (bcs_sb_graph_props[collection].kind == K_STRINGS)
    return field == NULL ? strings->v[index] : NULL;
  if (field != NULL && strcmp (field, "name") == 0)
    return strings->v[2 * index];
  if (field != NULL && strcmp (field, "address") == 0)
    return strings->v[2 * index + 1];
  return NULL;
}
