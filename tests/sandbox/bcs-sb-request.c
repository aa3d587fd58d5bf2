/* bcs-sb-request.c — requests and responses as the sandbox's handlers see them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sandbox-private.h"

BcsSbRequest *
bcs_sb_request_new (BcsSbService  service,
                    const char   *method,
                    const char   *path)
{
  BcsSbRequest *request = g_new0 (BcsSbRequest, 1);

  request->service = service;
  request->method = g_strdup (method ? method : "GET");
  request->path = g_strdup (path ? path : "/");
  request->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  request->body = g_bytes_new (NULL, 0);
  return request;
}

void
bcs_sb_request_free (BcsSbRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->base_url);
  g_free (request->user);
  g_free (request);
}

JsonNode *
bcs_sb_request_get_json (BcsSbRequest  *request,
                         GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length = 0;
  const char *data = g_bytes_get_data (request->body, &length);

  if (length == 0)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "The request has no body");
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;

  return json_parser_steal_root (parser);
}

GHashTable *
bcs_sb_request_get_form (BcsSbRequest *request)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (request->body, &length);
  g_autofree char *text = g_strndup (data ? data : "", length);

  return soup_form_decode (text);
}

const char *
bcs_sb_request_get_query (BcsSbRequest *request,
                          const char   *name)
{
  return g_hash_table_lookup (request->query, name);
}

BcsSbResponse *
bcs_sb_response_new (void)
{
  BcsSbResponse *response = g_new0 (BcsSbResponse, 1);

  response->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  return response;
}

static void
response_clear_body (BcsSbResponse *response)
{
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_pointer (&response->content_type, g_free);
  g_clear_pointer (&response->raw, g_bytes_unref);
}

void
bcs_sb_response_free (BcsSbResponse *response)
{
  if (response == NULL)
    return;

  response_clear_body (response);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

void
bcs_sb_response_set_json (BcsSbResponse *response,
                          guint          status,
                          JsonNode      *node)
{
  response_clear_body (response);
  response->status = status;
  response->json = node;
}

void
bcs_sb_response_set_object (BcsSbResponse *response,
                            guint          status,
                            JsonObject    *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  bcs_sb_response_set_json (response, status, node);
}

void
bcs_sb_response_set_raw (BcsSbResponse *response,
                         guint          status,
                         const char    *content_type,
                         const char    *body,
                         gssize         length)
{
  response_clear_body (response);
  response->status = status;
  response->content_type = g_strdup (content_type);
  if (body != NULL)
    response->raw = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
}

void
bcs_sb_response_set_error (BcsSbResponse *response,
                           guint          status,
                           const char    *code,
                           const char    *message)
{
  JsonObject *object = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_object_member (object, "error", error);
  bcs_sb_response_set_object (response, status, object);
}

void
bcs_sb_response_redirect (BcsSbResponse *response,
                          const char    *location)
{
  response_clear_body (response);
  response->status = SOUP_STATUS_FOUND;
  soup_message_headers_replace (response->headers, "Location", location);
}

/* ---- ids and time ---- */

static void
fill_random (BcsSandbox *sandbox,
             guint8     *bytes,
             gsize       n)
{
  for (gsize i = 0; i < n; i += 4)
    {
      guint32 r = g_rand_int (sandbox->rand);

      for (gsize j = 0; j < 4 && i + j < n; j++)
        bytes[i + j] = (r >> (8 * j)) & 0xff;
    }
}

char *
bcs_sb_new_guid (BcsSandbox *sandbox)
{
  guint8 b[16];

  fill_random (sandbox, b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;  /* version 4 */
  b[8] = (b[8] & 0x3f) | 0x80;  /* RFC 4122 variant */
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* PREFIX followed by base64url (no padding) of random bytes, like Graph's
 * opaque ids ("AAMkAD…") and the identity platform's tokens */
char *
bcs_sb_new_token (BcsSandbox *sandbox,
                  const char *prefix)
{
  guint8 bytes[48];
  g_autofree char *b64 = NULL;
  GString *out;

  fill_random (sandbox, bytes, sizeof bytes);
  b64 = g_base64_encode (bytes, sizeof bytes);
  out = g_string_new (prefix);
  for (const char *p = b64; *p; p++)
    {
      if (*p == '+')
        g_string_append_c (out, '-');
      else if (*p == '/')
        g_string_append_c (out, '_');
      else if (*p != '=')
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
bcs_sb_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *base = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (now) / 1000);
}
