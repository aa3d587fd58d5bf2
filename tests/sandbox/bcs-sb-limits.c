/* bcs-sb-limits.c — --realistic: concurrency, rate windows and latency
 *
 * The model (README.md documents it):
 * - latency per request: Graph 50 ms per read (GET), 100 ms per write; Business
 *   Central 50 ms; login 20 ms. --latency-ms N sets all of them to N. A BC
 *   $batch takes the latency plus a fifth of it per inner operation.
 * - concurrency (--realistic only): Graph 4, BC 5 slots; the sandbox serves one
 *   mailbox and one BC user, so the limits are per service. A request holds a
 *   slot for its latency. A BC $batch is one request (one slot). A Graph $batch
 *   takes no slot itself: each of its inner requests takes one for the write
 *   latency, at most 4 of the same $batch at a time (Outlook runs 4 inner
 *   requests of a batch at a time), so plain requests and the inner requests of
 *   every $batch in flight share the mailbox's 4 slots ("4 concurrent requests
 *   per app and mailbox", "each inner request is throttled on its own"). The
 *   $batch answers when its last inner request is done. Without a concurrency
 *   limit (--latency-ms alone) a Graph $batch of n takes ceil(n / 4) latencies.
 * - waiting: requests that find no free slot wait in one queue per service, in
 *   order of arrival. A freed slot goes to the first request in the queue that
 *   can use it: a $batch keeps its place until its last inner request has
 *   started (so batches do not interleave and plain requests behind it wait
 *   their turn); one at its 4 inner requests lets the next one have the slot.
 *   Nothing holds a slot while it waits for another, so nothing deadlocks.
 *   A request's handler runs when it gets its first slot.
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

#define GRAPH_INNER_AT_A_TIME 4   /* Outlook runs 4 inner requests of a $batch at a time */

typedef struct {
  guint max_concurrent;         /* slots, 0: no limit */
  guint active;                 /* slots in use: requests and inner requests */
  GQueue waiting;               /* Work that has requests still to start, in order */
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
  GHashTable *works;            /* Work not answered yet */
} Limits;

/* One request under the limits: UNITS slots, each for UNIT_MS; a Graph $batch
 * has one unit per inner request it executed, anything else one */
typedef struct {
  BcsSbJob *job;
  ServiceLimits *service;
  gboolean ran;                 /* the handler ran: UNITS and UNIT_MS are known */
  gboolean queued;              /* in service->waiting */
  guint units;
  guint unit_ms;
  guint max_running;            /* units at a time */
  guint started;
  guint running;
  GPtrArray *timers;            /* Unit, one per running unit */
} Work;

typedef struct {
  Work *work;
  GSource *source;
} Unit;

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

static void
unit_free (gpointer data)
{
  Unit *unit = data;

  g_source_destroy (unit->source);
  g_source_unref (unit->source);
  g_free (unit);
}

static void
work_free (gpointer data)
{
  Work *work = data;

  g_ptr_array_unref (work->timers);
  if (work->job != NULL)
    bcs_sb_job_free (work->job);
  g_free (work);
}

gpointer
bcs_sb_limits_new (const BcsSandboxOptions *options)
{
  Limits *limits = g_new0 (Limits, 1);
  guint defaults_read[BCS_SB_N_SERVICES] = { 20, 50, 50 };
  guint defaults_write[BCS_SB_N_SERVICES] = { 20, 100, 50 };

  limits->realistic = options->realistic;
  limits->works = g_hash_table_new_full (NULL, NULL, work_free, NULL);

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

  if (limits == NULL)
    return;

  /* the works' timers go with them; the queues only point at works */
  g_hash_table_unref (limits->works);
  for (guint i = 0; i < BCS_SB_N_SERVICES; i++)
    {
      g_queue_clear (&limits->services[i].waiting);
      g_free (limits->services[i].ring);
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

static gboolean
is_graph_batch (BcsSbJob *job)
{
  return job->request->service == BCS_SB_GRAPH &&
         g_str_has_suffix (job->request->path, "/$batch");
}

/* After the handler ran: how many slots for how long */
static void
work_measure (Work *work)
{
  BcsSbJob *job = work->job;
  ServiceLimits *s = work->service;
  guint units = MAX (job->response->work_units, 1);
  gboolean read = strcmp (job->request->method, "GET") == 0 ||
                  strcmp (job->request->method, "HEAD") == 0;

  work->units = 1;
  work->max_running = 1;
  if (is_graph_batch (job))
    {
      /* every inner request counts as a write */
      work->units = units;
      work->max_running = GRAPH_INNER_AT_A_TIME;
      work->unit_ms = s->write_ms;
    }
  else if (g_str_has_suffix (job->request->path, "/$batch"))
    work->unit_ms = s->read_ms + units * s->read_ms / 5;
  else
    work->unit_ms = read ? s->read_ms : s->write_ms;
}

static void
work_answer (BcsSandbox *sandbox,
             Work       *work)
{
  Limits *limits = sandbox->limits;
  BcsSbJob *job = g_steal_pointer (&work->job);

  g_warn_if_fail (!work->queued && work->running == 0);
  g_hash_table_remove (limits->works, work);
  bcs_sb_job_finish (job);
}

static void pump (BcsSandbox *sandbox, ServiceLimits *s);

static gboolean
unit_done_cb (gpointer data)
{
  Unit *unit = data;
  Work *work = unit->work;
  ServiceLimits *s = work->service;
  BcsSandbox *sandbox = work->job->sandbox;

  s->active--;
  work->running--;
  g_ptr_array_remove_fast (work->timers, unit);     /* frees UNIT */
  if (!work->queued && work->running == 0)
    work_answer (sandbox, work);
  pump (sandbox, s);
  return G_SOURCE_REMOVE;
}

static gboolean
has_slot (ServiceLimits *s)
{
  return s->max_concurrent == 0 || s->active < s->max_concurrent;
}

static gboolean
wants_slot (Work *work)
{
  return !work->ran || (work->running < work->max_running && work->started < work->units);
}

/* Gives WORK a slot for one unit; runs the handler on its first */
static void
work_start_unit (BcsSandbox *sandbox,
                 Work       *work)
{
  ServiceLimits *s = work->service;
  Unit *unit;

  if (!work->ran)
    {
      bcs_sb_job_run (work->job);
      work->ran = TRUE;
      work_measure (work);
      if (work->unit_ms == 0)
        {
          work->started = work->units;
          return;
        }
      if (!work->job->paused)
        {
          soup_server_message_pause (work->job->msg);
          work->job->paused = TRUE;
        }
    }

  s->active++;
  s->peak_active = MAX (s->peak_active, s->active);
  work->started++;
  work->running++;
  unit = g_new0 (Unit, 1);
  unit->work = work;
  unit->source = g_timeout_source_new (work->unit_ms);
  g_source_set_callback (unit->source, unit_done_cb, unit, NULL);
  g_source_attach (unit->source, sandbox->context);
  g_ptr_array_add (work->timers, unit);
}

/* Hands free slots to the queue, first come first served */
static void
pump (BcsSandbox    *sandbox,
      ServiceLimits *s)
{
  GList *l = s->waiting.head;

  while (l != NULL && has_slot (s))
    {
      Work *work = l->data;
      GList *next = l->next;

      while (has_slot (s) && wants_slot (work))
        work_start_unit (sandbox, work);

      if (work->ran && work->started >= work->units)
        {
          g_queue_delete_link (&s->waiting, l);
          work->queued = FALSE;
          if (work->running == 0)
            work_answer (sandbox, work);
        }
      l = next;
    }
}

void
bcs_sb_limits_run (BcsSandbox *sandbox,
                   BcsSbJob   *job)
{
  Limits *limits = sandbox->limits;
  ServiceLimits *s;
  Work *work;

  if (limits == NULL)
    {
      bcs_sb_job_run (job);
      bcs_sb_job_finish (job);
      return;
    }

  s = &limits->services[job->request->service];
  work = g_new0 (Work, 1);
  work->job = job;
  work->service = s;
  work->timers = g_ptr_array_new_with_free_func (unit_free);
  g_hash_table_add (limits->works, work);

  /* in the queue, in order: it starts now if it is first and a slot is free */
  work->queued = TRUE;
  g_queue_push_tail (&s->waiting, work);
  pump (sandbox, s);
  s->peak_waiting = MAX (s->peak_waiting, s->waiting.length);

  /* still waiting for its first slot: hold the answer back */
  if (g_hash_table_contains (limits->works, work) && !job->paused)
    {
      soup_server_message_pause (job->msg);
      job->paused = TRUE;
    }
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
      json_builder_set_member_name (builder, "inner_at_a_time");
      json_builder_add_int_value (builder, i == BCS_SB_GRAPH ? GRAPH_INNER_AT_A_TIME : 0);
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
  /* more slots (or none) may let waiting requests start */
  pump (sandbox, s);
  return TRUE;
}
