/* test-bc-filter.c — Business Central filter syntax: grammar, errors, local
 * evaluation and OData translation */
#include "config.h"

#include <string.h>

#include "bcs-bc-filter.h"
#include "bcs-error.h"

typedef struct {
  BcsFilterField  field;
  const char     *filter;
  const char     *value;
  gboolean        matches;
} MatchRow;

static void
check_matches (const MatchRow *rows,
               gsize           n_rows)
{
  for (gsize i = 0; i < n_rows; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BcsBcFilter) filter = NULL;
      int position = 42;

      filter = bcs_bc_filter_parse (rows[i].field, rows[i].filter, &position, &error);
      g_test_message ("filter “%s” on “%s”", rows[i].filter, rows[i].value ? rows[i].value : "(unset)");
      g_assert_no_error (error);
      g_assert_cmpint (position, ==, -1);
      g_assert_cmpint (bcs_bc_filter_matches_value (filter, rows[i].value), ==, rows[i].matches);
    }
}

#define N BCS_FILTER_FIELD_NAME

static void
test_filter_plain_values (void)
{
  static const MatchRow rows[] = {
    { N, "Anna Berg", "Anna Berg", TRUE },
    { N, "Anna Berg", "anna berg", FALSE },    /* case-sensitive without @ */
    { N, "Anna Berg", "Anna", FALSE },
    { N, "  Anna Berg  ", "Anna Berg", TRUE }, /* unquoted values are trimmed */
    { N, "New  York", "New  York", TRUE },     /* inner spaces are kept */
    { N, "=Anna", "Anna", TRUE },
    { N, "= Anna", "Anna", TRUE },
    { N, "Mu\u0308ller", "M\u00fcller", TRUE },  /* NFD filter, NFC value */
    { N, "J. Smith", "J. Smith", TRUE },        /* a single dot is literal */
    { BCS_FILTER_FIELD_EMAIL, "anna@contoso.com", "anna@contoso.com", TRUE },
  };

  check_matches (rows, G_N_ELEMENTS (rows));
}

static void
test_filter_or_and (void)
{
  static const MatchRow rows[] = {
    { N, "Anna|Bob", "Anna", TRUE },
    { N, "Anna|Bob", "Bob", TRUE },
    { N, "Anna|Bob", "Carl", FALSE },
    { N, "Anna | Bob | Carl", "Carl", TRUE },
    { N, "A*&*g", "Anna Berg", TRUE },
    { N, "A*&*g", "Anna", FALSE },
    { N, "<>Anna&<>Bob", "Carl", TRUE },
    { N, "<>Anna&<>Bob", "Bob", FALSE },
    /* & binds tighter than |: A* | (B* & *z) */
    { N, "A*|B*&*z", "Anna", TRUE },
    { N, "A*|B*&*z", "Boz", TRUE },
    { N, "A*|B*&*z", "Bob", FALSE },
    { N, "B*&*z|A*", "Anna", TRUE },
    /* parentheses change it: (A* | B*) & *a */
    { N, "(A*|B*)&*a", "Anna", TRUE },
    { N, "(A*|B*)&*a", "Bella", TRUE },
    { N, "(A*|B*)&*a", "Bob", FALSE },
    { N, "(A*|B*)&*a", "Carla", FALSE },
    { N, "((Anna))", "Anna", TRUE },
  };

  check_matches (rows, G_N_ELEMENTS (rows));
}

static void
test_filter_ranges (void)
{
  static const MatchRow rows[] = {
    { N, "A..C", "A", TRUE },
    { N, "A..C", "Bob", TRUE },
    { N, "A..C", "C", TRUE },
    { N, "A..C", "Carl", FALSE },   /* "Carl" sorts after "C" */
    { N, "A..C", "D", FALSE },
    { N, "B..C", "Anna", FALSE },
    { N, "..C", "Bob", TRUE },
    { N, "..C", "", TRUE },          /* unset sorts first */
    { N, "..C", NULL, TRUE },
    { N, "..C", "D", FALSE },
    { N, "M..", "M\u00fcller", TRUE },
    { N, "M..", "Adam", FALSE },
    { N, " A .. C ", "B", TRUE },
    { N, "'A*'..'C'", "B", TRUE },
    { N, "A..C|X..Z", "Y", TRUE },
    { N, "A..C|X..Z", "M", FALSE },
  };

  check_matches (rows, G_N_ELEMENTS (rows));
}

static void
test_filter_wildcards (void)
{
  static const MatchRow rows[] = {
    { N, "*son", "Jackson", TRUE },
    { N, "*son", "son", TRUE },
    { N, "*son", "Sonja", FALSE },
    { N, "Jo*", "John", TRUE },
    { N, "Jo*", "Jo", TRUE },
    { N, "Jo*", "jo", FALSE },
    { N, "Jo*", "Ajo", FALSE },
    { N, "*ar*", "Carl", TRUE },
    { N, "*ar*", "Mark", TRUE },
    { N, "*ar*", "ar", TRUE },
    { N, "*ar*", "Bob", FALSE },
    { N, "*ar*", "AR", FALSE },
    { N, "J?hn", "John", TRUE },
    { N, "J?hn", "J\u00f6hn", TRUE },   /* ? is one character, not one byte */
    { N, "J?hn", "Jhn", FALSE },
    { N, "A*B*C", "AxxBxxC", TRUE },
    { N, "A*B*C", "AxxCxxB", FALSE },
    { N, "*", "anything", TRUE },
    { N, "*", NULL, TRUE },
    { N, "**a", "ba", TRUE },
    { N, "'*'", "*", TRUE },           /* quoted: a literal star */
    { N, "'*'", "abc", FALSE },
    { N, "'Jo'*", "John", TRUE },
    { N, "=Jo*", "John", TRUE },
  };

  check_matches (rows, G_N_ELEMENTS (rows));
}

static void
test_filter_comparisons (void)
{
  static const MatchRow rows[] = {
    { N, "<>Anna", "Anna", FALSE },
    { N, "<>Anna", "Bob", TRUE },
    { N, "<>Anna", NULL, TRUE },
    { N, "<>Jo*", "John", FALSE },
    { N, "<>Jo*", "Anna", TRUE },
    { N, "<B", "Anna", TRUE },
    { N, "<B", "B", FALSE },
    { N, "<B", "Bob", FALSE },
    { N, "<=B", "B", TRUE },
    { N, "<=B", "Bob", FALSE },
    { N, ">B", "Bob", TRUE },
    { N, ">B", "B", FALSE },
    { N, ">=B", "B", TRUE },
    { N, ">=B", "Anna", FALSE },
    { N, ">=B*", "B*", TRUE },          /* no wildcard in a comparison */
    { N, "< B", "A", TRUE },
  };

  check_matches (rows, G_N_ELEMENTS (rows));
}

static void
test_filter_case_insensitive (void)
{
  static const MatchRow rows[] = {
    { N, "@anna", "ANNA", TRUE },
    { N, "@anna", "Anna", TRUE },
    { N, "@anna", "Annabel", FALSE },
    { N, "@jo*", "JOHN", TRUE },
    { N, "@*SON", "jackson", TRUE },
    { N, "@m\u00fcller", "M\u00dcLLER", TRUE },
    { N, "@<>anna", "ANNA", FALSE },
    { N, "<>@anna", "ANNA", FALSE },
    { N, "<>@anna", "Bob", TRUE },
    { N, "@a..c", "B", TRUE },
    { N, "@Anna|Bob", "anna", TRUE },
    { N, "@Anna|Bob", "bob", FALSE },  /* @ applies to its own value */
  };

  check_matches (rows, G_N_ELEMENTS (rows));
}

static void
test_filter_empty_value (void)
{
  static const MatchRow rows[] = {
    { N, "''", "", TRUE },
    { N, "''", NULL, TRUE },
    { N, "''", "A", FALSE },
    { N, "<>''", "A", TRUE },
    { N, "<>''", NULL, FALSE },
    { N, "''|Anna", "Anna", TRUE },
    { N, "''|Anna", NULL, TRUE },
    { N, "''|Anna", "Bob", FALSE },
  };

  check_matches (rows, G_N_ELEMENTS (rows));
}

static void
test_filter_quoting (void)
{
  static const MatchRow rows[] = {
    { N, "'A&B Co'", "A&B Co", TRUE },
    { N, "'Smith | Sons'", "Smith | Sons", TRUE },
    { N, "'O''Brien'", "O'Brien", TRUE },
    { N, "'O''Brien'|Anna", "Anna", TRUE },
    { N, "' padded '", " padded ", TRUE },   /* quoted spaces are kept */
    { N, "' padded '", "padded", FALSE },
    { N, "'(Europe)'", "(Europe)", TRUE },
    { N, "'1..2'", "1..2", TRUE },
    { N, "'It''s' 'me'", "It's me", TRUE },  /* parts join */
  };

  check_matches (rows, G_N_ELEMENTS (rows));
}

static void
test_filter_code_fields (void)
{
  static const MatchRow rows[] = {
    { BCS_FILTER_FIELD_COUNTRY, "de", "DE", TRUE },
    { BCS_FILTER_FIELD_COUNTRY, "DE|AT", "AT", TRUE },
    { BCS_FILTER_FIELD_COUNTRY, "<>DE", "de", FALSE },
    { BCS_FILTER_FIELD_NUMBER, "CT000001..CT000005", "CT000003", TRUE },
    { BCS_FILTER_FIELD_NUMBER, "CT000001..CT000005", "CT000006", FALSE },
    { BCS_FILTER_FIELD_NUMBER, "ct*", "CT000001", TRUE },
    { BCS_FILTER_FIELD_POST_CODE, "80*", "80331", TRUE },
    { BCS_FILTER_FIELD_POST_CODE, "sw1a*", "SW1A 1AA", TRUE },
    { BCS_FILTER_FIELD_COMPANY_NUMBER, "''", NULL, TRUE },
    { BCS_FILTER_FIELD_TYPE, "Person", "Person", TRUE },
    { BCS_FILTER_FIELD_TYPE, "person", "Person", TRUE },
    { BCS_FILTER_FIELD_TYPE, "Person", "Company", FALSE },
    { BCS_FILTER_FIELD_TYPE, "<>Company", "Person", TRUE },
    { BCS_FILTER_FIELD_TYPE, "Person|Company", "Company", TRUE },
  };

  check_matches (rows, G_N_ELEMENTS (rows));
}

static void
test_filter_blank (void)
{
  static const char *texts[] = { "", "   ", "\t\n", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(BcsBcFilter) filter = bcs_bc_filter_parse (BCS_FILTER_FIELD_CITY, texts[i], NULL, NULL);
      gboolean exact = FALSE;
      g_autofree char *odata = NULL;

      g_assert_nonnull (filter);
      g_assert_true (bcs_bc_filter_is_empty (filter));
      g_assert_true (bcs_bc_filter_matches_value (filter, NULL));
      g_assert_true (bcs_bc_filter_matches_value (filter, "Berlin"));
      odata = bcs_bc_filter_to_odata (filter, &exact);
      g_assert_null (odata);
      g_assert_true (exact);
    }
}

static void
test_filter_errors (void)
{
  static const struct {
    BcsFilterField  field;
    const char     *text;
    int             position;   /* character offset from 0 */
    const char     *message;    /* the whole message, or a part of it */
  } rows[] = {
    { N, "A||B", 2, "Unexpected “|” at position 3 in “A||B”: a value is missing between the two “|”." },
    { N, "A&&B", 2, "Unexpected “&” at position 3 in “A&&B”: a value is missing between the two “&”." },
    { N, "A&|B", 2, "Unexpected “|” at position 3 in “A&|B”: a value is missing between “&” and “|”." },
    { N, "|A", 0, "Unexpected “|” at position 1 in “|A”: a value is missing before it." },
    { N, "A|", 2, "“A|” ends with “|”: a value is missing after it." },
    { N, "A | ", 4, "“A | ” ends with “|”: a value is missing after it." },
    { N, "\u00c4\u00c4||B", 3, "at position 4 in" },  /* characters, not bytes */
    { N, "'abc", 0, "The quote at position 1 in “'abc” is not closed." },
    { N, "A|'b''", 2, "The quote at position 3" },
    { N, "(A|B", 0, "The “(” at position 1 in “(A|B” is not closed." },
    { N, "A)", 1, "Unexpected “)” at position 2 in “A)”: there is no “(” before it." },
    { N, "()", 1, "Unexpected “)” at position 2 in “()”: the parentheses are empty." },
    { N, "A|()", 3, "the parentheses are empty" },
    { N, "<>", 2, "A value is missing after “<>” at position 3 in “<>”." },
    { N, "A|@", 3, "A value is missing after “@”" },
    { N, "<A..B", 2, "Unexpected “..” at position 3 in “<A..B”: a range cannot follow “<”." },
    { N, "..", 0, "The range “..” at position 1 in “..” needs a value on at least one side." },
    { N, "A|..|B", 2, "needs a value on at least one side" },
    { N, "A..B..C", 4, "Unexpected “..” at position 5 in “A..B..C”: a range has only two ends." },
    { N, "'A'(B)", 3, "Unexpected “(” at position 4 in “'A'(B)”: use “|” or “&” between values." },
    { N, "It's", 2, "The quote at position 3" },
    { N, "(A)B", 3, "Unexpected “B” at position 4 in “(A)B”: use “|” or “&” between values." },
    { N, "((A)B)", 4, "Unexpected “B” at position 5 in “((A)B)”: use “|” or “&” between values." },
    { N, "=A..B", 2, "a range cannot follow “=”" },
    { BCS_FILTER_FIELD_TYPE, "Persn", 0, "“Persn” at position 1 is not a contact type: use Person or Company." },
    { BCS_FILTER_FIELD_TYPE, "Person|Robot", 7, "“Robot” at position 8 is not a contact type" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BcsBcFilter) filter = NULL;
      int position = 42;

      filter = bcs_bc_filter_parse (rows[i].field, rows[i].text, &position, &error);
      g_test_message ("“%s”: %s", rows[i].text, error ? error->message : "no error");
      g_assert_null (filter);
      g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
      g_assert_cmpint (position, ==, rows[i].position);
      g_assert_nonnull (strstr (error->message, rows[i].message));

      /* the position is optional */
      g_clear_error (&error);
      filter = bcs_bc_filter_parse (rows[i].field, rows[i].text, NULL, &error);
      g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
    }
}

static void
test_filter_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsBcFilter) filter = bcs_bc_filter_parse (N, "Ber\xffg|A", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (bcs_bc_filter_get_text (filter), -1, NULL));
  g_assert_true (bcs_bc_filter_matches_value (filter, "A"));
}

static void
test_filter_contact_fields (void)
{
  g_autoptr(BcsContact) contact = bcs_contact_new ();
  static const struct { BcsFilterField field; const char *filter; } rows[] = {
    { BCS_FILTER_FIELD_NAME, "Anna Berg" },
    { BCS_FILTER_FIELD_TYPE, "Person" },
    { BCS_FILTER_FIELD_COMPANY_NAME, "Contoso*" },
    { BCS_FILTER_FIELD_COMPANY_NUMBER, "CT000001" },
    { BCS_FILTER_FIELD_CITY, "Berlin" },
    { BCS_FILTER_FIELD_COUNTY, "BE" },
    { BCS_FILTER_FIELD_POST_CODE, "10115" },
    { BCS_FILTER_FIELD_COUNTRY, "DE" },
    { BCS_FILTER_FIELD_EMAIL, "*@contoso.com" },
    { BCS_FILTER_FIELD_NUMBER, "CT000042" },
  };

  g_assert_cmpuint (G_N_ELEMENTS (rows), ==, BCS_N_FILTER_FIELDS);

  contact->type = BCS_CONTACT_TYPE_PERSON;
  bcs_contact_set_value (&contact->bc_number, "CT000042");
  bcs_contact_set_value (&contact->company_number, "CT000001");
  bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, "Anna Berg");
  bcs_contact_set_field (contact, BCS_FIELD_COMPANY_NAME, "Contoso Ltd.");
  bcs_contact_set_field (contact, BCS_FIELD_CITY, "Berlin");
  bcs_contact_set_field (contact, BCS_FIELD_STATE, "BE");
  bcs_contact_set_field (contact, BCS_FIELD_POSTAL_CODE, "10115");
  bcs_contact_set_field (contact, BCS_FIELD_COUNTRY, "DE");
  bcs_contact_set_field (contact, BCS_FIELD_EMAIL, "anna@contoso.com");

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(BcsBcFilter) yes = bcs_bc_filter_parse (rows[i].field, rows[i].filter, NULL, NULL);
      g_autoptr(BcsBcFilter) no = bcs_bc_filter_parse (rows[i].field, "<>''&Zz*", NULL, NULL);
      const char *id = bcs_filter_field_to_string (rows[i].field);

      g_assert_true (bcs_bc_filter_matches (yes, contact));
      g_assert_false (bcs_bc_filter_matches (no, contact));
      g_assert_cmpint (bcs_bc_filter_get_field (yes), ==, rows[i].field);
      g_assert_cmpstr (bcs_bc_filter_get_text (yes), ==, rows[i].filter);
      g_assert_cmpint (bcs_filter_field_from_string (id), ==, rows[i].field);
      g_assert_nonnull (bcs_filter_field_get_label (rows[i].field));
      g_assert_nonnull (bcs_filter_field_get_odata_name (rows[i].field));
    }

  g_assert_cmpint (bcs_filter_field_from_string ("postCode"), ==, BCS_FILTER_FIELD_POST_CODE);
  g_assert_cmpint (bcs_filter_field_from_string ("postalCode"), ==, BCS_FILTER_FIELD_POST_CODE);
  g_assert_cmpint (bcs_filter_field_from_string ("post-code"), ==, BCS_FILTER_FIELD_POST_CODE);
  g_assert_cmpint (bcs_filter_field_from_string ("companyName"), ==, BCS_FILTER_FIELD_COMPANY_NAME);
  g_assert_cmpint (bcs_filter_field_from_string ("state"), ==, BCS_FILTER_FIELD_COUNTY);
  g_assert_cmpint (bcs_filter_field_from_string ("displayName"), ==, BCS_FILTER_FIELD_NAME);
  g_assert_cmpint (bcs_filter_field_from_string ("EMAIL"), ==, BCS_FILTER_FIELD_EMAIL);
  g_assert_cmpint (bcs_filter_field_from_string ("zip"), ==, -1);
  g_assert_cmpstr (bcs_filter_field_get_odata_name (BCS_FILTER_FIELD_COUNTY), ==, "state");
}

static void
test_filter_odata (void)
{
  static const struct {
    BcsFilterField  field;
    const char     *filter;
    const char     *odata;
    gboolean        exact;
  } rows[] = {
    { N, "Anna", "displayName eq 'Anna'", TRUE },
    { N, "=Anna Berg", "displayName eq 'Anna Berg'", TRUE },
    { N, "'O''Brien'", "displayName eq 'O''Brien'", TRUE },
    { N, "<>Anna", "displayName ne 'Anna'", TRUE },
    { N, "<B", "displayName lt 'B'", TRUE },
    { N, "<=B", "displayName le 'B'", TRUE },
    { N, ">B", "displayName gt 'B'", TRUE },
    { N, ">=B", "displayName ge 'B'", TRUE },
    { N, "A..C", "(displayName ge 'A' and displayName le 'C')", TRUE },
    { N, "..C", "displayName le 'C'", TRUE },
    { N, "A..", "displayName ge 'A'", TRUE },
    { N, "Jo*", "startswith(displayName,'Jo')", TRUE },
    { N, "Jo**", "startswith(displayName,'Jo')", TRUE },
    { N, "*ar*", "contains(displayName,'ar')", TRUE },
    { N, "'D''Ar'*", "startswith(displayName,'D''Ar')", TRUE },
    { N, "''", "displayName eq ''", TRUE },
    { N, "<>''", "displayName ne ''", TRUE },
    { N, "'*'", "displayName eq '*'", TRUE },
    { N, "Anna|Bob", "(displayName eq 'Anna' or displayName eq 'Bob')", TRUE },
    { N, "A*&<>Anna", "(startswith(displayName,'A') and displayName ne 'Anna')", TRUE },
    { N, "*", NULL, TRUE },
    { N, "Anna|*", NULL, TRUE },
    /* not translatable: left out, evaluated locally */
    { N, "*son", NULL, FALSE },
    { N, "@anna", NULL, FALSE },
    { N, "<>Jo*", NULL, FALSE },
    { N, "Anna|*son", NULL, FALSE },
    /* widened to a prefix: a superset, evaluated locally too */
    { N, "J?hn", "startswith(displayName,'J')", FALSE },
    { N, "A*B", "startswith(displayName,'A')", FALSE },
    { N, "?nna", NULL, FALSE },
    { N, "A*&*son", "startswith(displayName,'A')", FALSE },
    { N, "A*|B*&*z", "(startswith(displayName,'A') or startswith(displayName,'B'))", FALSE },
    { N, "@anna|Bob", NULL, FALSE },
    { BCS_FILTER_FIELD_COUNTRY, "de|at", "(country eq 'DE' or country eq 'AT')", TRUE },
    { BCS_FILTER_FIELD_POST_CODE, "sw1a*", "startswith(postalCode,'SW1A')", TRUE },
    { BCS_FILTER_FIELD_TYPE, "person", "type eq 'Person'", TRUE },
    { BCS_FILTER_FIELD_TYPE, "@person", "type eq 'Person'", TRUE },
    { BCS_FILTER_FIELD_TYPE, "<>Company", "type ne 'Company'", TRUE },
    { BCS_FILTER_FIELD_TYPE, "P*", NULL, FALSE },              /* enum: eq/ne only */
    { BCS_FILTER_FIELD_TYPE, "Company..Person", NULL, FALSE },
    { BCS_FILTER_FIELD_COUNTRY, "@de", "country eq 'DE'", TRUE }, /* codes are upper case */
    { BCS_FILTER_FIELD_NUMBER, "ct1..ct5", "(number ge 'CT1' and number le 'CT5')", TRUE },
    { BCS_FILTER_FIELD_COUNTY, "BY", "state eq 'BY'", TRUE },
    { BCS_FILTER_FIELD_EMAIL, "*@contoso.com", NULL, FALSE },
    { BCS_FILTER_FIELD_EMAIL, "*@contoso.com*", "contains(email,'@contoso.com')", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BcsBcFilter) filter = bcs_bc_filter_parse (rows[i].field, rows[i].filter, NULL, &error);
      g_autofree char *odata = NULL;
      gboolean exact = !rows[i].exact;

      g_assert_no_error (error);
      odata = bcs_bc_filter_to_odata (filter, &exact);
      g_test_message ("“%s” → %s", rows[i].filter, odata);
      g_assert_cmpstr (odata, ==, rows[i].odata);
      g_assert_cmpint (exact, ==, rows[i].exact);
    }
}

static void
test_contact_filter_combined (void)
{
  g_autoptr(BcsContactFilter) filter = bcs_contact_filter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsContact) anna = bcs_contact_new ();
  g_autoptr(BcsContact) bob = NULL;
  g_autofree char *odata = NULL;
  g_autofree char *odata2 = NULL;
  gboolean exact = FALSE;

  g_assert_true (bcs_contact_filter_is_empty (filter));
  odata = bcs_contact_filter_to_odata (filter, &exact);
  g_assert_null (odata);
  g_assert_true (exact);

  g_assert_true (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_NAME, "A*", NULL, &error));
  g_assert_true (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_CITY, "Berlin|M\u00fcnchen", NULL, &error));
  g_assert_true (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_TYPE, "Person", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (bcs_contact_filter_is_empty (filter));

  g_clear_pointer (&odata, g_free);
  odata = bcs_contact_filter_to_odata (filter, &exact);
  g_assert_cmpstr (odata, ==,
                   "startswith(displayName,'A') and type eq 'Person' and "
                   "(city eq 'Berlin' or city eq 'M\u00fcnchen')");
  g_assert_true (exact);

  /* one field that cannot be translated: the rest still goes to the server */
  g_assert_true (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_EMAIL, "@*@CONTOSO.COM", NULL, &error));
  odata2 = bcs_contact_filter_to_odata (filter, &exact);
  g_assert_cmpstr (odata2, ==, odata);
  g_assert_false (exact);

  anna->type = BCS_CONTACT_TYPE_PERSON;
  bcs_contact_set_field (anna, BCS_FIELD_DISPLAY_NAME, "Anna Berg");
  bcs_contact_set_field (anna, BCS_FIELD_CITY, "M\u00fcnchen");
  bcs_contact_set_field (anna, BCS_FIELD_EMAIL, "anna@contoso.com");
  g_assert_true (bcs_contact_filter_matches (filter, anna));

  bob = bcs_contact_copy (anna);
  bcs_contact_set_field (bob, BCS_FIELD_EMAIL, "anna@fabrikam.com");
  g_assert_false (bcs_contact_filter_matches (filter, bob));
  bcs_contact_set_field (bob, BCS_FIELD_EMAIL, "anna@contoso.com");
  bob->type = BCS_CONTACT_TYPE_COMPANY;
  g_assert_false (bcs_contact_filter_matches (filter, bob));
  bob->type = BCS_CONTACT_TYPE_PERSON;
  bcs_contact_set_field (bob, BCS_FIELD_CITY, "Hamburg");
  g_assert_false (bcs_contact_filter_matches (filter, bob));

  /* clearing a field's filter */
  g_assert_true (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_CITY, "", NULL, &error));
  g_assert_null (bcs_contact_filter_get (filter, BCS_FILTER_FIELD_CITY));
  g_assert_true (bcs_contact_filter_matches (filter, bob));
}

static void
test_contact_filter_check (void)
{
  g_autoptr(BcsContactFilter) filter = bcs_contact_filter_new ();
  g_autoptr(BcsContact) contact = bcs_contact_new ();
  g_autofree char *message = NULL;

  contact->type = BCS_CONTACT_TYPE_PERSON;
  bcs_contact_set_field (contact, BCS_FIELD_CITY, "Hamburg");
  bcs_contact_set_field (contact, BCS_FIELD_COUNTRY, "DE");

  g_assert_cmpint (bcs_contact_filter_check (filter, contact, &message), ==, BCS_SKIP_NONE);
  g_assert_null (message);

  g_assert_true (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_COUNTRY, "DE|AT", NULL, NULL));
  g_assert_true (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_CITY, "Berlin|Wien", NULL, NULL));
  g_assert_cmpint (bcs_contact_filter_check (filter, contact, &message), ==, BCS_SKIP_OUTSIDE_FILTER);
  g_assert_cmpstr (message, ==, "Outside the contact filter (City: “Berlin|Wien”)");
  g_assert_cmpstr (bcs_skip_reason_to_string (BCS_SKIP_OUTSIDE_FILTER), ==, "outside-filter");
  g_clear_pointer (&message, g_free);

  bcs_contact_set_field (contact, BCS_FIELD_CITY, "Wien");
  g_assert_cmpint (bcs_contact_filter_check (filter, contact, &message), ==, BCS_SKIP_NONE);
  g_assert_null (message);
  g_assert_cmpint (bcs_contact_filter_check (filter, contact, NULL), ==, BCS_SKIP_NONE);
}

static void
test_contact_filter_settings (void)
{
  g_autoptr(GVariant) settings = g_variant_ref_sink (g_variant_new_parsed (
    "{'name': 'A*', 'companyName': '@*gmbh*', 'city': 'London|Paris', 'postalCode': ''}"));
  g_autoptr(GVariant) stored = NULL;
  g_autoptr(GVariant) bad_key = g_variant_ref_sink (g_variant_new_parsed ("{'zip': '80*'}"));
  g_autoptr(GVariant) bad_text = g_variant_ref_sink (g_variant_new_parsed ("{'name': 'A', 'city': 'London||Paris'}"));
  g_autoptr(BcsContactFilter) filter = NULL;
  g_autoptr(BcsContactFilter) none = NULL;
  g_autoptr(GError) error = NULL;
  int field = 42, position = 42;

  filter = bcs_contact_filter_new_from_variant (settings, &field, &position, &error);
  g_assert_no_error (error);
  g_assert_cmpint (field, ==, -1);
  g_assert_cmpint (position, ==, -1);
  g_assert_cmpstr (bcs_bc_filter_get_text (bcs_contact_filter_get (filter, BCS_FILTER_FIELD_COMPANY_NAME)), ==, "@*gmbh*");
  g_assert_null (bcs_contact_filter_get (filter, BCS_FILTER_FIELD_POST_CODE));  /* blank: no filter */

  stored = g_variant_ref_sink (bcs_contact_filter_to_variant (filter));
  g_assert_cmpstr (g_variant_get_type_string (stored), ==, "a{ss}");
  g_assert_cmpuint (g_variant_n_children (stored), ==, 3);
  {
    const char *text = NULL;

    g_assert_true (g_variant_lookup (stored, "companyName", "&s", &text));
    g_assert_cmpstr (text, ==, "@*gmbh*");
    g_assert_true (g_variant_lookup (stored, "city", "&s", &text));
    g_assert_cmpstr (text, ==, "London|Paris");
    g_assert_true (g_variant_lookup (stored, "name", "&s", &text));
    g_assert_cmpstr (text, ==, "A*");
  }

  none = bcs_contact_filter_new_from_variant (bad_key, &field, &position, &error);
  g_assert_null (none);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“zip”"));
  g_assert_cmpint (field, ==, -1);
  g_clear_error (&error);

  none = bcs_contact_filter_new_from_variant (bad_text, &field, &position, &error);
  g_assert_null (none);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_cmpint (field, ==, BCS_FILTER_FIELD_CITY);
  g_assert_cmpint (position, ==, 7);
  g_assert_cmpstr (error->message, ==,
                   "Filter on City: Unexpected “|” at position 8 in “London||Paris”: "
                   "a value is missing between the two “|”.");
}

static void
test_contact_filter_error_keeps_old (void)
{
  g_autoptr(BcsContactFilter) filter = bcs_contact_filter_new ();
  g_autoptr(GError) error = NULL;
  int position = -1;

  g_assert_true (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_CITY, "Berlin", NULL, NULL));
  g_assert_false (bcs_contact_filter_set (filter, BCS_FILTER_FIELD_CITY, "Berlin||Wien", &position, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
  g_assert_cmpint (position, ==, 7);
  g_assert_cmpstr (bcs_bc_filter_get_text (bcs_contact_filter_get (filter, BCS_FILTER_FIELD_CITY)), ==, "Berlin");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bc-filter/plain-values", test_filter_plain_values);
  g_test_add_func ("/bc-filter/or-and-precedence", test_filter_or_and);
  g_test_add_func ("/bc-filter/ranges", test_filter_ranges);
  g_test_add_func ("/bc-filter/wildcards", test_filter_wildcards);
  g_test_add_func ("/bc-filter/comparisons", test_filter_comparisons);
  g_test_add_func ("/bc-filter/case-insensitive", test_filter_case_insensitive);
  g_test_add_func ("/bc-filter/empty-value", test_filter_empty_value);
  g_test_add_func ("/bc-filter/quoting", test_filter_quoting);
  g_test_add_func ("/bc-filter/code-fields", test_filter_code_fields);
  g_test_add_func ("/bc-filter/blank", test_filter_blank);
  g_test_add_func ("/bc-filter/errors", test_filter_errors);
  g_test_add_func ("/bc-filter/invalid-utf8", test_filter_invalid_utf8);
  g_test_add_func ("/bc-filter/contact-fields", test_filter_contact_fields);
  g_test_add_func ("/bc-filter/odata", test_filter_odata);
  g_test_add_func ("/bc-filter/contact-filter/combined", test_contact_filter_combined);
  g_test_add_func ("/bc-filter/contact-filter/check", test_contact_filter_check);
  g_test_add_func ("/bc-filter/contact-filter/settings", test_contact_filter_settings);
  g_test_add_func ("/bc-filter/contact-filter/error-keeps-old", test_contact_filter_error_keeps_old);

  return g_test_run ();
}
