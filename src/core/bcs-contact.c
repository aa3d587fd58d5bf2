/* bcs-contact.c — one contact, in the normal form both sides are compared in */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bcs-contact.h"
#include "bcs-error.h"
#include "bcs-normalize.h"

G_DEFINE_BOXED_TYPE (BcsContact, bcs_contact, bcs_contact_copy, bcs_contact_free)

static const struct {
  const char *name;
  const char *label;
  guint       max_length;  /* Business Central API v2.0 */
} field_info[BCS_N_FIELDS] = {
  [BCS_FIELD_DISPLAY_NAME]  = { "display_name",  N_("Name"),          100 },
  [BCS_FIELD_EMAIL]         = { "email",         N_("E-mail"),         80 },
  [BCS_FIELD_PHONE]         = { "phone",         N_("Phone"),          30 },
  [BCS_FIELD_MOBILE]        = { "mobile",        N_("Mobile phone"),   30 },
  [BCS_FIELD_COMPANY_NAME]  = { "company_name",  N_("Company name"),  100 },
  [BCS_FIELD_JOB_TITLE]     = { "job_title",     N_("Job title"),      30 },
  [BCS_FIELD_ADDRESS_LINE1] = { "address_line1", N_("Address"),       100 },
  [BCS_FIELD_ADDRESS_LINE2] = { "address_line2", N_("Address 2"),      50 },
  [BCS_FIELD_CITY]          = { "city",          N_("City"),           30 },
  [BCS_FIELD_STATE]         = { "state",         N_("County"),         30 },
  [BCS_FIELD_POSTAL_CODE]   = { "postal_code",   N_("Post code"),      20 },
  [BCS_FIELD_COUNTRY]       = { "country",       N_("Country/region"), 10 },
  [BCS_FIELD_WEBSITE]       = { "website",       N_("Website"),        80 },
};

BcsContact *
bcs_contact_new (void)
{
  return g_new0 (BcsContact, 1);
}

BcsContact *
bcs_contact_copy (const BcsContact *contact)
{
  BcsContact *copy;

  g_return_val_if_fail (contact != NULL, NULL);

  copy = g_new0 (BcsContact, 1);
  copy->bc_id = g_strdup (contact->bc_id);
  copy->bc_number = g_strdup (contact->bc_number);
  copy->outlook_id = g_strdup (contact->outlook_id);
  copy->etag = g_strdup (contact->etag);
  copy->change_key = g_strdup (contact->change_key);
  copy->last_modified = g_strdup (contact->last_modified);
  copy->type = contact->type;
  copy->privacy_blocked = contact->privacy_blocked;
  copy->company_number = g_strdup (contact->company_number);
  copy->given_name = g_strdup (contact->given_name);
  copy->surname = g_strdup (contact->surname);
  for (guint i = 0; i < BCS_N_FIELDS; i++)
    copy->values[i] = g_strdup (contact->values[i]);

  return copy;
}

void
bcs_contact_free (BcsContact *contact)
{
  if (contact == NULL)
    return;

  g_free (contact->bc_id);
  g_free (contact->bc_number);
  g_free (contact->outlook_id);
  g_free (contact->etag);
  g_free (contact->change_key);
  g_free (contact->last_modified);
  g_free (contact->company_number);
  g_free (contact->given_name);
  g_free (contact->surname);
  for (guint i = 0; i < BCS_N_FIELDS; i++)
    g_free (contact->values[i]);
  g_free (contact);
}

void
bcs_contact_set_value (char       **member,
                       const char  *value)
{
  char *norm;

  g_return_if_fail (member != NULL);

  norm = bcs_normalize_value (value);
  g_free (*member);
  *member = norm;
}

void
bcs_contact_set_field (BcsContact      *contact,
                       BcsContactField  field,
                       const char      *value)
{
  g_return_if_fail (contact != NULL);
  g_return_if_fail (field < BCS_N_FIELDS);

  bcs_contact_set_value (&contact->values[field], value);
}

const char *
bcs_contact_get_field (const BcsContact *contact,
                       BcsContactField   field)
{
  g_return_val_if_fail (contact != NULL, NULL);
  g_return_val_if_fail (field < BCS_N_FIELDS, NULL);

  return contact->values[field];
}

const char *
bcs_contact_field_to_string (BcsContactField field)
{
  g_return_val_if_fail (field < BCS_N_FIELDS, NULL);

  return field_info[field].name;
}

int
bcs_contact_field_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < BCS_N_FIELDS; i++)
    if (g_str_equal (name, field_info[i].name))
      return i;

  return -1;
}

guint
bcs_contact_field_max_length (BcsContactField field)
{
  g_return_val_if_fail (field < BCS_N_FIELDS, 0);

  return field_info[field].max_length;
}

const char *
bcs_contact_field_get_label (BcsContactField field)
{
  g_return_val_if_fail (field < BCS_N_FIELDS, NULL);

  return _(field_info[field].label);
}

const char *
bcs_contact_type_to_string (BcsContactType type)
{
  switch (type)
    {
    case BCS_CONTACT_TYPE_PERSON:
      return "Person";
    case BCS_CONTACT_TYPE_COMPANY:
      return "Company";
    case BCS_CONTACT_TYPE_UNKNOWN:
    default:
      return NULL;
    }
}

BcsContactType
bcs_contact_type_from_string (const char *value)
{
  g_autofree char *norm = bcs_normalize_value (value);

  if (norm == NULL)
    return BCS_CONTACT_TYPE_UNKNOWN;
  if (g_ascii_strcasecmp (norm, "Person") == 0)
    return BCS_CONTACT_TYPE_PERSON;
  if (g_ascii_strcasecmp (norm, "Company") == 0)
    return BCS_CONTACT_TYPE_COMPANY;

  return BCS_CONTACT_TYPE_UNKNOWN;
}

char *
bcs_contact_get_email_key (const BcsContact *contact)
{
  g_return_val_if_fail (contact != NULL, NULL);

  return bcs_normalize_email_key (contact->email);
}

static const char *
value_or_null (const BcsContact *contact,
               BcsContactField   field)
{
  return contact != NULL ? contact->values[field] : NULL;
}

gboolean
bcs_contact_field_equal (const BcsContact *a,
                         const BcsContact *b,
                         BcsContactField   field)
{
  g_return_val_if_fail (field < BCS_N_FIELDS, FALSE);

  return bcs_normalize_equal (value_or_null (a, field), value_or_null (b, field));
}

BcsFieldMask
bcs_contact_changed_fields (const BcsContact *a,
                            const BcsContact *b)
{
  BcsFieldMask mask = 0;

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    if (!bcs_contact_field_equal (a, b, i))
      mask |= BCS_FIELD_MASK (i);

  return mask;
}

gboolean
bcs_contact_equal (const BcsContact *a,
                   const BcsContact *b)
{
  return bcs_contact_changed_fields (a, b) == 0;
}

GStrv
bcs_field_mask_to_strv (BcsFieldMask mask)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    if (mask & BCS_FIELD_MASK (i))
      g_strv_builder_add (builder, field_info[i].name);

  return g_strv_builder_end (builder);
}

void
bcs_contact_copy_fields (BcsContact       *target,
                         const BcsContact *source,
                         BcsFieldMask      mask)
{
  g_return_if_fail (target != NULL);
  g_return_if_fail (source != NULL);

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    if (mask & BCS_FIELD_MASK (i))
      {
        g_free (target->values[i]);
        target->values[i] = g_strdup (source->values[i]);
      }
}

char *
bcs_contact_hash (const BcsContact *contact)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_return_val_if_fail (contact != NULL, NULL);

  /* name, US, value, RS for each field: neither separator can occur in a
   * normalised value's meaning, and an unset value differs from none. */
  g_checksum_update (checksum, (const guchar *) "bcs-contact-v1\x1e", -1);
  for (guint i = 0; i < BCS_N_FIELDS; i++)
    {
      const char *value = contact->values[i];  /* normalised by the setters */

      g_checksum_update (checksum, (const guchar *) field_info[i].name, -1);
      if (value != NULL && *value != '\0')
        {
          g_checksum_update (checksum, (const guchar *) "\x1f", 1);
          g_checksum_update (checksum, (const guchar *) value, -1);
        }
      g_checksum_update (checksum, (const guchar *) "\x1e", 1);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

BcsContact *
bcs_contact_merge (const BcsContact *base,
                   const BcsContact *bc,
                   const BcsContact *outlook,
                   BcsFieldMask     *to_bc,
                   BcsFieldMask     *to_outlook)
{
  BcsContact *result;
  BcsFieldMask mask_bc = 0;
  BcsFieldMask mask_outlook = 0;

  g_return_val_if_fail (bc != NULL, NULL);
  g_return_val_if_fail (outlook != NULL, NULL);

  result = bcs_contact_copy (bc);
  bcs_contact_set_value (&result->outlook_id, outlook->outlook_id);
  bcs_contact_set_value (&result->change_key, outlook->change_key);

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    {
      gboolean bc_changed;
      gboolean outlook_changed;

      if (bcs_contact_field_equal (bc, outlook, i))
        continue;

      bc_changed = base == NULL || !bcs_contact_field_equal (base, bc, i);
      outlook_changed = base != NULL && !bcs_contact_field_equal (base, outlook, i);

      if (outlook_changed && !bc_changed)
        {
          g_free (result->values[i]);
          result->values[i] = g_strdup (outlook->values[i]);
          mask_bc |= BCS_FIELD_MASK (i);
        }
      else
        {
          /* changed in BC only, on both sides, or neither (the sides drifted
           * apart without a base to tell): Business Central is the source */
          mask_outlook |= BCS_FIELD_MASK (i);
        }
    }

  if (to_bc != NULL)
    *to_bc = mask_bc;
  if (to_outlook != NULL)
    *to_outlook = mask_outlook;

  return result;
}

/* The members that are not synced fields, by their serialised names */
#define FOR_EACH_EXTRA_MEMBER(X) \
  X (bc_id) X (bc_number) X (outlook_id) X (etag) X (change_key) \
  X (last_modified) X (company_number) X (given_name) X (surname)

char *
bcs_contact_serialize (const BcsContact *contact)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (contact != NULL, NULL);

#define SET_MEMBER(name) \
  if (contact->name != NULL) \
    json_object_set_string_member (object, #name, contact->name);
  FOR_EACH_EXTRA_MEMBER (SET_MEMBER)
#undef SET_MEMBER

  if (contact->type != BCS_CONTACT_TYPE_UNKNOWN)
    json_object_set_string_member (object, "type", bcs_contact_type_to_string (contact->type));
  if (contact->privacy_blocked)
    json_object_set_boolean_member (object, "privacy_blocked", TRUE);

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    if (contact->values[i] != NULL)
      json_object_set_string_member (object, field_info[i].name, contact->values[i]);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static const char *
lookup_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

BcsContact *
bcs_contact_deserialize (const char  *text,
                         GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *blocked;
  BcsContact *contact;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = json_from_string (text != NULL ? text : "", &local_error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                   _("Stored contact data cannot be read: %s"),
                   local_error != NULL ? local_error->message : _("not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  contact = bcs_contact_new ();

#define GET_MEMBER(name) \
  bcs_contact_set_value (&contact->name, lookup_string (object, #name));
  FOR_EACH_EXTRA_MEMBER (GET_MEMBER)
#undef GET_MEMBER

  contact->type = bcs_contact_type_from_string (lookup_string (object, "type"));
  blocked = json_object_get_member (object, "privacy_blocked");
  contact->privacy_blocked = blocked != NULL && JSON_NODE_HOLDS_VALUE (blocked) &&
                             json_node_get_value_type (blocked) == G_TYPE_BOOLEAN &&
                             json_node_get_boolean (blocked);

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    bcs_contact_set_field (contact, i, lookup_string (object, field_info[i].name));

  return contact;
}
