/* bcs-country.h — country/region names and ISO 3166-1 alpha-2 codes
 *
 * Business Central stores a country/region code (e.g. "DE"); Outlook users
 * type whatever they like into countryOrRegion ("Germany", "Deutschland",
 * "de"). These functions turn one into the other. Lookups ignore case,
 * accents and repeated spaces. Pure, thread-safe. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The ISO 3166-1 alpha-2 code for an English country name (every ISO
 * country, plus common short forms such as "Russia", "Czech Republic") or a
 * common local name ("Deutschland", "Österreich", "España", "Royaume-Uni"…).
 * NULL when the name is unknown. */
const char *bcs_country_code_from_name (const char *name);

/* The English name of an ISO code, case-insensitive ("de" → "Germany"), for
 * display; NULL for a code that is not in ISO 3166-1. */
const char *bcs_country_name_from_code (const char *code);

/* Whether CODE is an ISO 3166-1 alpha-2 code (upper or lower case) */
gboolean    bcs_country_is_iso_code    (const char *code);

/* How a Graph countryOrRegion value becomes Business Central's code: a code
 * of 2–3 letters is kept, upper-cased; a known country name gives its ISO
 * code; anything else gives NULL and a translated REASON (nullable). An unset
 * value gives NULL and no reason. */
char       *bcs_country_from_outlook   (const char  *value,
                                        char       **reason);

/* The number of ISO countries in the table (for tests) and the code of the
 * Nth, in code order. */
guint       bcs_country_get_n_countries (void);
const char *bcs_country_get_code        (guint       index);

G_END_DECLS
