/* bcs-sb-bc-json.c — contacts written straight into a JSON text
 *
 * A page of 20,000 contacts as a JsonNode tree is half a million nodes; on a
 * small machine building and serialising it takes seconds. Pages are written
 * into one GString instead, in the same shape bcs_sb_bc_contact_to_json gives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-bc-private.h"

void
bcs_sb_bc_append_json_string (GString    *out,
                              const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = text;

  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
          break;
        }
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

/* "2026-11-24T10:00:04.123Z" from milliseconds since the epoch (days to
 * civil date as in Howard Hinnant's algorithm: no GDateTime per row) */
void
bcs_sb_bc_append_time (GString *out,
                       gint64   ms)
{
  gint64 s = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int msec = (int) (ms - s * 1000);
  gint64 days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  int sod = (int) (s - days * 86400);
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  guint doe = (guint) (z - era * 146097);
  guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 y = (gint64) yoe + era * 400;
  guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  guint mp = (5 * doy + 2) / 153;
  guint d = doy - (153 * mp + 2) / 5 + 1;
  guint m = mp < 10 ? mp + 3 : mp - 9;

  if (m <= 2)
    y++;
  {
    char buf[32];
    int yy = (int) CLAMP (y, 0, 9999);

    buf[0] = '0' + yy / 1000; buf[1] = '0' + yy / 100 % 10; buf[2] = '0' + yy / 10 % 10; buf[3] = '0' + yy % 10;
    buf[4] = '-'; buf[5] = '0' + m / 10; buf[6] = '0' + m % 10;
    buf[7] = '-'; buf[8] = '0' + d / 10; buf[9] = '0' + d % 10;
    buf[10] = 'T'; buf[11] = '0' + sod / 36000; buf[12] = '0' + sod / 3600 % 10;
    buf[13] = ':'; buf[14] = '0' + sod / 60 % 60 / 10; buf[15] = '0' + sod / 60 % 10;
    buf[16] = ':'; buf[17] = '0' + sod % 60 / 10; buf[18] = '0' + sod % 10;
    buf[19] = '.'; buf[20] = '0' + msec / 100; buf[21] = '0' + msec / 10 % 10; buf[22] = '0' + msec % 10;
    buf[23] = 'Z';
    g_string_append_len (out, buf, 24);
  }
}

/* BC's etags are W/"<base64 of '<n>;<row version>1;00;'>"; BUF gets the
 * base64 part (at least 96 bytes) */
void
bcs_sb_bc_etag_base64 (guint64 row_version,
                       char   *buf)
{
  char digits[32];
  char inner[64];
  int n_digits = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT "1", row_version);
  int n_inner = g_snprintf (inner, sizeof inner, "'%d;%s;00;'", n_digits - 1, digits);
  int state = 0, save = 0;
  gsize len;

  len = g_base64_encode_step ((const guchar *) inner, n_inner, FALSE, buf, &state, &save);
  len += g_base64_encode_close (FALSE, buf + len, &state, &save);
  buf[len] = '\0';
}

void
bcs_sb_bc_append_contact (GString              *out,
                          const BcsSbBcContact *contact,
                          const gboolean       *select)
{
  char etag[96];

  bcs_sb_bc_etag_base64 (contact->row_version, etag);
  g_string_append (out, "{\"@odata.etag\":\"W/\\\"");
  g_string_append (out, etag);
  g_string_append (out, "\\\"\"");
  for (guint i = 0; i < BC_N_FIELDS; i++)
    {
      if (select != NULL && !select[i])
        continue;
      g_string_append (out, ",\"");
      g_string_append (out, bcs_sb_bc_fields[i].name);
      g_string_append (out, "\":");
      switch (bcs_sb_bc_fields[i].kind)
        {
        case BC_KIND_BOOL:
          g_string_append (out, contact->privacy_blocked ? "true" : "false");
          break;
        case BC_KIND_DATETIME:
          g_string_append_c (out, '"');
          bcs_sb_bc_append_time (out, contact->modified_ms);
          g_string_append_c (out, '"');
          break;
        case BC_KIND_DATE:
          bcs_sb_bc_append_json_string (out, contact->values[i] ? contact->values[i] : "0001-01-01");
          break;
        case BC_KIND_GUID:
        case BC_KIND_STRING:
        case BC_KIND_ENUM:
        default:
          bcs_sb_bc_append_json_string (out, bcs_sb_bc_contact_get (contact, i));
          break;
        }
    }
  g_string_append_c (out, '}');
}
