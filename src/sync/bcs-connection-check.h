/* bcs-connection-check.h — Exchange Sync. Setup's "Validate Connection"
 *
 * Runs the checks of SYNC-SPEC.md items 1 and 2 in order, each giving a
 * result with a message and, when something is to be done, a hint:
 *
 *   signed-in    who is signed in to Microsoft 365 (/me)
 *   bc-user      Business Central answers, and the account is one of its
 *                users (online: the user card's Microsoft 365 section; on
 *                premises: the user name and web service access key)
 *   environment  the configured environment exists (online only)
 *   company      the configured company exists. Without one: with
 *                bcs_connection_check_set_default_company() (--sandbox, as
 *                the sync does) a warning naming the first company, which
 *                the sync will use; otherwise a failure listing the names
 *                to choose from, because a sync would stop there too
 *   mailbox      the mailbox's contact folders can be read
 *   folder       the Outlook folder exists, or will be created at the first
 *                sync (never a failure)
 *   user-mapping the Business Central user record's contactEmail matches the
 *                mailbox. Online, the record is the one whose contactEmail
 *                is the mailbox, else the one whose user name or display
 *                name is the account's (Business Central derives user names
 *                from the account); on premises, the one named by the
 *                profile's user name. A different or empty contactEmail is
 *                a warning asking the user to confirm; a list that cannot
 *                be read is skipped with the reason.
 *
 * A check whose prerequisite failed is skipped, saying which. Messages
 * never hold a token or key. No GTK: used by the window and by --validate. */
#pragma once

#include <gio/gio.h>

#include "bcs-http.h"
#include "bcs-profile.h"

G_BEGIN_DECLS

typedef enum {
  BCS_CONNECTION_CHECK_SIGNED_IN,
  BCS_CONNECTION_CHECK_BC_USER,
  BCS_CONNECTION_CHECK_ENVIRONMENT,
  BCS_CONNECTION_CHECK_COMPANY,
  BCS_CONNECTION_CHECK_MAILBOX,
  BCS_CONNECTION_CHECK_FOLDER,
  BCS_CONNECTION_CHECK_USER_MAPPING,
} BcsConnectionCheckId;

typedef enum {
  BCS_CHECK_STATUS_PASS,
  BCS_CHECK_STATUS_WARNING,     /* works, but the user should look at it */
  BCS_CHECK_STATUS_FAIL,
  BCS_CHECK_STATUS_SKIPPED,     /* not run: a prerequisite failed, or not applicable */
} BcsCheckStatus;

typedef struct {
  BcsConnectionCheckId id;
  char *title;                  /* "Signed in to Microsoft 365" */
  BcsCheckStatus status;
  char *message;                /* what was found, for people */
  char *hint;                   /* what to do, or NULL */
} BcsConnectionCheckResult;

void        bcs_connection_check_result_free (BcsConnectionCheckResult *result);
/* "signed-in", "bc-user", … (stable: for scripts and the window's rows) */
const char *bcs_connection_check_id_to_string (BcsConnectionCheckId id);
/* TRUE when no result is a failure (warnings and skips of checks that do
 * not apply pass) */
gboolean    bcs_connection_check_results_passed (GPtrArray *results);

#define BCS_TYPE_CONNECTION_CHECK (bcs_connection_check_get_type ())
G_DECLARE_FINAL_TYPE (BcsConnectionCheck, bcs_connection_check, BCS, CONNECTION_CHECK, GObject)

/* HTTP: with the base URLs of Graph and Business Central (online: the
 * profile's BC root; on premises: its base URL) and their token providers */
BcsConnectionCheck *bcs_connection_check_new          (BcsProfile          *profile,
                                                       BcsHttp             *http);
/* The same with a BcsHttp of its own, on the keyring's sign-in (the token
 * manager; on premises the Basic auth provider for Business Central).
 * Create it on the main context it will run on. */
BcsConnectionCheck *bcs_connection_check_new_for_profile (BcsProfile       *profile);
BcsHttp            *bcs_connection_check_get_http     (BcsConnectionCheck  *self);
/* Without a configured company, the first one will do (as the sync's
 * default company: --sandbox) */
void                bcs_connection_check_set_default_company (BcsConnectionCheck *self,
                                                              gboolean            first_company);

/* Runs every check; the result is a GPtrArray of BcsConnectionCheckResult
 * in the order above (the environment check only online). Fails only when
 * cancelled (BCS_ERROR_CANCELLED): every other problem is a result. */
void                bcs_connection_check_run_async    (BcsConnectionCheck  *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GPtrArray          *bcs_connection_check_run_finish   (BcsConnectionCheck  *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsConnectionCheckResult, bcs_connection_check_result_free)

G_END_DECLS
