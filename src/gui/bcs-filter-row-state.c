/* bcs-filter-row-state.c — what a filter row shows for the expression typed in it */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-filter-row-state.h"

/* Business Central's captions of the contact fields, with mnemonics unique on
 * the Filters page */
static const struct {
  const char *title;
  const char *example;
} fields[BCS_N_FILTER_FIELDS] = {
  [BCS_FILTER_FIELD_NAME]           = { N_("_Name"),           "A*|B*" },
  [BCS_FILTER_FIELD_TYPE]           = { N_("_Type"),           "Person" },
  [BCS_FILTER_FIELD_COMPANY_NAME]   = { N_("_Company Name"),   "@*gmbh*" },
  [BCS_FILTER_FIELD_COMPANY_NUMBER] = { N_("Compan_y No."),    "C00010..C00090" },
  [BCS_FILTER_FIELD_CITY]           = { N_("C_ity"),           "Berlin|Hamburg" },
  [BCS_FILTER_FIELD_COUNTY]         = { N_("Co_unty"),         "<>''" },
  [BCS_FILTER_FIELD_POST_CODE]      = { N_("_Post Code"),      "1*|2*" },
  [BCS_FILTER_FIELD_COUNTRY]        = { N_("Country/_Region"), "DE|AT|CH" },
  [BCS_FILTER_FIELD_EMAIL]          = { N_("_E-mail"),         "<>''" },
  [BCS_FILTER_FIELD_NUMBER]         = { N_("N_o."),            "1000..1999" },
};

const char *
bcs_filter_row_state_get_title (BcsFilterField field)
{
  g_return_val_if_fail (field >= 0 && field < BCS_N_FILTER_FIELDS, NULL);

  return _(fields[field].title);
}

char *
bcs_filter_row_state_dup_label (BcsFilterField field)
{
  const char *title = bcs_filter_row_state_get_title (field);
  GString *label = g_string_new (NULL);

  g_return_val_if_fail (title != NULL, NULL);

  for (const char *p = title; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        g_string_append_c (label, *++p);
      else if (*p != '_')
        g_string_append_c (label, *p);
    }

  return g_string_free (label, FALSE);
}

const char *
bcs_filter_row_state_get_example (BcsFilterField field)
{
  g_return_val_if_fail (field >= 0 && field < BCS_N_FILTER_FIELDS, NULL);

  return fields[field].example;
}

BcsFilterRowState *
bcs_filter_row_state_new (BcsFilterField  field,
                          const char     *text)
{
  g_autoptr (BcsFilterRowState) state = g_new0 (BcsFilterRowState, 1);
  g_autoptr (BcsBcFilter) filter = NULL;
  g_autoptr (GError) error = NULL;
  const char *example;
  int position = -1;

  g_return_val_if_fail (field >= 0 && field < BCS_N_FILTER_FIELDS, NULL);

  if (text == NULL)
    text = "";
  example = fields[field].example;

  filter = bcs_bc_filter_parse (field, text, &position, &error);
  if (filter != NULL)
    {
      state->valid = TRUE;
      state->empty = bcs_bc_filter_is_empty (filter);
      state->error_offset = -1;
      state->error_start_index = -1;
      state->error_end_index = -1;
      /* Translators: %s is a filter expression such as “Berlin|Hamburg” */
      state->tooltip = state->empty
        ? g_strdup_printf (_("Empty: any value passes. For example: %s"), example)
        : g_strdup_printf (_("For example: %s"), example);
      return g_steal_pointer (&state);
    }

  state->valid = FALSE;
  state->message = g_strdup (error->message);
  state->css_class = "error";

  /* Mark the character at fault; past the end, the last one (a value is
   * missing after it) */
  {
    glong length = g_utf8_strlen (text, -1);
    glong at = CLAMP (position, 0, MAX (length - 1, 0));
    const char *start = g_utf8_offset_to_pointer (text, at);
    const char *end = *start != '\0' ? g_utf8_next_char (start) : start;

    state->error_offset = CLAMP (position, 0, (int) length);
    state->error_start_index = start - text;
    state->error_end_index = end - text;
  }

  /* Translators: %s says what is wrong with a filter expression */
  state->tooltip = g_strdup_printf (_("Not saved: %s"), error->message);

  return g_steal_pointer (&state);
}

void
bcs_filter_row_state_free (BcsFilterRowState *state)
{
  if (state == NULL)
    return;

  g_free (state->message);
  g_free (state->tooltip);
  g_free (state);
}
