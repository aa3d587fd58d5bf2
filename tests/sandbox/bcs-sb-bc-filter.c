/* bcs-sb-bc-filter.c — the OData query options Business Central accepts on
 * contacts: $filter, parsed once and evaluated per row
 *
 * String comparisons (eq ne gt ge lt le, startswith, contains, endswith) are
 * case-insensitive, as Business Central's default SQL collation makes them.
 * Literals are typed as OData types them: 'text' ('' is a quote), unquoted
 * DateTimeOffset (2026-11-01T10:00:00Z), Date (2026-11-01), Guid, numbers,
 * true/false/null; comparing a field with a literal of another type is a 400
 * as at Microsoft.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-bc-private.h"

/* ---- case-insensitive text ---- */

static gboolean
is_ascii (const char *s)
{
  for (; *s; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

int
bcs_sb_bc_strcasecmp (const char *a,
                      const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (is_ascii (a) && is_ascii (b))
    return g_ascii_strcasecmp (a, b);
  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  return strcmp (fa, fb);
}

typedef enum { FN_STARTSWITH, FN_CONTAINS, FN_ENDSWITH } Fn;

static gboolean
ascii_contains (const char *hay,
                const char *needle)
{
  gsize n = strlen (needle);

  if (n == 0)
    return TRUE;
  for (; *hay; hay++)
    if (g_ascii_strncasecmp (hay, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
text_function (Fn          fn,
               const char *value,
               const char *needle)
{
  g_autofree char *fv = NULL;
  g_autofree char *fn_ = NULL;

  if (is_ascii (value) && is_ascii (needle))
    {
      gsize lv = strlen (value), ln = strlen (needle);

      switch (fn)
        {
        case FN_STARTSWITH:
          return g_ascii_strncasecmp (value, needle, ln) == 0;
        case FN_ENDSWITH:
          return lv >= ln && g_ascii_strcasecmp (value + lv - ln, needle) == 0;
        case FN_CONTAINS:
        default:
          return ascii_contains (value, needle);
        }
    }
  fv = g_utf8_casefold (value, -1);
  fn_ = g_utf8_casefold (needle, -1);
  switch (fn)
    {
    case FN_STARTSWITH:
      return g_str_has_prefix (fv, fn_);
    case FN_ENDSWITH:
      return g_str_has_suffix (fv, fn_);
    case FN_CONTAINS:
    default:
      return strstr (fv, fn_) != NULL;
    }
}

/* ---- tokens ---- */

typedef enum { T_END, T_LPAREN, T_RPAREN, T_COMMA, T_WORD, T_STRING, T_LITERAL } TokenType;

typedef struct {
  TokenType type;
  char *text;
} Token;

typedef struct {
  GArray *tokens;       /* Token */
  guint pos;
  char *error;
} Parser;

static void
token_clear (gpointer data)
{
  g_free (((Token *) data)->text);
}

static gboolean
is_guid_at (const char *p)
{
  static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

  for (guint i = 0; i < sizeof pattern - 1; i++)
    {
      if (pattern[i] == '-' ? p[i] != '-' : !g_ascii_isxdigit (p[i]))
        return FALSE;
    }
  return !g_ascii_isalnum (p[sizeof pattern - 1]);
}

static gboolean
lex (Parser     *parser,
     const char *text)
{
  const char *p = text;

  while (TRUE)
    {
      Token token = { T_END, NULL };

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        {
          g_array_append_val (parser->tokens, token);
          return TRUE;
        }
      if (*p == '(' || *p == ')' || *p == ',')
        {
          token.type = *p == '(' ? T_LPAREN : *p == ')' ? T_RPAREN : T_COMMA;
          p++;
        }
      else if (*p == '\'')
        {
          GString *s = g_string_new (NULL);

          p++;
          while (TRUE)
            {
              if (*p == '\0')
                {
                  g_string_free (s, TRUE);
                  parser->error = g_strdup ("Syntax error: unterminated string literal.");
                  return FALSE;
                }
              if (*p == '\'' && p[1] == '\'')
                {
                  g_string_append_c (s, '\'');
                  p += 2;
                }
              else if (*p == '\'')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (s, *p++);
            }
          token.type = T_STRING;
          token.text = g_string_free (s, FALSE);
        }
      else if (is_guid_at (p))
        {
          token.type = T_LITERAL;
          token.text = g_strndup (p, 36);
          p += 36;
        }
      else if (g_ascii_isdigit (*p) || (*p == '-' && g_ascii_isdigit (p[1])))
        {
          const char *start = p++;

          while (g_ascii_isalnum (*p) || *p == '-' || *p == ':' || *p == '.' || *p == '+')
            p++;
          token.type = T_LITERAL;
          token.text = g_strndup (start, p - start);
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          const char *start = p;

          while (g_ascii_isalnum (*p) || *p == '_' || *p == '/')
            p++;
          token.type = T_WORD;
          token.text = g_strndup (start, p - start);
        }
      else
        {
          parser->error = g_strdup_printf ("Syntax error at position %d in '%s'.",
                                           (int) (p - text), text);
          return FALSE;
        }
      g_array_append_val (parser->tokens, token);
    }
}

static Token *
peek (Parser *parser)
{
  return &g_array_index (parser->tokens, Token, parser->pos);
}

static Token *
next (Parser *parser)
{
  Token *token = peek (parser);

  if (token->type != T_END)
    parser->pos++;
  return token;
}

static gboolean
peek_word (Parser     *parser,
           const char *word)
{
  Token *token = peek (parser);

  return token->type == T_WORD && strcmp (token->text, word) == 0;
}

/* ---- the tree ---- */

typedef enum { V_STRING, V_INT, V_DECIMAL, V_BOOL, V_DATETIME, V_DATE, V_GUID, V_NULL } ValueType;
typedef enum { OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE } Op;
typedef enum { N_AND, N_OR, N_NOT, N_CMP, N_FN } NodeKind;

typedef struct {
  ValueType type;
  char *text;
  gboolean b;
  gint64 us;
} Value;

typedef struct Node Node;
struct Node {
  NodeKind kind;
  Node *a, *b;
  int field;
  Op op;
  Fn fn;
  Value value;
};

struct _BcsSbBcFilter {
  Node *root;
};

static const char *op_names[] = { "eq", "ne", "gt", "ge", "lt", "le" };
static const char *op_kinds[] = { "Equal", "NotEqual", "GreaterThan", "GreaterThanOrEqual",
                                  "LessThan", "LessThanOrEqual" };

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  node_free (node->a);
  node_free (node->b);
  g_free (node->value.text);
  g_free (node);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->field = -1;
  return node;
}

static const char *
field_edm (int field)
{
  switch (bcs_sb_bc_fields[field].kind)
    {
    case BC_KIND_GUID: return "Edm.Guid";
    case BC_KIND_BOOL: return "Edm.Boolean";
    case BC_KIND_DATE: return "Edm.Date";
    case BC_KIND_DATETIME: return "Edm.DateTimeOffset";
    case BC_KIND_STRING:
    case BC_KIND_ENUM:
    default: return "Edm.String";
    }
}

static const char *
value_edm (const Value *value)
{
  switch (value->type)
    {
    case V_STRING: return "Edm.String";
    case V_INT: return "Edm.Int32";
    case V_DECIMAL: return "Edm.Decimal";
    case V_BOOL: return "Edm.Boolean";
    case V_DATETIME: return "Edm.DateTimeOffset";
    case V_DATE: return "Edm.Date";
    case V_GUID: return "Edm.Guid";
    case V_NULL:
    default: return "<null>";
    }
}

static gboolean
value_fits (int          field,
            const Value *value)
{
  if (value->type == V_NULL)
    return TRUE;
  switch (bcs_sb_bc_fields[field].kind)
    {
    case BC_KIND_GUID: return value->type == V_GUID;
    case BC_KIND_BOOL: return value->type == V_BOOL;
    case BC_KIND_DATE: return value->type == V_DATE;
    case BC_KIND_DATETIME: return value->type == V_DATETIME;
    case BC_KIND_STRING:
    case BC_KIND_ENUM:
    default: return value->type == V_STRING;
    }
}

static int
unknown_field (Parser     *parser,
               const char *name)
{
  int field = bcs_sb_bc_field_lookup (name);

  if (field < 0 && parser->error == NULL)
    parser->error = g_strdup_printf ("Could not find a property named '%s' on type 'Microsoft.NAV.contact'.", name);
  return field;
}

/* An operand: a field (*field set) or a literal (*value set) */
static gboolean
parse_operand (Parser *parser,
               int    *field,
               Value  *value)
{
  Token *token = next (parser);
  gint64 us;

  *field = -1;
  switch (token->type)
    {
    case T_STRING:
      value->type = V_STRING;
      value->text = g_strdup (token->text);
      return TRUE;
    case T_WORD:
      if (strcmp (token->text, "true") == 0 || strcmp (token->text, "false") == 0)
        {
          value->type = V_BOOL;
          value->b = token->text[0] == 't';
          return TRUE;
        }
      if (strcmp (token->text, "null") == 0)
        {
          value->type = V_NULL;
          return TRUE;
        }
      *field = unknown_field (parser, token->text);
      return *field >= 0;
    case T_LITERAL:
      value->text = g_strdup (token->text);
      if (strlen (token->text) == 36 && is_guid_at (token->text))
        value->type = V_GUID;
      else if (bcs_sb_bc_parse_datetime (token->text, &us))
        {
          value->type = V_DATETIME;
          value->us = us;
        }
      else if (strlen (token->text) == 10 && token->text[4] == '-' && token->text[7] == '-')
        {
          g_autoptr(GDate) date = g_date_new ();

          g_date_set_parse (date, token->text);
          value->type = V_DATE;
          if (!g_date_valid (date))
            break;
        }
      else
        {
          char *end = NULL;

          g_ascii_strtod (token->text, &end);
          if (end == NULL || *end != '\0')
            break;
          value->type = strchr (token->text, '.') ? V_DECIMAL : V_INT;
        }
      return TRUE;
    case T_END:
    case T_LPAREN:
    case T_RPAREN:
    case T_COMMA:
    default:
      break;
    }
  g_clear_pointer (&value->text, g_free);
  if (parser->error == NULL)
    parser->error = g_strdup_printf ("Syntax error: unexpected '%s' in $filter.",
                                     token->text ? token->text : token->type == T_END ? "end of text" : "punctuation");
  return FALSE;
}

static Node *parse_or (Parser *parser);

static Node *
parse_function (Parser     *parser,
                const char *name)
{
  Node *node = node_new (N_FN);
  int field = -1, other = -1;
  Value value = { V_NULL, NULL, FALSE, 0 };

  if (strcmp (name, "startswith") == 0)
    node->fn = FN_STARTSWITH;
  else if (strcmp (name, "contains") == 0)
    node->fn = FN_CONTAINS;
  else if (strcmp (name, "endswith") == 0)
    node->fn = FN_ENDSWITH;
  else
    {
      parser->error = g_strdup_printf ("An unknown function with name '%s' was found.", name);
      node_free (node);
      return NULL;
    }
  next (parser);        /* ( */
  if (!parse_operand (parser, &field, &node->value))
    goto fail;
  if (next (parser)->type != T_COMMA)
    goto syntax;
  if (!parse_operand (parser, &other, &value))
    goto fail;
  if (next (parser)->type != T_RPAREN)
    goto syntax;
  if (field < 0 || other >= 0 || value.type != V_STRING
      || (bcs_sb_bc_fields[field].kind != BC_KIND_STRING && bcs_sb_bc_fields[field].kind != BC_KIND_ENUM))
    {
      parser->error = g_strdup_printf ("No function signature for the function with name '%s' matches "
                                       "the specified arguments.", name);
      goto fail;
    }
  node->field = field;
  g_free (node->value.text);
  node->value = value;
  return node;

syntax:
  parser->error = g_strdup_printf ("Syntax error in the arguments of '%s'.", name);
fail:
  g_free (value.text);
  node_free (node);
  return NULL;
}

static Node *
parse_primary (Parser *parser)
{
  Token *token = peek (parser);
  Node *node;
  Value left = { V_NULL, NULL, FALSE, 0 }, right = { V_NULL, NULL, FALSE, 0 };
  int lfield, rfield;
  Op op;

  if (token->type == T_LPAREN)
    {
      next (parser);
      node = parse_or (parser);
      if (node == NULL)
        return NULL;
      if (next (parser)->type != T_RPAREN)
        {
          parser->error = g_strdup ("Syntax error: ')' expected in $filter.");
          node_free (node);
          return NULL;
        }
      return node;
    }
  if (token->type == T_WORD && g_array_index (parser->tokens, Token, parser->pos + 1).type == T_LPAREN)
    {
      g_autofree char *name = g_strdup (next (parser)->text);

      return parse_function (parser, name);
    }

  if (!parse_operand (parser, &lfield, &left))
    return NULL;

  token = peek (parser);
  for (op = OP_EQ; op <= OP_LE; op++)
    if (token->type == T_WORD && strcmp (token->text, op_names[op]) == 0)
      break;
  if (op > OP_LE)
    {
      /* A Boolean property on its own: "privacyBlocked" */
      if (lfield >= 0 && bcs_sb_bc_fields[lfield].kind == BC_KIND_BOOL)
        {
          node = node_new (N_CMP);
          node->field = lfield;
          node->op = OP_EQ;
          node->value.type = V_BOOL;
          node->value.b = TRUE;
          return node;
        }
      g_free (left.text);
      parser->error = g_strdup ("Syntax error: a comparison operator (eq, ne, gt, ge, lt, le) was expected in $filter.");
      return NULL;
    }
  next (parser);
  if (!parse_operand (parser, &rfield, &right))
    {
      g_free (left.text);
      return NULL;
    }

  node = node_new (N_CMP);
  if (lfield >= 0 && rfield < 0)
    {
      node->field = lfield;
      node->op = op;
      node->value = right;
      g_free (left.text);
    }
  else if (lfield < 0 && rfield >= 0)
    {
      static const Op swapped[] = { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

      node->field = rfield;
      node->op = swapped[op];
      node->value = left;
      g_free (right.text);
    }
  else
    {
      g_free (left.text);
      g_free (right.text);
      node_free (node);
      parser->error = g_strdup ("Only comparisons of a property with a literal are supported in $filter.");
      return NULL;
    }

  if (!value_fits (node->field, &node->value))
    {
      parser->error = g_strdup_printf ("A binary operator with incompatible types was detected. Found operand "
                                       "types '%s' and '%s' for operator kind '%s'.",
                                       field_edm (node->field), value_edm (&node->value), op_kinds[op]);
      node_free (node);
      return NULL;
    }
  return node;
}

static Node *
parse_unary (Parser *parser)
{
  if (peek_word (parser, "not"))
    {
      Node *node = node_new (N_NOT);

      next (parser);
      node->a = parse_unary (parser);
      if (node->a == NULL)
        {
          node_free (node);
          return NULL;
        }
      return node;
    }
  return parse_primary (parser);
}

static Node *
parse_binary (Parser     *parser,
              const char *word,
              NodeKind    kind,
              Node     *(*operand) (Parser *))
{
  Node *left = operand (parser);

  while (left != NULL && peek_word (parser, word))
    {
      Node *node = node_new (kind);

      next (parser);
      node->a = left;
      node->b = operand (parser);
      if (node->b == NULL)
        {
          node_free (node);
          return NULL;
        }
      left = node;
    }
  return left;
}

static Node *
parse_and (Parser *parser)
{
  return parse_binary (parser, "and", N_AND, parse_unary);
}

static Node *
parse_or (Parser *parser)
{
  return parse_binary (parser, "or", N_OR, parse_and);
}

BcsSbBcFilter *
bcs_sb_bc_filter_parse (const char  *text,
                        char       **error)
{
  Parser parser = { NULL, 0, NULL };
  Node *root = NULL;
  BcsSbBcFilter *filter;

  parser.tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_array_set_clear_func (parser.tokens, token_clear);
  if (lex (&parser, text))
    {
      root = parse_or (&parser);
      if (root != NULL && peek (&parser)->type != T_END)
        {
          parser.error = g_strdup_printf ("Syntax error: unexpected '%s' in $filter.",
                                          peek (&parser)->text ? peek (&parser)->text : ")");
          g_clear_pointer (&root, node_free);
        }
    }
  g_array_unref (parser.tokens);
  if (root == NULL)
    {
      *error = parser.error ? parser.error : g_strdup ("The $filter expression is not valid.");
      return NULL;
    }
  g_free (parser.error);
  filter = g_new0 (BcsSbBcFilter, 1);
  filter->root = root;
  return filter;
}

void
bcs_sb_bc_filter_free (BcsSbBcFilter *filter)
{
  if (filter == NULL)
    return;
  node_free (filter->root);
  g_free (filter);
}

static gboolean
apply_op (Op  op,
          int cmp)
{
  switch (op)
    {
    case OP_EQ: return cmp == 0;
    case OP_NE: return cmp != 0;
    case OP_GT: return cmp > 0;
    case OP_GE: return cmp >= 0;
    case OP_LT: return cmp < 0;
    case OP_LE:
    default: return cmp <= 0;
    }
}

static gboolean
eval (Node                 *node,
      const BcsSbBcContact *contact)
{
  int cmp;

  switch (node->kind)
    {
    case N_AND:
      return eval (node->a, contact) && eval (node->b, contact);
    case N_OR:
      return eval (node->a, contact) || eval (node->b, contact);
    case N_NOT:
      return !eval (node->a, contact);
    case N_FN:
      return text_function (node->fn, bcs_sb_bc_contact_get (contact, node->field), node->value.text);
    case N_CMP:
    default:
      break;
    }

  switch (bcs_sb_bc_fields[node->field].kind)
    {
    case BC_KIND_BOOL:
      if (node->value.type == V_NULL)
        return node->op == OP_NE;
      cmp = (int) !!contact->privacy_blocked - (int) !!node->value.b;
      break;
    case BC_KIND_DATETIME:
      {
        gint64 us = contact->modified_ms * 1000;

        if (node->value.type == V_NULL)
          return node->op == OP_NE;
        cmp = us < node->value.us ? -1 : us > node->value.us ? 1 : 0;
      }
      break;
    case BC_KIND_DATE:
      cmp = strcmp (contact->values[node->field] ? contact->values[node->field] : "0001-01-01",
                    node->value.text ? node->value.text : "0001-01-01");
      break;
    case BC_KIND_GUID:
    case BC_KIND_STRING:
    case BC_KIND_ENUM:
    default:
      /* BC has no null text: null stands for "" */
      cmp = bcs_sb_bc_strcasecmp (bcs_sb_bc_contact_get (contact, node->field),
                                  node->value.text ? node->value.text : "");
      break;
    }
  return apply_op (node->op, cmp);
}

gboolean
bcs_sb_bc_filter_match (BcsSbBcFilter        *filter,
                        const BcsSbBcContact *contact)
{
  return filter == NULL || eval (filter->root, contact);
}
