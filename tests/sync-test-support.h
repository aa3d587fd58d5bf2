/* sync-test-support.h — what the sync tests share: runs against a sandbox
 * and the invariants of SYNC-SPEC.md checked on the sandbox's state */
#pragma once

#include "bcs-bc-filter.h"
#include "bcs-profile.h"
#include "bcs-sandbox.h"
#include "bcs-sync-engine.h"

G_BEGIN_DECLS

typedef struct {
  BcsSandbox *sandbox;
  BcsProfile *profile;
  char *dir;
  char *store_path;
} SyncFixture;

/* A sandbox on its own thread with BC_CONTACTS and OUTLOOK_CONTACTS seeded,
 * a fresh profile (memory settings) and a store in a temporary directory */
SyncFixture   *sync_fixture_new         (guint         bc_contacts,
                                         guint         outlook_contacts,
                                         guint64       seed);
/* … with every sandbox request taking LATENCY_MS (-1: none) */
SyncFixture   *sync_fixture_new_with_latency (guint    bc_contacts,
                                              guint    outlook_contacts,
                                              guint64  seed,
                                              int      latency_ms);
void           sync_fixture_free        (SyncFixture  *fixture);
/* The sandbox's device code flow (a BcsSyncProviderFunc) */
BcsTokenProvider *sync_test_provider    (BcsHttp      *http,
                                         gpointer      user_data);
BcsSyncReport *sync_fixture_run         (SyncFixture  *fixture,
                                         BcsSyncMode   mode,
                                         gboolean      dry_run,
                                         gboolean      allow_mass_delete,
                                         GError      **error);
/* Runs and asserts success; returns the report */
BcsSyncReport *sync_fixture_run_ok      (SyncFixture  *fixture,
                                         BcsSyncMode   mode);

/* The control API */
JsonNode      *sync_fixture_request     (SyncFixture  *fixture,
                                         const char   *method,
                                         const char   *path,
                                         const char   *body,
                                         guint         expected_status);
/* The contacts of the first company (JsonObject, new refs) */
GPtrArray     *sync_fixture_bc_contacts (SyncFixture  *fixture);
/* The contacts of the folder "Business Central" (JsonObject, new refs) */
GPtrArray     *sync_fixture_outlook_contacts (SyncFixture *fixture);
/* The first BC contact that is eligible (a person with name and e-mail,
 * not privacy blocked) and not in SKIP, a new ref */
JsonObject    *sync_fixture_pick_eligible (SyncFixture *fixture,
                                           guint        index);
/* The Outlook contact carrying BC_ID, or NULL */
JsonObject    *sync_fixture_find_outlook (SyncFixture *fixture,
                                          const char  *bc_id);

/* The invariants: every eligible BC contact of the filtered set (FILTER
 * may be NULL: all) is in Outlook exactly once, with equal fields, the id
 * property and the category; no two Outlook contacts carry the same id;
 * returns the number of synced contacts */
guint          sync_fixture_check_invariants (SyncFixture *fixture);
/* The same on a state of GET /_sandbox/state; FILTER nullable */
guint          sync_check_state_invariants (JsonNode               *state,
                                            const BcsContactFilter *filter);

const BcsSyncResult *sync_report_find   (const BcsSyncReport *report,
                                         const char          *bc_id);

G_END_DECLS
