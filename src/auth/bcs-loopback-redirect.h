/* bcs-loopback-redirect.h — the one-shot listener for the browser's redirect
 *
 * Listens on 127.0.0.1 only, on a random port, for exactly one redirect of
 * the authorization code flow: the right `state` gives the code, a wrong one
 * is refused (a page, and the wait fails), and after the first answer every
 * further request is refused. The browser gets a small page saying it can
 * be closed; then the listener stops. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BCS_TYPE_LOOPBACK_REDIRECT (bcs_loopback_redirect_get_type ())
G_DECLARE_FINAL_TYPE (BcsLoopbackRedirect, bcs_loopback_redirect, BCS, LOOPBACK_REDIRECT, GObject)

/* Starts listening on the thread-default main context */
BcsLoopbackRedirect *bcs_loopback_redirect_new          (const char           *expected_state,
                                                         GError              **error);
/* "http://localhost:PORT", the redirect_uri to send */
const char          *bcs_loopback_redirect_get_uri      (BcsLoopbackRedirect  *self);
guint                bcs_loopback_redirect_get_port     (BcsLoopbackRedirect  *self);
gboolean             bcs_loopback_redirect_is_listening (BcsLoopbackRedirect  *self);

/* Waits for the redirect; returns the authorization code */
void                 bcs_loopback_redirect_wait_async   (BcsLoopbackRedirect  *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char                *bcs_loopback_redirect_wait_finish  (BcsLoopbackRedirect  *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
