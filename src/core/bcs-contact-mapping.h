/* bcs-contact-mapping.h — Business Central JSON ↔ BcsContact ↔ Graph JSON
 *
 * SYNC-SPEC.md's "Field mapping", both ways. Readers are tolerant of what
 * servers send (missing members, null, {} and [] for unset values, wrong
 * types): they never fail, they leave the field unset. Writers never cut a
 * value: a value that cannot be sent is left out and reported as a
 * BcsFieldIssue (bcs-contact-check.h).
 *
 * Pure functions, any thread. */
#pragma once

#include <json-glib/json-glib.h>

#include "bcs-contact.h"
#include "bcs-contact-check.h"

G_BEGIN_DECLS

/* The app's property set on Outlook contacts (a fixed GUID of this app) */
#define BCS_GRAPH_PROPERTY_SET        "{6a8e3c52-0f4b-4d2e-9c71-3b5d8e2a4f10}"
/* The single-value extended property holding the Business Central id */
#define BCS_GRAPH_PROP_BC_ID          "String " BCS_GRAPH_PROPERTY_SET " Name bcContactId"
/* … and the Business Central contact number */
#define BCS_GRAPH_PROP_BC_NUMBER      "String " BCS_GRAPH_PROPERTY_SET " Name bcContactNumber"
/* The category that marks synced contacts in Outlook */
#define BCS_GRAPH_CATEGORY            "Business Central"
/* Graph's limits */
#define BCS_GRAPH_MAX_EMAILS          3
#define BCS_GRAPH_MAX_BUSINESS_PHONES 2

/* The Graph $select / $expand that read everything
 * bcs_contact_from_graph_json() needs */
#define BCS_GRAPH_CONTACT_SELECT \
  "id,changeKey,lastModifiedDateTime,displayName,givenName,surname," \
  "emailAddresses,businessPhones,mobilePhone,companyName,jobTitle," \
  "businessAddress,businessHomePage,categories"
#define BCS_GRAPH_CONTACT_EXPAND \
  "singleValueExtendedProperties($filter=id eq '" BCS_GRAPH_PROP_BC_ID \
  "' or id eq '" BCS_GRAPH_PROP_BC_NUMBER "')"

/* Business Central API v2.0 contact → BcsContact (id, number, type,
 * privacyBlocked, companyNumber, @odata.etag, lastModifiedDateTime and the
 * synced fields). */
BcsContact *bcs_contact_from_bc_json       (JsonObject       *object);

/* BcsContact → Business Central body. With FIELDS == BCS_FIELD_MASK_ALL:
 * the POST body of a new contact (type "Person", every set field); else a
 * PATCH body with only FIELDS (an unset field is sent as ""). A field longer
 * than Business Central allows is left out with an issue in ISSUES
 * (nullable); an over-long display name or e-mail makes the contact
 * unsendable: NULL is returned and the issue has skips_contact. */
JsonObject *bcs_contact_to_bc_json         (const BcsContact *contact,
                                            BcsFieldMask      fields,
                                            GPtrArray        *issues);

/* Graph contact → BcsContact: the synced fields (displayName, or givenName +
 * surname when it is empty; emailAddresses[0].address; businessPhones[0];
 * businessAddress.street split on "\n" or "\r\n" into line 1 and line 2,
 * further lines joined into line 2 with ", "; countryOrRegion via
 * bcs_country_from_outlook(), an unknown country adding an issue), id,
 * changeKey, lastModifiedDateTime, and bc_id / bc_number from the extended
 * properties when present. Type is PERSON. ISSUES is nullable. */
BcsContact *bcs_contact_from_graph_json    (JsonObject       *object,
                                            GPtrArray        *issues);

/* BcsContact → Graph body to create the contact in Outlook: every set
 * field, givenName/surname split from the display name, categories
 * ["Business Central"] and the two extended properties. */
JsonObject *bcs_contact_to_graph_create    (const BcsContact *contact);

/* BcsContact → Graph PATCH body for FIELDS (nullable CURRENT: the Outlook
 * contact as last read, raw Graph JSON). displayName is always sent (Graph
 * may regenerate it). Only slot 0 of emailAddresses and businessPhones is
 * ours: the other addresses/phones of CURRENT are kept, within Graph's limits
 * (3 e-mails, 2 business phones). An address change sends the whole
 * businessAddress. The category and the extended properties are added when
 * CURRENT lacks them (e.g. a contact just linked by e-mail). */
JsonObject *bcs_contact_to_graph_patch     (const BcsContact *contact,
                                            BcsFieldMask      fields,
                                            JsonObject       *current);

/* Splits a display name at its last space: "Anna Maria Berg" → given "Anna
 * Maria", surname "Berg"; one word → surname only. Outputs may be NULL. */
void        bcs_contact_split_display_name (const char       *display_name,
                                            char            **given_name,
                                            char            **surname);

/* The Business Central id carried by a Graph contact's extended property,
 * or NULL (borrowed from OBJECT) */
const char *bcs_graph_contact_get_bc_id    (JsonObject       *object);

G_END_DECLS
