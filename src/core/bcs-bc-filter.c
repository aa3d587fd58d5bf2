/* bcs-bc-filter.c — Business Central's filter syntax: fields and parser */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bcs-bc-filter-private.h"
#include "bcs-error.h"
#include "bcs-normalize.h"

static const struct {
  const char *id;
  const char *odata;
  const char *label;
  gboolean    code;
} fields[BCS_N_FILTER_FIELDS] = {
  [BCS_FILTER_FIELD_NAME]           = { "name",          "displayName",   N_("Name"),           FALSE },
  [BCS_FILTER_FIELD_TYPE]           = { "type",          "type",          N_("Type"),           FALSE },
  [BCS_FILTER_FIELD_COMPANY_NAME]   = { "companyName",   "companyName",   N_("Company name"),   FALSE },
  [BCS_FILTER_FIELD_COMPANY_NUMBER] = { "companyNumber", "companyNumber", N_("Company number"), TRUE },
  [BCS_FILTER_FIELD_CITY]           = { "city",          "city",          N_("City"),           FALSE },
  [BCS_FILTER_FIELD_COUNTY]         = { "county",        "state",         N_("County"),         FALSE },
  [BCS_FILTER_FIELD_POST_CODE]      = { "postCode",      "postalCode",    N_("Post code"),      TRUE },
  [BCS_FILTER_FIELD_COUNTRY]        = { "country",       "country",       N_("Country/region"), TRUE },
  [BCS_FILTER_FIELD_EMAIL]          = { "email",         "email",         N_("E-mail"),         FALSE },
  [BCS_FILTER_FIELD_NUMBER]         = { "number",        "number",        N_("Number"),         TRUE },
};

const char *
bcs_filter_field_to_string (BcsFilterField field)
{
  g_return_val_if_fail (field < BCS_N_FILTER_FIELDS, NULL);

  return fields[field].id;
}

int
bcs_filter_field_from_string (const char *id)
{
  static const struct { const char *alias; BcsFilterField field; } aliases[] = {
    { "company-name", BCS_FILTER_FIELD_COMPANY_NAME },
    { "company-number", BCS_FILTER_FIELD_COMPANY_NUMBER },
    { "post-code", BCS_FILTER_FIELD_POST_CODE },
    { "countryRegion", BCS_FILTER_FIELD_COUNTRY },
    { "e-mail", BCS_FILTER_FIELD_EMAIL },
  };

  if (id == NULL)
    return -1;

  for (guint i = 0; i < BCS_N_FILTER_FIELDS; i++)
    if (g_ascii_strcasecmp (id, fields[i].id) == 0 ||
        g_ascii_strcasecmp (id, fields[i].odata) == 0)
      return i;

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (id, aliases[i].alias) == 0)
      return aliases[i].field;

  return -1;
}

const char *
bcs_filter_field_get_odata_name (BcsFilterField field)
{
  g_return_val_if_fail (field < BCS_N_FILTER_FIELDS, NULL);

  return fields[field].odata;
}

const char *
bcs_filter_field_get_label (BcsFilterField field)
{
  g_return_val_if_fail (field < BCS_N_FILTER_FIELDS, NULL);

  return _(fields[field].label);
}

gboolean
bcs_filter_field_is_code (BcsFilterField field)
{
  g_return_val_if_fail (field < BCS_N_FILTER_FIELDS, FALSE);

  return fields[field].code;
}

const char *
bcs_filter_field_get_value (BcsFilterField    field,
                            const BcsContact *contact)
{
  g_return_val_if_fail (contact != NULL, NULL);

  switch (field)
    {
    case BCS_FILTER_FIELD_NAME:           return contact->display_name;
    case BCS_FILTER_FIELD_TYPE:           return bcs_contact_type_to_string (contact->type);
    case BCS_FILTER_FIELD_COMPANY_NAME:   return contact->company_name;
    case BCS_FILTER_FIELD_COMPANY_NUMBER: return contact->company_number;
    case BCS_FILTER_FIELD_CITY:           return contact->city;
    case BCS_FILTER_FIELD_COUNTY:         return contact->state;
    case BCS_FILTER_FIELD_POST_CODE:      return contact->postal_code;
    case BCS_FILTER_FIELD_COUNTRY:        return contact->country;
    case BCS_FILTER_FIELD_EMAIL:          return contact->email;
    case BCS_FILTER_FIELD_NUMBER:         return contact->bc_number;
    case BCS_N_FILTER_FIELDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

void
bcs_filter_node_free (BcsFilterNode *node)
{
  if (node == NULL)
    return;

  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node->value);
  g_free (node->high);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsFilterNode, bcs_filter_node_free)

/* ------------------------------------------------------------------------ */
/* Parser: recursive descent over the UTF-8 text; every special character is
 * ASCII, positions are turned into character offsets for messages. */

typedef struct {
  BcsFilterField  field;
  const char     *text;
  const char     *p;
  const char     *last_op;  /* the last "|", "&" or "(" consumed, or NULL */
  GError         *error;
  int             error_position;
} Parser;

static BcsFilterNode *parse_or (Parser *parser);

static void
fail_at (Parser     *parser,
         const char *where,
         char       *message)
{
  if (parser->error == NULL)
    {
      parser->error_position = g_utf8_pointer_to_offset (parser->text, where);
      parser->error = g_error_new_literal (BCS_ERROR, BCS_ERROR_INVALID_INPUT, message);
    }
  g_free (message);
}

static void
skip_space (Parser *parser)
{
  while (*parser->p != '\0' && g_unichar_isspace (g_utf8_get_char (parser->p)))
    parser->p = g_utf8_next_char (parser->p);
}

static int
position (Parser     *parser,
          const char *where)
{
  return (int) g_utf8_pointer_to_offset (parser->text, where) + 1;
}

/* A value is missing where the parser stands: say what came before */
static void
fail_missing_value (Parser *parser)
{
  char token[2] = { *parser->p, '\0' };

  if (*parser->p == '\0')
    {
      if (parser->last_op != NULL)
        {
          char op[2] = { *parser->last_op, '\0' };

          /* Translators: "“A|” ends with “|”: a value is missing after it." */
          fail_at (parser, parser->p,
                   g_strdup_printf (_("“%s” ends with “%s”: a value is missing after it."),
                                    parser->text, op));
        }
      else
        fail_at (parser, parser->p,
                 g_strdup_printf (_("“%s” ends where a value is expected."), parser->text));
    }
  else if (parser->last_op != NULL && *parser->last_op == *parser->p)
    fail_at (parser, parser->p,
             /* Translators: "Unexpected “|” at position 3 in “A||B”: a value
              * is missing between the two “|”." */
             g_strdup_printf (_("Unexpected “%s” at position %d in “%s”: a value is missing between the two “%s”."),
                              token, position (parser, parser->p), parser->text, token));
  else if (parser->last_op != NULL && *parser->last_op == '(' && *parser->p == ')')
    fail_at (parser, parser->p,
             g_strdup_printf (_("Unexpected “%s” at position %d in “%s”: the parentheses are empty."),
                              token, position (parser, parser->p), parser->text));
  else if (parser->last_op != NULL)
    {
      char op[2] = { *parser->last_op, '\0' };

      fail_at (parser, parser->p,
               g_strdup_printf (_("Unexpected “%s” at position %d in “%s”: a value is missing between “%s” and “%s”."),
                                token, position (parser, parser->p), parser->text, op, token));
    }
  else
    fail_at (parser, parser->p,
             g_strdup_printf (_("Unexpected “%s” at position %d in “%s”: a value is missing before it."),
                              token, position (parser, parser->p), parser->text));
}

/* Something follows a complete value that cannot */
static void
fail_unexpected (Parser *parser)
{
  char token[8] = { 0 };

  g_unichar_to_utf8 (g_utf8_get_char (parser->p), token);
  fail_at (parser, parser->p,
           g_strdup_printf (_("Unexpected “%s” at position %d in “%s”: use “|” or “&” between values."),
                            token, position (parser, parser->p), parser->text));
}

static gboolean
at_range (Parser *parser)
{
  return parser->p[0] == '.' && parser->p[1] == '.';
}

static gboolean
at_value_end (Parser *parser)
{
  return *parser->p == '\0' || strchr ("|&()", *parser->p) != NULL || at_range (parser);
}

/* Reads a value: unquoted text (wildcards active, trailing space trimmed)
 * and quoted parts ('' is a quote) in any sequence. NULL when there is
 * none; "" for ''. */
static char *
read_value (Parser *parser)
{
  g_autoptr(GString) value = g_string_new (NULL);
  gsize keep = 0;       /* length without trailing unquoted space */
  gboolean any = FALSE;

  skip_space (parser);

  while (!at_value_end (parser))
    {
      if (*parser->p == '\'')
        {
          const char *open = parser->p++;

          for (;;)
            {
              if (*parser->p == '\0')
                {
                  fail_at (parser, open,
                           g_strdup_printf (_("The quote at position %d in “%s” is not closed."),
                                            position (parser, open), parser->text));
                  return NULL;
                }
              if (parser->p[0] == '\'' && parser->p[1] == '\'')
                {
                  g_string_append_c (value, '\'');
                  parser->p += 2;
                  continue;
                }
              if (*parser->p == '\'')
                {
                  parser->p++;
                  break;
                }
              g_string_append_c (value, *parser->p++);
            }
          keep = value->len;
          any = TRUE;
          continue;
        }

      if (*parser->p == '*')
        g_string_append (value, BCS_FILTER_STAR_UTF8);
      else if (*parser->p == '?')
        g_string_append (value, BCS_FILTER_QUESTION_UTF8);
      else
        {
          const char *next = g_utf8_next_char (parser->p);
          gboolean space = g_unichar_isspace (g_utf8_get_char (parser->p));

          g_string_append_len (value, parser->p, next - parser->p);
          parser->p = next;
          if (!space)
            keep = value->len;
          any = TRUE;
          continue;
        }

      parser->p++;
      keep = value->len;
      any = TRUE;
    }

  if (!any)
    return NULL;

  g_string_truncate (value, keep);
  return g_utf8_normalize (value->str, -1, G_NORMALIZE_NFC);
}

static gboolean
has_wildcard (const char *value)
{
  return value != NULL &&
         (strstr (value, BCS_FILTER_STAR_UTF8) != NULL ||
          strstr (value, BCS_FILTER_QUESTION_UTF8) != NULL);
}

/* Wildcards count only in patterns: elsewhere they are the characters */
static char *
literal_of (const char *value)
{
  g_autoptr(GString) out = g_string_new (value);

  g_string_replace (out, BCS_FILTER_STAR_UTF8, "*", 0);
  g_string_replace (out, BCS_FILTER_QUESTION_UTF8, "?", 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
replace_literal (char **value)
{
  char *literal;

  if (*value == NULL)
    return;

  literal = literal_of (*value);
  g_free (*value);
  *value = literal;
}

static gboolean
check_type_value (Parser        *parser,
                  BcsFilterNode *leaf,
                  const char    *start)
{
  BcsContactType type;

  if (parser->field != BCS_FILTER_FIELD_TYPE || leaf->pattern ||
      leaf->value == NULL || *leaf->value == '\0' ||
      (leaf->op != BCS_FILTER_OP_EQ && leaf->op != BCS_FILTER_OP_NE))
    return TRUE;

  type = bcs_contact_type_from_string (leaf->value);
  if (type == BCS_CONTACT_TYPE_UNKNOWN)
    {
      /* Translators: the value is what the user typed */
      fail_at (parser, start,
               g_strdup_printf (_("“%s” at position %d is not a contact type: use Person or Company."),
                                leaf->value, position (parser, start)));
      return FALSE;
    }

  g_free (leaf->value);
  leaf->value = g_strdup (bcs_contact_type_to_string (type));
  return TRUE;
}

static BcsFilterNode *
parse_term (Parser *parser)
{
  g_autoptr(BcsFilterNode) leaf = g_new0 (BcsFilterNode, 1);
  const char *op_start = NULL;
  const char *term_start;
  const char *value_start;
  gboolean has_op = FALSE;

  leaf->kind = BCS_FILTER_NODE_LEAF;
  leaf->op = BCS_FILTER_OP_EQ;

  skip_space (parser);
  term_start = parser->p;
  for (;;)
    {
      static const struct { const char *text; BcsFilterOp op; } ops[] = {
        { "<>", BCS_FILTER_OP_NE }, { "<=", BCS_FILTER_OP_LE }, { ">=", BCS_FILTER_OP_GE },
        { "<", BCS_FILTER_OP_LT }, { ">", BCS_FILTER_OP_GT }, { "=", BCS_FILTER_OP_EQ },
      };
      gboolean found = FALSE;

      if (*parser->p == '@' && !leaf->ignore_case)
        {
          leaf->ignore_case = TRUE;
          parser->p++;
          skip_space (parser);
          continue;
        }

      for (guint i = 0; !has_op && i < G_N_ELEMENTS (ops); i++)
        if (g_str_has_prefix (parser->p, ops[i].text))
          {
            op_start = parser->p;
            leaf->op = ops[i].op;
            parser->p += strlen (ops[i].text);
            has_op = found = TRUE;
            skip_space (parser);
          }

      if (!found)
        break;
    }

  value_start = parser->p;
  leaf->value = read_value (parser);
  if (parser->error != NULL)
    return NULL;

  skip_space (parser);
  if (at_range (parser))
    {
      const char *range = parser->p;

      if (has_op)
        {
          g_autofree char *op = g_strndup (op_start, value_start - op_start);

          g_strstrip (op);
          fail_at (parser, range,
                   g_strdup_printf (_("Unexpected “..” at position %d in “%s”: a range cannot follow “%s”."),
                                    position (parser, range), parser->text, op));
          return NULL;
        }

      parser->p += 2;
      leaf->op = BCS_FILTER_OP_RANGE;
      leaf->high = read_value (parser);
      if (parser->error != NULL)
        return NULL;
      if (leaf->value == NULL && leaf->high == NULL)
        {
          fail_at (parser, range,
                   g_strdup_printf (_("The range “..” at position %d in “%s” needs a value on at least one side."),
                                    position (parser, range), parser->text));
          return NULL;
        }
      replace_literal (&leaf->value);
      replace_literal (&leaf->high);
      skip_space (parser);
      if (at_range (parser))
        {
          fail_at (parser, parser->p,
                   g_strdup_printf (_("Unexpected “..” at position %d in “%s”: a range has only two ends."),
                                    position (parser, parser->p), parser->text));
          return NULL;
        }
    }
  else if (leaf->value == NULL)
    {
      if (has_op || leaf->ignore_case)
        {
          g_autofree char *prefix = g_strndup (term_start, value_start - term_start);

          g_strstrip (prefix);
          /* Translators: "A value is missing after “<>” at position 3 in “A|<>”." */
          fail_at (parser, parser->p,
                   g_strdup_printf (_("A value is missing after “%s” at position %d in “%s”."),
                                    prefix, position (parser, parser->p), parser->text));
        }
      else
        fail_missing_value (parser);
      return NULL;
    }
  else if (leaf->op == BCS_FILTER_OP_EQ || leaf->op == BCS_FILTER_OP_NE)
    {
      leaf->pattern = has_wildcard (leaf->value);
    }
  else
    {
      replace_literal (&leaf->value);
    }

  if (!check_type_value (parser, leaf, value_start))
    return NULL;

  return g_steal_pointer (&leaf);
}

static BcsFilterNode *
parse_unary (Parser *parser)
{
  g_autoptr(BcsFilterNode) node = NULL;
  const char *open;

  skip_space (parser);
  if (*parser->p != '(')
    return parse_term (parser);

  open = parser->p;
  parser->last_op = parser->p++;
  node = parse_or (parser);
  if (node == NULL)
    return NULL;

  skip_space (parser);
  if (*parser->p != ')')
    {
      if (*parser->p == '\0')
        fail_at (parser, open,
                 g_strdup_printf (_("The “(” at position %d in “%s” is not closed."),
                                  position (parser, open), parser->text));
      else
        fail_unexpected (parser);
      return NULL;
    }
  parser->p++;

  return g_steal_pointer (&node);
}

static BcsFilterNode *
parse_list (Parser            *parser,
            char               separator,
            BcsFilterNodeKind  kind)
{
  g_autoptr(BcsFilterNode) first = NULL;
  g_autoptr(BcsFilterNode) list = NULL;

  first = kind == BCS_FILTER_NODE_OR ? parse_list (parser, '&', BCS_FILTER_NODE_AND)
                                     : parse_unary (parser);
  if (first == NULL)
    return NULL;

  for (;;)
    {
      BcsFilterNode *next;

      skip_space (parser);
      if (*parser->p != separator)
        break;

      if (list == NULL)
        {
          list = g_new0 (BcsFilterNode, 1);
          list->kind = kind;
          list->children = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_filter_node_free);
          g_ptr_array_add (list->children, g_steal_pointer (&first));
        }

      parser->last_op = parser->p++;
      next = kind == BCS_FILTER_NODE_OR ? parse_list (parser, '&', BCS_FILTER_NODE_AND)
                                        : parse_unary (parser);
      if (next == NULL)
        return NULL;
      g_ptr_array_add (list->children, next);
    }

  return list != NULL ? g_steal_pointer (&list) : g_steal_pointer (&first);
}

static BcsFilterNode *
parse_or (Parser *parser)
{
  return parse_list (parser, '|', BCS_FILTER_NODE_OR);
}

BcsBcFilter *
bcs_bc_filter_parse (BcsFilterField   field,
                     const char      *text,
                     int             *error_position,
                     GError         **error)
{
  g_autoptr(BcsBcFilter) filter = NULL;
  g_autofree char *valid = NULL;
  Parser parser = { 0 };

  g_return_val_if_fail (field < BCS_N_FILTER_FIELDS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (error_position != NULL)
    *error_position = -1;

  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  filter = g_new0 (BcsBcFilter, 1);
  filter->field = field;
  filter->text = g_strdup (valid);

  parser.field = field;
  parser.text = valid;
  parser.p = valid;
  skip_space (&parser);
  if (*parser.p == '\0')
    return g_steal_pointer (&filter);

  filter->root = parse_or (&parser);
  if (filter->root != NULL)
    {
      skip_space (&parser);
      if (*parser.p == ')')
        fail_at (&parser, parser.p,
                 g_strdup_printf (_("Unexpected “)” at position %d in “%s”: there is no “(” before it."),
                                  position (&parser, parser.p), parser.text));
      else if (*parser.p != '\0')
        fail_unexpected (&parser);
    }

  if (parser.error != NULL)
    {
      if (error_position != NULL)
        *error_position = parser.error_position;
      g_propagate_error (error, parser.error);
      return NULL;
    }

  return g_steal_pointer (&filter);
}

void
bcs_bc_filter_free (BcsBcFilter *filter)
{
  if (filter == NULL)
    return;

  g_free (filter->text);
  bcs_filter_node_free (filter->root);
  g_free (filter);
}

BcsFilterField
bcs_bc_filter_get_field (const BcsBcFilter *filter)
{
  g_return_val_if_fail (filter != NULL, 0);

  return filter->field;
}

const char *
bcs_bc_filter_get_text (const BcsBcFilter *filter)
{
  g_return_val_if_fail (filter != NULL, NULL);

  return filter->text;
}

gboolean
bcs_bc_filter_is_empty (const BcsBcFilter *filter)
{
  g_return_val_if_fail (filter != NULL, TRUE);

  return filter->root == NULL;
}
