/* bcs-application-profiles-private.h — what the tests see of renaming and removing profiles
 *
 * A rename or removal runs in a worker thread under the profile's run lock
 * (the store's, as a sync takes it): from before the first change until
 * after the last, failures included. The hook below is called at each of
 * its steps, in that thread, so a test can hold the operation half-way
 * (and check that nobody else gets the lock meanwhile) or make a step fail
 * as the keyring would. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* STEP, with DETAIL:
 *   "locked"        the run lock is taken, nothing changed yet (the profile's name)
 *   "store-token"   a sign-in item is about to be written (the keyring's "profile"
 *                   attribute it goes under; also when a failed rename moves
 *                   the items back)
 *   "clear-tokens"  the items of a name are about to be removed (that attribute)
 *   "unlocking"     every change is done (settings and list too), the lock is
 *                   about to be released (the name the profile has now)
 * FALSE with ERROR fails the step: "store-token" and "clear-tokens" as a
 * keyring that refused, "locked" as a store that did; at "unlocking" there
 * is nothing left to fail (the result is ignored). */
typedef gboolean (*BcsProfileOpHook) (const char  *step,
                                      const char  *detail,
                                      gpointer     user_data,
                                      GError     **error);

/* HOOK NULL: none (the default). Set it while no rename or removal runs. */
void bcs_application_profiles_set_op_hook (BcsProfileOpHook hook,
                                           gpointer         user_data);

G_END_DECLS
