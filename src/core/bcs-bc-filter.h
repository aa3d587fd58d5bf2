/* bcs-bc-filter.h — Business Central's filter syntax, per contact field
 *
 * Contact Sync. Setup filters Business Central contacts by name, type,
 * company name/number, city, county, post code, country/region, e-mail and
 * number, each written in Business Central's filter syntax:
 *
 *   A|B      or                 A&B      and (binds tighter than |)
 *   A..C     range, inclusive   ..C  A.. open ranges
 *   Jo*  *son  *ar*  J?hn       wildcards: * any run, ? one character
 *   <>A      not                <A <=A >A >=A =A   comparisons
 *   @jo*     case-insensitive   ''       the empty value
 *   'A&B Co' quoted: spaces and | & ( ) .. * ? taken literally, '' is a quote
 *   (A|B)&C  parentheses
 *
 * Unquoted values are trimmed; inner spaces are kept ("New York"). "@" and
 * the comparison operators count only at the start of a value, so an e-mail
 * like "anna@contoso.com" needs no quotes.
 *
 * Comparisons, as evaluated locally (bcs_bc_filter_matches):
 * - Text fields compare case-sensitively and by Unicode code point (after
 *   NFC); "@" compares case-folded (g_utf8_casefold).
 * - Code fields (company number, post code, country/region, number) are
 *   upper case in Business Central, as are values filtered on them: they
 *   compare upper-cased both sides, with or without "@".
 * - Type accepts "Person" or "Company" in any case (anything else is an
 *   error when parsing).
 * - Ranges and < <= > >= order by Unicode code point (after the folding
 *   above); Business Central's collation may place accented letters
 *   differently ("É" near "E", not after "Z").
 * - An unset value is "": it matches '' and <>'' does not.
 * Business Central itself compares on the server with its database
 * collation (which may also be case-insensitive): the OData translation is a
 * prefilter, and the sync applies bcs_contact_filter_matches() to what
 * comes back.
 *
 * Pure, thread-safe once built. */
#pragma once

#include <glib.h>

#include "bcs-contact.h"
#include "bcs-contact-check.h"

G_BEGIN_DECLS

typedef enum {
  BCS_FILTER_FIELD_NAME,            /* displayName */
  BCS_FILTER_FIELD_TYPE,            /* type */
  BCS_FILTER_FIELD_COMPANY_NAME,    /* companyName */
  BCS_FILTER_FIELD_COMPANY_NUMBER,  /* companyNumber (code) */
  BCS_FILTER_FIELD_CITY,            /* city */
  BCS_FILTER_FIELD_COUNTY,          /* state */
  BCS_FILTER_FIELD_POST_CODE,       /* postalCode (code) */
  BCS_FILTER_FIELD_COUNTRY,         /* country (code) */
  BCS_FILTER_FIELD_EMAIL,           /* email */
  BCS_FILTER_FIELD_NUMBER,          /* number (code) */
  BCS_N_FILTER_FIELDS
} BcsFilterField;

/* Stable ids, the keys of the profile's "filter" setting (a{ss}): "name"
 * "type" "companyName" "companyNumber" "city" "county" "postCode" "country"
 * "email" "number" */
const char     *bcs_filter_field_to_string      (BcsFilterField    field);
/* The field of an id; also accepts, in any case, the API property names
 * ("displayName", "state", "postalCode") and kebab-case ("post-code").
 * -1 for an unknown id. */
int             bcs_filter_field_from_string    (const char       *id);
/* The Business Central API v2.0 property, e.g. "postalCode" */
const char     *bcs_filter_field_get_odata_name (BcsFilterField    field);
/* A translated label, e.g. "Post code" */
const char     *bcs_filter_field_get_label      (BcsFilterField    field);
/* The contact's value the field filters on (NULL for unset), borrowed */
const char     *bcs_filter_field_get_value      (BcsFilterField    field,
                                                 const BcsContact *contact);

/* One field's parsed expression */
typedef struct _BcsBcFilter BcsBcFilter;

/* Parses TEXT for FIELD. Empty or blank TEXT gives a filter that matches
 * everything. On a syntax error: NULL, BCS_ERROR_INVALID_INPUT with a message
 * that names the position (counted from 1 in the message), and
 * ERROR_POSITION (nullable) set to the character offset (from 0) of the
 * error in TEXT, for the GUI to place the cursor. */
BcsBcFilter    *bcs_bc_filter_parse       (BcsFilterField     field,
                                           const char        *text,
                                           int               *error_position,
                                           GError           **error);
void            bcs_bc_filter_free        (BcsBcFilter       *filter);
BcsFilterField  bcs_bc_filter_get_field   (const BcsBcFilter *filter);
/* The text it was parsed from */
const char     *bcs_bc_filter_get_text    (const BcsBcFilter *filter);
/* TRUE when the filter matches everything (blank text) */
gboolean        bcs_bc_filter_is_empty    (const BcsBcFilter *filter);

/* Whether VALUE (NULL = unset) passes the filter */
gboolean        bcs_bc_filter_matches_value (const BcsBcFilter *filter,
                                             const char        *value);
gboolean        bcs_bc_filter_matches       (const BcsBcFilter *filter,
                                             const BcsContact  *contact);

/* The OData $filter expression for Business Central's API, or NULL when
 * nothing can be translated (the filter then applies locally only). EXACT
 * (nullable) is TRUE when the expression means the same as the filter;
 * FALSE when parts could not be translated ("@", "*son", "J?hn", "<>Jo*")
 * and were left out or widened (e.g. "A*B" → startswith 'A'): the result is
 * then a superset and must be filtered locally. Literals are quoted with ''
 * for '. */
char           *bcs_bc_filter_to_odata      (const BcsBcFilter *filter,
                                             gboolean          *exact);

/* The filters of all fields, combined with "and" */
typedef struct _BcsContactFilter BcsContactFilter;

BcsContactFilter  *bcs_contact_filter_new      (void);
void               bcs_contact_filter_free     (BcsContactFilter  *self);
/* Parses TEXT for FIELD and replaces that field's filter; on error the old
 * filter stays and ERROR_POSITION/ERROR are set as bcs_bc_filter_parse(). */
gboolean           bcs_contact_filter_set      (BcsContactFilter  *self,
                                                BcsFilterField     field,
                                                const char        *text,
                                                int               *error_position,
                                                GError           **error);
/* NULL when the field has no filter */
const BcsBcFilter *bcs_contact_filter_get      (const BcsContactFilter *self,
                                                BcsFilterField          field);
gboolean           bcs_contact_filter_is_empty (const BcsContactFilter *self);
gboolean           bcs_contact_filter_matches  (const BcsContactFilter *self,
                                                const BcsContact       *contact);
/* A filter from the profile's "filter" setting (a GVariant of type a{ss}:
 * field id → expression). Fails with BCS_ERROR_INVALID_INPUT on an unknown
 * field or an invalid expression; then ERROR_FIELD (nullable) is the field
 * (-1 for an unknown one) and ERROR_POSITION as for bcs_bc_filter_parse(). */
BcsContactFilter  *bcs_contact_filter_new_from_variant (GVariant  *settings,
                                                        int       *error_field,
                                                        int       *error_position,
                                                        GError   **error);
/* The a{ss} to store: the text of every field that has a filter, under
 * bcs_filter_field_to_string(); a floating reference */
GVariant          *bcs_contact_filter_to_variant (const BcsContactFilter *self);

/* BCS_SKIP_OUTSIDE_FILTER when the contact fails the filter, with MESSAGE
 * (nullable) naming the first field it fails, e.g. "Outside the contact
 * filter (City: “Berlin|Wien”)"; else BCS_SKIP_NONE and MESSAGE NULL. */
BcsSkipReason      bcs_contact_filter_check    (const BcsContactFilter  *self,
                                                const BcsContact        *contact,
                                                char                   **message);
/* The fields' OData expressions joined with " and " (wrap it in
 * parentheses to combine it with more); NULL when there is nothing to send.
 * EXACT as for bcs_bc_filter_to_odata(). */
char              *bcs_contact_filter_to_odata (const BcsContactFilter *self,
                                                gboolean               *exact);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsBcFilter, bcs_bc_filter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsContactFilter, bcs_contact_filter_free)

G_END_DECLS
