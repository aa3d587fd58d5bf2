/* bcs-bc-filter-eval.c — Business Central filters: local evaluation, OData
 * translation, and the set of filters of Contact Sync. Setup */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bcs-bc-filter-private.h"
#include "bcs-error.h"

/* ------------------------------------------------------------------------ */
/* Local evaluation                                                         */

/* The form both sides are compared in (see the header's rules) */
static char *
comparable (BcsFilterField  field,
            const char     *value,
            gboolean        ignore_case)
{
  if (value == NULL)
    value = "";

  if (bcs_filter_field_is_code (field) || field == BCS_FILTER_FIELD_TYPE)
    return g_utf8_strup (value, -1);
  if (ignore_case)
    return g_utf8_casefold (value, -1);

  return g_strdup (value);
}

/* Glob matching over characters: STAR any run, QUESTION one character */
static gboolean
glob_match (const char *pattern,
            const char *value)
{
  g_autofree gunichar *p = g_utf8_to_ucs4_fast (pattern, -1, NULL);
  g_autofree gunichar *v = g_utf8_to_ucs4_fast (value, -1, NULL);
  gsize pi = 0, vi = 0;
  gssize star = -1;
  gsize star_v = 0;

  while (v[vi] != 0)
    {
      if (p[pi] != 0 && (p[pi] == BCS_FILTER_QUESTION || p[pi] == v[vi]))
        {
          pi++;
          vi++;
        }
      else if (p[pi] == BCS_FILTER_STAR)
        {
          star = pi++;
          star_v = vi;
        }
      else if (star >= 0)
        {
          pi = star + 1;
          vi = ++star_v;
        }
      else
        return FALSE;
    }

  while (p[pi] == BCS_FILTER_STAR)
    pi++;

  return p[pi] == 0;
}

static gboolean
leaf_matches (BcsFilterField       field,
              const BcsFilterNode *leaf,
              const char          *value)
{
  g_autofree char *v = comparable (field, value, leaf->ignore_case);
  g_autofree char *a = leaf->value != NULL ? comparable (field, leaf->value, leaf->ignore_case) : NULL;
  g_autofree char *b = leaf->high != NULL ? comparable (field, leaf->high, leaf->ignore_case) : NULL;

  switch (leaf->op)
    {
    case BCS_FILTER_OP_EQ:
      return leaf->pattern ? glob_match (a, v) : strcmp (v, a) == 0;
    case BCS_FILTER_OP_NE:
      return leaf->pattern ? !glob_match (a, v) : strcmp (v, a) != 0;
    case BCS_FILTER_OP_LT:
      return strcmp (v, a) < 0;
    case BCS_FILTER_OP_LE:
      return strcmp (v, a) <= 0;
    case BCS_FILTER_OP_GT:
      return strcmp (v, a) > 0;
    case BCS_FILTER_OP_GE:
      return strcmp (v, a) >= 0;
    case BCS_FILTER_OP_RANGE:
      return (a == NULL || strcmp (v, a) >= 0) && (b == NULL || strcmp (v, b) <= 0);
    default:
      g_return_val_if_reached (FALSE);
    }
}

static gboolean
node_matches (BcsFilterField       field,
              const BcsFilterNode *node,
              const char          *value)
{
  switch (node->kind)
    {
    case BCS_FILTER_NODE_OR:
      for (guint i = 0; i < node->children->len; i++)
        if (node_matches (field, g_ptr_array_index (node->children, i), value))
          return TRUE;
      return FALSE;

    case BCS_FILTER_NODE_AND:
      for (guint i = 0; i < node->children->len; i++)
        if (!node_matches (field, g_ptr_array_index (node->children, i), value))
          return FALSE;
      return TRUE;

    case BCS_FILTER_NODE_LEAF:
      return leaf_matches (field, node, value);

    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
bcs_bc_filter_matches_value (const BcsBcFilter *filter,
                             const char        *value)
{
  g_return_val_if_fail (filter != NULL, FALSE);

  if (filter->root == NULL)
    return TRUE;

  return node_matches (filter->field, filter->root, value);
}

gboolean
bcs_bc_filter_matches (const BcsBcFilter *filter,
                       const BcsContact  *contact)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (contact != NULL, FALSE);

  return bcs_bc_filter_matches_value (filter,
                                      bcs_filter_field_get_value (filter->field, contact));
}

/* ------------------------------------------------------------------------ */
/* OData translation. Each node gives an expression (NULL: no restriction)
 * and whether it is exact; an inexact one is a superset of the filter, which
 * stays a superset under "and" and "or" (negation only occurs in leaves). */

static char *
quote (BcsFilterField  field,
       const char     *value)
{
  g_autofree char *upper = bcs_filter_field_is_code (field) ? g_utf8_strup (value, -1) : NULL;
  g_autoptr(GString) out = g_string_new (upper != NULL ? upper : value);

  g_string_replace (out, "'", "''", 0);
  g_string_prepend_c (out, '\'');
  g_string_append_c (out, '\'');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
pattern_to_odata (const char          *name,
                  BcsFilterField       field,
                  const BcsFilterNode *leaf,
                  gboolean            *exact)
{
  g_auto(GStrv) parts = g_strsplit (leaf->value, BCS_FILTER_STAR_UTF8, -1);
  g_autoptr(GPtrArray) segments = g_ptr_array_new ();
  gboolean leading_star = parts[0][0] == '\0';
  gboolean trailing_star;
  const char *question = strstr (leaf->value, BCS_FILTER_QUESTION_UTF8);
  g_autofree char *prefix = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (segments, parts[i]);
  trailing_star = parts[g_strv_length (parts) - 1][0] == '\0';

  *exact = FALSE;
  if (question == NULL)
    {
      if (segments->len == 0)
        {
          *exact = TRUE;  /* "*": anything, even empty */
          return NULL;
        }
      if (segments->len == 1 && trailing_star)
        {
          g_autofree char *literal = quote (field, g_ptr_array_index (segments, 0));

          *exact = TRUE;
          return g_strdup_printf (leading_star ? "contains(%s,%s)" : "startswith(%s,%s)",
                                  name, literal);
        }
    }

  /* Widen to the literal prefix, if the pattern starts with one */
  prefix = g_strndup (leaf->value, strcspn (leaf->value, "\xee"));
  if (*prefix != '\0')
    {
      g_autofree char *literal = quote (field, prefix);

      return g_strdup_printf ("startswith(%s,%s)", name, literal);
    }

  return NULL;
}

static char *
leaf_to_odata (BcsFilterField       field,
               const BcsFilterNode *leaf,
               gboolean            *exact)
{
  static const char * const ops[] = {
    [BCS_FILTER_OP_EQ] = "eq", [BCS_FILTER_OP_NE] = "ne",
    [BCS_FILTER_OP_LT] = "lt", [BCS_FILTER_OP_LE] = "le",
    [BCS_FILTER_OP_GT] = "gt", [BCS_FILTER_OP_GE] = "ge",
  };
  const char *name = bcs_filter_field_get_odata_name (field);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  *exact = FALSE;
  /* The type is an enum: Business Central filters it with eq and ne only
   * (its values are canonical after parsing, so "@" does not matter) */
  if (field == BCS_FILTER_FIELD_TYPE &&
      (leaf->pattern || (leaf->op != BCS_FILTER_OP_EQ && leaf->op != BCS_FILTER_OP_NE)))
    return NULL;

  /* Business Central's API has no tolower(); code fields compare upper case
   * anyway */
  if (leaf->ignore_case && !bcs_filter_field_is_code (field) && field != BCS_FILTER_FIELD_TYPE)
    return NULL;

  if (leaf->pattern)
    {
      if (leaf->op == BCS_FILTER_OP_NE)
        return NULL;
      return pattern_to_odata (name, field, leaf, exact);
    }

  *exact = TRUE;
  if (leaf->op != BCS_FILTER_OP_RANGE)
    {
      a = quote (field, leaf->value);
      return g_strdup_printf ("%s %s %s", name, ops[leaf->op], a);
    }

  if (leaf->value != NULL)
    a = quote (field, leaf->value);
  if (leaf->high != NULL)
    b = quote (field, leaf->high);

  if (a != NULL && b != NULL)
    return g_strdup_printf ("(%s ge %s and %s le %s)", name, a, name, b);
  if (a != NULL)
    return g_strdup_printf ("%s ge %s", name, a);

  return g_strdup_printf ("%s le %s", name, b);
}

static char *
node_to_odata (BcsFilterField       field,
               const BcsFilterNode *node,
               gboolean            *exact)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *joined = NULL;
  gboolean all_exact = TRUE;

  if (node->kind == BCS_FILTER_NODE_LEAF)
    return leaf_to_odata (field, node, exact);

  parts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < node->children->len; i++)
    {
      gboolean child_exact;
      char *child = node_to_odata (field, g_ptr_array_index (node->children, i), &child_exact);

      all_exact &= child_exact;
      if (child != NULL)
        {
          g_ptr_array_add (parts, child);
          continue;
        }

      if (node->kind == BCS_FILTER_NODE_OR)
        {
          /* one side without restriction: so is the whole "or" */
          *exact = child_exact;
          return NULL;
        }
    }

  *exact = all_exact;
  if (parts->len == 0)
    return NULL;
  if (parts->len == 1)
    return g_strdup (g_ptr_array_index (parts, 0));

  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (node->kind == BCS_FILTER_NODE_OR ? " or " : " and ",
                       (char **) parts->pdata);

  return g_strdup_printf ("(%s)", joined);
}

char *
bcs_bc_filter_to_odata (const BcsBcFilter *filter,
                        gboolean          *exact)
{
  gboolean is_exact = TRUE;
  char *result = NULL;

  g_return_val_if_fail (filter != NULL, NULL);

  if (filter->root != NULL)
    result = node_to_odata (filter->field, filter->root, &is_exact);

  if (exact != NULL)
    *exact = is_exact;

  return result;
}

/* ------------------------------------------------------------------------ */
/* All fields                                                               */

struct _BcsContactFilter
{
  BcsBcFilter *filters[BCS_N_FILTER_FIELDS];
};

BcsContactFilter *
bcs_contact_filter_new (void)
{
  return g_new0 (BcsContactFilter, 1);
}

void
bcs_contact_filter_free (BcsContactFilter *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    bcs_bc_filter_free (self->filters[i]);
  g_free (self);
}

gboolean
bcs_contact_filter_set (BcsContactFilter  *self,
                        BcsFilterField     field,
                        const char        *text,
                        int               *error_position,
                        GError           **error)
{
  BcsBcFilter *filter;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (field < BCS_N_FILTER_FIELDS, FALSE);

  filter = bcs_bc_filter_parse (field, text, error_position, error);
  if (filter == NULL)
    return FALSE;

  g_clear_pointer (&self->filters[field], bcs_bc_filter_free);
  if (bcs_bc_filter_is_empty (filter))
    bcs_bc_filter_free (filter);
  else
    self->filters[field] = filter;

  return TRUE;
}

const BcsBcFilter *
bcs_contact_filter_get (const BcsContactFilter *self,
                        BcsFilterField          field)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (field < BCS_N_FILTER_FIELDS, NULL);

  return self->filters[field];
}

gboolean
bcs_contact_filter_is_empty (const BcsContactFilter *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    if (self->filters[i] != NULL)
      return FALSE;

  return TRUE;
}

gboolean
bcs_contact_filter_matches (const BcsContactFilter *self,
                            const BcsContact       *contact)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (contact != NULL, FALSE);

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    if (self->filters[i] != NULL && !bcs_bc_filter_matches (self->filters[i], contact))
      return FALSE;

  return TRUE;
}

BcsContactFilter *
bcs_contact_filter_new_from_variant (GVariant  *settings,
                                     int       *error_field,
                                     int       *error_position,
                                     GError   **error)
{
  g_autoptr(BcsContactFilter) self = bcs_contact_filter_new ();
  GVariantIter iter;
  const char *key;
  const char *text;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (g_variant_is_of_type (settings, G_VARIANT_TYPE ("a{ss}")), NULL);

  if (error_field != NULL)
    *error_field = -1;
  if (error_position != NULL)
    *error_position = -1;

  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &text))
    {
      int field = bcs_filter_field_from_string (key);
      g_autoptr(GError) local_error = NULL;

      if (field < 0)
        {
          g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                       /* Translators: %s is a key of the filter setting */
                       _("The contact filter names an unknown field “%s”."), key);
          return NULL;
        }

      if (!bcs_contact_filter_set (self, field, text, error_position, &local_error))
        {
          if (error_field != NULL)
            *error_field = field;
          g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                       /* Translators: "Filter on City: Unexpected “|” at position 3 …" */
                       _("Filter on %s: %s"), bcs_filter_field_get_label (field),
                       local_error->message);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

GVariant *
bcs_contact_filter_to_variant (const BcsContactFilter *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    if (self->filters[i] != NULL)
      g_variant_builder_add (&builder, "{ss}", bcs_filter_field_to_string (i),
                             bcs_bc_filter_get_text (self->filters[i]));

  return g_variant_builder_end (&builder);
}

BcsSkipReason
bcs_contact_filter_check (const BcsContactFilter  *self,
                          const BcsContact        *contact,
                          char                   **message)
{
  g_return_val_if_fail (self != NULL, BCS_SKIP_NONE);
  g_return_val_if_fail (contact != NULL, BCS_SKIP_NONE);

  if (message != NULL)
    *message = NULL;

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    {
      if (self->filters[i] == NULL || bcs_bc_filter_matches (self->filters[i], contact))
        continue;

      if (message != NULL)
        /* Translators: "Outside the contact filter (City: “Berlin|Wien”)" */
        *message = g_strdup_printf (_("Outside the contact filter (%s: “%s”)"),
                                    bcs_filter_field_get_label (i),
                                    bcs_bc_filter_get_text (self->filters[i]));
      return BCS_SKIP_OUTSIDE_FILTER;
    }

  return BCS_SKIP_NONE;
}

char *
bcs_contact_filter_to_odata (const BcsContactFilter *self,
                             gboolean               *exact)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  gboolean all_exact = TRUE;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    {
      gboolean field_exact = TRUE;
      char *part;

      if (self->filters[i] == NULL)
        continue;

      part = bcs_bc_filter_to_odata (self->filters[i], &field_exact);
      all_exact &= field_exact;
      if (part != NULL)
        g_ptr_array_add (parts, part);
    }

  if (exact != NULL)
    *exact = all_exact;

  if (parts->len == 0)
    return NULL;

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" and ", (char **) parts->pdata);
}
