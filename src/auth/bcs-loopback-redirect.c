/* bcs-loopback-redirect.c — the one-shot listener for the browser's redirect */
#define G_LOG_DOMAIN "bcs-auth"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "bcs-error.h"
#include "bcs-loopback-redirect.h"

struct _BcsLoopbackRedirect
{
  GObject parent_instance;

  SoupServer *server;
  char *uri;
  guint port;
  char *expected_state;
  gboolean listening;

  /* the outcome of the first redirect */
  gboolean done;
  char *code;
  GError *error;

  GMainContext *context;     /* where it listens */
  GTask *wait_task;
  GCancellable *wait_cancellable;
  gulong cancel_id;
  guint stop_source;
};

G_DEFINE_FINAL_TYPE (BcsLoopbackRedirect, bcs_loopback_redirect, G_TYPE_OBJECT)

static void
stop_listening (BcsLoopbackRedirect *self)
{
  if (!self->listening)
    return;

  self->listening = FALSE;
  soup_server_disconnect (self->server);
}

static gboolean
stop_cb (gpointer user_data)
{
  BcsLoopbackRedirect *self = user_data;

  self->stop_source = 0;
  stop_listening (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_stop (BcsLoopbackRedirect *self)
{
  GSource *source;

  if (self->stop_source != 0 || !self->listening)
    return;

  /* After the page has gone out: not from within the server's own callback */
  source = g_timeout_source_new (100);
  g_source_set_callback (source, stop_cb, g_object_ref (self), g_object_unref);
  self->stop_source = g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
complete_wait (BcsLoopbackRedirect *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->wait_task);

  if (task == NULL || !self->done)
    return;

  if (self->cancel_id != 0)
    g_cancellable_disconnect (self->wait_cancellable, self->cancel_id);
  self->cancel_id = 0;
  g_clear_object (&self->wait_cancellable);

  if (self->error != NULL)
    g_task_return_error (task, g_error_copy (self->error));
  else
    g_task_return_pointer (task, g_strdup (self->code), g_free);
}

static void
finish (BcsLoopbackRedirect *self,
        const char          *code,
        GError              *error)
{
  self->done = TRUE;
  self->code = g_strdup (code);
  self->error = error;
  schedule_stop (self);
  complete_wait (self);
}

static void
answer_page (SoupServerMessage *msg,
             guint              status,
             const char        *title,
             const char        *text)
{
  g_autofree char *page = NULL;

  page = g_markup_printf_escaped ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                                  "<title>%s</title></head>\n"
                                  "<body style=\"font-family: sans-serif; margin: 3em\">"
                                  "<h1>%s</h1>\n<p>%s</p></body></html>\n",
                                  title, title, text);
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, page, strlen (page));
}

/* Compares without stopping at the first difference */
static gboolean
state_matches (const char *expected,
               const char *received)
{
  gsize length;
  guint8 difference = 0;

  if (received == NULL || expected == NULL)
    return FALSE;

  length = strlen (expected);
  if (strlen (received) != length)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    difference |= (guint8) (expected[i] ^ received[i]);

  return difference == 0;
}

/* An OAuth error code is a short token of letters and '_': anything else is not shown */
static gboolean
error_code_is_plain (const char *code)
{
  if (strlen (code) > 64)
    return FALSE;
  for (const char *p = code; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  BcsLoopbackRedirect *self = user_data;
  const char *code = query ? g_hash_table_lookup (query, "code") : NULL;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *oauth_error = query ? g_hash_table_lookup (query, "error") : NULL;

  if (!g_str_equal (soup_server_message_get_method (msg), "GET") || !g_str_equal (path, "/") ||
      (code == NULL && oauth_error == NULL))
    {
      /* favicon.ico and the like */
      answer_page (msg, SOUP_STATUS_NOT_FOUND, _("Not found"), _("There is nothing here."));
      return;
    }

  if (self->done)
    {
      answer_page (msg, SOUP_STATUS_BAD_REQUEST, _("Sign-in already finished"),
                   _("This sign-in has already finished; this answer was refused. You can close this tab."));
      return;
    }

  if (!state_matches (self->expected_state, state))
    {
      g_debug ("refused a redirect with a state that does not belong to this sign-in");
      answer_page (msg, SOUP_STATUS_BAD_REQUEST, _("Sign-in refused"),
                   _("This answer does not belong to the sign-in that Business Central Contact Sync started, "
                     "so it was refused. Start the sign-in again from the application."));
      finish (self, NULL,
              g_error_new_literal (BCS_ERROR, BCS_ERROR_AUTH_DENIED,
                                   _("The browser brought back an answer that does not belong to this sign-in, "
                                     "so it was refused. Sign in again.")));
      return;
    }

  if (oauth_error != NULL)
    {
      GError *error;

      if (g_str_equal (oauth_error, "access_denied"))
        error = g_error_new_literal (BCS_ERROR, BCS_ERROR_AUTH_DENIED,
                                     _("The sign-in was cancelled or declined in the browser."));
      else
        /* TRANSLATORS: %s is an OAuth error code such as invalid_scope */
        error = g_error_new (BCS_ERROR, BCS_ERROR_AUTH_DENIED,
                             _("The Microsoft sign-in did not succeed (%s). Try signing in again."),
                             error_code_is_plain (oauth_error) ? oauth_error : "error");

      answer_page (msg, SOUP_STATUS_OK, _("Sign-in not completed"),
                   _("The sign-in was not completed. You can close this tab and return to Business Central Contact Sync."));
      finish (self, NULL, error);
      return;
    }

  answer_page (msg, SOUP_STATUS_OK, _("Sign-in finished"),
               _("You are signed in to Business Central Contact Sync. You can close this tab."));
  finish (self, code, NULL);
}

BcsLoopbackRedirect *
bcs_loopback_redirect_new (const char  *expected_state,
                           GError     **error)
{
  g_autoptr(BcsLoopbackRedirect) self = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (expected_state != NULL && *expected_state != '\0', NULL);

  self = g_object_new (BCS_TYPE_LOOPBACK_REDIRECT, NULL);
  self->expected_state = g_strdup (expected_state);
  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "bc-contact-sync", NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);

  /* 127.0.0.1 only: never 0.0.0.0 or :: */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!soup_server_listen (self->server, address, 0, error))
    {
      g_prefix_error (error, "%s", _("Could not wait for the browser’s answer on this computer: "));
      return NULL;
    }
  self->listening = TRUE;

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    self->port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->uri = g_strdup_printf ("http://localhost:%u", self->port);
  return g_steal_pointer (&self);
}

const char *
bcs_loopback_redirect_get_uri (BcsLoopbackRedirect *self)
{
  g_return_val_if_fail (BCS_IS_LOOPBACK_REDIRECT (self), NULL);
  return self->uri;
}

guint
bcs_loopback_redirect_get_port (BcsLoopbackRedirect *self)
{
  g_return_val_if_fail (BCS_IS_LOOPBACK_REDIRECT (self), 0);
  return self->port;
}

gboolean
bcs_loopback_redirect_is_listening (BcsLoopbackRedirect *self)
{
  g_return_val_if_fail (BCS_IS_LOOPBACK_REDIRECT (self), FALSE);
  return self->listening;
}

static gboolean
cancelled_idle (gpointer user_data)
{
  BcsLoopbackRedirect *self = user_data;

  if (!self->done)
    finish (self, NULL, g_error_new_literal (BCS_ERROR, BCS_ERROR_CANCELLED, _("The sign-in was cancelled.")));
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  BcsLoopbackRedirect *self = user_data;

  GSource *source = g_idle_source_new ();

  /* May run in another thread, and always inside the cancellable's signal
   * (where it cannot be disconnected): finish later, on our own context */
  g_source_set_callback (source, cancelled_idle, g_object_ref (self), g_object_unref);
  /* An idle's low priority would starve behind a window's frame clock while a
   * spinner animates: the user pressed Cancel, so finish promptly */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

void
bcs_loopback_redirect_wait_async (BcsLoopbackRedirect *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BCS_IS_LOOPBACK_REDIRECT (self));
  g_return_if_fail (self->wait_task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_loopback_redirect_wait_async);
  g_task_set_check_cancellable (task, FALSE);
  self->wait_task = task;

  if (self->done)
    {
      complete_wait (self);
      return;
    }

  if (cancellable != NULL)
    {
      self->wait_cancellable = g_object_ref (cancellable);
      self->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
    }
}

char *
bcs_loopback_redirect_wait_finish (BcsLoopbackRedirect  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bcs_loopback_redirect_dispose (GObject *object)
{
  BcsLoopbackRedirect *self = BCS_LOOPBACK_REDIRECT (object);

  if (self->cancel_id != 0)
    g_cancellable_disconnect (self->wait_cancellable, self->cancel_id);
  self->cancel_id = 0;
  g_clear_object (&self->wait_cancellable);
  if (self->server != NULL)
    {
      stop_listening (self);
      g_clear_object (&self->server);
    }

  G_OBJECT_CLASS (bcs_loopback_redirect_parent_class)->dispose (object);
}

static void
bcs_loopback_redirect_finalize (GObject *object)
{
  BcsLoopbackRedirect *self = BCS_LOOPBACK_REDIRECT (object);

  g_free (self->uri);
  g_free (self->expected_state);
  g_main_context_unref (self->context);
  if (self->code != NULL)
    memset (self->code, 0, strlen (self->code));
  g_free (self->code);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (bcs_loopback_redirect_parent_class)->finalize (object);
}

static void
bcs_loopback_redirect_class_init (BcsLoopbackRedirectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bcs_loopback_redirect_dispose;
  object_class->finalize = bcs_loopback_redirect_finalize;
}

static void
bcs_loopback_redirect_init (BcsLoopbackRedirect *self)
{
}
