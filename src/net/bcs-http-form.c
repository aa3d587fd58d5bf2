/* bcs-http-form.c — the form POST of the identity platform */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-http-private.h"
#include "bcs-http.h"

static void
on_form_sent (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsHttpRequest *request = g_task_get_task_data (task);
  GError *error = NULL;
  JsonNode *json;

  if (!bcs_http_send_finish (BCS_HTTP (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  json = bcs_http_request_get_response_json (request);
  if (json == NULL)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                               _("%s sent an empty answer. Try again later."),
                               bcs_http_service_display_name (bcs_http_request_get_service (request)));
      return;
    }

  g_task_return_pointer (task, json_node_ref (json), (GDestroyNotify) json_node_unref);
}

void
bcs_http_post_form_async (BcsHttp             *self,
                          BcsService           service,
                          const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          const char          *first_name,
                          ...)
{
  g_autoptr(BcsHttpRequest) request = NULL;
  GTask *task;
  va_list args;

  g_return_if_fail (BCS_IS_HTTP (self));
  g_return_if_fail (path != NULL);

  request = bcs_http_request_new (service, "POST", path);
  va_start (args, first_name);
  bcs_http_request_set_form_body_valist (request, first_name, args);
  va_end (args);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_http_post_form_async);
  g_task_set_task_data (task, g_object_ref (request), g_object_unref);

  bcs_http_send_async (self, request, cancellable, on_form_sent, task);
}

JsonNode *
bcs_http_post_form_finish (BcsHttp       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BCS_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
