/* test-country.c — country/region names ↔ ISO 3166-1 alpha-2 codes */
#include "config.h"

#include <string.h>

#include "bcs-country.h"

static void
test_country_table_complete (void)
{
  guint n = bcs_country_get_n_countries ();
  const char *previous = "";

  /* ISO 3166-1 has 249 officially assigned codes */
  g_assert_cmpuint (n, ==, 249);

  for (guint i = 0; i < n; i++)
    {
      const char *code = bcs_country_get_code (i);
      const char *name = bcs_country_name_from_code (code);

      g_assert_cmpuint (strlen (code), ==, 2);
      g_assert_true (g_ascii_isupper (code[0]) && g_ascii_isupper (code[1]));
      g_assert_cmpstr (previous, <, code);  /* sorted and unique */
      previous = code;

      g_assert_nonnull (name);
      g_assert_true (bcs_country_is_iso_code (code));
      /* every English name leads back to its code */
      g_assert_cmpstr (bcs_country_code_from_name (name), ==, code);
    }
}

static void
test_country_code_to_name (void)
{
  static const struct { const char *code; const char *name; } rows[] = {
    { "DE", "Germany" },
    { "de", "Germany" },
    { "GB", "United Kingdom" },
    { "US", "United States" },
    { "AX", "\u00c5land Islands" },
    { "CI", "C\u00f4te d'Ivoire" },
    { "KR", "South Korea" },
    { "XX", NULL },
    { "DEU", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpstr (bcs_country_name_from_code (rows[i].code), ==, rows[i].name);

  g_assert_false (bcs_country_is_iso_code ("UK"));
  g_assert_true (bcs_country_is_iso_code ("gb"));
}

static void
test_country_english_names (void)
{
  static const struct { const char *name; const char *code; } rows[] = {
    { "Germany", "DE" },
    { "germany", "DE" },
    { "  GERMANY ", "DE" },
    { "United   Kingdom", "GB" },
    { "United States", "US" },
    { "United States of America", "US" },
    { "Czech Republic", "CZ" },
    { "Czechia", "CZ" },
    { "Russia", "RU" },
    { "Turkey", "TR" },
    { "Netherlands", "NL" },
    { "The Netherlands", "NL" },
    { "Great Britain", "GB" },
    { "Cote d'Ivoire", "CI" },   /* without the accent */
    { "aland islands", "AX" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpstr (bcs_country_code_from_name (rows[i].name), ==, rows[i].code);
}

static void
test_country_local_names (void)
{
  static const struct { const char *name; const char *code; } rows[] = {
    { "Deutschland", "DE" },
    { "\u00d6sterreich", "AT" },
    { "Osterreich", "AT" },             /* accent left out */
    { "O\u0308sterreich", "AT" },       /* decomposed */
    { "\u00f6sterreich", "AT" },        /* lower case */
    { "Espa\u00f1a", "ES" },
    { "espana", "ES" },
    { "Danmark", "DK" },
    { "Polska", "PL" },
    { "Nederland", "NL" },
    { "Schweiz", "CH" },
    { "Suisse", "CH" },
    { "Royaume-Uni", "GB" },
    { "ROYAUME-UNI", "GB" },
    { "Italia", "IT" },
    { "Sverige", "SE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpstr (bcs_country_code_from_name (rows[i].name), ==, rows[i].code);
}

static void
test_country_from_outlook (void)
{
  static const struct {
    const char *value;
    const char *code;
    gboolean    reason;
  } rows[] = {
    { "DE", "DE", FALSE },
    { "de", "DE", FALSE },
    { " at ", "AT", FALSE },
    { "USA", "USA", FALSE },          /* a code of 3 letters is kept as it is */
    { "Deutschland", "DE", FALSE },
    { "\u00d6sterreich", "AT", FALSE },
    { "Royaume-Uni", "GB", FALSE },
    { "United Kingdom", "GB", FALSE },
    { "Atlantis", NULL, TRUE },
    { "Neverland 2", NULL, TRUE },
    { "D3", NULL, TRUE },            /* not letters */
    { "", NULL, FALSE },
    { NULL, NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *reason = NULL;
      g_autofree char *code = bcs_country_from_outlook (rows[i].value, &reason);

      g_assert_cmpstr (code, ==, rows[i].code);
      g_assert_true ((reason != NULL) == rows[i].reason);
      if (reason != NULL)
        {
          g_assert_nonnull (strstr (reason, rows[i].value));
          g_assert_nonnull (strstr (reason, "left empty"));
        }
    }
}

static void
test_country_unknown_names (void)
{
  g_assert_null (bcs_country_code_from_name ("Atlantis"));
  g_assert_null (bcs_country_code_from_name (""));
  g_assert_null (bcs_country_code_from_name (NULL));
  g_assert_null (bcs_country_code_from_name ("Germ"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/country/table-complete", test_country_table_complete);
  g_test_add_func ("/country/code-to-name", test_country_code_to_name);
  g_test_add_func ("/country/english-names", test_country_english_names);
  g_test_add_func ("/country/local-names", test_country_local_names);
  g_test_add_func ("/country/from-outlook", test_country_from_outlook);
  g_test_add_func ("/country/unknown-names", test_country_unknown_names);

  return g_test_run ();
}
