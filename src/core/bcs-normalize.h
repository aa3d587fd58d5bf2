/* bcs-normalize.h — the normal form of a contact's text values
 *
 * Every value that is compared, hashed or stored goes through
 * bcs_normalize_value() first, so that both sides of a pair compare equal
 * when a person would call them equal. Pure functions, any thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Invalid UTF-8 replaced by U+FFFD (never a crash), Unicode NFC, leading and
 * trailing white space (any Unicode space, tabs, newlines) removed. NULL, ""
 * or white space only give NULL: an unset value has one form. */
char     *bcs_normalize_value       (const char *value);

/* The key used to match e-mail addresses: normalised, then case-folded
 * (g_utf8_casefold). NULL for an unset address. */
char     *bcs_normalize_email_key   (const char *email);

/* A key for looking a name up in a table, insensitive to case and
 * accents: normalised, case-folded, decomposed (NFD) with the combining marks
 * removed, inner white space collapsed to one space; "ß" stays "ss" as
 * case folding makes it. "Österreich" and "osterreich" give the same key. */
char     *bcs_normalize_lookup_key  (const char *value);

/* Equality of two values in normal form; NULL and "" are equal. */
gboolean  bcs_normalize_equal       (const char *a,
                                     const char *b);

/* Length in characters (not bytes); 0 for NULL. */
gsize     bcs_normalize_char_length (const char *value);

G_END_DECLS
