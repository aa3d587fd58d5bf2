/* auth-test-support.c — what the sign-in and keyring tests share */
#include "config.h"

#include <string.h>

#include "auth-test-support.h"
#include "bcs-sb-login-private.h"

typedef struct {
  GSourceFunc func;
  gpointer data;
  GMutex mutex;
  GCond cond;
  gboolean done;
} Call;

static gboolean
call_cb (gpointer user_data)
{
  Call *call = user_data;

  call->func (call->data);
  g_mutex_lock (&call->mutex);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->mutex);
  return G_SOURCE_REMOVE;
}

void
auth_test_in_sandbox (BcsSandbox  *sandbox,
                      GSourceFunc  func,
                      gpointer     data)
{
  Call call = { .func = func, .data = data };

  g_mutex_init (&call.mutex);
  g_cond_init (&call.cond);
  g_main_context_invoke (sandbox->context, call_cb, &call);
  g_mutex_lock (&call.mutex);
  while (!call.done)
    g_cond_wait (&call.cond, &call.mutex);
  g_mutex_unlock (&call.mutex);
  g_mutex_clear (&call.mutex);
  g_cond_clear (&call.cond);
}

void
auth_test_revoke_all (BcsSandbox *sandbox)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  /* As an administrator would, from elsewhere */
  reply = bcs_sandbox_request (sandbox, "POST", "/_sandbox/login/revoke", NULL, &status);
  g_assert_cmpuint (status, ==, 204);
}

typedef struct {
  BcsSandbox *sandbox;
  guint interval;
  guint lifetime;
} Timing;

static gboolean
timing_cb (gpointer data)
{
  Timing *timing = data;

  bcs_sb_login_set_device_timing (timing->sandbox->login, timing->interval, timing->lifetime);
  return G_SOURCE_REMOVE;
}

void
auth_test_device_timing (BcsSandbox *sandbox,
                         guint       interval,
                         guint       lifetime)
{
  Timing timing = { sandbox, interval, lifetime };

  auth_test_in_sandbox (sandbox, timing_cb, &timing);
}

BcsProfile *
auth_test_profile (const char *name,
                   BcsSandbox *sandbox)
{
  g_autoptr(GError) error = NULL;
  BcsProfile *profile = bcs_profile_new (name, bcs_sandbox_get_url (sandbox), &error);

  g_assert_no_error (error);
  return profile;
}

BcsHttp *
auth_test_http (BcsSandbox *sandbox)
{
  BcsHttp *http = bcs_http_new ();
  g_autofree char *login = g_strconcat (bcs_sandbox_get_url (sandbox), "/login/sandbox", NULL);
  g_autofree char *graph = g_strconcat (bcs_sandbox_get_url (sandbox), "/graph/v1.0", NULL);

  bcs_http_set_base_url (http, BCS_SERVICE_LOGIN, login);
  bcs_http_set_base_url (http, BCS_SERVICE_GRAPH, graph);
  bcs_http_set_backoff (http, 0.01, 0.05);
  return http;
}

char *
auth_test_lookup (BcsTokenStore *store,
                  const char    *kind)
{
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  bcs_token_store_lookup_async (store, kind, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  secret = bcs_token_store_lookup_finish (store, done, &error);
  g_assert_no_error (error);
  return secret;
}

void
auth_test_store (BcsTokenStore *store,
                 const char    *kind,
                 const char    *secret)
{
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;

  bcs_token_store_store_async (store, kind, secret, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  g_assert_true (bcs_token_store_store_finish (store, done, &error));
  g_assert_no_error (error);
}

void
auth_test_clear (BcsTokenStore *store,
                 const char    *kind)
{
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;

  bcs_token_store_clear_async (store, kind, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  g_assert_true (bcs_token_store_clear_finish (store, done, &error));
  g_assert_no_error (error);
}

/* Binary-safe: keyring files hold NUL bytes */
static gboolean
contains (const char *haystack,
          gsize       length,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= length && i <= length - n; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static guint
scan (const char         *dir,
      const char * const *needles)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_files = 0;

  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_files += scan (path, needles);
        }
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (!g_file_get_contents (path, &contents, &length, NULL))
            continue;
          n_files++;
          for (guint i = 0; needles[i] != NULL; i++)
            if (contains (contents, length, needles[i]))
              g_error ("%s holds a secret that must only be in the keyring", path);
        }
    }

  return n_files;
}

void
auth_test_assert_no_file_contains (const char         *dir,
                                   const char * const *needles)
{
  g_assert_nonnull (needles[0]);
  for (guint i = 0; needles[i] != NULL; i++)
    g_assert_cmpuint (strlen (needles[i]), >=, 16);

  /* The keyring's own files are there at least: the walk saw something */
  g_assert_cmpuint (scan (dir, needles), >, 0);
}

/* ---- a browser on another thread ---- */

typedef struct {
  char *url;
  char *form;
  AuthTestPage *page;
  GMainContext *waiting;
  int done;
} Visit;

void
auth_test_page_free (AuthTestPage *page)
{
  if (page == NULL)
    return;
  g_free (page->location);
  g_free (page->body);
  g_free (page);
}

static gpointer
visit_thread (gpointer user_data)
{
  Visit *visit = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", 20, NULL);
  if (visit->form != NULL)
    message = soup_message_new_from_encoded_form ("POST", visit->url, g_strdup (visit->form));
  else
    message = soup_message_new ("GET", visit->url);
  g_assert_nonnull (message);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  visit->page = g_new0 (AuthTestPage, 1);
  body = soup_session_send_and_read (session, message, NULL, &error);
  if (body != NULL)
    {
      visit->page->status = soup_message_get_status (message);
      visit->page->location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                                      "Location"));
      visit->page->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }
  g_clear_object (&message);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);

  g_atomic_int_set (&visit->done, 1);
  g_main_context_wakeup (visit->waiting);
  return NULL;
}

AuthTestPage *
auth_test_browser (const char *url,
                   const char *form)
{
  Visit visit = { 0 };
  GThread *thread;

  visit.url = (char *) url;
  visit.form = (char *) form;
  visit.waiting = g_main_context_ref_thread_default ();
  thread = g_thread_new ("browser", visit_thread, &visit);
  while (!g_atomic_int_get (&visit.done))
    g_main_context_iteration (visit.waiting, TRUE);
  g_thread_join (thread);
  g_main_context_unref (visit.waiting);
  return visit.page;
}

char *
auth_test_pending_id (const char *body)
{
  const char *marker = "name=\"pending\" value=\"";
  const char *start = body ? strstr (body, marker) : NULL;
  const char *end;

  g_assert_nonnull (start);
  start += strlen (marker);
  end = strchr (start, '"');
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}
