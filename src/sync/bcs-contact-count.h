/* bcs-contact-count.h — how many Business Central contacts the filters let through
 *
 * Contact Sync. Setup's "Count Matching Contacts": lists the company's
 * contacts with the OData $filter the filters translate to (a prefilter
 * when the translation is not exact) and counts those that match the
 * filters and are eligible for Outlook (bcs_contact_check_to_outlook), as a
 * sync would take them. Runs in a worker thread with its own main context;
 * the result arrives on the caller's. No GTK. */
#pragma once

#include <gio/gio.h>

#include "bcs-bc-filter.h"
#include "bcs-profile.h"
#include "bcs-sync-engine.h"

G_BEGIN_DECLS

typedef struct {
  guint matching;             /* eligible and matching the filters */
  guint listed;               /* rows Business Central sent */
} BcsContactCount;

/* Counts PROFILE's contacts under FILTER (copied from its a{ss} setting
 * form; NULL: the profile's stored filters). PROVIDER_FUNC gives the
 * tokens (called in the worker; NULL: the keyring's sign-in, which fails
 * with BCS_ERROR_AUTH_REQUIRED when nobody signed in). Without a configured
 * company, FIRST_COMPANY takes Business Central's first (--sandbox), else
 * it fails with BCS_ERROR_NOT_CONFIGURED. Cancelled: BCS_ERROR_CANCELLED. */
void     bcs_contact_count_async  (BcsProfile          *profile,
                                   GVariant            *filter,
                                   gboolean             first_company,
                                   BcsSyncProviderFunc  provider_func,
                                   gpointer             provider_data,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean bcs_contact_count_finish (GAsyncResult        *result,
                                   BcsContactCount     *count,
                                   GError             **error);

/* "1,234 contacts match" (translated, with the locale's digit grouping) */
char    *bcs_contact_count_describe (guint matching);

G_END_DECLS
