/* bcs-contact.h — one contact, in the normal form both sides are compared in
 *
 * A BcsContact holds the fields of SYNC-SPEC.md's mapping table, whichever
 * side it was read from (Business Central or Outlook; bcs-contact-mapping.h
 * converts). Text values are always normalised (bcs-normalize.h): NULL means
 * unset, never "". Set them with bcs_contact_set_field() or
 * bcs_contact_set_value(), which normalise; read the members directly, but
 * do not assign them: equality and the hash rely on the normal form.
 *
 * The synced fields (BcsContactField) are the ones both sides hold; only
 * they take part in equality, the hash, changed fields and the merge. The
 * other members (ids, type, privacy, version stamps, given name/surname,
 * company number) are carried along for pairing, eligibility and filters.
 *
 * Pure data and pure functions: safe to use from any thread. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The synced fields. Their names (bcs_contact_field_to_string) are the
 * report's "fields" entries and the store's column keys:
 *   "display_name" "email" "phone" "mobile" "company_name" "job_title"
 *   "address_line1" "address_line2" "city" "state" "postal_code" "country"
 *   "website"
 * The order is part of the hash: append new fields at the end only. */
typedef enum {
  BCS_FIELD_DISPLAY_NAME,
  BCS_FIELD_EMAIL,
  BCS_FIELD_PHONE,
  BCS_FIELD_MOBILE,
  BCS_FIELD_COMPANY_NAME,
  BCS_FIELD_JOB_TITLE,
  BCS_FIELD_ADDRESS_LINE1,
  BCS_FIELD_ADDRESS_LINE2,
  BCS_FIELD_CITY,
  BCS_FIELD_STATE,
  BCS_FIELD_POSTAL_CODE,
  BCS_FIELD_COUNTRY,
  BCS_FIELD_WEBSITE,
  BCS_N_FIELDS
} BcsContactField;

/* A set of fields: bit (1 << field) */
typedef guint32 BcsFieldMask;

#define BCS_FIELD_MASK(field) ((BcsFieldMask) 1u << (field))
#define BCS_FIELD_MASK_ALL    ((BcsFieldMask) ((1u << BCS_N_FIELDS) - 1))
#define BCS_FIELD_MASK_ADDRESS (BCS_FIELD_MASK (BCS_FIELD_ADDRESS_LINE1) | \
                                BCS_FIELD_MASK (BCS_FIELD_ADDRESS_LINE2) | \
                                BCS_FIELD_MASK (BCS_FIELD_CITY) | \
                                BCS_FIELD_MASK (BCS_FIELD_STATE) | \
                                BCS_FIELD_MASK (BCS_FIELD_POSTAL_CODE) | \
                                BCS_FIELD_MASK (BCS_FIELD_COUNTRY))

typedef enum {
  BCS_CONTACT_TYPE_UNKNOWN,
  BCS_CONTACT_TYPE_PERSON,
  BCS_CONTACT_TYPE_COMPANY,
} BcsContactType;

typedef struct _BcsContact BcsContact;

struct _BcsContact
{
  /* Pairing and version stamps (not synced fields) */
  char           *bc_id;          /* Business Central contact id (GUID) */
  char           *bc_number;      /* Business Central "number" */
  char           *outlook_id;     /* Graph contact id */
  char           *etag;           /* Business Central "@odata.etag" */
  char           *change_key;     /* Graph "changeKey" */
  char           *last_modified;  /* lastModifiedDateTime, as the server sent it */

  /* Business Central only: eligibility and filters */
  BcsContactType  type;           /* Outlook contacts are PERSON */
  gboolean        privacy_blocked;
  char           *company_number;

  /* Derived from display_name towards Outlook, read from Outlook */
  char           *given_name;
  char           *surname;

  /* The synced fields, by name or by BcsContactField */
  union {
    char *values[BCS_N_FIELDS];
    struct {
      char *display_name;
      char *email;
      char *phone;          /* BC phoneNumber, Graph businessPhones[0] */
      char *mobile;         /* BC mobilePhoneNumber, Graph mobilePhone */
      char *company_name;
      char *job_title;
      char *address_line1;
      char *address_line2;
      char *city;
      char *state;          /* "county" in Business Central's UI */
      char *postal_code;
      char *country;        /* a country/region code, e.g. "DE" */
      char *website;
    };
  };
};

#define BCS_TYPE_CONTACT (bcs_contact_get_type ())

GType               bcs_contact_get_type        (void) G_GNUC_CONST;
BcsContact         *bcs_contact_new             (void);
BcsContact         *bcs_contact_copy            (const BcsContact *contact);
void                bcs_contact_free            (BcsContact       *contact);

/* Sets a synced field to the normal form of VALUE (NULL for unset). */
void                bcs_contact_set_field       (BcsContact       *contact,
                                                 BcsContactField   field,
                                                 const char       *value);
const char         *bcs_contact_get_field       (const BcsContact *contact,
                                                 BcsContactField   field);
/* Sets any string member (e.g. &contact->bc_id) to the normal form of VALUE. */
void                bcs_contact_set_value       (char            **member,
                                                 const char       *value);

const char         *bcs_contact_field_to_string (BcsContactField   field);
/* -1 for an unknown name */
int                 bcs_contact_field_from_string (const char     *name);
/* Business Central's maximum length of the field, in characters */
guint               bcs_contact_field_max_length (BcsContactField  field);
/* A short translated label for people, e.g. "E-mail", "Post code" */
const char         *bcs_contact_field_get_label (BcsContactField   field);

/* "Person", "Company" (Business Central's spelling), NULL for unknown */
const char         *bcs_contact_type_to_string  (BcsContactType    type);
BcsContactType      bcs_contact_type_from_string (const char      *value);

/* The matching key of the contact's e-mail (bcs_normalize_email_key) */
char               *bcs_contact_get_email_key   (const BcsContact *contact);

gboolean            bcs_contact_field_equal     (const BcsContact *a,
                                                 const BcsContact *b,
                                                 BcsContactField   field);
/* Equal in every synced field (ids and stamps are not compared) */
gboolean            bcs_contact_equal           (const BcsContact *a,
                                                 const BcsContact *b);
/* The synced fields that differ; NULL stands for an empty contact */
BcsFieldMask        bcs_contact_changed_fields  (const BcsContact *a,
                                                 const BcsContact *b);
/* The names of the fields in MASK, in field order, NULL-terminated */
GStrv               bcs_field_mask_to_strv      (BcsFieldMask      mask);
/* Copies the fields in MASK from SOURCE to TARGET */
void                bcs_contact_copy_fields     (BcsContact       *target,
                                                 const BcsContact *source,
                                                 BcsFieldMask      mask);

/* SHA-256, lower-case hex (64 characters), over a canonical serialisation of
 * the synced fields in normal form: equal for contacts that are
 * bcs_contact_equal, whichever side they come from. */
char               *bcs_contact_hash            (const BcsContact *contact);

/* The two-way merge of SYNC-SPEC.md. BASE is the pair as last synced (NULL:
 * never synced, every difference is BC's). For each field: unchanged on both
 * sides → kept; changed only in Outlook → Outlook's value, sent to BC;
 * changed only in BC, or on both sides (BC wins) → BC's value, sent to
 * Outlook. RESULT gets the merged fields and BC's ids/type/stamps, plus
 * Outlook's id and change key. */
BcsContact         *bcs_contact_merge           (const BcsContact *base,
                                                 const BcsContact *bc,
                                                 const BcsContact *outlook,
                                                 BcsFieldMask     *to_bc,
                                                 BcsFieldMask     *to_outlook);

/* A lossless JSON text of every member, for the store (last-synced values)
 * and for tests: the synced fields under their names above, plus "bc_id",
 * "bc_number", "outlook_id", "etag", "change_key", "last_modified",
 * "company_number", "given_name", "surname", "type" ("Person"/"Company") and
 * "privacy_blocked" (only when TRUE). Unset values are left out. */
char               *bcs_contact_serialize       (const BcsContact *contact);
/* Reads bcs_contact_serialize()'s text back; unknown keys are ignored.
 * Fails with BCS_ERROR_INVALID_INPUT when TEXT is not a JSON object. */
BcsContact         *bcs_contact_deserialize     (const char       *text,
                                                 GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsContact, bcs_contact_free)

G_END_DECLS
