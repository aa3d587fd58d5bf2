/* bcs-sb-graph-contact.c — the Outlook contact: validation, writes, JSON shapes */
#include "config.h"

#include <string.h>

#include "bcs-sb-graph-private.h"

typedef enum {
  K_META,       /* read-only, set by the server */
  K_STRING,
  K_DATE,
  K_STRINGS,
  K_EMAILS,
  K_ADDRESS,
} PropKind;

typedef struct {
  const char *name;
  PropKind kind;
  guint max;    /* most elements an array may have (0: no limit) */
} PropInfo;

static const PropInfo props[GRAPH_N_PROPS] = {
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

static const char * const address_keys[] = {
  "street", "city", "state", "countryOrRegion", "postalCode", NULL
};

#define N_ADDRESS_KEYS 5

#define EXT_PROPS "singleValueExtendedProperties"

/* A string array (n strings), e-mail addresses (name, address pairs) or an
 * address (N_ADDRESS_KEYS fields): far smaller than JsonNode trees */
struct _GraphStrings {
  guint n;
  char *v[];
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

static gboolean
is_string_kind (PropKind kind)
{
  return kind == K_STRING || kind == K_DATE || kind == K_META;
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
        g_hash_table_insert (index, (gpointer) props[i].name, GUINT_TO_POINTER (i + 1));
      g_once_init_leave (&once, 1);
    }

  return GPOINTER_TO_INT (g_hash_table_lookup (index, name)) - 1;
}

/* Unset values share one immutable node each: a page of 1,000 contacts then
 * allocates only what is set. */
static JsonNode *
shared_default (PropKind kind)
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
    return fail (response, "RequestBodyRead", "'%s' must be an array.", EXT_PROPS);

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
check_value (const PropInfo *info,
             JsonNode       *node,
             BcsSbResponse  *response)
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
            if (!g_strv_contains (address_keys, l->data) &&
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
      if (g_str_equal (name, EXT_PROPS))
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
      if (!check_value (&props[index], node, response))
        return FALSE;
    }

  return TRUE;
}

/* The stored form of a checked value: NULL for unset */
static gpointer
normalize (const PropInfo *info,
           JsonNode       *node)
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
            out->v[i] = g_strdup (json_object_get_string_member_with_default (in, address_keys[i], NULL));
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
  if (is_string_kind (props[index].kind))
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

      if (g_str_equal (l->data, EXT_PROPS))
        upsert_ext (contact, json_object_get_array_member (body, EXT_PROPS));
      if (index < 0 || props[index].kind == K_META)
        continue;
      clear_value (contact, index);
      contact->v[index] = normalize (&props[index], json_object_get_member (body, l->data));
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
                    g_strdup (json_object_get_string_member_with_default (body, props[meta[i]].name, NULL)));
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

  apply_body (contact, body);

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
  if (index < 0 || !is_string_kind (props[index].kind))
    return NULL;
  return contact->v[index];
}

int
bcs_sb_graph_collection_index (const char *name)
{
  int index;

  if (g_str_equal (name, EXT_PROPS))
    return GRAPH_EXT_PROP;
  index = bcs_sb_graph_property_index (name);
  if (index < 0 || (props[index].kind != K_STRINGS && props[index].kind != K_EMAILS))
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
  return props[collection].kind == K_EMAILS ? strings->n / 2 : strings->n;
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
  if (props[collection].kind == K_STRINGS)
    return field == NULL ? strings->v[index] : NULL;
  if (field != NULL && strcmp (field, "name") == 0)
    return strings->v[2 * index];
  if (field != NULL && strcmp (field, "address") == 0)
    return strings->v[2 * index + 1];
  return NULL;
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
strings_to_node (PropKind      kind,
                 GraphStrings *strings)
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
        json_object_set_string_member (object, address_keys[i], strings->v[i]);
    return take_object (object);
  }
}

static void
strings_append_json (GString      *out,
                     PropKind      kind,
                     GraphStrings *strings)
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
            g_string_append (out, address_keys[i]);
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
  const PropInfo *info = &props[index];
  gpointer value = contact->v[index];

  if (index == P_ID)
    value = contact->id;
  else if (index == P_PARENT)
    value = contact->folder->id;

  if (value == NULL)
    return json_node_ref (shared_default (info->kind));
  if (is_string_kind (info->kind))
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
      json_object_set_member (object, props[i].name, value_node (contact, i));

  if (expand_all || expand_ids != NULL)
    {
      JsonArray *ext = json_array_new ();

      for (guint i = 0; contact->ext != NULL && i < json_array_get_length (contact->ext); i++)
        if (ext_wanted (json_array_get_object_element (contact->ext, i), expand_ids, expand_all))
          json_array_add_element (ext, json_node_copy (json_array_get_element (contact->ext, i)));
      json_object_set_array_member (object, EXT_PROPS, ext);
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
          keys[i].text = g_strdup_printf (",\"%s\":", props[i].name);
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
      if (value == NULL && props[i].kind == K_ADDRESS)
        g_string_append_len (out, "{}", 2);
      else if (value == NULL && (props[i].kind == K_STRINGS || props[i].kind == K_EMAILS))
        g_string_append_len (out, "[]", 2);
      else if (value == NULL)
        g_string_append_len (out, "null", 4);
      else if (is_string_kind (props[i].kind))
        bcs_sb_graph_json_append_string (out, value);
      else
        strings_append_json (out, props[i].kind, value);
    }
  if (expand_all || expand_ids != NULL)
    {
      gboolean first = TRUE;

      g_string_append (out, ",\"" EXT_PROPS "\":[");
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
