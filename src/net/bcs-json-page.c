/* bcs-json-page.c — one page of an OData list, scanned without a tree */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <string.h>

#include "bcs-json-page.h"

/* Deeper nesting than this is not a page from Business Central or Graph */
#define MAX_DEPTH 512

struct _BcsJsonPage
{
  GBytes *body;
  gboolean is_object;
  gboolean has_value;
  gboolean value_is_array;
  GArray *ranges;             /* gsize pairs: start and end offset of each element */
  char *next_link;
  char *delta_link;
  GString *slice;
};

typedef struct {
  const char *base;
  const char *p;
  const char *end;
  guint depth;
} Scanner;

typedef enum {
  MEMBER_OTHER,
  MEMBER_VALUE,
  MEMBER_NEXT_LINK,
  MEMBER_DELTA_LINK,
} Member;

static gboolean scan_value (Scanner *s);

static inline void
skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

/* At '"': past the closing '"', checking escapes and control characters */
static gboolean
scan_string (Scanner  *s,
             gboolean *has_escape)
{
  s->p++;
  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        {
          s->p++;
          continue;
        }

      if (has_escape != NULL)
        *has_escape = TRUE;
      s->p++;
      if (s->p >= s->end)
        return FALSE;
      switch (*s->p)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          s->p++;
          break;
        case 'u':
          if (s->end - s->p < 5)
            return FALSE;
          for (int i = 1; i <= 4; i++)
            if (!g_ascii_isxdigit (s->p[i]))
              return FALSE;
          s->p += 5;
          break;
        default:
          return FALSE;
        }
    }

  return FALSE;
}

static gboolean
scan_digits (Scanner *s)
{
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return FALSE;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return TRUE;
}

static gboolean
scan_number (Scanner *s)
{
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end)
    return FALSE;
  if (*s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return FALSE;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!scan_digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (s->end - s->p) < length || memcmp (s->p, word, length) != 0)
    return FALSE;
  s->p += length;
  return TRUE;
}

/* At the '[' or '{' of a container: past it, one level deeper; when CLOSE
 * follows at once, past that too, back up, with *EMPTY set */
static gboolean
enter_container (Scanner  *s,
                 char      close,
                 gboolean *empty)
{
  if (++s->depth > MAX_DEPTH)
    return FALSE;
  s->p++;
  skip_ws (s);
  *empty = s->p < s->end && *s->p == close;
  if (*empty)
    {
      s->p++;
      s->depth--;
    }
  return TRUE;
}

/* After an element or a member: past the ',' before the next one, or past
 * CLOSE, back up, with *CLOSED set */
static gboolean
next_in_container (Scanner  *s,
                   char      close,
                   gboolean *closed)
{
  skip_ws (s);
  if (s->p >= s->end)
    return FALSE;
  *closed = *s->p == close;
  if (!*closed && *s->p != ',')
    return FALSE;
  s->p++;
  if (*closed)
    s->depth--;
  return TRUE;
}

/* At '[': past ']'; the byte range of each element into RANGES when not NULL */
static gboolean
scan_array (Scanner *s,
            GArray  *ranges)
{
  gboolean closed;

  if (!enter_container (s, ']', &closed))
    return FALSE;
  while (!closed)
    {
      gsize range[2];

      skip_ws (s);
      range[0] = (gsize) (s->p - s->base);
      if (!scan_value (s))
        return FALSE;
      range[1] = (gsize) (s->p - s->base);
      if (ranges != NULL)
        g_array_append_vals (ranges, range, 2);
      if (!next_in_container (s, ']', &closed))
        return FALSE;
    }
  return TRUE;
}

/* Four hex digits, checked by scan_string */
static gunichar
hex4 (const char *p)
{
  gunichar c = 0;

  for (int i = 0; i < 4; i++)
    c = (c << 4) | (gunichar) g_ascii_xdigit_value (p[i]);
  return c;
}

/* The decoded text of the string from START ('"') to END (past '"'), or
 * NULL when it is not UTF-8; lone surrogates become U+FFFD */
static char *
decode_string (const char *start,
               const char *end)
{
  GString *out = g_string_sized_new ((gsize) (end - start));
  const char *p = start + 1;
  const char *last = end - 1;

  while (p < last)
    {
      gunichar c;

      if (*p != '\\')
        {
          const char *run = p;

          while (p < last && *p != '\\')
            p++;
          g_string_append_len (out, run, p - run);
          continue;
        }

      p++;
      switch (*p)
        {
        case 'b': g_string_append_c (out, '\b'); p++; continue;
        case 'f': g_string_append_c (out, '\f'); p++; continue;
        case 'n': g_string_append_c (out, '\n'); p++; continue;
        case 'r': g_string_append_c (out, '\r'); p++; continue;
        case 't': g_string_append_c (out, '\t'); p++; continue;
        case 'u': break;
        default: g_string_append_c (out, *p); p++; continue;
        }

      /* \uXXXX: checked by scan_string */
      c = hex4 (p + 1);
      p += 5;
      if (c >= 0xD800 && c <= 0xDBFF && last - p >= 6 && p[0] == '\\' && p[1] == 'u')
        {
          gunichar low = g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3]) &&
                         g_ascii_isxdigit (p[4]) && g_ascii_isxdigit (p[5]) ? hex4 (p + 2) : 0;

          if (low >= 0xDC00 && low <= 0xDFFF)
            {
              c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              p += 6;
            }
        }
      if (c >= 0xD800 && c <= 0xDFFF)
        c = 0xFFFD;
      g_string_append_unichar (out, c);
    }

  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static Member
member_of (const char *start,
           const char *end,
           gboolean    has_escape)
{
  g_autofree char *decoded = NULL;
  const char *name = start + 1;
  gsize length = (gsize) (end - start) - 2;

  if (has_escape)
    {
      decoded = decode_string (start, end);
      if (decoded == NULL)
        return MEMBER_OTHER;
      name = decoded;
      length = strlen (decoded);
    }

#define IS(literal) (length == sizeof (literal) - 1 && memcmp (name, literal, length) == 0)
  if (IS ("value"))
    return MEMBER_VALUE;
  if (IS ("@odata.nextLink"))
    return MEMBER_NEXT_LINK;
  if (IS ("@odata.deltaLink"))
    return MEMBER_DELTA_LINK;
#undef IS
  return MEMBER_OTHER;
}

/* A member of the top-level object, after the ':' */
static gboolean
scan_page_member (Scanner     *s,
                  BcsJsonPage *page,
                  Member       member)
{
  char **link;

  skip_ws (s);
  if (member == MEMBER_VALUE)
    {
      page->has_value = TRUE;
      g_array_set_size (page->ranges, 0);
      page->value_is_array = s->p < s->end && *s->p == '[';
      return page->value_is_array ? scan_array (s, page->ranges) : scan_value (s);
    }

  link = member == MEMBER_NEXT_LINK ? &page->next_link : &page->delta_link;
  g_clear_pointer (link, g_free);
  if (s->p < s->end && *s->p == '"')
    {
      const char *start = s->p;

      if (!scan_string (s, NULL))
        return FALSE;
      *link = decode_string (start, s->p);
      return *link != NULL;
    }
  return scan_value (s);
}

/* At '{': past '}'; PAGE for the outermost object */
static gboolean
scan_object (Scanner     *s,
             BcsJsonPage *page)
{
  gboolean closed;

  if (!enter_container (s, '}', &closed))
    return FALSE;
  while (!closed)
    {
      const char *key;
      gboolean has_escape = FALSE;
      Member member;

      skip_ws (s);
      if (s->p >= s->end || *s->p != '"')
        return FALSE;
      key = s->p;
      if (!scan_string (s, &has_escape))
        return FALSE;
      member = page != NULL ? member_of (key, s->p, has_escape) : MEMBER_OTHER;
      skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return FALSE;
      s->p++;

      if (member != MEMBER_OTHER)
        {
          if (!scan_page_member (s, page, member))
            return FALSE;
        }
      else if (!scan_value (s))
        return FALSE;

      if (!next_in_container (s, '}', &closed))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_value (Scanner *s)
{
  skip_ws (s);
  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
      return scan_object (s, NULL);
    case '[':
      return scan_array (s, NULL);
    case '"':
      return scan_string (s, NULL);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      return scan_number (s);
    }
}

BcsJsonPage *
bcs_json_page_scan (GBytes  *body,
                    GError **error)
{
  g_autoptr(BcsJsonPage) page = NULL;
  Scanner s = { NULL, NULL, NULL, 0 };
  gboolean ok;
  gsize size;

  g_return_val_if_fail (body != NULL, NULL);

  page = g_new0 (BcsJsonPage, 1);
  page->body = g_bytes_ref (body);
  page->ranges = g_array_new (FALSE, FALSE, sizeof (gsize));
  page->slice = g_string_new (NULL);

  s.base = g_bytes_get_data (body, &size);
  if (s.base == NULL)
    s.base = "";
  s.p = s.base;
  s.end = s.base + size;

  skip_ws (&s);
  page->is_object = s.p < s.end && *s.p == '{';
  ok = page->is_object ? scan_object (&s, page) : scan_value (&s);
  skip_ws (&s);
  if (!ok || s.p != s.end)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   "not a JSON document (at byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT ")",
                   (gsize) (s.p - s.base), size);
      return NULL;
    }

  return g_steal_pointer (&page);
}

void
bcs_json_page_free (BcsJsonPage *page)
{
  if (page == NULL)
    return;

  g_bytes_unref (page->body);
  g_array_unref (page->ranges);
  g_free (page->next_link);
  g_free (page->delta_link);
  g_string_free (page->slice, TRUE);
  g_free (page);
}

gboolean
bcs_json_page_is_object (BcsJsonPage *page)
{
  g_return_val_if_fail (page != NULL, FALSE);
  return page->is_object;
}

gboolean
bcs_json_page_has_value (BcsJsonPage *page)
{
  g_return_val_if_fail (page != NULL, FALSE);
  return page->has_value;
}

gboolean
bcs_json_page_value_is_array (BcsJsonPage *page)
{
  g_return_val_if_fail (page != NULL, FALSE);
  return page->has_value && page->value_is_array;
}

guint
bcs_json_page_get_n_elements (BcsJsonPage *page)
{
  g_return_val_if_fail (page != NULL, 0);
  return page->ranges->len / 2;
}

const char *
bcs_json_page_get_element (BcsJsonPage *page,
                           guint        index,
                           gsize       *length)
{
  const char *base;
  gsize start;

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (index < page->ranges->len / 2, NULL);

  base = g_bytes_get_data (page->body, NULL);
  start = g_array_index (page->ranges, gsize, 2 * index);
  if (length != NULL)
    *length = g_array_index (page->ranges, gsize, 2 * index + 1) - start;
  return base + start;
}

const char *
bcs_json_page_get_next_link (BcsJsonPage *page)
{
  g_return_val_if_fail (page != NULL, NULL);
  return page->next_link;
}

const char *
bcs_json_page_get_delta_link (BcsJsonPage *page)
{
  g_return_val_if_fail (page != NULL, NULL);
  return page->delta_link;
}

JsonArray *
bcs_json_page_parse_slice (BcsJsonPage  *page,
                           JsonParser   *parser,
                           guint         first,
                           guint         n_elements,
                           GError      **error)
{
  guint n = bcs_json_page_get_n_elements (page);
  guint last;
  JsonNode *root;

  g_return_val_if_fail (JSON_IS_PARSER (parser), NULL);

  first = MIN (first, n);
  last = first + MIN (n_elements, n - first);
  g_string_truncate (page->slice, 0);
  g_string_append_c (page->slice, '[');
  for (guint i = first; i < last; i++)
    {
      gsize length;
      const char *text = bcs_json_page_get_element (page, i, &length);

      if (i > first)
        g_string_append_c (page->slice, ',');
      g_string_append_len (page->slice, text, (gssize) length);
    }
  g_string_append_c (page->slice, ']');

  if (!json_parser_load_from_data (parser, page->slice->str, (gssize) page->slice->len, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "not an array");
      return NULL;
    }
  return json_array_ref (json_node_get_array (root));
}
