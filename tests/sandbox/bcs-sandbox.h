/* bcs-sandbox.h — a local Microsoft 365 and Business Central for tests and the demo
 *
 * Tests start it in-process on port 0 with bcs_sandbox_start_thread(): the
 * server runs on its own thread and GMainContext, so a test may use blocking
 * calls (bcs_sandbox_request) or the application's async clients alike. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _BcsSandbox BcsSandbox;

typedef struct {
  guint port;               /* 0: a free port */
  guint bc_contacts;        /* seeded Business Central contacts */
  guint outlook_contacts;   /* seeded Outlook contacts, in a folder "Business Central" (created only when > 0) */
  guint64 seed;             /* deterministic data */
  char *state_file;         /* load at start, save at stop (NULL: none) */
  gboolean auto_approve;    /* authorize and device code approve at once */
  char *user;               /* the signed-in account, default demo@sandbox.example */
  gboolean realistic;       /* the real services' limits and latency */
  int latency_ms;           /* -1: the documented defaults */
  guint token_lifetime;     /* access token lifetime in seconds, default 3599 */
} BcsSandboxOptions;

void         bcs_sandbox_options_init   (BcsSandboxOptions *options);
void         bcs_sandbox_options_clear  (BcsSandboxOptions *options);

BcsSandbox  *bcs_sandbox_new            (const BcsSandboxOptions *options);
/* Serves on the calling thread's thread-default main context */
gboolean     bcs_sandbox_start          (BcsSandbox  *sandbox,
                                         GError     **error);
/* Serves on a thread of its own (tests) */
gboolean     bcs_sandbox_start_thread   (BcsSandbox  *sandbox,
                                         GError     **error);
/* "http://127.0.0.1:PORT", no trailing slash */
const char  *bcs_sandbox_get_url        (BcsSandbox  *sandbox);
gboolean     bcs_sandbox_save_state     (BcsSandbox  *sandbox,
                                         GError     **error);
/* Stops serving (joins the thread if any), saves the state file, frees */
void         bcs_sandbox_free           (BcsSandbox  *sandbox);

/* Blocking HTTP helper for tests (sandbox on its own thread only): sends
 * METHOD to URL/PATH with an optional JSON body and returns the parsed JSON
 * reply (NULL when the body is empty or not JSON); *status gets the HTTP status. */
JsonNode    *bcs_sandbox_request        (BcsSandbox  *sandbox,
                                         const char  *method,
                                         const char  *path,
                                         const char  *json_body,
                                         guint       *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSandbox, bcs_sandbox_free)

G_END_DECLS
