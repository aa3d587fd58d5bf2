/* bcs-contact-mapping.c — Business Central JSON ↔ BcsContact ↔ Graph JSON */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <string.h>

#include "bcs-contact-mapping.h"
#include "bcs-country.h"
#include "bcs-normalize.h"

/* Business Central API names of the synced fields */
static const char * const bc_names[BCS_N_FIELDS] = {
  [BCS_FIELD_DISPLAY_NAME]  = "displayName",
  [BCS_FIELD_EMAIL]         = "email",
  [BCS_FIELD_PHONE]         = "phoneNumber",
  [BCS_FIELD_MOBILE]        = "mobilePhoneNumber",
  [BCS_FIELD_COMPANY_NAME]  = "companyName",
  [BCS_FIELD_JOB_TITLE]     = "jobTitle",
  [BCS_FIELD_ADDRESS_LINE1] = "addressLine1",
  [BCS_FIELD_ADDRESS_LINE2] = "addressLine2",
  [BCS_FIELD_CITY]          = "city",
  [BCS_FIELD_STATE]         = "state",
  [BCS_FIELD_POSTAL_CODE]   = "postalCode",
  [BCS_FIELD_COUNTRY]       = "country",
  [BCS_FIELD_WEBSITE]       = "website",
};

/* Null-tolerant getters: a missing member, null or a value of another type
 * reads as unset, never as a critical. */
static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
get_boolean (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
array_get_string (JsonArray *array,
                  guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;

  node = json_array_get_element (array, index);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
array_get_object (JsonArray *array,
                  guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;

  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ------------------------------------------------------------------------ */
/* Business Central                                                          */

BcsContact *
bcs_contact_from_bc_json (JsonObject *object)
{
  BcsContact *contact = bcs_contact_new ();

  g_return_val_if_fail (object != NULL, contact);

  bcs_contact_set_value (&contact->bc_id, get_string (object, "id"));
  bcs_contact_set_value (&contact->bc_number, get_string (object, "number"));
  bcs_contact_set_value (&contact->etag, get_string (object, "@odata.etag"));
  bcs_contact_set_value (&contact->last_modified, get_string (object, "lastModifiedDateTime"));
  bcs_contact_set_value (&contact->company_number, get_string (object, "companyNumber"));
  contact->type = bcs_contact_type_from_string (get_string (object, "type"));
  contact->privacy_blocked = get_boolean (object, "privacyBlocked");

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    bcs_contact_set_field (contact, i, get_string (object, bc_names[i]));

  return contact;
}

JsonObject *
bcs_contact_to_bc_json (const BcsContact *contact,
                        BcsFieldMask      fields,
                        GPtrArray        *issues)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GPtrArray) found = bcs_field_issues_new ();
  gboolean create = (fields & BCS_FIELD_MASK_ALL) == BCS_FIELD_MASK_ALL;
  BcsFieldMask too_long;

  g_return_val_if_fail (contact != NULL, NULL);

  too_long = bcs_contact_check_lengths (contact, fields, found);
  for (guint i = 0; i < found->len; i++)
    {
      const BcsFieldIssue *issue = g_ptr_array_index (found, i);

      bcs_field_issues_add (issues, issue->field, issue->kind,
                            issue->skips_contact, g_strdup (issue->message));
    }
  if (bcs_field_issues_find_skip (found) != NULL)
    return NULL;

  if (create)
    json_object_set_string_member (object, "type", "Person");

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    {
      const char *value = contact->values[i];

      if (!(fields & BCS_FIELD_MASK (i)) || (too_long & BCS_FIELD_MASK (i)))
        continue;
      if (create && value == NULL)
        continue;

      json_object_set_string_member (object, bc_names[i], value != NULL ? value : "");
    }

  return g_steal_pointer (&object);
}

/* ------------------------------------------------------------------------ */
/* Graph                                                                     */

void
bcs_contact_split_display_name (const char  *display_name,
                                char       **given_name,
                                char       **surname)
{
  g_autofree char *norm = bcs_normalize_value (display_name);
  const char *space = norm != NULL ? strrchr (norm, ' ') : NULL;

  if (given_name != NULL)
    {
      g_autofree char *given = space != NULL ? g_strndup (norm, space - norm) : NULL;

      *given_name = bcs_normalize_value (given);
    }
  if (surname != NULL)
    *surname = space != NULL ? bcs_normalize_value (space + 1) : g_strdup (norm);
}

const char *
bcs_graph_contact_get_bc_id (JsonObject *object)
{
  JsonArray *props = get_array (object, "singleValueExtendedProperties");

  for (guint i = 0; props != NULL && i < json_array_get_length (props); i++)
    {
      JsonObject *prop = array_get_object (props, i);
      const char *id = get_string (prop, "id");

      if (id != NULL && g_ascii_strcasecmp (id, BCS_GRAPH_PROP_BC_ID) == 0)
        return get_string (prop, "value");
    }

  return NULL;
}

static const char *
get_bc_number (JsonObject *object)
{
  JsonArray *props = get_array (object, "singleValueExtendedProperties");

  for (guint i = 0; props != NULL && i < json_array_get_length (props); i++)
    {
      JsonObject *prop = array_get_object (props, i);
      const char *id = get_string (prop, "id");

      if (id != NULL && g_ascii_strcasecmp (id, BCS_GRAPH_PROP_BC_NUMBER) == 0)
        return get_string (prop, "value");
    }

  return NULL;
}

/* "W/\"<changeKey>\"" → changeKey, for items that lack the member */
static char *
change_key_from_etag (const char *etag)
{
  gsize len;

  if (etag == NULL || !g_str_has_prefix (etag, "W/\""))
    return NULL;

  len = strlen (etag);
  if (len < 4 || etag[len - 1] != '"')
    return NULL;

  return g_strndup (etag + 3, len - 4);
}

static void
split_street (BcsContact *contact,
              const char *street)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) rest = NULL;

  if (street == NULL)
    return;

  /* "\r\n" and a lone "\r" count as "\n" */
  rest = g_string_new (street);
  g_string_replace (rest, "\r\n", "\n", 0);
  g_string_replace (rest, "\r", "\n", 0);
  lines = g_strsplit (rest->str, "\n", -1);
  g_string_truncate (rest, 0);
  if (lines[0] == NULL)
    return;

  bcs_contact_set_field (contact, BCS_FIELD_ADDRESS_LINE1, lines[0]);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_autofree char *line = bcs_normalize_value (lines[i]);

      if (line == NULL)
        continue;
      if (rest->len > 0)
        g_string_append (rest, ", ");
      g_string_append (rest, line);
    }
  bcs_contact_set_field (contact, BCS_FIELD_ADDRESS_LINE2, rest->str);
}

BcsContact *
bcs_contact_from_graph_json (JsonObject *object,
                             GPtrArray  *issues)
{
  BcsContact *contact = bcs_contact_new ();
  JsonObject *address;
  JsonObject *email;
  g_autofree char *country = NULL;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (object != NULL, contact);

  contact->type = BCS_CONTACT_TYPE_PERSON;
  bcs_contact_set_value (&contact->outlook_id, get_string (object, "id"));
  bcs_contact_set_value (&contact->change_key, get_string (object, "changeKey"));
  if (contact->change_key == NULL)
    contact->change_key = change_key_from_etag (get_string (object, "@odata.etag"));
  bcs_contact_set_value (&contact->last_modified, get_string (object, "lastModifiedDateTime"));
  bcs_contact_set_value (&contact->bc_id, bcs_graph_contact_get_bc_id (object));
  bcs_contact_set_value (&contact->bc_number, get_bc_number (object));
  bcs_contact_set_value (&contact->given_name, get_string (object, "givenName"));
  bcs_contact_set_value (&contact->surname, get_string (object, "surname"));

  bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, get_string (object, "displayName"));
  if (contact->display_name == NULL && (contact->given_name != NULL || contact->surname != NULL))
    {
      g_autofree char *name = g_strjoin (" ",
                                         contact->given_name != NULL ? contact->given_name : "",
                                         contact->surname != NULL ? contact->surname : "",
                                         NULL);

      bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, name);
    }

  email = array_get_object (get_array (object, "emailAddresses"), 0);
  bcs_contact_set_field (contact, BCS_FIELD_EMAIL, get_string (email, "address"));
  bcs_contact_set_field (contact, BCS_FIELD_PHONE,
                         array_get_string (get_array (object, "businessPhones"), 0));
  bcs_contact_set_field (contact, BCS_FIELD_MOBILE, get_string (object, "mobilePhone"));
  bcs_contact_set_field (contact, BCS_FIELD_COMPANY_NAME, get_string (object, "companyName"));
  bcs_contact_set_field (contact, BCS_FIELD_JOB_TITLE, get_string (object, "jobTitle"));
  bcs_contact_set_field (contact, BCS_FIELD_WEBSITE, get_string (object, "businessHomePage"));

  address = get_object (object, "businessAddress");
  split_street (contact, get_string (address, "street"));
  bcs_contact_set_field (contact, BCS_FIELD_CITY, get_string (address, "city"));
  bcs_contact_set_field (contact, BCS_FIELD_STATE, get_string (address, "state"));
  bcs_contact_set_field (contact, BCS_FIELD_POSTAL_CODE, get_string (address, "postalCode"));

  country = bcs_country_from_outlook (get_string (address, "countryOrRegion"), &reason);
  bcs_contact_set_field (contact, BCS_FIELD_COUNTRY, country);
  if (reason != NULL)
    bcs_field_issues_add (issues, BCS_FIELD_COUNTRY, BCS_FIELD_ISSUE_UNKNOWN_COUNTRY,
                          FALSE, g_steal_pointer (&reason));

  return contact;
}

static void
set_nullable_string (JsonObject *object,
                     const char *member,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static JsonObject *
email_object (const char *address,
              const char *name)
{
  JsonObject *email = json_object_new ();

  json_object_set_string_member (email, "address", address);
  set_nullable_string (email, "name", name);

  return email;
}

static char *
build_street (const BcsContact *contact)
{
  if (contact->address_line2 == NULL)
    return g_strdup (contact->address_line1);

  return g_strconcat (contact->address_line1 != NULL ? contact->address_line1 : "",
                      "\n", contact->address_line2, NULL);
}

static JsonObject *
address_object (const BcsContact *contact)
{
  JsonObject *address = json_object_new ();
  g_autofree char *street = build_street (contact);

  set_nullable_string (address, "street", street);
  set_nullable_string (address, "city", contact->city);
  set_nullable_string (address, "state", contact->state);
  set_nullable_string (address, "postalCode", contact->postal_code);
  set_nullable_string (address, "countryOrRegion", contact->country);

  return address;
}

static JsonArray *
extended_properties (const BcsContact *contact)
{
  JsonArray *props = json_array_new ();
  const char *ids[] = { BCS_GRAPH_PROP_BC_ID, BCS_GRAPH_PROP_BC_NUMBER };
  const char *values[] = { contact->bc_id, contact->bc_number };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      JsonObject *prop;

      if (values[i] == NULL)
        continue;

      prop = json_object_new ();
      json_object_set_string_member (prop, "id", ids[i]);
      json_object_set_string_member (prop, "value", values[i]);
      json_array_add_object_element (props, prop);
    }

  return props;
}

static void
set_names (JsonObject       *object,
           const BcsContact *contact)
{
  g_autofree char *given = NULL;
  g_autofree char *surname = NULL;

  bcs_contact_split_display_name (contact->display_name, &given, &surname);
  set_nullable_string (object, "givenName", given);
  set_nullable_string (object, "surname", surname);
}

JsonObject *
bcs_contact_to_graph_create (const BcsContact *contact)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *categories;

  g_return_val_if_fail (contact != NULL, NULL);

  set_nullable_string (object, "displayName", contact->display_name);
  set_names (object, contact);

  if (contact->email != NULL)
    {
      JsonArray *emails = json_array_new ();

      json_array_add_object_element (emails, email_object (contact->email, contact->display_name));
      json_object_set_array_member (object, "emailAddresses", emails);
    }

  if (contact->phone != NULL)
    {
      JsonArray *phones = json_array_new ();

      json_array_add_string_element (phones, contact->phone);
      json_object_set_array_member (object, "businessPhones", phones);
    }

  if (contact->mobile != NULL)
    json_object_set_string_member (object, "mobilePhone", contact->mobile);
  if (contact->company_name != NULL)
    json_object_set_string_member (object, "companyName", contact->company_name);
  if (contact->job_title != NULL)
    json_object_set_string_member (object, "jobTitle", contact->job_title);
  if (contact->website != NULL)
    json_object_set_string_member (object, "businessHomePage", contact->website);

  for (guint i = BCS_FIELD_ADDRESS_LINE1; i <= BCS_FIELD_COUNTRY; i++)
    if (contact->values[i] != NULL)
      {
        json_object_set_object_member (object, "businessAddress", address_object (contact));
        break;
      }

  categories = json_array_new ();
  json_array_add_string_element (categories, BCS_GRAPH_CATEGORY);
  json_object_set_array_member (object, "categories", categories);
  json_object_set_array_member (object, "singleValueExtendedProperties",
                                extended_properties (contact));

  return g_steal_pointer (&object);
}

static gboolean
has_category (JsonArray *categories)
{
  for (guint i = 0; categories != NULL && i < json_array_get_length (categories); i++)
    if (g_strcmp0 (array_get_string (categories, i), BCS_GRAPH_CATEGORY) == 0)
      return TRUE;

  return FALSE;
}

JsonObject *
bcs_contact_to_graph_patch (const BcsContact *contact,
                            BcsFieldMask      fields,
                            JsonObject       *current)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_val_if_fail (contact != NULL, NULL);

  set_nullable_string (object, "displayName", contact->display_name);
  if (fields & BCS_FIELD_MASK (BCS_FIELD_DISPLAY_NAME))
    set_names (object, contact);

  /* Slot 0 holds our address and our name for it; the user's others stay */
  if (fields & (BCS_FIELD_MASK (BCS_FIELD_EMAIL) | BCS_FIELD_MASK (BCS_FIELD_DISPLAY_NAME)))
    {
      JsonArray *emails = json_array_new ();
      JsonArray *old = get_array (current, "emailAddresses");

      if (contact->email != NULL)
        json_array_add_object_element (emails, email_object (contact->email, contact->display_name));
      for (guint i = 1; old != NULL && i < json_array_get_length (old); i++)
        {
          JsonObject *other = array_get_object (old, i);
          const char *address = get_string (other, "address");

          if (address == NULL || json_array_get_length (emails) >= BCS_GRAPH_MAX_EMAILS)
            continue;
          json_array_add_object_element (emails, email_object (address, get_string (other, "name")));
        }
      json_object_set_array_member (object, "emailAddresses", emails);
    }

  if (fields & BCS_FIELD_MASK (BCS_FIELD_PHONE))
    {
      JsonArray *phones = json_array_new ();
      JsonArray *old = get_array (current, "businessPhones");

      if (contact->phone != NULL)
        json_array_add_string_element (phones, contact->phone);
      for (guint i = 1; old != NULL && i < json_array_get_length (old); i++)
        {
          const char *phone = array_get_string (old, i);

          if (phone == NULL || json_array_get_length (phones) >= BCS_GRAPH_MAX_BUSINESS_PHONES)
            continue;
          json_array_add_string_element (phones, phone);
        }
      json_object_set_array_member (object, "businessPhones", phones);
    }

  if (fields & BCS_FIELD_MASK (BCS_FIELD_MOBILE))
    set_nullable_string (object, "mobilePhone", contact->mobile);
  if (fields & BCS_FIELD_MASK (BCS_FIELD_COMPANY_NAME))
    set_nullable_string (object, "companyName", contact->company_name);
  if (fields & BCS_FIELD_MASK (BCS_FIELD_JOB_TITLE))
    set_nullable_string (object, "jobTitle", contact->job_title);
  if (fields & BCS_FIELD_MASK (BCS_FIELD_WEBSITE))
    set_nullable_string (object, "businessHomePage", contact->website);
  if (fields & BCS_FIELD_MASK_ADDRESS)
    json_object_set_object_member (object, "businessAddress", address_object (contact));

  if (current != NULL && !has_category (get_array (current, "categories")))
    {
      JsonArray *categories = json_array_new ();
      JsonArray *old = get_array (current, "categories");

      for (guint i = 0; old != NULL && i < json_array_get_length (old); i++)
        if (array_get_string (old, i) != NULL)
          json_array_add_string_element (categories, array_get_string (old, i));
      json_array_add_string_element (categories, BCS_GRAPH_CATEGORY);
      json_object_set_array_member (object, "categories", categories);
    }

  if (contact->bc_id != NULL &&
      (current == NULL ||
       g_strcmp0 (bcs_graph_contact_get_bc_id (current), contact->bc_id) != 0 ||
       g_strcmp0 (get_bc_number (current), contact->bc_number) != 0))
    json_object_set_array_member (object, "singleValueExtendedProperties",
                                  extended_properties (contact));

  return g_steal_pointer (&object);
}
