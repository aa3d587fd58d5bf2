/* bcs-normalize.c — the normal form of a contact's text values */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <string.h>

#include "bcs-normalize.h"

static gboolean
is_ascii (const char *value)
{
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;

  return TRUE;
}

char *
bcs_normalize_value (const char *value)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfc = NULL;
  const char *start;
  const char *end;

  if (value == NULL || *value == '\0')
    return NULL;

  if (is_ascii (value))
    {
      /* ASCII is valid UTF-8 in NFC already: the common case, kept cheap */
      start = value;
    }
  else
    {
      if (!g_utf8_validate (value, -1, NULL))
        value = valid = g_utf8_make_valid (value, -1);
      nfc = g_utf8_normalize (value, -1, G_NORMALIZE_NFC);
      if (nfc == NULL)
        return NULL;
      start = nfc;
    }

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  if (end == start)
    return NULL;

  return g_strndup (start, end - start);
}

char *
bcs_normalize_email_key (const char *email)
{
  g_autofree char *norm = bcs_normalize_value (email);

  if (norm == NULL)
    return NULL;

  return g_utf8_casefold (norm, -1);
}

char *
bcs_normalize_lookup_key (const char *value)
{
  g_autofree char *norm = bcs_normalize_value (value);
  g_autofree char *folded = NULL;
  g_autofree char *nfd = NULL;
  GString *out;
  gboolean in_space = FALSE;

  if (norm == NULL)
    return NULL;

  folded = g_utf8_casefold (norm, -1);
  nfd = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
  out = g_string_new (NULL);

  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (g_unichar_type (c))
        {
        case G_UNICODE_NON_SPACING_MARK:
        case G_UNICODE_SPACING_MARK:
        case G_UNICODE_ENCLOSING_MARK:
          continue;
        default:
          break;
        }

      if (g_unichar_isspace (c))
        {
          in_space = TRUE;
          continue;
        }

      if (in_space && out->len > 0)
        g_string_append_c (out, ' ');
      in_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

gboolean
bcs_normalize_equal (const char *a,
                     const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

gsize
bcs_normalize_char_length (const char *value)
{
  if (value == NULL)
    return 0;

  return g_utf8_strlen (value, -1);
}
