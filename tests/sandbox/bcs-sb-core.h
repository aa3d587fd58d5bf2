/* bcs-sb-core.h — between the core's own files (bcs-sandbox.c, bcs-sb-faults.c,
 * bcs-sb-limits.c); the service modules only need bcs-sandbox-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bcs-sandbox-private.h"

G_BEGIN_DECLS

typedef enum {
  BCS_SB_FAULT_NONE,
  BCS_SB_FAULT_STATUS,
  BCS_SB_FAULT_DROP,
  BCS_SB_FAULT_TRUNCATE,
  BCS_SB_FAULT_MALFORMED,
  BCS_SB_FAULT_EXPIRE_TOKEN,
  BCS_SB_FAULT_EXPIRE_DELTA,
  BCS_SB_FAULT_CHANGE_ETAG,
} BcsSbFaultKind;

/* One HTTP request on its way through faults, limits and a handler */
typedef struct {
  BcsSandbox *sandbox;
  SoupServerMessage *msg;
  BcsSbRequest *request;
  BcsSbResponse *response;
  BcsSbFaultKind fault;         /* applied after the handler ran (truncate) */
  GSource *timer;               /* latency */
  gboolean paused;
} BcsSbJob;

/* bcs-sandbox.c */
const char     *bcs_sb_service_name        (BcsSbService service);
/* Runs the handler: fills job->response */
void            bcs_sb_job_run             (BcsSbJob *job);
void            bcs_sb_job_free            (BcsSbJob *job);
/* Writes job->response to the message, unpauses it if needed, frees JOB */
void            bcs_sb_job_finish          (BcsSbJob *job);

/* bcs-sb-control.c */
void            bcs_sb_parts_create        (BcsSandbox *sandbox);
void            bcs_sb_parts_free          (BcsSandbox *sandbox);
void            bcs_sb_stats_reset         (BcsSandbox *sandbox);
gboolean        bcs_sb_state_load_file     (BcsSandbox *sandbox, const char *path, GError **error);
/* Saves to options.state_file (nothing without one) */
gboolean        bcs_sb_state_save_file     (BcsSandbox *sandbox, GError **error);
/* /_sandbox/… except bc and outlook (path below "/_sandbox") */
void            bcs_sb_control_handle      (BcsSandbox *sandbox, BcsSbRequest *request,
                                            BcsSbResponse *response);

/* bcs-sb-faults.c */
void            bcs_sb_fault_rule_free     (gpointer rule);
gboolean        bcs_sb_faults_add_json     (BcsSandbox *sandbox, JsonNode *node, GError **error);
JsonNode       *bcs_sb_faults_to_json      (BcsSandbox *sandbox);
/* Finds the fault for REQUEST (TEXT: its path and query as matched), applies
 * its side effect (expire-token, expire-delta, change-etag) and, for status
 * and malformed faults, fills RESPONSE. INNER: an inner request of a $batch,
 * for which only status and side-effect faults apply. */
BcsSbFaultKind  bcs_sb_faults_apply        (BcsSandbox *sandbox, BcsSbRequest *request,
                                            const char *text, gboolean inner,
                                            BcsSbResponse *response);
/* The service's error reply for STATUS, with Retry-After when given */
void            bcs_sb_faults_set_status   (BcsSbService service, BcsSbResponse *response,
                                            guint status, const char *retry_after);

/* bcs-sb-limits.c */
gpointer        bcs_sb_limits_new          (const BcsSandboxOptions *options);
void            bcs_sb_limits_free         (gpointer limits);
/* Counts a request against the rate window; FALSE (and a 429 in RESPONSE) when over it */
gboolean        bcs_sb_limits_check_rate   (BcsSandbox *sandbox, BcsSbService service,
                                            BcsSbResponse *response);
/* Runs JOB under the concurrency limit and latency, then finishes it */
void            bcs_sb_limits_run          (BcsSandbox *sandbox, BcsSbJob *job);
/* /_sandbox/limits: GET shows, POST changes (tests use a tiny window) */
JsonNode       *bcs_sb_limits_to_json      (BcsSandbox *sandbox);
gboolean        bcs_sb_limits_configure    (BcsSandbox *sandbox, JsonNode *node, GError **error);

G_END_DECLS
