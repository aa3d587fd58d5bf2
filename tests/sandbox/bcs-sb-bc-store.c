/* bcs-sb-bc-store.c — Business Central's contacts, companies and users as the
 * sandbox holds them, and how a write is validated the way BC validates it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-bc-private.h"

const BcsSbBcFieldInfo bcs_sb_bc_fields[BC_N_FIELDS] = {
  [BC_F_ID] = { "id", BC_KIND_GUID, 0, TRUE },
  [BC_F_NUMBER] = { "number", BC_KIND_STRING, 20, FALSE },
  [BC_F_TYPE] = { "type", BC_KIND_ENUM, 0, FALSE },
  [BC_F_DISPLAY_NAME] = { "displayName", BC_KIND_STRING, 100, FALSE },
  [BC_F_JOB_TITLE] = { "jobTitle", BC_KIND_STRING, 30, FALSE },
  [BC_F_COMPANY_NUMBER] = { "companyNumber", BC_KIND_STRING, 20, FALSE },
  [BC_F_COMPANY_NAME] = { "companyName", BC_KIND_STRING, 100, FALSE },
  /* Computed from the business relations in BC: read-only in the API,
   * settable through the control API (as a BC user adding a customer would) */
  [BC_F_BUSINESS_RELATION] = { "contactBusinessRelation", BC_KIND_ENUM, 0, TRUE },
  [BC_F_ADDRESS_LINE1] = { "addressLine1", BC_KIND_STRING, 100, FALSE },
  [BC_F_ADDRESS_LINE2] = { "addressLine2", BC_KIND_STRING, 50, FALSE },
  [BC_F_CITY] = { "city", BC_KIND_STRING, 30, FALSE },
  [BC_F_STATE] = { "state", BC_KIND_STRING, 30, FALSE },
  [BC_F_COUNTRY] = { "country", BC_KIND_STRING, 10, FALSE },
  [BC_F_POSTAL_CODE] = { "postalCode", BC_KIND_STRING, 20, FALSE },
  [BC_F_PHONE] = { "phoneNumber", BC_KIND_STRING, 30, FALSE },
  [BC_F_MOBILE] = { "mobilePhoneNumber", BC_KIND_STRING, 30, FALSE },
  [BC_F_EMAIL] = { "email", BC_KIND_STRING, 80, FALSE },
  [BC_F_WEBSITE] = { "website", BC_KIND_STRING, 80, FALSE },
  [BC_F_SEARCH_NAME] = { "searchName", BC_KIND_STRING, 100, FALSE },
  [BC_F_PRIVACY_BLOCKED] = { "privacyBlocked", BC_KIND_BOOL, 0, FALSE },
  [BC_F_TAX_REGISTRATION] = { "taxRegistrationNumber", BC_KIND_STRING, 20, FALSE },
  [BC_F_LAST_INTERACTION] = { "lastInteractionDate", BC_KIND_DATE, 0, TRUE },
  [BC_F_LAST_MODIFIED] = { "lastModifiedDateTime", BC_KIND_DATETIME, 0, TRUE },
};

static const char * const business_relations[] = {
  "_x0020_", "None", "Customer", "Vendor", "Bank_x0020_Account", "Employee", "Multiple", NULL
};

/* ---- contacts ---- */

/* Seeded rows hold their text in the same block as the struct: one
 * allocation per row instead of twenty (100,000 rows, and ASan) */
static inline void
free_value (BcsSbBcContact *contact,
            char           *value)
{
  const char *inline_text = (const char *) (contact + 1);

  if (value != NULL && !(value >= inline_text && value < inline_text + contact->inline_size))
    g_free (value);
}

const char *
bcs_sb_bc_contact_get (const BcsSbBcContact *contact,
                       BcsSbBcField          field)
{
  return contact->values[field] ? contact->values[field] : "";
}

void
bcs_sb_bc_contact_set (BcsSbBcContact *contact,
                       BcsSbBcField    field,
                       const char     *value)
{
  free_value (contact, contact->values[field]);
  contact->values[field] = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
}

BcsSbBcContact *
bcs_sb_bc_contact_copy (const BcsSbBcContact *contact)
{
  BcsSbBcContact *copy = g_new0 (BcsSbBcContact, 1);

  for (guint i = 0; i < BC_N_FIELDS; i++)
    copy->values[i] = g_strdup (contact->values[i]);
  copy->privacy_blocked = contact->privacy_blocked;
  copy->modified_ms = contact->modified_ms;
  copy->row_version = contact->row_version;
  copy->company = contact->company;
  return copy;
}

void
bcs_sb_bc_contact_free (BcsSbBcContact *contact)
{
  if (contact == NULL)
    return;
  for (guint i = 0; i < BC_N_FIELDS; i++)
    free_value (contact, contact->values[i]);
  g_free (contact);
}

int
bcs_sb_bc_field_lookup (const char *name)
{
  for (guint i = 0; i < BC_N_FIELDS; i++)
    if (g_strcmp0 (bcs_sb_bc_fields[i].name, name) == 0)
      return (int) i;
  return -1;
}

char *
bcs_sb_bc_etag (guint64 row_version)
{
  char b64[96];

  bcs_sb_bc_etag_base64 (row_version, b64);
  return g_strdup_printf ("W/\"%s\"", b64);
}

/* 0 when ETAG is not one of ours */
guint64
bcs_sb_bc_etag_parse (const char *etag)
{
  g_autofree char *b64 = NULL;
  g_autofree guchar *inner = NULL;
  g_autofree char *text = NULL;
  char *start;
  gsize length = 0;
  char *end = NULL;
  char *stop = NULL;
  guint64 value;

  if (etag == NULL)
    return 0;
  if (g_str_has_prefix (etag, "W/"))
    etag += 2;
  b64 = g_strdup (etag);
  g_strdelimit (b64, "\"", ' ');
  g_strstrip (b64);
  inner = g_base64_decode (b64, &length);
  text = g_strndup ((const char *) inner, length);
  start = strchr (text, ';');
  if (start == NULL)
    return 0;
  start++;
  end = strchr (start, ';');
  /* the row version, then a "1" */
  if (end == NULL || end - start < 2 || end[-1] != '1')
    return 0;
  end[-1] = '\0';
  value = g_ascii_strtoull (start, &stop, 10);
  if (stop == start || *stop != '\0')
    return 0;
  return value;
}

char *
bcs_sb_bc_format_ms (gint64 ms)
{
  GString *out = g_string_sized_new (32);

  bcs_sb_bc_append_time (out, ms);
  return g_string_free (out, FALSE);
}

gboolean
bcs_sb_bc_parse_datetime (const char *text,
                          gint64     *us)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || strchr (text, 'T') == NULL)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

JsonObject *
bcs_sb_bc_contact_to_json (const BcsSbBcContact *contact,
                           const gboolean       *select)
{
  JsonObject *object = json_object_new ();
  g_autofree char *etag = bcs_sb_bc_etag (contact->row_version);

  json_object_set_string_member (object, "@odata.etag", etag);
  for (guint i = 0; i < BC_N_FIELDS; i++)
    {
      if (select != NULL && !select[i])
        continue;
      switch (bcs_sb_bc_fields[i].kind)
        {
        case BC_KIND_BOOL:
          json_object_set_boolean_member (object, bcs_sb_bc_fields[i].name, contact->privacy_blocked);
          break;
        case BC_KIND_DATETIME:
          {
            g_autofree char *text = bcs_sb_bc_format_ms (contact->modified_ms);

            json_object_set_string_member (object, bcs_sb_bc_fields[i].name, text);
          }
          break;
        case BC_KIND_DATE:
          json_object_set_string_member (object, bcs_sb_bc_fields[i].name,
                                         contact->values[i] ? contact->values[i] : "0001-01-01");
          break;
        case BC_KIND_GUID:
        case BC_KIND_STRING:
        case BC_KIND_ENUM:
        default:
          json_object_set_string_member (object, bcs_sb_bc_fields[i].name,
                                         bcs_sb_bc_contact_get (contact, i));
          break;
        }
    }
  return object;
}

BcsSbBcContact *
bcs_sb_bc_contact_from_json (JsonObject *object)
{
  BcsSbBcContact *contact;

  if (!json_object_has_member (object, "id"))
    return NULL;

  contact = g_new0 (BcsSbBcContact, 1);
  for (guint i = 0; i < BC_N_FIELDS; i++)
    {
      JsonNode *node = json_object_get_member (object, bcs_sb_bc_fields[i].name);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (bcs_sb_bc_fields[i].kind == BC_KIND_BOOL)
        contact->privacy_blocked = json_node_get_boolean (node);
      else if (bcs_sb_bc_fields[i].kind == BC_KIND_DATETIME)
        {
          gint64 us = 0;

          if (bcs_sb_bc_parse_datetime (json_node_get_string (node), &us))
            contact->modified_ms = us / 1000;
        }
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        bcs_sb_bc_contact_set (contact, i, json_node_get_string (node));
    }
  if (g_strcmp0 (contact->values[BC_F_LAST_INTERACTION], "0001-01-01") == 0)
    bcs_sb_bc_contact_set (contact, BC_F_LAST_INTERACTION, NULL);
  contact->row_version = bcs_sb_bc_etag_parse (json_object_get_string_member_with_default (object, "@odata.etag", NULL));
  return contact;
}

void
bcs_sb_bc_stamp (BcsSbBc        *bc,
                 BcsSbBcContact *contact)
{
  gint64 now = g_get_real_time () / 1000;

  /* Strictly increasing, so that "lastModifiedDateTime gt W" never misses a
   * write made in the same millisecond as the last one a client saw */
  if (now <= bc->last_modified_ms)
    now = bc->last_modified_ms + 1;
  bc->last_modified_ms = now;
  contact->modified_ms = now;
  contact->row_version = ++bc->row_version;
}

/* A GUID from the BC part's own generator, so seeded ids follow the seed */
char *
bcs_sb_bc_guid (BcsSbBc *bc)
{
  guint8 b[16];

  for (guint i = 0; i < 16; i++)
    b[i] = (guint8) g_rand_int_range (bc->rand, 0, 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* ---- companies ---- */

BcsSbBcCompany *
bcs_sb_bc_company_new (const char *id,
                       const char *name)
{
  BcsSbBcCompany *company = g_new0 (BcsSbBcCompany, 1);

  company->id = g_strdup (id);
  company->name = g_strdup (name);
  company->created_at = g_strdup ("2025-10-01T08:00:00.000Z");
  company->timestamp = 16384;
  company->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sb_bc_contact_free);
  company->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  company->by_number = g_hash_table_new (g_str_hash, g_str_equal);
  company->next_number = 10;
  return company;
}

void
bcs_sb_bc_company_free (BcsSbBcCompany *company)
{
  if (company == NULL)
    return;
  g_hash_table_unref (company->by_id);
  g_hash_table_unref (company->by_number);
  g_ptr_array_unref (company->contacts);
  g_free (company->id);
  g_free (company->name);
  g_free (company->created_at);
  g_free (company);
}

BcsSbBcCompany *
bcs_sb_bc_find_company (BcsSbBc    *bc,
                        const char *id)
{
  for (guint i = 0; i < bc->companies->len; i++)
    {
      BcsSbBcCompany *company = g_ptr_array_index (bc->companies, i);

      if (g_ascii_strcasecmp (company->id, id) == 0)
        return company;
    }
  return NULL;
}

guint
bcs_sb_bc_company_after (BcsSbBcCompany *company,
                         const char     *number)
{
  guint lo = 0, hi = company->contacts->len;

  if (number == NULL)
    return 0;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      BcsSbBcContact *c = g_ptr_array_index (company->contacts, mid);

      if (strcmp (bcs_sb_bc_contact_get (c, BC_F_NUMBER), number) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
bcs_sb_bc_company_insert (BcsSbBcCompany *company,
                          BcsSbBcContact *contact)
{
  guint pos = bcs_sb_bc_company_after (company, bcs_sb_bc_contact_get (contact, BC_F_NUMBER));

  contact->company = company;
  g_ptr_array_insert (company->contacts, (int) pos, contact);
  g_hash_table_insert (company->by_id, contact->values[BC_F_ID], contact);
  g_hash_table_insert (company->by_number, contact->values[BC_F_NUMBER], contact);
}

BcsSbBcContact *
bcs_sb_bc_company_remove (BcsSbBcCompany *company,
                          const char     *id)
{
  BcsSbBcContact *contact = g_hash_table_lookup (company->by_id, id);
  guint pos;

  if (contact == NULL)
    return NULL;
  pos = bcs_sb_bc_company_after (company, bcs_sb_bc_contact_get (contact, BC_F_NUMBER));
  g_assert (pos > 0 && g_ptr_array_index (company->contacts, pos - 1) == contact);
  g_hash_table_remove (company->by_id, contact->values[BC_F_ID]);
  g_hash_table_remove (company->by_number, bcs_sb_bc_contact_get (contact, BC_F_NUMBER));
  return g_ptr_array_steal_index (company->contacts, pos - 1);
}

/* ---- undo (snapshot isolation) ---- */

typedef struct {
  BcsSbBcCompany *company;
  char *id;
  BcsSbBcContact *old;  /* NULL: the row did not exist */
} UndoEntry;

static void
undo_entry_free (gpointer data)
{
  UndoEntry *entry = data;

  g_free (entry->id);
  bcs_sb_bc_contact_free (entry->old);
  g_free (entry);
}

static void
undo_push (BcsSbBc        *bc,
           BcsSbBcCompany *company,
           const char     *id,
           BcsSbBcContact *old)
{
  UndoEntry *entry;

  if (bc->undo == NULL)
    {
      bcs_sb_bc_contact_free (old);
      return;
    }
  entry = g_new0 (UndoEntry, 1);
  entry->company = company;
  entry->id = g_strdup (id);
  entry->old = old;
  g_ptr_array_add (bc->undo, entry);
}

void
bcs_sb_bc_undo_begin (BcsSbBc *bc)
{
  g_clear_pointer (&bc->undo, g_ptr_array_unref);
  bc->undo = g_ptr_array_new_with_free_func (undo_entry_free);
}

void
bcs_sb_bc_undo_rollback (BcsSbBc *bc)
{
  if (bc->undo == NULL)
    return;
  for (guint i = bc->undo->len; i > 0; i--)
    {
      UndoEntry *entry = g_ptr_array_index (bc->undo, i - 1);

      bcs_sb_bc_contact_free (bcs_sb_bc_company_remove (entry->company, entry->id));
      if (entry->old != NULL)
        bcs_sb_bc_company_insert (entry->company, g_steal_pointer (&entry->old));
    }
  g_clear_pointer (&bc->undo, g_ptr_array_unref);
}

void
bcs_sb_bc_undo_end (BcsSbBc *bc)
{
  g_clear_pointer (&bc->undo, g_ptr_array_unref);
}

/* ---- writes ---- */

static gboolean
is_business_relation (const char *value)
{
  return g_strv_contains ((const char * const *) business_relations, value);
}

static gboolean
is_email (const char *value)
{
  const char *at = strchr (value, '@');

  return at != NULL && at != value && at[1] != '\0' && strchr (at + 1, '@') == NULL
         && strchr (value, ' ') == NULL;
}

static char *
upper_truncated (const char *text,
                 guint       max)
{
  g_autofree char *upper = g_utf8_strup (text, -1);

  if (g_utf8_strlen (upper, -1) > max)
    *g_utf8_offset_to_pointer (upper, max) = '\0';
  return g_steal_pointer (&upper);
}

BcsSbBcContact *
bcs_sb_bc_write_contact (BcsSbBc              *bc,
                         BcsSbBcCompany       *company,
                         const BcsSbBcContact *existing,
                         JsonObject           *object,
                         gboolean              as_user,
                         BcsSbResponse        *response)
{
  g_autoptr(BcsSbBcContact) contact = NULL;
  g_autoptr(GList) members = json_object_get_members (object);
  gboolean search_name_given = FALSE;
  const char *number;
  BcsSbBcContact *same;

  if (existing != NULL)
    contact = bcs_sb_bc_contact_copy (existing);
  else
    {
      g_autofree char *id = bcs_sb_bc_guid (bc);

      contact = g_new0 (BcsSbBcContact, 1);
      bcs_sb_bc_contact_set (contact, BC_F_ID, id);
      bcs_sb_bc_contact_set (contact, BC_F_TYPE, "Company");
      bcs_sb_bc_contact_set (contact, BC_F_BUSINESS_RELATION, "None");
    }

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);
      int field = bcs_sb_bc_field_lookup (name);
      const BcsSbBcFieldInfo *info;
      const char *value;

      if (g_str_has_prefix (name, "@odata."))
        continue;
      if (field < 0)
        {
          g_autofree char *message =
            g_strdup_printf ("The property '%s' does not exist on type 'Microsoft.NAV.contact'. "
                             "Make sure to only use property names that are defined by the type "
                             "or mark the type as open type.", name);

          bcs_sb_bc_error (response, 400, "BadRequest_PropertyNotFound", message);
          return NULL;
        }
      info = &bcs_sb_bc_fields[field];
      if (info->read_only && !(as_user && field == BC_F_BUSINESS_RELATION))
        continue;

      if (info->kind == BC_KIND_BOOL)
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            {
              bcs_sb_bc_error (response, 400, "BadRequest",
                               "Cannot convert the literal to the expected type 'Edm.Boolean'.");
              return NULL;
            }
          contact->privacy_blocked = json_node_get_boolean (node);
          continue;
        }

      if (JSON_NODE_HOLDS_NULL (node))
        value = "";
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        value = json_node_get_string (node);
      else
        {
          g_autofree char *message =
            g_strdup_printf ("Cannot convert a primitive value to the expected type 'Edm.String' "
                             "for the property '%s'.", name);

          bcs_sb_bc_error (response, 400, "BadRequest", message);
          return NULL;
        }

      if (info->max_length > 0 && g_utf8_strlen (value, -1) > (glong) info->max_length)
        {
          g_autofree char *message =
            g_strdup_printf ("The length of the string is %ld, but it must be less than or equal "
                             "to %u characters. Value: %s",
                             g_utf8_strlen (value, -1), info->max_length, value);

          bcs_sb_bc_error (response, 400, "BadRequest", message);
          return NULL;
        }
      if ((field == BC_F_TYPE && g_strcmp0 (value, "Person") != 0 && g_strcmp0 (value, "Company") != 0)
          || (field == BC_F_BUSINESS_RELATION && !is_business_relation (value)))
        {
          g_autofree char *message = g_strdup_printf ("Requested value '%s' was not found.", value);

          bcs_sb_bc_error (response, 400, "BadRequest", message);
          return NULL;
        }
      if (field == BC_F_EMAIL && *value != '\0' && !is_email (value))
        {
          g_autofree char *message = g_strdup_printf ("The email address \"%s\" is not valid.", value);

          bcs_sb_bc_error (response, 400, "Internal_ValidationError", message);
          return NULL;
        }
      if (field == BC_F_NUMBER)
        {
          g_autofree char *upper = g_utf8_strup (value, -1);

          bcs_sb_bc_contact_set (contact, field, upper);
          continue;
        }
      if (field == BC_F_SEARCH_NAME)
        search_name_given = TRUE;
      bcs_sb_bc_contact_set (contact, field, value);
    }

  if (*bcs_sb_bc_contact_get (contact, BC_F_DISPLAY_NAME) == '\0')
    {
      bcs_sb_bc_error (response, 400, "BadRequest",
                       "The field displayName of the contact must have a value.");
      return NULL;
    }

  number = bcs_sb_bc_contact_get (contact, BC_F_NUMBER);
  if (*number == '\0')
    {
      g_autofree char *assigned = NULL;

      do
        {
          g_free (assigned);
          assigned = g_strdup_printf ("CT%06u", company->next_number);
          company->next_number += 10;
        }
      while (g_hash_table_contains (company->by_number, assigned));
      bcs_sb_bc_contact_set (contact, BC_F_NUMBER, assigned);
      number = bcs_sb_bc_contact_get (contact, BC_F_NUMBER);
    }
  same = g_hash_table_lookup (company->by_number, number);
  if (same != NULL && (existing == NULL || same != existing))
    {
      g_autofree char *message =
        g_strdup_printf ("The record in table Contact already exists. Identification fields and "
                         "values: No.='%s'", number);

      bcs_sb_bc_error (response, 400, "Internal_EntityWithSameKeyExists", message);
      return NULL;
    }

  if (!search_name_given
      && (existing == NULL || g_strcmp0 (bcs_sb_bc_contact_get (existing, BC_F_DISPLAY_NAME),
                                         bcs_sb_bc_contact_get (contact, BC_F_DISPLAY_NAME)) != 0))
    {
      g_autofree char *upper = upper_truncated (bcs_sb_bc_contact_get (contact, BC_F_DISPLAY_NAME), 100);

      bcs_sb_bc_contact_set (contact, BC_F_SEARCH_NAME, upper);
    }

  /* As BC does: a company is its own company; a person's company name
   * follows the company contact it is linked to */
  if (g_strcmp0 (bcs_sb_bc_contact_get (contact, BC_F_TYPE), "Company") == 0)
    {
      bcs_sb_bc_contact_set (contact, BC_F_COMPANY_NUMBER, number);
      bcs_sb_bc_contact_set (contact, BC_F_COMPANY_NAME, bcs_sb_bc_contact_get (contact, BC_F_DISPLAY_NAME));
    }
  else if (*bcs_sb_bc_contact_get (contact, BC_F_COMPANY_NUMBER) != '\0')
    {
      BcsSbBcContact *linked = g_hash_table_lookup (company->by_number,
                                                    bcs_sb_bc_contact_get (contact, BC_F_COMPANY_NUMBER));

      if (linked == NULL || g_strcmp0 (bcs_sb_bc_contact_get (linked, BC_F_TYPE), "Company") != 0)
        {
          g_autofree char *message =
            g_strdup_printf ("The Contact does not exist. Identification fields and values: No.='%s'",
                             bcs_sb_bc_contact_get (contact, BC_F_COMPANY_NUMBER));

          bcs_sb_bc_error (response, 400, "Internal_RecordNotFound", message);
          return NULL;
        }
      bcs_sb_bc_contact_set (contact, BC_F_COMPANY_NAME, bcs_sb_bc_contact_get (linked, BC_F_DISPLAY_NAME));
    }

  bcs_sb_bc_stamp (bc, contact);
  if (existing != NULL)
    {
      BcsSbBcContact *old = bcs_sb_bc_company_remove (company, bcs_sb_bc_contact_get (existing, BC_F_ID));

      undo_push (bc, company, bcs_sb_bc_contact_get (contact, BC_F_ID), old);
    }
  else
    undo_push (bc, company, bcs_sb_bc_contact_get (contact, BC_F_ID), NULL);

  bcs_sb_bc_company_insert (company, contact);
  return g_steal_pointer (&contact);
}

gboolean
bcs_sb_bc_delete_contact (BcsSbBc        *bc,
                          BcsSbBcCompany *company,
                          const char     *id)
{
  BcsSbBcContact *old = bcs_sb_bc_company_remove (company, id);

  if (old == NULL)
    return FALSE;
  undo_push (bc, company, id, old);
  return TRUE;
}
