/* bcs-http-request.c — one prepared request to a service, and its result */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <stdarg.h>

#include "bcs-http-private.h"
#include "bcs-http-request.h"

struct _BcsHttpRequest
{
  GObject parent_instance;

  BcsService service;
  char *method;
  char *path;
  JsonNode *json_body;
  GBytes *form_body;
  SoupMessageHeaders *headers;
  char *batch_id;
  GPtrArray *depends_on;      /* BcsHttpRequest, weak: the batch holds them */
  gboolean used_basic_auth;
  gboolean scan_page;

  gboolean has_result;
  guint status;
  SoupMessageHeaders *response_headers;
  JsonNode *response_json;
  BcsJsonPage *response_page;
  GError *error;
};

G_DEFINE_FINAL_TYPE (BcsHttpRequest, bcs_http_request, G_TYPE_OBJECT)

static void
bcs_http_request_finalize (GObject *object)
{
  BcsHttpRequest *self = (BcsHttpRequest *) object;

  g_free (self->method);
  g_free (self->path);
  g_clear_pointer (&self->json_body, json_node_unref);
  g_clear_pointer (&self->form_body, g_bytes_unref);
  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_free (self->batch_id);
  g_clear_pointer (&self->depends_on, g_ptr_array_unref);
  bcs_http_request_clear_result (self);

  G_OBJECT_CLASS (bcs_http_request_parent_class)->finalize (object);
}

static void
bcs_http_request_class_init (BcsHttpRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_http_request_finalize;
}

static void
bcs_http_request_init (BcsHttpRequest *self)
{
  self->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
}

BcsHttpRequest *
bcs_http_request_new (BcsService  service,
                      const char *method,
                      const char *path)
{
  BcsHttpRequest *self;

  g_return_val_if_fail (service < BCS_N_SERVICES, NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (BCS_TYPE_HTTP_REQUEST, NULL);
  self->service = service;
  self->method = g_ascii_strup (method, -1);
  self->path = g_strdup (path);

  return self;
}

BcsService
bcs_http_request_get_service (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), BCS_SERVICE_LOGIN);
  return self->service;
}

const char *
bcs_http_request_get_method (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->method;
}

const char *
bcs_http_request_get_path (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->path;
}

void
bcs_http_request_set_path (BcsHttpRequest *self,
                           const char     *path)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));
  g_return_if_fail (path != NULL);

  if (self->path != path)
    {
      g_free (self->path);
      self->path = g_strdup (path);
    }
}

gboolean
bcs_http_request_is_idempotent (BcsHttpRequest *self)
{
  static const char * const idempotent[] = { "GET", "HEAD", "PUT", "DELETE", "OPTIONS", NULL };

  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), FALSE);
  return g_strv_contains (idempotent, self->method);
}

void
bcs_http_request_set_json_body (BcsHttpRequest *self,
                                JsonNode       *body)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));

  g_clear_pointer (&self->form_body, g_bytes_unref);
  if (body != NULL)
    json_node_ref (body);
  g_clear_pointer (&self->json_body, json_node_unref);
  self->json_body = body;
}

void
bcs_http_request_set_object_body (BcsHttpRequest *self,
                                  JsonObject     *body)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));

  if (body != NULL)
    node = json_node_init_object (json_node_alloc (), body);
  bcs_http_request_set_json_body (self, node);
}

JsonNode *
bcs_http_request_get_json_body (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->json_body;
}

void
bcs_http_request_set_form_body (BcsHttpRequest *self,
                                const char     *first_name,
                                ...)
{
  va_list args;

  va_start (args, first_name);
  bcs_http_request_set_form_body_valist (self, first_name, args);
  va_end (args);
}

void
bcs_http_request_set_form_body_valist (BcsHttpRequest *self,
                                       const char     *first_name,
                                       va_list         args)
{
  g_autoptr(GString) form = g_string_new (NULL);
  const char *name = first_name;

  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));

  while (name != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        {
          g_autofree char *escaped_name = g_uri_escape_string (name, NULL, FALSE);
          g_autofree char *escaped_value = g_uri_escape_string (value, NULL, FALSE);

          if (form->len > 0)
            g_string_append_c (form, '&');
          g_string_append_printf (form, "%s=%s", escaped_name, escaped_value);
        }
      name = va_arg (args, const char *);
    }

  g_clear_pointer (&self->json_body, json_node_unref);
  g_clear_pointer (&self->form_body, g_bytes_unref);
  self->form_body = g_string_free_to_bytes (g_steal_pointer (&form));
}

GBytes *
bcs_http_request_get_form_body (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->form_body;
}

void
bcs_http_request_add_header (BcsHttpRequest *self,
                             const char     *name,
                             const char     *value)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));
  g_return_if_fail (name != NULL && value != NULL);

  soup_message_headers_replace (self->headers, name, value);
}

SoupMessageHeaders *
bcs_http_request_get_headers (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->headers;
}

const char *
bcs_http_request_get_batch_id (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->batch_id;
}

void
bcs_http_request_set_batch_id (BcsHttpRequest *self,
                               const char     *id)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));

  if (self->batch_id != id)
    {
      g_free (self->batch_id);
      self->batch_id = g_strdup (id);
    }
}

void
bcs_http_request_add_depends_on (BcsHttpRequest *self,
                                 BcsHttpRequest *other)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));
  g_return_if_fail (BCS_IS_HTTP_REQUEST (other));

  if (self->depends_on == NULL)
    self->depends_on = g_ptr_array_new ();
  g_ptr_array_add (self->depends_on, other);
}

GPtrArray *
bcs_http_request_get_depends_on (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->depends_on;
}

void
bcs_http_request_set_used_basic_auth (BcsHttpRequest *self,
                                      gboolean        basic)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));
  self->used_basic_auth = !!basic;
}

gboolean
bcs_http_request_get_used_basic_auth (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), FALSE);
  return self->used_basic_auth;
}

void
bcs_http_request_set_result (BcsHttpRequest     *self,
                             guint               status,
                             SoupMessageHeaders *headers,
                             JsonNode           *json)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));

  bcs_http_request_clear_result (self);
  self->has_result = TRUE;
  self->status = status;
  self->response_headers = headers != NULL ? soup_message_headers_ref (headers)
                                           : soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  self->response_json = json != NULL ? json_node_ref (json) : NULL;

  if (status < 200 || status >= 300)
    self->error = bcs_http_error_from_response (self->service, self->method, self->path,
                                                status, json, self->used_basic_auth);
}

void
bcs_http_request_set_error (BcsHttpRequest *self,
                            const GError   *error)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));
  g_return_if_fail (error != NULL);

  bcs_http_request_clear_result (self);
  self->has_result = TRUE;
  self->error = g_error_copy (error);
}

void
bcs_http_request_clear_result (BcsHttpRequest *self)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));

  self->has_result = FALSE;
  self->status = 0;
  g_clear_pointer (&self->response_headers, soup_message_headers_unref);
  g_clear_pointer (&self->response_json, json_node_unref);
  g_clear_pointer (&self->response_page, bcs_json_page_free);
  g_clear_error (&self->error);
}

void
bcs_http_request_set_scan_page (BcsHttpRequest *self,
                                gboolean        scan_page)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));
  self->scan_page = scan_page;
}

gboolean
bcs_http_request_get_scan_page (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), FALSE);
  return self->scan_page;
}

void
bcs_http_request_set_response_page (BcsHttpRequest *self,
                                    BcsJsonPage    *page)
{
  g_return_if_fail (BCS_IS_HTTP_REQUEST (self));
  g_clear_pointer (&self->response_page, bcs_json_page_free);
  self->response_page = page;
}

BcsJsonPage *
bcs_http_request_get_response_page (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->response_page;
}

gboolean
bcs_http_request_has_result (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), FALSE);
  return self->has_result;
}

guint
bcs_http_request_get_status (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), 0);
  return self->status;
}

SoupMessageHeaders *
bcs_http_request_get_response_headers (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->response_headers;
}

JsonNode *
bcs_http_request_get_response_json (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->response_json;
}

JsonObject *
bcs_http_request_get_response_object (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);

  if (self->response_json == NULL || !JSON_NODE_HOLDS_OBJECT (self->response_json))
    return NULL;
  return json_node_get_object (self->response_json);
}

const GError *
bcs_http_request_get_error (BcsHttpRequest *self)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), NULL);
  return self->error;
}

gboolean
bcs_http_request_propagate_error (BcsHttpRequest  *self,
                                  GError         **error)
{
  g_return_val_if_fail (BCS_IS_HTTP_REQUEST (self), FALSE);

  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }

  return TRUE;
}

char *
bcs_http_odata_string (const char *value)
{
  g_autoptr(GString) quoted = g_string_new ("'");

  g_return_val_if_fail (value != NULL, NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (quoted, '\'');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '\'');
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

char *
bcs_http_escape (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  return g_uri_escape_string (value, NULL, FALSE);
}
