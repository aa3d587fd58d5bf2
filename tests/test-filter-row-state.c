/* test-filter-row-state.c — what a filter row shows for an expression, without a display */
#include "config.h"

#include <string.h>

#include "bcs-filter-row-state.h"

typedef struct {
  BcsFilterField  field;
  const char     *text;
  gboolean        valid;
  gboolean        empty;
  int             offset;        /* character offset of the error, -1 when valid */
  int             start_index;   /* byte range marked as wrong */
  int             end_index;
  const char     *message;       /* NULL when valid */
} StateRow;

#define N BCS_FILTER_FIELD_NAME
#define T BCS_FILTER_FIELD_TYPE
#define C BCS_FILTER_FIELD_CITY

static void
check_rows (const StateRow *rows,
            gsize           n_rows)
{
  for (gsize i = 0; i < n_rows; i++)
    {
      g_autoptr (BcsFilterRowState) state = bcs_filter_row_state_new (rows[i].field, rows[i].text);

      g_test_message ("“%s” on %s", rows[i].text ? rows[i].text : "(null)",
                      bcs_filter_field_to_string (rows[i].field));
      g_assert_nonnull (state);
      g_assert_cmpint (state->valid, ==, rows[i].valid);
      g_assert_cmpint (state->empty, ==, rows[i].empty);
      g_assert_cmpint (state->error_offset, ==, rows[i].offset);
      g_assert_cmpint (state->error_start_index, ==, rows[i].start_index);
      g_assert_cmpint (state->error_end_index, ==, rows[i].end_index);
      g_assert_cmpstr (state->message, ==, rows[i].message);
      g_assert_nonnull (state->tooltip);

      if (rows[i].valid)
        {
          g_assert_null (state->css_class);
          /* the tooltip teaches by example */
          g_assert_nonnull (strstr (state->tooltip,
                                    bcs_filter_row_state_get_example (rows[i].field)));
        }
      else
        {
          g_autofree char *expected = g_strdup_printf ("Not saved: %s", rows[i].message);

          g_assert_cmpstr (state->css_class, ==, "error");
          g_assert_cmpstr (state->tooltip, ==, expected);
        }
    }
}

static void
test_state_valid (void)
{
  static const StateRow rows[] = {
    { N, "Anna", TRUE, FALSE, -1, -1, -1, NULL },
    { N, "A*|B*", TRUE, FALSE, -1, -1, -1, NULL },
    { N, "@*gmbh*", TRUE, FALSE, -1, -1, -1, NULL },
    { N, "<>''", TRUE, FALSE, -1, -1, -1, NULL },
    { N, "1000..1999", TRUE, FALSE, -1, -1, -1, NULL },
    { N, "(A|B)&C*", TRUE, FALSE, -1, -1, -1, NULL },
    { N, "'A&B Co'", TRUE, FALSE, -1, -1, -1, NULL },
    { C, "New York", TRUE, FALSE, -1, -1, -1, NULL },
    { T, "person", TRUE, FALSE, -1, -1, -1, NULL },
  };

  check_rows (rows, G_N_ELEMENTS (rows));
}

static void
test_state_empty (void)
{
  static const StateRow rows[] = {
    { N, "", TRUE, TRUE, -1, -1, -1, NULL },
    { N, NULL, TRUE, TRUE, -1, -1, -1, NULL },
    { C, "   ", TRUE, TRUE, -1, -1, -1, NULL },
    { T, "", TRUE, TRUE, -1, -1, -1, NULL },
  };
  g_autoptr (BcsFilterRowState) empty = bcs_filter_row_state_new (C, "");
  g_autoptr (BcsFilterRowState) full = bcs_filter_row_state_new (C, "Berlin");

  check_rows (rows, G_N_ELEMENTS (rows));

  /* an empty row says that any value passes */
  g_assert_cmpstr (empty->tooltip, ==, "Empty: any value passes. For example: Berlin|Hamburg");
  g_assert_cmpstr (full->tooltip, ==, "For example: Berlin|Hamburg");
}

/* One row per kind of syntax error: the parser's message, the offset (from 0)
 * and the byte range of the character to underline */
static void
test_state_errors (void)
{
  static const StateRow rows[] = {
    { N, "A||B", FALSE, FALSE, 2, 2, 3,
      "Unexpected “|” at position 3 in “A||B”: a value is missing between the two “|”." },
    { N, "A&|B", FALSE, FALSE, 2, 2, 3,
      "Unexpected “|” at position 3 in “A&|B”: a value is missing between “&” and “|”." },
    { N, "|A", FALSE, FALSE, 0, 0, 1,
      "Unexpected “|” at position 1 in “|A”: a value is missing before it." },
    { N, "'abc", FALSE, FALSE, 0, 0, 1,
      "The quote at position 1 in “'abc” is not closed." },
    { N, "(A|B", FALSE, FALSE, 0, 0, 1,
      "The “(” at position 1 in “(A|B” is not closed." },
    { N, "A)", FALSE, FALSE, 1, 1, 2,
      "Unexpected “)” at position 2 in “A)”: there is no “(” before it." },
    { N, "()", FALSE, FALSE, 1, 1, 2,
      "Unexpected “)” at position 2 in “()”: the parentheses are empty." },
    { N, "..", FALSE, FALSE, 0, 0, 1,
      "The range “..” at position 1 in “..” needs a value on at least one side." },
    { N, "A..B..C", FALSE, FALSE, 4, 4, 5,
      "Unexpected “..” at position 5 in “A..B..C”: a range has only two ends." },
    { N, "(A)B", FALSE, FALSE, 3, 3, 4,
      "Unexpected “B” at position 4 in “(A)B”: use “|” or “&” between values." },
    { T, "Persn", FALSE, FALSE, 0, 0, 1,
      "“Persn” at position 1 is not a contact type: use Person or Company." },
  };

  check_rows (rows, G_N_ELEMENTS (rows));
}

/* An error after the last character marks the last one; the message names
 * the end */
static void
test_state_error_at_end (void)
{
  g_autoptr (BcsFilterRowState) state = bcs_filter_row_state_new (C, "Berlin|");
  g_autoptr (BcsFilterRowState) range = bcs_filter_row_state_new (C, "<>");

  g_assert_false (state->valid);
  g_assert_cmpint (state->error_offset, ==, 7);
  g_assert_cmpint (state->error_start_index, ==, 6);
  g_assert_cmpint (state->error_end_index, ==, 7);
  g_assert_cmpstr (state->message, ==, "“Berlin|” ends with “|”: a value is missing after it.");

  g_assert_false (range->valid);
  g_assert_cmpint (range->error_offset, ==, 2);
  g_assert_cmpint (range->error_start_index, ==, 1);
  g_assert_cmpint (range->error_end_index, ==, 2);
  g_assert_cmpstr (range->message, ==, "A value is missing after “<>” at position 3 in “<>”.");
}

/* Offsets count characters, the marked range bytes */
static void
test_state_error_non_ascii (void)
{
  /* "ÄÄ||B": the second "|" is character 3, bytes 5..6 */
  g_autoptr (BcsFilterRowState) state = bcs_filter_row_state_new (N, "\u00c4\u00c4||B");
  /* "Ä'" : the quote is character 1, bytes 2..3 */
  g_autoptr (BcsFilterRowState) quote = bcs_filter_row_state_new (N, "M\u00fcller|'x");

  g_assert_false (state->valid);
  g_assert_cmpint (state->error_offset, ==, 3);
  g_assert_cmpint (state->error_start_index, ==, 5);
  g_assert_cmpint (state->error_end_index, ==, 6);
  g_assert_nonnull (strstr (state->message, "at position 4 in"));

  g_assert_false (quote->valid);
  g_assert_cmpint (quote->error_offset, ==, 7);
  g_assert_cmpint (quote->error_start_index, ==, 8);
  g_assert_cmpint (quote->error_end_index, ==, 9);
}

/* Every field has a title with a mnemonic and an example that is itself a
 * valid filter on that field */
static void
test_state_examples (void)
{
  g_autoptr (GHashTable) mnemonics = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (int field = 0; field < BCS_N_FILTER_FIELDS; field++)
    {
      const char *title = bcs_filter_row_state_get_title (field);
      g_autofree char *label = bcs_filter_row_state_dup_label (field);
      const char *example = bcs_filter_row_state_get_example (field);
      g_autoptr (BcsFilterRowState) state = bcs_filter_row_state_new (field, example);
      const char *underscore = strchr (title, '_');
      gunichar key;

      g_test_message ("%s: %s", title, example);
      g_assert_true (state->valid);
      g_assert_false (state->empty);

      /* one mnemonic per row, none shared on the page */
      g_assert_nonnull (underscore);
      g_assert_null (strchr (underscore + 1, '_'));
      g_assert_null (strchr (label, '_'));
      g_assert_cmpuint (strlen (label), ==, strlen (title) - 1);
      key = g_unichar_tolower (g_utf8_get_char (underscore + 1));
      g_assert_false (g_hash_table_contains (mnemonics, GUINT_TO_POINTER (key)));
      g_hash_table_add (mnemonics, GUINT_TO_POINTER (key));
    }
}

static void
test_state_labels (void)
{
  g_autofree char *city = bcs_filter_row_state_dup_label (BCS_FILTER_FIELD_CITY);
  g_autofree char *number = bcs_filter_row_state_dup_label (BCS_FILTER_FIELD_NUMBER);
  g_autofree char *company = bcs_filter_row_state_dup_label (BCS_FILTER_FIELD_COMPANY_NUMBER);

  g_assert_cmpstr (bcs_filter_row_state_get_title (BCS_FILTER_FIELD_CITY), ==, "C_ity");
  g_assert_cmpstr (city, ==, "City");
  g_assert_cmpstr (number, ==, "No.");
  g_assert_cmpstr (company, ==, "Company No.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/filter-row-state/valid", test_state_valid);
  g_test_add_func ("/filter-row-state/empty", test_state_empty);
  g_test_add_func ("/filter-row-state/errors", test_state_errors);
  g_test_add_func ("/filter-row-state/error-at-end", test_state_error_at_end);
  g_test_add_func ("/filter-row-state/error-non-ascii", test_state_error_non_ascii);
  g_test_add_func ("/filter-row-state/examples", test_state_examples);
  g_test_add_func ("/filter-row-state/labels", test_state_labels);

  return g_test_run ();
}
