/* bcs-sb-limits.c — --realistic: concurrency, rate windows and latency
 *
 * The model (README.md documents it):
 * - latency per request: Graph 50 ms per read (GET), 100 ms per write; Business
 *   Central 50 ms; login 20 ms. --latency-ms N sets all of them to N. A Graph
 *   $batch takes ceil(inner requests / 4) × the write latency (Outlook runs 4
 *   inner requests at a time); a BC $batch takes the latency plus a fifth of it
 *   per inner operation.
 * - concurrency (--realistic only): Graph 4, BC 5 requests at a time; more wait
 *   in a queue, in order. The sandbox serves one mailbox and one BC user, so the
 *   limits are per service.
 * - rate (--realistic only): Graph 10,000 requests per 10 minutes, BC 6,000 per
 *   5 minutes, sliding windows; over them: 429 with Retry-After = seconds until
 *   the window frees a slot (fractional). Inner requests of a $batch count one
 *   by one; the $batch itself does not.
 * Everything waits on GSource timers on the sandbox's context; nothing blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-core.h"

typedef struct {
  guint max_concurrent;         /* 0: no limit */
  guint active;
  GQueue waiting;               /* BcsSbJob, paused */
  guint rate;                   /* requests per window, 0: no limit */
  gint64 window_us;
  gint64 *ring;                 /* accepted requests' times, oldest first */
  guint ring_head;
  guint ring_len;
  guint read_ms;
  guint write_ms;
  guint peak_active;            /* since the last POST /_sandbox/limits */
  guint peak_waiting;
} ServiceLimits;

typedef struct {
  gboolean realistic;
  ServiceLimits services[BCS_SB_N_SERVICES];
  GHashTable *timed;            /* BcsSbJob waiting for their latency */
} Limits;

static void
set_rate (ServiceLimits *s,
          guint          rate,
          gint64         window_us)
{
  g_clear_pointer (&s->ring, g_free);
  s->rate = rate;
  s->window_us = window_us;
  s->ring_head = s->ring_len = 0;
  if (rate > 0)
    s->ring = g_new (gint64, rate);
}

gpointer
bcs_sb_limits_new (const BcsSandboxOptions *options)
{
  Limits *limits = g_new0 (Limits, 1);
  guint defaults_read[BCS_SB_N_SERVICES] = { 20, 50, 50 };
  guint defaults_write[BCS_SB_N_SERVICES] = { 20, 100, 50 };

  limits->realistic = options->realistic;
  limits->timed = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < BCS_SB_N_SERVICES; i++)
    {
      ServiceLimits *s = &limits->services[i];

      g_queue_init (&s->waiting);
      if (options->latency_ms >= 0)
        s->read_ms = s->write_ms = (guint) options->latency_ms;
      else if (options->realistic)
        {
          s->read_ms = defaults_read[i];
          s->write_ms = defaults_write[i];
        }
    }

  if (options->realistic)
    {
      limits->services[BCS_SB_GRAPH].max_concurrent = 4;
      set_rate (&limits->services[BCS_SB_GRAPH], 10000, G_USEC_PER_SEC * 600);
      limits->services[BCS_SB_BC].max_concurrent = 5;
      set_rate (&limits->services[BCS_SB_BC], 6000, G_USEC_PER_SEC * 300);
    }

  return limits;
}

void
bcs_sb_limits_free (gpointer data)
{
  Limits *limits = data;
  GHashTableIter iter;
  gpointer job;

  if (limits == NULL)
    return;

  g_hash_table_iter_init (&iter, limits->timed);
  while (g_hash_table_iter_next (&iter, &job, NULL))
    bcs_sb_job_free (job);
  g_hash_table_unref (limits->timed);

  for (guint i = 0; i < BCS_SB_N_SERVICES; i++)
    {
      ServiceLimits *s = &limits->services[i];

      while (!g_queue_is_empty (&s->waiting))
        bcs_sb_job_free (g_queue_pop_head (&s->waiting));
      g_free (s->ring);
    }
  g_free (limits);
}

gboolean
bcs_sb_limits_check_rate (BcsSandbox    *sandbox,
                          BcsSbService   service,
                          BcsSbResponse *response)
{
  Limits *limits = sandbox->limits;
  ServiceLimits *s;
  gint64 now;

  if (limits == NULL || service >= BCS_SB_N_SERVICES)
    return TRUE;
  s = &limits->services[service];
  if (s->rate == 0)
    return TRUE;

  now = g_get_monotonic_time ();
  while (s->ring_len > 0 && now - s->ring[s->ring_head] >= s->window_us)
    {
      s->ring_head = (s->ring_head + 1) % s->rate;
      s->ring_len--;
    }

  if (s->ring_len >= s->rate)
    {
      gint64 wait_us = s->ring[s->ring_head] + s->window_us - now;
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buffer, sizeof buffer, "%.3f",
                       MAX (wait_us, 1000) / (double) G_USEC_PER_SEC);
      bcs_sb_faults_set_status (service, response, 429, buffer);
      return FALSE;
    }

  s->ring[(s->ring_head + s->ring_len) % s->rate] = now;
  s->ring_len++;
  return TRUE;
}

static guint
job_latency (Limits   *limits,
             BcsSbJob *job)
{
  ServiceLimits *s = &limits->services[job->request->service];
  guint units = MAX (job->response->work_units, 1);
  gboolean read = strcmp (job->request->method, "GET") == 0 ||
                  strcmp (job->request->method, "HEAD") == 0;

  if (g_str_has_suffix (job->request->path, "/$batch"))
    {
      if (job->request->service == BCS_SB_GRAPH)
        return (units + 3) / 4 * s->write_ms;
      return s->read_ms + units * s->read_ms / 5;
    }
  return read ? s->read_ms : s->write_ms;
}

static void job_start (BcsSandbox *sandbox, BcsSbJob *job);

static void
job_done (BcsSandbox *sandbox,
          BcsSbJob   *job)
{
  Limits *limits = sandbox->limits;
  ServiceLimits *s = &limits->services[job->request->service];

  bcs_sb_job_finish (job);
  s->active--;

  while ((s->max_concurrent == 0 || s->active < s->max_concurrent) &&
         !g_queue_is_empty (&s->waiting))
    job_start (sandbox, g_queue_pop_head (&s->waiting));
}

static gboolean
latency_done_cb (gpointer data)
{
  BcsSbJob *job = data;
  BcsSandbox *sandbox = job->sandbox;
  Limits *limits = sandbox->limits;

  g_hash_table_remove (limits->timed, job);
  g_clear_pointer (&job->timer, g_source_unref);
  job_done (sandbox, job);
  return G_SOURCE_REMOVE;
}

static void
job_start (BcsSandbox *sandbox,
           BcsSbJob   *job)
{
  Limits *limits = sandbox->limits;
  ServiceLimits *s = &limits->services[job->request->service];
  guint ms;

  s->active++;
  s->peak_active = MAX (s->peak_active, s->active);
  bcs_sb_job_run (job);

  ms = job_latency (limits, job);
  if (ms == 0)
    {
      job_done (sandbox, job);
      return;
    }

  if (!job->paused)
    {
      soup_server_message_pause (job->msg);
      job->paused = TRUE;
    }
  job->timer = g_timeout_source_new (ms);
  g_source_set_callback (job->timer, latency_done_cb, job, NULL);
  g_source_attach (job->timer, sandbox->context);
  g_hash_table_add (limits->timed, job);
}

void
bcs_sb_limits_run (BcsSandbox *sandbox,
                   BcsSbJob   *job)
{
  Limits *limits = sandbox->limits;
  ServiceLimits *s;

  if (limits == NULL)
    {
      bcs_sb_job_run (job);
      bcs_sb_job_finish (job);
      return;
    }

  s = &limits->services[job->request->service];
  if (s->max_concurrent > 0 && s->active >= s->max_concurrent)
    {
      soup_server_message_pause (job->msg);
      job->paused = TRUE;
      g_queue_push_tail (&s->waiting, job);
      s->peak_waiting = MAX (s->peak_waiting, s->waiting.length);
      return;
    }

  job_start (sandbox, job);
}

JsonNode *
bcs_sb_limits_to_json (BcsSandbox *sandbox)
{
  Limits *limits = sandbox->limits;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "realistic");
  json_builder_add_boolean_value (builder, limits->realistic);
  for (guint i = 0; i < BCS_SB_N_SERVICES; i++)
    {
      ServiceLimits *s = &limits->services[i];

      json_builder_set_member_name (builder, bcs_sb_service_name (i));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "concurrency");
      json_builder_add_int_value (builder, s->max_concurrent);
      json_builder_set_member_name (builder, "active");
      json_builder_add_int_value (builder, s->active);
      json_builder_set_member_name (builder, "waiting");
      json_builder_add_int_value (builder, s->waiting.length);
      json_builder_set_member_name (builder, "peak_active");
      json_builder_add_int_value (builder, s->peak_active);
      json_builder_set_member_name (builder, "peak_waiting");
      json_builder_add_int_value (builder, s->peak_waiting);
      json_builder_set_member_name (builder, "rate");
      json_builder_add_int_value (builder, s->rate);
      json_builder_set_member_name (builder, "window_ms");
      json_builder_add_int_value (builder, s->window_us / 1000);
      json_builder_set_member_name (builder, "read_ms");
      json_builder_add_int_value (builder, s->read_ms);
      json_builder_set_member_name (builder, "write_ms");
      json_builder_add_int_value (builder, s->write_ms);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* {"service": "graph", "concurrency": N, "rate": N, "window_ms": N,
 *  "read_ms": N, "write_ms": N}: members left out stay as they are; the
 *  service's peaks start again */
gboolean
bcs_sb_limits_configure (BcsSandbox  *sandbox,
                         JsonNode    *node,
                         GError     **error)
{
  Limits *limits = sandbox->limits;
  JsonObject *object;
  const char *name;
  ServiceLimits *s = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Expected a JSON object");
      return FALSE;
    }
  object = json_node_get_object (node);
  name = json_object_get_string_member_with_default (object, "service", "");
  for (guint i = 0; i < BCS_SB_N_SERVICES; i++)
    if (strcmp (name, bcs_sb_service_name (i)) == 0)
      s = &limits->services[i];
  if (s == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Unknown service “%s” (graph, bc or login)", name);
      return FALSE;
    }

  s->peak_active = s->peak_waiting = 0;
  if (json_object_has_member (object, "concurrency"))
    s->max_concurrent = (guint) MAX (json_object_get_int_member (object, "concurrency"), 0);
  if (json_object_has_member (object, "rate") || json_object_has_member (object, "window_ms"))
    {
      gint64 rate = json_object_get_int_member_with_default (object, "rate", s->rate);
      gint64 window = json_object_get_int_member_with_default (object, "window_ms",
                                                              s->window_us / 1000);

      set_rate (s, (guint) CLAMP (rate, 0, 1000000), MAX (window, 1) * 1000);
    }
  if (json_object_has_member (object, "read_ms"))
    s->read_ms = (guint) CLAMP (json_object_get_int_member (object, "read_ms"), 0, 60000);
  if (json_object_has_member (object, "write_ms"))
    s->write_ms = (guint) CLAMP (json_object_get_int_member (object, "write_ms"), 0, 60000);
  return TRUE;
}
