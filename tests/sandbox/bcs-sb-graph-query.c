/* bcs-sb-graph-query.c — the OData query options Graph's contact API takes:
 * $filter (comparisons, and/or/not, any() lambdas), $select, $expand */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-graph-private.h"

typedef enum {
  F_AND,
  F_OR,
  F_NOT,
  F_CMP,        /* path op literal */
  F_ANY,        /* collection/any(var: expr) */
  F_FUNC,       /* startswith(path, literal), contains(path, literal) */
} FilterKind;

struct _GraphFilter {
  FilterKind kind;
  GraphFilter *left;
  GraphFilter *right;
  char *path;           /* F_CMP, F_FUNC: a property path; F_ANY: the collection */
  char *op;             /* F_CMP: eq ne; F_FUNC: startswith contains */
  char *literal;        /* NULL for null */
  char *folded;         /* the literal, case folded */
  char *var;            /* F_ANY */
};

void
bcs_sb_graph_filter_free (GraphFilter *filter)
{
  if (filter == NULL)
    return;
  bcs_sb_graph_filter_free (filter->left);
  bcs_sb_graph_filter_free (filter->right);
  g_free (filter->path);
  g_free (filter->op);
  g_free (filter->literal);
  g_free (filter->folded);
  g_free (filter->var);
  g_free (filter);
}

/* ---- tokens ---- */

typedef enum {
  T_END,
  T_IDENT,
  T_STRING,
  T_LPAREN,
  T_RPAREN,
  T_COLON,
  T_COMMA,
} TokenKind;

typedef struct {
  const char *p;
  TokenKind kind;
  char *text;
  GError **error;
  gboolean failed;
} Lexer;

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '/' || c == '.' || c == '@' || c == '$' || c == '-';
}

static void
lex_fail (Lexer      *lexer,
          const char *message)
{
  if (!lexer->failed)
    g_set_error (lexer->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "Invalid filter clause: %s", message);
  lexer->failed = TRUE;
  lexer->kind = T_END;
}

static void
next (Lexer *lexer)
{
  const char *p = lexer->p;

  g_clear_pointer (&lexer->text, g_free);
  while (*p == ' ' || *p == '\t')
    p++;

  if (*p == '\0')
    lexer->kind = T_END;
  else if (*p == '(' || *p == ')' || *p == ':' || *p == ',')
    {
      lexer->kind = *p == '(' ? T_LPAREN : *p == ')' ? T_RPAREN : *p == ':' ? T_COLON : T_COMMA;
      p++;
    }
  else if (*p == '\'')
    {
      GString *s = g_string_new (NULL);

      for (p++;; p++)
        {
          if (*p == '\0')
            {
              g_string_free (s, TRUE);
              lexer->p = p;
              lex_fail (lexer, "an unterminated string literal");
              return;
            }
          if (*p == '\'' && p[1] == '\'')       /* '' is an escaped quote */
            {
              g_string_append_c (s, '\'');
              p++;
            }
          else if (*p == '\'')
            {
              p++;
              break;
            }
          else
            g_string_append_c (s, *p);
        }
      lexer->kind = T_STRING;
      lexer->text = g_string_free (s, FALSE);
    }
  else if (is_ident_char (*p))
    {
      const char *start = p;

      while (is_ident_char (*p))
        p++;
      lexer->kind = T_IDENT;
      lexer->text = g_strndup (start, p - start);
    }
  else
    {
      lexer->p = p;
      lex_fail (lexer, "an unexpected character");
      return;
    }
  lexer->p = p;
}

static gboolean
is_word (Lexer      *lexer,
         const char *word)
{
  return lexer->kind == T_IDENT && g_ascii_strcasecmp (lexer->text, word) == 0;
}

static gboolean
expect (Lexer     *lexer,
        TokenKind  kind,
        const char *what)
{
  if (lexer->kind != kind)
    {
      g_autofree char *message = g_strdup_printf ("%s expected", what);
      lex_fail (lexer, message);
      return FALSE;
    }
  next (lexer);
  return TRUE;
}

static GraphFilter *parse_or (Lexer *lexer);

static GraphFilter *
node_new (FilterKind kind)
{
  GraphFilter *node = g_new0 (GraphFilter, 1);

  node->kind = kind;
  return node;
}

static gboolean
take_literal (Lexer       *lexer,
              GraphFilter *node)
{
  if (lexer->kind == T_STRING)
    node->literal = g_steal_pointer (&lexer->text);
  else if (is_word (lexer, "null"))
    node->literal = NULL;
  else if (lexer->kind == T_IDENT)      /* numbers, true, false */
    node->literal = g_steal_pointer (&lexer->text);
  else
    {
      lex_fail (lexer, "a literal expected");
      return FALSE;
    }
  if (node->literal != NULL)
    node->folded = g_utf8_casefold (node->literal, -1);
  next (lexer);
  return TRUE;
}

static GraphFilter *
parse_primary (Lexer *lexer)
{
  g_autofree char *ident = NULL;
  GraphFilter *node;

  if (lexer->kind == T_LPAREN)
    {
      next (lexer);
      node = parse_or (lexer);
      if (node == NULL || !expect (lexer, T_RPAREN, "')'"))
        {
          bcs_sb_graph_filter_free (node);
          return NULL;
        }
      return node;
    }
  if (lexer->kind != T_IDENT)
    {
      lex_fail (lexer, "a property expected");
      return NULL;
    }

  ident = g_steal_pointer (&lexer->text);
  next (lexer);

  if (lexer->kind == T_LPAREN &&
      (g_ascii_strcasecmp (ident, "startswith") == 0 || g_ascii_strcasecmp (ident, "contains") == 0))
    {
      node = node_new (F_FUNC);
      node->op = g_ascii_strdown (ident, -1);
      next (lexer);
      if (lexer->kind != T_IDENT)
        {
          lex_fail (lexer, "a property expected");
          bcs_sb_graph_filter_free (node);
          return NULL;
        }
      node->path = g_steal_pointer (&lexer->text);
      next (lexer);
      if (!expect (lexer, T_COMMA, "','") || !take_literal (lexer, node) ||
          !expect (lexer, T_RPAREN, "')'"))
        {
          bcs_sb_graph_filter_free (node);
          return NULL;
        }
      return node;
    }

  if (lexer->kind == T_LPAREN)
    {
      const char *slash = strrchr (ident, '/');

      if (slash == NULL || (g_ascii_strcasecmp (slash, "/any") != 0 &&
                            g_ascii_strcasecmp (slash, "/all") != 0))
        {
          lex_fail (lexer, "an unknown function");
          return NULL;
        }
      if (g_ascii_strcasecmp (slash, "/all") == 0)
        {
          lex_fail (lexer, "all() is not supported");
          return NULL;
        }
      node = node_new (F_ANY);
      node->path = g_strndup (ident, slash - ident);
      next (lexer);
      if (lexer->kind == T_RPAREN)              /* any(): not empty */
        {
          next (lexer);
          return node;
        }
      if (lexer->kind != T_IDENT)
        {
          lex_fail (lexer, "a lambda variable expected");
          bcs_sb_graph_filter_free (node);
          return NULL;
        }
      node->var = g_steal_pointer (&lexer->text);
      next (lexer);
      if (!expect (lexer, T_COLON, "':'") ||
          (node->left = parse_or (lexer)) == NULL ||
          !expect (lexer, T_RPAREN, "')'"))
        {
          bcs_sb_graph_filter_free (node);
          return NULL;
        }
      return node;
    }

  if (!is_word (lexer, "eq") && !is_word (lexer, "ne"))
    {
      lex_fail (lexer, "only eq and ne comparisons are supported");
      return NULL;
    }
  node = node_new (F_CMP);
  node->path = g_steal_pointer (&ident);
  node->op = g_ascii_strdown (lexer->text, -1);
  next (lexer);
  if (!take_literal (lexer, node))
    {
      bcs_sb_graph_filter_free (node);
      return NULL;
    }
  return node;
}

static GraphFilter *
parse_unary (Lexer *lexer)
{
  if (is_word (lexer, "not"))
    {
      GraphFilter *node = node_new (F_NOT);

      next (lexer);
      node->left = parse_unary (lexer);
      if (node->left == NULL)
        g_clear_pointer (&node, bcs_sb_graph_filter_free);
      return node;
    }
  return parse_primary (lexer);
}

static GraphFilter *
parse_binary (Lexer      *lexer,
              const char *word,
              FilterKind  kind,
              GraphFilter *(*operand) (Lexer *))
{
  GraphFilter *left = operand (lexer);

  while (left != NULL && is_word (lexer, word))
    {
      GraphFilter *node = node_new (kind);

      next (lexer);
      node->left = left;
      node->right = operand (lexer);
      if (node->right == NULL)
        {
          bcs_sb_graph_filter_free (node);
          return NULL;
        }
      left = node;
    }
  return left;
}

static GraphFilter *
parse_and (Lexer *lexer)
{
  return parse_binary (lexer, "and", F_AND, parse_unary);
}

static GraphFilter *
parse_or (Lexer *lexer)
{
  return parse_binary (lexer, "or", F_OR, parse_and);
}

GraphFilter *
bcs_sb_graph_filter_parse (const char  *text,
                           GError     **error)
{
  Lexer lexer = { text, T_END, NULL, error, FALSE };
  GraphFilter *filter;

  next (&lexer);
  filter = parse_or (&lexer);
  if (filter != NULL && lexer.kind != T_END)
    lex_fail (&lexer, "unexpected text after the expression");
  g_free (lexer.text);
  if (lexer.failed)
    {
      bcs_sb_graph_filter_free (filter);
      return NULL;
    }
  return filter;
}

/* ---- evaluation ---- */

typedef struct {
  GraphContact *contact;
  GraphFolder *folder;
  const char *var;              /* inside any(): the lambda variable … */
  int collection;               /* … the collection … */
  guint index;                  /* … and the element it stands for */
} Scope;

static const char *
resolve (Scope      *scope,
         const char *path)
{
  if (scope->var != NULL)
    {
      gsize len = strlen (scope->var);

      if (strcmp (path, scope->var) == 0)
        return bcs_sb_graph_contact_element (scope->contact, scope->collection, scope->index, NULL);
      if (strncmp (path, scope->var, len) == 0 && path[len] == '/')
        return bcs_sb_graph_contact_element (scope->contact, scope->collection, scope->index,
                                             path + len + 1);
    }
  if (scope->contact != NULL)
    return bcs_sb_graph_contact_get_string (scope->contact, path);
  if (scope->folder != NULL)
    {
      if (strcmp (path, "displayName") == 0)
        return scope->folder->display_name;
      if (strcmp (path, "id") == 0)
        return scope->folder->id;
    }
  return NULL;
}

/* Exchange compares strings without regard to case */
static gboolean
equal_folded (const char *value,
              const char *literal,
              const char *folded)
{
  g_autofree char *value_folded = NULL;

  if (g_ascii_strcasecmp (value, literal) == 0)
    return TRUE;
  value_folded = g_utf8_casefold (value, -1);
  return strcmp (value_folded, folded) == 0;
}

static gboolean
eval (GraphFilter *node,
      Scope       *scope)
{
  switch (node->kind)
    {
    case F_AND:
      return eval (node->left, scope) && eval (node->right, scope);
    case F_OR:
      return eval (node->left, scope) || eval (node->right, scope);
    case F_NOT:
      return !eval (node->left, scope);

    case F_CMP:
      {
        const char *value = resolve (scope, node->path);
        gboolean equal;

        if (value == NULL || node->literal == NULL)
          equal = value == node->literal;
        else
          equal = equal_folded (value, node->literal, node->folded);
        return g_str_equal (node->op, "eq") ? equal : !equal;
      }

    case F_FUNC:
      {
        const char *value = resolve (scope, node->path);
        g_autofree char *folded = NULL;

        if (value == NULL || node->literal == NULL)
          return FALSE;
        folded = g_utf8_casefold (value, -1);
        if (g_str_equal (node->op, "startswith"))
          return g_str_has_prefix (folded, node->folded);
        return strstr (folded, node->folded) != NULL;
      }

    case F_ANY:
      {
        int collection = scope->contact != NULL ? bcs_sb_graph_collection_index (node->path) : -1;
        Scope inner = *scope;
        guint n;

        if (collection < 0)
          return FALSE;
        n = bcs_sb_graph_contact_count (scope->contact, collection);
        if (node->left == NULL)
          return n > 0;
        inner.var = node->var;
        inner.collection = collection;
        for (guint i = 0; i < n; i++)
          {
            inner.index = i;
            if (eval (node->left, &inner))
              return TRUE;
          }
        return FALSE;
      }

    default:
      return FALSE;
    }
}

gboolean
bcs_sb_graph_filter_match_contact (GraphFilter  *filter,
                                   GraphContact *contact)
{
  Scope scope = { contact, NULL, NULL, -1, 0 };

  return eval (filter, &scope);
}

gboolean
bcs_sb_graph_filter_match_folder (GraphFilter *filter,
                                  GraphFolder *folder)
{
  Scope scope = { NULL, folder, NULL, -1, 0 };

  return eval (filter, &scope);
}

/* $filter of REQUEST, NULL without one; *OK FALSE (and RESPONSE a 400) when it does not parse */
GraphFilter *
bcs_sb_graph_parse_filter (BcsSbRequest  *request,
                           BcsSbResponse *response,
                           gboolean      *ok)
{
  const char *text = bcs_sb_request_get_query (request, "$filter");
  g_autoptr(GError) error = NULL;
  GraphFilter *filter;

  *ok = TRUE;
  if (text == NULL)
    return NULL;
  filter = bcs_sb_graph_filter_parse (text, &error);
  if (filter == NULL)
    {
      bcs_sb_graph_error (response, 400, "ErrorInvalidUrlQueryFilter", error->message);
      *ok = FALSE;
    }
  return filter;
}

/* ---- index lookups ---- */

/* VAR/FIELD eq 'literal' */
static const char *
var_field_literal (GraphFilter *node,
                   const char  *var,
                   const char  *field)
{
  gsize len = strlen (var);

  if (node->kind != F_CMP || !g_str_equal (node->op, "eq") || node->literal == NULL ||
      strncmp (node->path, var, len) != 0 || node->path[len] != '/' ||
      strcmp (node->path + len + 1, field) != 0)
    return NULL;
  return node->literal;
}

char *
bcs_sb_graph_filter_index_key (GraphFilter *filter)
{
  if (filter->kind != F_ANY || filter->left == NULL)
    return NULL;

  if (strcmp (filter->path, "emailAddresses") == 0)
    {
      const char *address = var_field_literal (filter->left, filter->var, "address");
      return address != NULL ? bcs_sb_graph_index_email_key (address) : NULL;
    }
  if (strcmp (filter->path, "singleValueExtendedProperties") == 0 && filter->left->kind == F_AND)
    {
      GraphFilter *a = filter->left->left, *b = filter->left->right;
      const char *id = var_field_literal (a, filter->var, "id");
      const char *value = var_field_literal (b, filter->var, "value");

      if (id == NULL || value == NULL)
        {
          id = var_field_literal (b, filter->var, "id");
          value = var_field_literal (a, filter->var, "value");
        }
      return id != NULL && value != NULL ? bcs_sb_graph_index_ext_key (id, value) : NULL;
    }
  return NULL;
}

/* ---- $select and $expand ---- */

gboolean
bcs_sb_graph_parse_select (const char     *text,
                           guint64        *mask,
                           BcsSbResponse  *response)
{
  g_auto(GStrv) names = NULL;

  *mask = 0;
  if (text == NULL || *text == '\0')
    return TRUE;
  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      int index = bcs_sb_graph_property_index (name);

      if (index < 0)
        {
          g_autofree char *message =
            g_strdup_printf ("Could not find a property named '%s' on type 'microsoft.graph.contact'.",
                             name);
          bcs_sb_graph_error (response, 400, "RequestBroker--ParseUri", message);
          return FALSE;
        }
      *mask |= G_GUINT64_CONSTANT (1) << index;
    }
  return TRUE;
}

/* The ids of "id eq '…' [or id eq '…']" */
static gboolean
collect_ids (GraphFilter *node,
             GPtrArray   *ids)
{
  if (node->kind == F_OR)
    return collect_ids (node->left, ids) && collect_ids (node->right, ids);
  if (node->kind == F_CMP && g_str_equal (node->path, "id") && g_str_equal (node->op, "eq") &&
      node->literal != NULL)
    {
      g_ptr_array_add (ids, g_ascii_strdown (node->literal, -1));
      return TRUE;
    }
  return FALSE;
}

gboolean
bcs_sb_graph_parse_expand (const char     *text,
                           GPtrArray     **ids,
                           gboolean       *all,
                           BcsSbResponse  *response)
{
  static const char prefix[] = "singleValueExtendedProperties";
  g_autofree char *inner = NULL;
  g_autoptr(GraphFilter) filter = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  *ids = NULL;
  *all = FALSE;
  if (text == NULL || *text == '\0')
    return TRUE;
  if (g_ascii_strncasecmp (text, prefix, strlen (prefix)) != 0)
    goto unsupported;
  text += strlen (prefix);
  if (*text == '\0')
    {
      *all = TRUE;
      return TRUE;
    }
  len = strlen (text);
  if (text[0] != '(' || text[len - 1] != ')' ||
      g_ascii_strncasecmp (text + 1, "$filter=", strlen ("$filter=")) != 0)
    goto unsupported;
  inner = g_strndup (text + 1 + strlen ("$filter="), len - 2 - strlen ("$filter="));
  filter = bcs_sb_graph_filter_parse (inner, &error);
  *ids = g_ptr_array_new_with_free_func (g_free);
  if (filter == NULL || !collect_ids (filter, *ids))
    {
      g_clear_pointer (ids, g_ptr_array_unref);
      goto unsupported;
    }
  return TRUE;

unsupported:
  bcs_sb_graph_error (response, 400, "BadRequest",
                      "Parsing OData Select and Expand failed: only "
                      "singleValueExtendedProperties($filter=id eq '…') can be expanded here.");
  return FALSE;
}
