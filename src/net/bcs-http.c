/* bcs-http.c — the one entry point for every HTTP request of the application
 *
 * One send is a small state machine on the caller's thread-default main
 * context:  wait (shared backoff) → authorize (token provider) → slot (at
 * most N in flight) → send → read, and from read back to wait (429, 503,
 * 504, a dropped connection of an idempotent request) or to authorize (the
 * first 401, with a forced refresh). */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-http-private.h"
#include "bcs-http.h"
#include "bcs-json.h"

#define USER_AGENT "bc-contact-sync/" VERSION

struct _BcsHttp
{
  GObject parent_instance;

  SoupSession *session;
  GMainContext *context;
  GRand *rand;

  char *base_url[BCS_N_SERVICES];
  GUri *base_uri[BCS_N_SERVICES];
  BcsTokenProvider *provider[BCS_N_SERVICES];
  guint requests[BCS_N_SERVICES];
  gint64 wait_until[BCS_N_SERVICES];      /* monotonic µs; shared by all requests */
  guint in_flight[BCS_N_SERVICES];
  guint max_in_flight[BCS_N_SERVICES];
  GQueue slot_queue[BCS_N_SERVICES];      /* GTask waiting for a slot */

  guint max_attempts;
  double backoff_base;
  double backoff_cap;
};

G_DEFINE_FINAL_TYPE (BcsHttp, bcs_http, G_TYPE_OBJECT)

enum {
  SIGNAL_WAITING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  BcsHttpRequest *request;
  GUri *uri;
  char *authorization;
  guint attempts;             /* sends so far */
  gboolean refreshed;         /* the one forced refresh after a 401 is used */
  gboolean force_refresh;     /* the next authorization must not reuse a cached token */
  gint64 not_before;          /* monotonic µs: this request's own backoff */
  GSource *timer;
  GSource *cancel_source;
  SoupMessage *message;
} SendData;

static void send_wait (GTask *task);

static void
clear_wait_sources (SendData *data)
{
  if (data->timer != NULL)
    {
      g_source_destroy (data->timer);
      g_clear_pointer (&data->timer, g_source_unref);
    }
  if (data->cancel_source != NULL)
    {
      g_source_destroy (data->cancel_source);
      g_clear_pointer (&data->cancel_source, g_source_unref);
    }
}

/* Credentials do not linger in freed memory */
static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      memset (*secret, 0, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
send_data_free (SendData *data)
{
  clear_wait_sources (data);
  g_clear_object (&data->request);
  g_clear_pointer (&data->uri, g_uri_unref);
  clear_secret (&data->authorization);
  g_clear_object (&data->message);
  g_free (data);
}

static void
bcs_http_finalize (GObject *object)
{
  BcsHttp *self = (BcsHttp *) object;

  for (guint i = 0; i < BCS_N_SERVICES; i++)
    {
      g_free (self->base_url[i]);
      g_clear_pointer (&self->base_uri[i], g_uri_unref);
      g_clear_object (&self->provider[i]);
      g_warn_if_fail (g_queue_is_empty (&self->slot_queue[i]));
    }
  g_clear_object (&self->session);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (bcs_http_parent_class)->finalize (object);
}

static void
bcs_http_class_init (BcsHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bcs_http_finalize;

  /**
   * BcsHttp::waiting:
   * @service: the BcsService that asked to wait
   * @status: the HTTP status that caused it (429, 503, …; 0 for a dropped connection)
   * @seconds: how long
   * @message: a sentence for people ("Microsoft 365 asked us to wait — resuming in 5 s")
   */
  signals[SIGNAL_WAITING] =
    g_signal_new ("waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_DOUBLE, G_TYPE_STRING);
}

static void
bcs_http_init (BcsHttp *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->rand = g_rand_new ();
  self->max_attempts = BCS_HTTP_DEFAULT_MAX_ATTEMPTS;
  self->backoff_base = 1.0;
  self->backoff_cap = 60.0;
  self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                 "timeout", 120,
                                                 /* libsoup's default of 2 per host would
                                                  * hide the per-service limits */
                                                 "max-conns-per-host", 12,
                                                 "max-conns", 24,
                                                 NULL);
  for (guint i = 0; i < BCS_N_SERVICES; i++)
    g_queue_init (&self->slot_queue[i]);
}

BcsHttp *
bcs_http_new (void)
{
  return g_object_new (BCS_TYPE_HTTP, NULL);
}

void
bcs_http_set_base_url (BcsHttp    *self,
                       BcsService  service,
                       const char *base_url)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (BCS_IS_HTTP (self));
  g_return_if_fail (service < BCS_N_SERVICES);

  g_clear_pointer (&self->base_url[service], g_free);
  g_clear_pointer (&self->base_uri[service], g_uri_unref);
  if (base_url == NULL)
    return;

  trimmed = g_strdup (base_url);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  self->base_uri[service] = g_uri_parse (trimmed, BCS_HTTP_URI_FLAGS, NULL);
  self->base_url[service] = g_steal_pointer (&trimmed);
}

const char *
bcs_http_get_base_url (BcsHttp    *self,
                       BcsService  service)
{
  g_return_val_if_fail (BCS_IS_HTTP (self), NULL);
  g_return_val_if_fail (service < BCS_N_SERVICES, NULL);

  return self->base_url[service];
}

void
bcs_http_set_token_provider (BcsHttp          *self,
                             BcsService        service,
                             BcsTokenProvider *provider)
{
  g_return_if_fail (BCS_IS_HTTP (self));
  g_return_if_fail (service < BCS_N_SERVICES);
  g_return_if_fail (provider == NULL || BCS_IS_TOKEN_PROVIDER (provider));

  g_set_object (&self->provider[service], provider);
}

void
bcs_http_set_max_attempts (BcsHttp *self,
                           guint    max_attempts)
{
  g_return_if_fail (BCS_IS_HTTP (self));

  self->max_attempts = MAX (max_attempts, 1);
}

guint
bcs_http_get_max_attempts (BcsHttp *self)
{
  g_return_val_if_fail (BCS_IS_HTTP (self), 0);

  return self->max_attempts;
}

double
bcs_http_get_backoff_delay (BcsHttp *self,
                            guint    attempt)
{
  g_return_val_if_fail (BCS_IS_HTTP (self), 1.0);

  return bcs_http_backoff_delay (attempt, self->backoff_base, self->backoff_cap, self->rand);
}

void
bcs_http_set_backoff (BcsHttp *self,
                      double   base_seconds,
                      double   cap_seconds)
{
  g_return_if_fail (BCS_IS_HTTP (self));
  g_return_if_fail (base_seconds >= 0 && cap_seconds >= base_seconds);

  self->backoff_base = base_seconds;
  self->backoff_cap = cap_seconds;
}

void
bcs_http_set_max_in_flight (BcsHttp    *self,
                            BcsService  service,
                            guint       max)
{
  g_return_if_fail (BCS_IS_HTTP (self));
  g_return_if_fail (service < BCS_N_SERVICES);

  self->max_in_flight[service] = max;
}

guint
bcs_http_get_max_in_flight (BcsHttp    *self,
                            BcsService  service)
{
  g_return_val_if_fail (BCS_IS_HTTP (self), 0);
  g_return_val_if_fail (service < BCS_N_SERVICES, 0);

  return self->max_in_flight[service];
}

guint
bcs_http_get_request_count (BcsHttp    *self,
                            BcsService  service)
{
  g_return_val_if_fail (BCS_IS_HTTP (self), 0);
  g_return_val_if_fail (service < BCS_N_SERVICES, 0);

  return self->requests[service];
}

void
bcs_http_reset_request_counts (BcsHttp *self)
{
  g_return_if_fail (BCS_IS_HTTP (self));

  memset (self->requests, 0, sizeof self->requests);
}

static void
emit_waiting (BcsHttp    *self,
              BcsService  service,
              guint       status,
              double      seconds)
{
  g_autofree char *message = bcs_http_wait_message (service, status, seconds);

  g_debug ("%s", message);
  g_signal_emit (self, signals[SIGNAL_WAITING], 0, (guint) service, status, seconds, message);
}

void
bcs_http_defer (BcsHttp    *self,
                BcsService  service,
                guint       status,
                double      seconds)
{
  gint64 until;

  g_return_if_fail (BCS_IS_HTTP (self));
  g_return_if_fail (service < BCS_N_SERVICES);

  seconds = MAX (seconds, 0.0);
  until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  self->wait_until[service] = MAX (self->wait_until[service], until);
  emit_waiting (self, service, status, seconds);
}

char *
bcs_http_build_url (BcsHttp     *self,
                    BcsService   service,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (BCS_IS_HTTP (self), NULL);
  g_return_val_if_fail (service < BCS_N_SERVICES, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  uri = bcs_http_parse_url (service, self->base_url[service], self->base_uri[service], path, error);
  if (uri == NULL)
    return NULL;
  return g_uri_to_string (uri);
}

/* ---- the send state machine ---- */

static void
return_error (GTask  *task,
              GError *error)
{
  SendData *data = g_task_get_task_data (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    bcs_http_request_set_error (data->request, error);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);

  clear_wait_sources (data);
  return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The operation was cancelled.")));
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_done (gpointer user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);

  clear_wait_sources (data);
  /* The shared wait may have grown meanwhile: check again */
  send_wait (task);
  return G_SOURCE_REMOVE;
}

static void send_authorize (GTask *task);

static void
send_wait (GTask *task)
{
  BcsHttp *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  BcsService service = bcs_http_request_get_service (data->request);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gint64 until = MAX (self->wait_until[service], data->not_before);
  gint64 remaining = until - g_get_monotonic_time ();

  if (g_cancellable_is_cancelled (cancellable))
    {
      return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The operation was cancelled.")));
      return;
    }

  if (remaining <= 0)
    {
      send_authorize (task);
      return;
    }

  data->timer = g_timeout_source_new ((guint) ((remaining + 999) / 1000));
  g_source_set_callback (data->timer, on_wait_done, task, NULL);
  g_source_attach (data->timer, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (on_wait_cancelled), task, NULL);
      g_source_attach (data->cancel_source, g_task_get_context (task));
    }
}

static void send_acquire_slot (GTask *task);

static void
on_authorization (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;
  char *authorization;

  authorization = bcs_token_provider_get_authorization_finish (BCS_TOKEN_PROVIDER (object), result, &error);
  if (authorization == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (BCS_ERROR, BCS_ERROR_AUTH_REQUIRED, _("Sign in again."));
      return_error (task, error);
      return;
    }

  clear_secret (&data->authorization);
  data->authorization = authorization;
  data->force_refresh = FALSE;
  send_acquire_slot (task);
}

static void
send_authorize (GTask *task)
{
  BcsHttp *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  BcsService service = bcs_http_request_get_service (data->request);

  if (self->provider[service] == NULL)
    {
      send_acquire_slot (task);
      return;
    }

  bcs_token_provider_get_authorization_async (self->provider[service], service, data->force_refresh,
                                              g_task_get_cancellable (task),
                                              on_authorization, task);
}

static void send_now (GTask *task);

static void
send_acquire_slot (GTask *task)
{
  BcsHttp *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  BcsService service = bcs_http_request_get_service (data->request);

  if (self->max_in_flight[service] != 0 && self->in_flight[service] >= self->max_in_flight[service])
    {
      g_queue_push_tail (&self->slot_queue[service], task);
      return;
    }

  self->in_flight[service]++;
  send_now (task);
}

static void
release_slot (BcsHttp    *self,
              BcsService  service)
{
  g_return_if_fail (self->in_flight[service] > 0);

  self->in_flight[service]--;
  if (!g_queue_is_empty (&self->slot_queue[service]) &&
      (self->max_in_flight[service] == 0 || self->in_flight[service] < self->max_in_flight[service]))
    {
      GTask *next = g_queue_pop_head (&self->slot_queue[service]);

      self->in_flight[service]++;
      send_now (next);
    }
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_replace (user_data, name, value);
}

static char *
path_for_log (GUri *uri)
{
  /* The path only: queries may hold names and delta state */
  return g_strdup (g_uri_get_path (uri));
}

static void on_read (GObject *object, GAsyncResult *result, gpointer user_data);

static void
send_now (GTask *task)
{
  BcsHttp *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  BcsHttpRequest *request = data->request;
  BcsService service = bcs_http_request_get_service (request);
  SoupMessageHeaders *headers;
  JsonNode *json_body;
  GBytes *form_body;
  g_autofree char *log_path = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* Cancelled while waiting for a slot: give it to the next one */
      release_slot (self, service);
      return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The operation was cancelled.")));
      return;
    }

  g_clear_object (&data->message);
  data->message = soup_message_new_from_uri (bcs_http_request_get_method (request), data->uri);
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (data->message);
  soup_message_headers_foreach (bcs_http_request_get_headers (request), copy_header, headers);
  if (soup_message_headers_get_one (headers, "Accept") == NULL)
    soup_message_headers_replace (headers, "Accept", "application/json");
  if (data->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", data->authorization);
  bcs_http_request_set_used_basic_auth (request, data->authorization != NULL &&
                                        g_str_has_prefix (data->authorization, "Basic "));

  json_body = bcs_http_request_get_json_body (request);
  form_body = bcs_http_request_get_form_body (request);
  if (json_body != NULL)
    {
      g_autofree char *text = json_to_string (json_body, FALSE);
      gsize length = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), length);

      soup_message_set_request_body_from_bytes (data->message, "application/json", bytes);
    }
  else if (form_body != NULL)
    {
      soup_message_set_request_body_from_bytes (data->message, "application/x-www-form-urlencoded",
                                                form_body);
    }

  data->attempts++;
  self->requests[service]++;
  log_path = path_for_log (data->uri);
  g_debug ("%s %s (attempt %u)", bcs_http_request_get_method (request), log_path, data->attempts);

  soup_session_send_and_read_async (self->session, data->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_read, task);
}

/* Tries again after DELAY seconds for this request only; FALSE when the
 * attempts are used up */
static gboolean
retry_later (GTask  *task,
             guint   status)
{
  BcsHttp *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  double delay;

  if (data->attempts >= self->max_attempts)
    return FALSE;

  delay = bcs_http_backoff_delay (data->attempts, self->backoff_base, self->backoff_cap, self->rand);
  data->not_before = g_get_monotonic_time () + (gint64) (delay * G_USEC_PER_SEC);
  emit_waiting (self, bcs_http_request_get_service (data->request), status, delay);
  send_wait (task);
  return TRUE;
}

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  BcsHttp *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  BcsHttpRequest *request = data->request;
  BcsService service = bcs_http_request_get_service (request);
  const char *name = bcs_http_service_display_name (service);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(BcsJsonPage) page = NULL;
  SoupMessageHeaders *headers;
  gboolean transient;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  release_slot (self, service);

  if (bytes == NULL)
    {
      /* Headers arrived but the body broke off: the request was handled */
      gboolean partial = soup_message_get_status (data->message) != SOUP_STATUS_NONE;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          return_error (task, g_steal_pointer (&error));
          return;
        }

      g_debug ("%s: %s", bcs_service_to_string (service), error->message);
      if (bcs_http_request_is_idempotent (request) && retry_later (task, 0))
        return;

      if (partial)
        return_error (task, g_error_new (BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                                         _("The connection to %s broke off in the middle of an answer. "
                                           "Try again later."), name));
      else
        return_error (task, g_error_new (BCS_ERROR, BCS_ERROR_UNAVAILABLE,
                                         _("Could not reach %s: %s. Check the network connection."),
                                         name, error->message));
      return;
    }

  status = soup_message_get_status (data->message);
  headers = soup_message_get_response_headers (data->message);

  if (status == 401 && self->provider[service] != NULL && !data->refreshed)
    {
      g_debug ("%s answered 401: refreshing the credentials once", bcs_service_to_string (service));
      data->refreshed = TRUE;
      data->force_refresh = TRUE;
      send_authorize (task);
      return;
    }

  transient = status == 429 || status == 503 || status == 504;
  if (transient && data->attempts < self->max_attempts)
    {
      double seconds = bcs_http_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                                   NULL);

      if (seconds < 0)
        seconds = bcs_http_backoff_delay (data->attempts, self->backoff_base, self->backoff_cap,
                                          self->rand);
      bcs_http_defer (self, service, status, seconds);
      send_wait (task);
      return;
    }

  if (g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(GError) parse_error = NULL;
      gsize size;
      const char *text = g_bytes_get_data (bytes, &size);

      /* A list page: checked and scanned, its rows parsed later a slice at a time */
      if (status >= 200 && status < 300 && bcs_http_request_get_scan_page (request))
        page = bcs_json_page_scan (bytes, &parse_error);
      else
        json = bcs_json_parse (text, size, &parse_error);
      if (json == NULL && page == NULL && status >= 200 && status < 300)
        {
          g_debug ("unreadable answer from %s: %s", bcs_service_to_string (service), parse_error->message);
          if (bcs_http_request_is_idempotent (request) && retry_later (task, status))
            return;
          return_error (task, g_error_new (BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                                           _("%s sent an answer that could not be read. Try again later."),
                                           name));
          return;
        }
    }
  else if (status == 200 && g_strcmp0 (bcs_http_request_get_method (request), "GET") == 0)
    {
      if (retry_later (task, status))
        return;
      return_error (task, g_error_new (BCS_ERROR, BCS_ERROR_INVALID_RESPONSE,
                                       _("%s sent an empty answer. Try again later."), name));
      return;
    }

  bcs_http_request_set_result (request, status, headers, json);
  if (page != NULL)
    bcs_http_request_set_response_page (request, g_steal_pointer (&page));
  if (!bcs_http_request_propagate_error (request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
bcs_http_send_async (BcsHttp             *self,
                     BcsHttpRequest      *request,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  SendData *data;
  BcsService service;
  GError *error = NULL;

  g_return_if_fail (BCS_IS_HTTP (self));
  g_return_if_fail (BCS_IS_HTTP_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (G_UNLIKELY (g_main_context_get_thread_default () != self->context &&
                  !(g_main_context_get_thread_default () == NULL &&
                    self->context == g_main_context_default ())))
    g_warning ("BcsHttp used from another main context than the one it was created on");

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_http_send_async);

  data = g_new0 (SendData, 1);
  data->request = g_object_ref (request);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  bcs_http_request_clear_result (request);
  service = bcs_http_request_get_service (request);
  data->uri = bcs_http_parse_url (service, self->base_url[service], self->base_uri[service],
                                  bcs_http_request_get_path (request), &error);
  if (data->uri == NULL)
    {
      return_error (task, error);
      return;
    }

  send_wait (task);
}

gboolean
bcs_http_send_finish (BcsHttp       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (BCS_IS_HTTP (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
