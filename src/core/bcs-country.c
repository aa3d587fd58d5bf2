/* bcs-country.c — country/region names and ISO 3166-1 alpha-2 codes */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bcs-country.h"
#include "bcs-normalize.h"

typedef struct {
  const char *code;
  const char *name;
} CountryEntry;

/* ISO 3166-1 (from Debian's iso-codes), sorted by code; the short English
 * name people use where ISO's is long ("Bolivia", "South Korea"). */
static const CountryEntry countries[] = {
  { "AD", "Andorra" },
  { "AE", "United Arab Emirates" },
  { "AF", "Afghanistan" },
  { "AG", "Antigua and Barbuda" },
  { "AI", "Anguilla" },
  { "AL", "Albania" },
  { "AM", "Armenia" },
  { "AO", "Angola" },
  { "AQ", "Antarctica" },
  { "AR", "Argentina" },
  { "AS", "American Samoa" },
  { "AT", "Austria" },
  { "AU", "Australia" },
  { "AW", "Aruba" },
  { "AX", "Åland Islands" },
  { "AZ", "Azerbaijan" },
  { "BA", "Bosnia and Herzegovina" },
  { "BB", "Barbados" },
  { "BD", "Bangladesh" },
  { "BE", "Belgium" },
  { "BF", "Burkina Faso" },
  { "BG", "Bulgaria" },
  { "BH", "Bahrain" },
  { "BI", "Burundi" },
  { "BJ", "Benin" },
  { "BL", "Saint Barthélemy" },
  { "BM", "Bermuda" },
  { "BN", "Brunei Darussalam" },
  { "BO", "Bolivia" },
  { "BQ", "Bonaire, Sint Eustatius and Saba" },
  { "BR", "Brazil" },
  { "BS", "Bahamas" },
  { "BT", "Bhutan" },
  { "BV", "Bouvet Island" },
  { "BW", "Botswana" },
  { "BY", "Belarus" },
  { "BZ", "Belize" },
  { "CA", "Canada" },
  { "CC", "Cocos (Keeling) Islands" },
  { "CD", "Congo, The Democratic Republic of the" },
  { "CF", "Central African Republic" },
  { "CG", "Congo" },
  { "CH", "Switzerland" },
  { "CI", "Côte d'Ivoire" },
  { "CK", "Cook Islands" },
  { "CL", "Chile" },
  { "CM", "Cameroon" },
  { "CN", "China" },
  { "CO", "Colombia" },
  { "CR", "Costa Rica" },
  { "CU", "Cuba" },
  { "CV", "Cabo Verde" },
  { "CW", "Curaçao" },
  { "CX", "Christmas Island" },
  { "CY", "Cyprus" },
  { "CZ", "Czechia" },
  { "DE", "Germany" },
  { "DJ", "Djibouti" },
  { "DK", "Denmark" },
  { "DM", "Dominica" },
  { "DO", "Dominican Republic" },
  { "DZ", "Algeria" },
  { "EC", "Ecuador" },
  { "EE", "Estonia" },
  { "EG", "Egypt" },
  { "EH", "Western Sahara" },
  { "ER", "Eritrea" },
  { "ES", "Spain" },
  { "ET", "Ethiopia" },
  { "FI", "Finland" },
  { "FJ", "Fiji" },
  { "FK", "Falkland Islands (Malvinas)" },
  { "FM", "Micronesia, Federated States of" },
  { "FO", "Faroe Islands" },
  { "FR", "France" },
  { "GA", "Gabon" },
  { "GB", "United Kingdom" },
  { "GD", "Grenada" },
  { "GE", "Georgia" },
  { "GF", "French Guiana" },
  { "GG", "Guernsey" },
  { "GH", "Ghana" },
  { "GI", "Gibraltar" },
  { "GL", "Greenland" },
  { "GM", "Gambia" },
  { "GN", "Guinea" },
  { "GP", "Guadeloupe" },
  { "GQ", "Equatorial Guinea" },
  { "GR", "Greece" },
  { "GS", "South Georgia and the South Sandwich Islands" },
  { "GT", "Guatemala" },
  { "GU", "Guam" },
  { "GW", "Guinea-Bissau" },
  { "GY", "Guyana" },
  { "HK", "Hong Kong" },
  { "HM", "Heard Island and McDonald Islands" },
  { "HN", "Honduras" },
  { "HR", "Croatia" },
  { "HT", "Haiti" },
  { "HU", "Hungary" },
  { "ID", "Indonesia" },
  { "IE", "Ireland" },
  { "IL", "Israel" },
  { "IM", "Isle of Man" },
  { "IN", "India" },
  { "IO", "British Indian Ocean Territory" },
  { "IQ", "Iraq" },
  { "IR", "Iran" },
  { "IS", "Iceland" },
  { "IT", "Italy" },
  { "JE", "Jersey" },
  { "JM", "Jamaica" },
  { "JO", "Jordan" },
  { "JP", "Japan" },
  { "KE", "Kenya" },
  { "KG", "Kyrgyzstan" },
  { "KH", "Cambodia" },
  { "KI", "Kiribati" },
  { "KM", "Comoros" },
  { "KN", "Saint Kitts and Nevis" },
  { "KP", "North Korea" },
  { "KR", "South Korea" },
  { "KW", "Kuwait" },
  { "KY", "Cayman Islands" },
  { "KZ", "Kazakhstan" },
  { "LA", "Laos" },
  { "LB", "Lebanon" },
  { "LC", "Saint Lucia" },
  { "LI", "Liechtenstein" },
  { "LK", "Sri Lanka" },
  { "LR", "Liberia" },
  { "LS", "Lesotho" },
  { "LT", "Lithuania" },
  { "LU", "Luxembourg" },
  { "LV", "Latvia" },
  { "LY", "Libya" },
  { "MA", "Morocco" },
  { "MC", "Monaco" },
  { "MD", "Moldova" },
  { "ME", "Montenegro" },
  { "MF", "Saint Martin (French part)" },
  { "MG", "Madagascar" },
  { "MH", "Marshall Islands" },
  { "MK", "North Macedonia" },
  { "ML", "Mali" },
  { "MM", "Myanmar" },
  { "MN", "Mongolia" },
  { "MO", "Macao" },
  { "MP", "Northern Mariana Islands" },
  { "MQ", "Martinique" },
  { "MR", "Mauritania" },
  { "MS", "Montserrat" },
  { "MT", "Malta" },
  { "MU", "Mauritius" },
  { "MV", "Maldives" },
  { "MW", "Malawi" },
  { "MX", "Mexico" },
  { "MY", "Malaysia" },
  { "MZ", "Mozambique" },
  { "NA", "Namibia" },
  { "NC", "New Caledonia" },
  { "NE", "Niger" },
  { "NF", "Norfolk Island" },
  { "NG", "Nigeria" },
  { "NI", "Nicaragua" },
  { "NL", "Netherlands" },
  { "NO", "Norway" },
  { "NP", "Nepal" },
  { "NR", "Nauru" },
  { "NU", "Niue" },
  { "NZ", "New Zealand" },
  { "OM", "Oman" },
  { "PA", "Panama" },
  { "PE", "Peru" },
  { "PF", "French Polynesia" },
  { "PG", "Papua New Guinea" },
  { "PH", "Philippines" },
  { "PK", "Pakistan" },
  { "PL", "Poland" },
  { "PM", "Saint Pierre and Miquelon" },
  { "PN", "Pitcairn" },
  { "PR", "Puerto Rico" },
  { "PS", "Palestine, State of" },
  { "PT", "Portugal" },
  { "PW", "Palau" },
  { "PY", "Paraguay" },
  { "QA", "Qatar" },
  { "RE", "Réunion" },
  { "RO", "Romania" },
  { "RS", "Serbia" },
  { "RU", "Russian Federation" },
  { "RW", "Rwanda" },
  { "SA", "Saudi Arabia" },
  { "SB", "Solomon Islands" },
  { "SC", "Seychelles" },
  { "SD", "Sudan" },
  { "SE", "Sweden" },
  { "SG", "Singapore" },
  { "SH", "Saint Helena, Ascension and Tristan da Cunha" },
  { "SI", "Slovenia" },
  { "SJ", "Svalbard and Jan Mayen" },
  { "SK", "Slovakia" },
  { "SL", "Sierra Leone" },
  { "SM", "San Marino" },
  { "SN", "Senegal" },
  { "SO", "Somalia" },
  { "SR", "Suriname" },
  { "SS", "South Sudan" },
  { "ST", "Sao Tome and Principe" },
  { "SV", "El Salvador" },
  { "SX", "Sint Maarten (Dutch part)" },
  { "SY", "Syria" },
  { "SZ", "Eswatini" },
  { "TC", "Turks and Caicos Islands" },
  { "TD", "Chad" },
  { "TF", "French Southern Territories" },
  { "TG", "Togo" },
  { "TH", "Thailand" },
  { "TJ", "Tajikistan" },
  { "TK", "Tokelau" },
  { "TL", "Timor-Leste" },
  { "TM", "Turkmenistan" },
  { "TN", "Tunisia" },
  { "TO", "Tonga" },
  { "TR", "Türkiye" },
  { "TT", "Trinidad and Tobago" },
  { "TV", "Tuvalu" },
  { "TW", "Taiwan" },
  { "TZ", "Tanzania" },
  { "UA", "Ukraine" },
  { "UG", "Uganda" },
  { "UM", "United States Minor Outlying Islands" },
  { "US", "United States" },
  { "UY", "Uruguay" },
  { "UZ", "Uzbekistan" },
  { "VA", "Holy See (Vatican City State)" },
  { "VC", "Saint Vincent and the Grenadines" },
  { "VE", "Venezuela" },
  { "VG", "Virgin Islands, British" },
  { "VI", "Virgin Islands, U.S." },
  { "VN", "Vietnam" },
  { "VU", "Vanuatu" },
  { "WF", "Wallis and Futuna" },
  { "WS", "Samoa" },
  { "YE", "Yemen" },
  { "YT", "Mayotte" },
  { "ZA", "South Africa" },
  { "ZM", "Zambia" },
  { "ZW", "Zimbabwe" },
};

/* Other names people type: older or official English names and the local
 * names of the countries Business Central is sold in most. */
static const CountryEntry aliases[] = {
  { "AT", "Österreich" },
  { "AT", "Autriche" },
  { "AT", "Austria" },
  { "BE", "Belgique" },
  { "BE", "België" },
  { "BE", "Belgien" },
  { "CH", "Schweiz" },
  { "CH", "Suisse" },
  { "CH", "Svizzera" },
  { "CH", "Svizra" },
  { "CZ", "Czech Republic" },
  { "CZ", "Česko" },
  { "CZ", "Česká republika" },
  { "CZ", "Tschechien" },
  { "DE", "Deutschland" },
  { "DE", "Allemagne" },
  { "DE", "Alemania" },
  { "DE", "Germania" },
  { "DE", "Niemcy" },
  { "DE", "Tyskland" },
  { "DK", "Danmark" },
  { "DK", "Dänemark" },
  { "DK", "Danemark" },
  { "ES", "España" },
  { "ES", "Spanien" },
  { "ES", "Espagne" },
  { "ES", "Spagna" },
  { "FI", "Suomi" },
  { "FI", "Finnland" },
  { "FR", "Frankreich" },
  { "FR", "Francia" },
  { "GB", "Royaume-Uni" },
  { "GB", "Great Britain" },
  { "GB", "Großbritannien" },
  { "GB", "Vereinigtes Königreich" },
  { "GB", "England" },
  { "GB", "Scotland" },
  { "GB", "Wales" },
  { "GB", "Northern Ireland" },
  { "GB", "Reino Unido" },
  { "GB", "Regno Unito" },
  { "GB", "United Kingdom of Great Britain and Northern Ireland" },
  { "GR", "Ελλάδα" },
  { "GR", "Hellas" },
  { "HR", "Hrvatska" },
  { "HU", "Magyarország" },
  { "IE", "Éire" },
  { "IS", "Ísland" },
  { "IT", "Italia" },
  { "IT", "Italien" },
  { "IT", "Italie" },
  { "LU", "Luxemburg" },
  { "LU", "Lëtzebuerg" },
  { "NL", "Nederland" },
  { "NL", "Niederlande" },
  { "NL", "Pays-Bas" },
  { "NL", "Holland" },
  { "NL", "The Netherlands" },
  { "NO", "Norge" },
  { "NO", "Norwegen" },
  { "PL", "Polska" },
  { "PL", "Polen" },
  { "PL", "Pologne" },
  { "PT", "Portugal" },
  { "SE", "Sverige" },
  { "SE", "Schweden" },
  { "SE", "Suède" },
  { "SI", "Slovenija" },
  { "SK", "Slovensko" },
  { "US", "United States of America" },
  { "US", "Vereinigte Staaten" },
  { "US", "États-Unis" },
  { "US", "Estados Unidos" },
  { "TR", "Turkey" },
  { "TR", "Türkei" },
  { "RU", "Russia" },
  { "RU", "Россия" },
  { "MX", "México" },
  { "BR", "Brasil" },
  { "CI", "Ivory Coast" },
  { "MK", "Macedonia" },
  { "SZ", "Swaziland" },
  { "CV", "Cape Verde" },
  { "MM", "Burma" },
  { "VA", "Vatican City" },
  { "BN", "Brunei" },
  { "CD", "Democratic Republic of the Congo" },
  { "CG", "Republic of the Congo" },
  { "FM", "Micronesia" },
  { "PS", "Palestine" },
  { "KR", "Korea" },
  { "IR", "Iran, Islamic Republic of" },
  { "VN", "Viet Nam" },
};

static GHashTable *
get_name_table (void)
{
  static GHashTable *table = NULL;

  if (g_once_init_enter (&table))
    {
      GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (gsize i = 0; i < G_N_ELEMENTS (countries); i++)
        g_hash_table_insert (t, bcs_normalize_lookup_key (countries[i].name),
                             (gpointer) countries[i].code);
      for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
        g_hash_table_insert (t, bcs_normalize_lookup_key (aliases[i].name),
                             (gpointer) aliases[i].code);

      g_once_init_leave (&table, t);
    }

  return table;
}

static int
compare_code (const void *key,
              const void *element)
{
  return g_ascii_strcasecmp (key, ((const CountryEntry *) element)->code);
}

static const CountryEntry *
find_code (const char *code)
{
  if (code == NULL || strlen (code) != 2)
    return NULL;

  return bsearch (code, countries, G_N_ELEMENTS (countries),
                  sizeof (CountryEntry), compare_code);
}

const char *
bcs_country_code_from_name (const char *name)
{
  g_autofree char *key = bcs_normalize_lookup_key (name);

  if (key == NULL)
    return NULL;

  return g_hash_table_lookup (get_name_table (), key);
}

const char *
bcs_country_name_from_code (const char *code)
{
  const CountryEntry *entry = find_code (code);

  return entry != NULL ? entry->name : NULL;
}

gboolean
bcs_country_is_iso_code (const char *code)
{
  return find_code (code) != NULL;
}

static gboolean
looks_like_code (const char *value)
{
  gsize len = strlen (value);

  if (len < 2 || len > 3)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalpha (value[i]))
      return FALSE;

  return TRUE;
}

char *
bcs_country_from_outlook (const char  *value,
                          char       **reason)
{
  g_autofree char *norm = bcs_normalize_value (value);
  const char *code;

  if (reason != NULL)
    *reason = NULL;

  if (norm == NULL)
    return NULL;

  if (looks_like_code (norm))
    return g_ascii_strup (norm, -1);

  code = bcs_country_code_from_name (norm);
  if (code != NULL)
    return g_strdup (code);

  if (reason != NULL)
    /* Translators: %s is what the user typed as the country in Outlook */
    *reason = g_strdup_printf (_("The country/region “%s” is not a known country name or code; it was left empty."),
                               norm);

  return NULL;
}

guint
bcs_country_get_n_countries (void)
{
  return G_N_ELEMENTS (countries);
}

const char *
bcs_country_get_code (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (countries), NULL);

  return countries[index].code;
}
