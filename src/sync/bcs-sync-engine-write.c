/* bcs-sync-engine-write.c — executing a plan in batches
 *
 * Business Central writes first ($batch of up to 100), then every Outlook
 * write ($batch of 20), several batches in flight within each service's
 * limit. Around each batch: its intents are committed before it is sent,
 * its pairs after the answer. An item that fails fails only its contact;
 * 409/412 (changed meanwhile) are read again and sent once more when our
 * write would not overwrite that change. A batch lost as a whole (dropped
 * connection) keeps its intents open: the next run resolves them. */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-contact-mapping.h"
#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-sync-engine-private.h"
#include "bcs-sync-result-changes.h"

typedef enum {
  STEP_NONE,
  STEP_BC_CREATE,
  STEP_BC_PATCH,
  STEP_GRAPH_CREATE,
  STEP_GRAPH_PATCH,
  STEP_GRAPH_DELETE,
} Step;

typedef struct {
  const BcsSyncAction *action;
  Step              step;          /* the request in flight or next */
  BcsHttpRequest   *request;
  BcsSyncIntent    *intent;        /* open intent, NULL when none */
  BcsContact       *contact;       /* what both sides hold after the action */
  char             *outlook_id;
  char             *change_key;
  char             *outlook_hash;
  char             *bc_hash;
  char             *bc_etag;
  gboolean          retried;
  gboolean          conflict;      /* answered 409/412: retry after the stage */
  gboolean          done;
  gboolean          failed;
  char             *reason;
  char             *new_bc_id;     /* create-bc, once the contact is released */
  char             *new_bc_number;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->request);
  g_clear_pointer (&job->intent, bcs_sync_intent_free);
  g_clear_pointer (&job->contact, bcs_contact_free);
  g_free (job->outlook_id);
  g_free (job->change_key);
  g_free (job->outlook_hash);
  g_free (job->bc_hash);
  g_free (job->bc_etag);
  g_free (job->reason);
  g_free (job->new_bc_id);
  g_free (job->new_bc_number);
  g_free (job);
}

static void
job_fail (Job        *job,
          const char *reason)
{
  job->failed = TRUE;
  job->done = TRUE;
  job->step = STEP_NONE;
  g_free (job->reason);
  job->reason = g_strdup (reason);
}

/* What both sides hold after ACTION, as the job starts to write it */
static BcsContact *
make_contact (const BcsSyncAction *action)
{
  const BcsContact *source = action->merged != NULL ? action->merged : action->bc;
  BcsContact *contact;

  if (action->kind == BCS_SYNC_ACTION_CREATE_BC)
    source = action->merged != NULL ? action->merged : action->outlook;
  if (source != NULL)
    contact = bcs_contact_copy (source);
  else if (action->outlook != NULL)
    contact = bcs_contact_copy (action->outlook);
  else
    contact = bcs_contact_new ();

  if (action->kind == BCS_SYNC_ACTION_UPDATE_BC && action->pair != NULL)
    bcs_contact_set_value (&contact->bc_id, action->pair->bc_id);
  if (action->kind == BCS_SYNC_ACTION_CREATE_BC)
    {
      /* Imported contacts are people in Business Central */
      contact->type = BCS_CONTACT_TYPE_PERSON;
      g_clear_pointer (&contact->bc_id, g_free);
      g_clear_pointer (&contact->bc_number, g_free);
    }
  if (action->kind != BCS_SYNC_ACTION_CREATE_BC && action->bc != NULL)
    {
      if (contact->bc_id == NULL)
        bcs_contact_set_value (&contact->bc_id, action->bc->bc_id);
      if (contact->bc_number == NULL)
        bcs_contact_set_value (&contact->bc_number, action->bc->bc_number);
      if (contact->etag == NULL)
        bcs_contact_set_value (&contact->etag, action->bc->etag);
    }
  return contact;
}

/* The job's contact, made when its first request is: only the jobs in
 * flight hold one (a plan of 100,000 creations) */
static BcsContact *
job_contact (Job *job)
{
  if (job->contact == NULL)
    job->contact = make_contact (job->action);
  return job->contact;
}

/* A finished job keeps only what its result needs */
static void
job_release (Job *job)
{
  if (job->contact == NULL)
    return;
  if (job->action->kind == BCS_SYNC_ACTION_CREATE_BC)
    {
      g_free (job->new_bc_id);
      job->new_bc_id = g_strdup (job->contact->bc_id);
      g_free (job->new_bc_number);
      job->new_bc_number = g_strdup (job->contact->bc_number);
    }
  g_clear_pointer (&job->contact, bcs_contact_free);
}

/* The id (and number) Business Central gave an imported contact */
static const char *
job_new_bc_id (Job *job)
{
  return job->contact != NULL ? job->contact->bc_id : job->new_bc_id;
}

static const char *
job_new_bc_number (Job *job)
{
  return job->contact != NULL ? job->contact->bc_number : job->new_bc_number;
}

typedef struct {
  BcsSyncRun *run;
  BcsService  service;
  GPtrArray  *jobs;                /* Job, borrowed */
  gboolean    finished;
} Batch;

typedef struct {
  BcsSyncRun *run;
  guint       in_flight;
  GError     *fatal;               /* store failures stop the run */
} Writer;

/* ---- building the requests ---- */

static JsonObject *
current_outlook (BcsSyncRun *run,
                 const char *outlook_id)
{
  return outlook_id != NULL ? g_hash_table_lookup (run->outlook_raw, outlook_id) : NULL;
}

static char *
outlook_etag (JsonObject *current)
{
  const char *etag = current != NULL ? bcs_json_get_string (current, "@odata.etag") : NULL;

  return g_strdup (etag);
}

/* Prepares JOB's request for its step; FALSE (and the job failed) when it
 * cannot be built */
static gboolean
prepare_request (BcsSyncRun *run,
                 Job        *job)
{
  const BcsSyncAction *action = job->action;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) issues = bcs_field_issues_new ();
  g_autofree char *etag = NULL;
  JsonObject *current;

  g_clear_object (&job->request);
  switch (job->step)
    {
    case STEP_GRAPH_CREATE:
      body = bcs_contact_to_graph_create (job_contact (job));
      job->request = bcs_graph_client_new_create_request (run->graph, run->folder_id, body);
      break;

    case STEP_GRAPH_PATCH:
      {
        BcsFieldMask fields = action->kind == BCS_SYNC_ACTION_CREATE_BC ? 0 : action->to_outlook;

        current = current_outlook (run, job->outlook_id);
        body = bcs_contact_to_graph_patch (job_contact (job), fields, current);
        /* Our own import just changed nothing on the Outlook side: no precondition */
        etag = action->kind == BCS_SYNC_ACTION_CREATE_BC ? NULL : outlook_etag (current);
        job->request = bcs_graph_client_new_update_request (run->graph, run->folder_id,
                                                            job->outlook_id, body, etag, &error);
      }
      break;

    case STEP_GRAPH_DELETE:
      job->request = bcs_graph_client_new_delete_request (run->graph, run->folder_id, job->outlook_id);
      break;

    case STEP_BC_CREATE:
      body = bcs_contact_to_bc_json (job_contact (job), BCS_FIELD_MASK_ALL, issues);
      if (body == NULL)
        {
          const BcsFieldIssue *issue = bcs_field_issues_find_skip (issues);

          job_fail (job, issue != NULL ? issue->message : _("The contact cannot be sent to Business Central."));
          return FALSE;
        }
      job->request = bcs_bc_client_new_create_request (run->bc, run->company_id, body);
      break;

    case STEP_BC_PATCH:
      body = bcs_contact_to_bc_json (job_contact (job), action->to_bc, issues);
      if (body == NULL)
        {
          const BcsFieldIssue *issue = bcs_field_issues_find_skip (issues);

          job_fail (job, issue != NULL ? issue->message : _("The contact cannot be sent to Business Central."));
          return FALSE;
        }
      job->request = bcs_bc_client_new_update_request (run->bc, run->company_id,
                                                       action->pair->bc_id, body,
                                                       job->bc_etag != NULL ? job->bc_etag : "*",
                                                       &error);
      break;

    case STEP_NONE:
    default:
      return FALSE;
    }

  if (job->request == NULL)
    {
      job_fail (job, error != NULL ? error->message : _("The request could not be built."));
      return FALSE;
    }
  return TRUE;
}

/* ---- intents ---- */

static BcsSyncIntent *
intent_for (Job *job)
{
  const BcsSyncAction *action = job->action;
  BcsSyncIntent *intent = NULL;

  switch (job->step)
    {
    case STEP_GRAPH_CREATE:
      intent = bcs_sync_intent_new (BCS_SYNC_INTENT_CREATING);
      intent->bc_id = g_strdup (job_contact (job)->bc_id);
      intent->email = g_strdup (job_contact (job)->email);
      break;
    case STEP_BC_CREATE:
      intent = bcs_sync_intent_new (BCS_SYNC_INTENT_IMPORTING);
      intent->outlook_id = g_strdup (job->outlook_id);
      intent->email = g_strdup (job_contact (job)->email);
      break;
    case STEP_GRAPH_DELETE:
      intent = bcs_sync_intent_new (BCS_SYNC_INTENT_DELETING);
      intent->outlook_id = g_strdup (job->outlook_id);
      intent->bc_id = g_strdup (action->pair != NULL ? action->pair->bc_id : NULL);
      break;
    default:
      break;
    }
  return intent;
}

/* Commits the intents of BATCH before it is sent */
static gboolean
commit_intents (BcsSyncRun  *run,
                Batch       *batch,
                GError     **error)
{
  gboolean any = FALSE;

  for (guint i = 0; i < batch->jobs->len; i++)
    {
      Job *job = batch->jobs->pdata[i];

      if (job->intent == NULL)
        job->intent = intent_for (job);
      if (job->intent != NULL && job->intent->id == 0)
        any = TRUE;
    }
  if (!any)
    return TRUE;

  if (!bcs_sync_store_begin (run->store, error))
    return FALSE;
  for (guint i = 0; i < batch->jobs->len; i++)
    {
      Job *job = batch->jobs->pdata[i];

      if (job->intent != NULL && job->intent->id == 0 &&
          !bcs_sync_store_add_intent_sync (run->store, job->intent, error))
        {
          bcs_sync_store_rollback (run->store);
          return FALSE;
        }
    }
  return bcs_sync_store_commit (run->store, error);
}

/* ---- after an answer ---- */

static void
take_outlook_reply (Job        *job,
                    JsonObject *reply)
{
  g_autoptr(BcsContact) outlook = NULL;

  if (reply == NULL)
    return;
  outlook = bcs_contact_from_graph_json (reply, NULL);
  if (outlook->outlook_id != NULL)
    {
      g_free (job->outlook_id);
      job->outlook_id = g_strdup (outlook->outlook_id);
    }
  g_free (job->change_key);
  job->change_key = g_strdup (outlook->change_key);
  g_free (job->outlook_hash);
  /* After a conflict, what we wrote is the base: a change made meanwhile
   * must still show as a change at the next run */
  job->outlook_hash = job->retried ? bcs_contact_hash (job_contact (job)) : bcs_contact_hash (outlook);
}

static void
take_bc_reply (Job        *job,
               JsonObject *reply)
{
  g_autoptr(BcsContact) bc = NULL;

  if (reply == NULL)
    return;
  bc = bcs_contact_from_bc_json (reply);
  if (job->action->kind == BCS_SYNC_ACTION_CREATE_BC)
    {
      /* The new contact's ids go into the pair and the Outlook properties */
      bcs_contact_set_value (&job_contact (job)->bc_id, bc->bc_id);
      bcs_contact_set_value (&job_contact (job)->bc_number, bc->bc_number);
    }
  bcs_contact_set_value (&job_contact (job)->etag, bc->etag);
  bcs_contact_set_value (&job_contact (job)->last_modified, bc->last_modified);
  g_free (job->bc_etag);
  job->bc_etag = g_strdup (bc->etag);
  g_free (job->bc_hash);
  job->bc_hash = job->retried ? bcs_contact_hash (job_contact (job)) : bcs_contact_hash (bc);
}

/* The step after STEP for JOB's action, or STEP_NONE when done */
static Step
next_step (Job *job)
{
  const BcsSyncAction *action = job->action;

  switch (job->step)
    {
    case STEP_BC_CREATE:
      return STEP_GRAPH_PATCH;
    case STEP_BC_PATCH:
      return action->to_outlook != 0 ? STEP_GRAPH_PATCH : STEP_NONE;
    default:
      return STEP_NONE;
    }
}

static void
handle_item (Job *job)
{
  BcsHttpRequest *request = job->request;
  const GError *error = bcs_http_request_get_error (request);
  JsonObject *reply = bcs_http_request_get_response_object (request);

  if (error != NULL)
    {
      if (job->step == STEP_GRAPH_DELETE && g_error_matches (error, BCS_ERROR, BCS_ERROR_NOT_FOUND))
        error = NULL;  /* already gone */
      else if (g_error_matches (error, BCS_ERROR, BCS_ERROR_CONFLICT) && !job->retried &&
               (job->step == STEP_GRAPH_PATCH || job->step == STEP_BC_PATCH))
        {
          job->conflict = TRUE;
          return;
        }
      else
        {
          job_fail (job, error->message);
          return;
        }
    }

  switch (job->step)
    {
    case STEP_GRAPH_CREATE:
    case STEP_GRAPH_PATCH:
      take_outlook_reply (job, reply);
      break;
    case STEP_BC_CREATE:
    case STEP_BC_PATCH:
      take_bc_reply (job, reply);
      break;
    default:
      break;
    }

  job->step = next_step (job);
  if (job->step == STEP_NONE)
    job->done = TRUE;
}

static void
replace_string (char       **member,
                const char  *value)
{
  if (value == NULL)
    return;
  g_free (*member);
  *member = g_strdup (value);
}

/* Records the finished jobs of BATCH: pairs put or deleted, intents removed */
static gboolean
record_batch (BcsSyncRun  *run,
              Batch       *batch,
              gboolean     lost,
              GError     **error)
{
  if (!bcs_sync_store_begin (run->store, error))
    return FALSE;

  for (guint i = 0; i < batch->jobs->len; i++)
    {
      Job *job = batch->jobs->pdata[i];
      const BcsSyncAction *action = job->action;
      gboolean ok = TRUE;

      if (lost)
        {
          /* Unknown whether it arrived: the intent stays for the next run */
          g_clear_pointer (&job->intent, bcs_sync_intent_free);
          continue;
        }
      if (!job->done)
        continue;  /* a further step or a retry follows */

      if (!job->failed)
        {
          if (action->kind == BCS_SYNC_ACTION_DELETE_OUTLOOK)
            {
              if (action->pair != NULL)
                ok = bcs_sync_store_delete_pair_sync (run->store, action->pair->bc_id, error);
            }
          else
            {
              g_autoptr(BcsSyncPair) pair =
                bcs_sync_pair_new_from_contact (job_contact (job), job->outlook_id, job->change_key);

              replace_string (&pair->outlook_hash, job->outlook_hash);
              replace_string (&pair->bc_hash, job->bc_hash);
              replace_string (&pair->bc_etag, job->bc_etag);
              ok = bcs_sync_store_put_pair_sync (run->store, pair, error);
            }
        }
      /* An import that reached Business Central but not the Outlook
       * contact's properties: the intent stays, the next run links them */
      if (ok && job->intent != NULL && job->intent->id != 0 &&
          !(job->failed && action->kind == BCS_SYNC_ACTION_CREATE_BC && job_new_bc_id (job) != NULL))
        ok = bcs_sync_store_remove_intent_sync (run->store, job->intent->id, error);
      g_clear_pointer (&job->intent, bcs_sync_intent_free);
      if (!ok)
        {
          bcs_sync_store_rollback (run->store);
          return FALSE;
        }
    }
  return bcs_sync_store_commit (run->store, error);
}

/* ---- sending ---- */

typedef struct {
  Writer    *writer;
  Batch     *batch;
  GPtrArray *requests;
} InFlight;

static void
on_batch_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  InFlight *flight = user_data;
  Writer *writer = flight->writer;
  Batch *batch = flight->batch;
  BcsSyncRun *run = writer->run;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (batch->service == BCS_SERVICE_GRAPH)
    ok = bcs_graph_client_batch_finish (BCS_GRAPH_CLIENT (object), result, &error);
  else
    ok = bcs_bc_client_batch_finish (BCS_BC_CLIENT (object), result, &error);

  for (guint i = 0; i < batch->jobs->len; i++)
    {
      Job *job = batch->jobs->pdata[i];

      if (!ok)
        job_fail (job, error->message);
      else
        handle_item (job);
      if (ok && batch->service == BCS_SERVICE_GRAPH && !job->failed)
        run->n_outlook_writes++;
      if (job->done)
        run->n_done++;
    }
  if (writer->fatal == NULL)
    record_batch (run, batch, !ok, &writer->fatal);
  /* The answers are in the jobs now: free them early (100,000 contacts) */
  for (guint i = 0; i < batch->jobs->len; i++)
    {
      Job *job = batch->jobs->pdata[i];

      if (!job->conflict)
        g_clear_object (&job->request);
      if (job->done)
        job_release (job);
    }
  bcs_sync_run_progress (run, BCS_SYNC_PHASE_WRITING, run->n_done, run->n_total);

  g_ptr_array_unref (flight->requests);
  g_ptr_array_unref (batch->jobs);
  g_free (batch);
  g_free (flight);
  writer->in_flight--;
}

static gboolean
step_in_service (Step       step,
                 BcsService service)
{
  if (service == BCS_SERVICE_BC)
    return step == STEP_BC_CREATE || step == STEP_BC_PATCH;
  return step == STEP_GRAPH_CREATE || step == STEP_GRAPH_PATCH || step == STEP_GRAPH_DELETE;
}

static JsonObject *
bc_send (BcsSyncRun      *run,
         BcsHttpRequest  *request,
         GError         **error);

/* 409/412: read the contact again; send once more unless that would
 * overwrite a change made meanwhile to the fields we write */
static void
retry_conflict (BcsSyncRun *run,
                Job        *job)
{
  const BcsSyncAction *action = job->action;
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsHttpRequest) get = NULL;
  g_autoptr(JsonObject) fresh_json = NULL;
  g_autoptr(BcsContact) fresh = NULL;

  job->conflict = FALSE;
  job->retried = TRUE;

  if (job->step == STEP_BC_PATCH)
    {
      get = bcs_bc_client_new_get_request (run->bc, run->company_id, action->pair->bc_id);
      fresh_json = bc_send (run, get, &error);
      if (fresh_json == NULL)
        {
          job_fail (job, error != NULL ? error->message : _("The contact was deleted in Business Central."));
          return;
        }
      fresh = bcs_contact_from_bc_json (fresh_json);
      if (action->bc != NULL && (bcs_contact_changed_fields (fresh, action->bc) & action->to_bc) != 0)
        {
          job_fail (job, _("Changed in Business Central during the sync: it will be synced at the next run."));
          return;
        }
      g_free (job->bc_etag);
      job->bc_etag = g_strdup (fresh->etag);
    }
  else
    {
      get = bcs_graph_client_new_get_request (run->graph, run->folder_id, job->outlook_id, NULL);
      fresh_json = bcs_sync_run_graph_send (run, get, &error);
      if (fresh_json == NULL)
        {
          job_fail (job, error != NULL ? error->message : _("The contact was deleted in Outlook."));
          return;
        }
      fresh = bcs_contact_from_graph_json (fresh_json, NULL);
      if (run->settings.conflict_policy == BCS_CONFLICT_TWO_WAY_MERGE && action->outlook != NULL &&
          bcs_contact_changed_fields (fresh, action->outlook) != 0)
        {
          job_fail (job, _("Changed in Outlook during the sync: it will be synced at the next run."));
          return;
        }
      g_hash_table_replace (run->outlook_raw, g_strdup (job->outlook_id), json_object_ref (fresh_json));
    }

  if (!prepare_request (run, job))
    return;
  if (job->step == STEP_BC_PATCH)
    {
      g_autoptr(JsonObject) reply = bc_send (run, job->request, NULL);
    }
  else
    {
      g_autoptr(JsonObject) reply = bcs_sync_run_graph_send (run, job->request, NULL);
    }
  handle_item (job);
  if (job->conflict)
    job_fail (job, _("Changed again during the sync: it will be synced at the next run."));
}

static JsonObject *
bc_send (BcsSyncRun      *run,
         BcsHttpRequest  *request,
         GError         **error)
{
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;
  JsonObject *row;
  JsonObject *fresh = NULL;

  bcs_bc_client_send_async (run->bc, request, run->cancellable, bcs_waiter_done, &waiter);
  row = bcs_bc_client_send_finish (run->bc, bcs_sync_run_wait (run, &waiter), &fresh, error);
  g_clear_pointer (&fresh, json_object_unref);
  return row;
}

/* Sends every job whose step is in SERVICE, in batches, several in flight */
static void
run_stage (Writer     *writer,
           GPtrArray  *jobs,
           BcsService  service)
{
  BcsSyncRun *run = writer->run;
  guint max_items = service == BCS_SERVICE_GRAPH ? BCS_GRAPH_MAX_BATCH : BCS_BC_MAX_BATCH;
  guint max_in_flight = service == BCS_SERVICE_GRAPH ? BCS_GRAPH_MAX_IN_FLIGHT : 2;
  guint next = 0;

  for (;;)
    {
      while (next < jobs->len && writer->in_flight < max_in_flight &&
             writer->fatal == NULL && !g_cancellable_is_cancelled (run->cancellable))
        {
          Batch *batch = g_new0 (Batch, 1);
          InFlight *flight;

          batch->run = run;
          batch->service = service;
          batch->jobs = g_ptr_array_new ();
          for (; next < jobs->len && batch->jobs->len < max_items; next++)
            {
              Job *job = jobs->pdata[next];

              if (job->done || !step_in_service (job->step, service) || !prepare_request (run, job))
                continue;
              g_ptr_array_add (batch->jobs, job);
            }
          if (batch->jobs->len == 0 || !commit_intents (run, batch, &writer->fatal))
            {
              g_ptr_array_unref (batch->jobs);
              g_free (batch);
              continue;
            }

          flight = g_new0 (InFlight, 1);
          flight->writer = writer;
          flight->batch = batch;
          flight->requests = g_ptr_array_new_with_free_func (g_object_unref);
          for (guint i = 0; i < batch->jobs->len; i++)
            g_ptr_array_add (flight->requests, g_object_ref (((Job *) batch->jobs->pdata[i])->request));
          writer->in_flight++;
          if (service == BCS_SERVICE_GRAPH)
            bcs_graph_client_batch_async (run->graph, flight->requests, run->cancellable,
                                          on_batch_done, flight);
          else
            bcs_bc_client_batch_async (run->bc, flight->requests, run->cancellable,
                                       on_batch_done, flight);
        }
      if (writer->in_flight == 0 &&
          (next >= jobs->len || writer->fatal != NULL || g_cancellable_is_cancelled (run->cancellable)))
        break;
      g_main_context_iteration (run->context, TRUE);
    }

  /* Conflicts, one by one */
  for (guint i = 0; i < jobs->len && writer->fatal == NULL; i++)
    {
      Job *job = jobs->pdata[i];
      Batch single = { run, service, NULL, FALSE };

      if (!job->conflict || g_cancellable_is_cancelled (run->cancellable))
        continue;
      retry_conflict (run, job);
      if (job->done)
        run->n_done++;
      single.jobs = g_ptr_array_new ();
      g_ptr_array_add (single.jobs, job);
      record_batch (run, &single, FALSE, &writer->fatal);
      g_ptr_array_unref (single.jobs);
    }
}

/* ---- the plan ---- */

static Job *
job_new (BcsSyncRun          *run,
         const BcsSyncAction *action)
{
  Job *job = g_new0 (Job, 1);

  job->action = action;
  switch (action->kind)
    {
    case BCS_SYNC_ACTION_CREATE_OUTLOOK:
    case BCS_SYNC_ACTION_RECREATE_OUTLOOK:
      job->step = STEP_GRAPH_CREATE;
      break;
    case BCS_SYNC_ACTION_UPDATE_OUTLOOK:
    case BCS_SYNC_ACTION_LINK:
      job->step = STEP_GRAPH_PATCH;
      break;
    case BCS_SYNC_ACTION_DELETE_OUTLOOK:
      job->step = STEP_GRAPH_DELETE;
      break;
    case BCS_SYNC_ACTION_UPDATE_BC:
      job->step = action->to_bc != 0 ? STEP_BC_PATCH : STEP_GRAPH_PATCH;
      break;
    case BCS_SYNC_ACTION_CREATE_BC:
      job->step = STEP_BC_CREATE;
      break;
    default:
      job->step = STEP_NONE;
      job->done = TRUE;
      break;
    }

  if (action->outlook != NULL && action->outlook->outlook_id != NULL)
    job->outlook_id = g_strdup (action->outlook->outlook_id);
  else if (action->pair != NULL && action->pair->outlook_id != NULL &&
           action->kind != BCS_SYNC_ACTION_RECREATE_OUTLOOK)
    job->outlook_id = g_strdup (action->pair->outlook_id);
  if (action->kind == BCS_SYNC_ACTION_RECREATE_OUTLOOK || action->kind == BCS_SYNC_ACTION_CREATE_OUTLOOK)
    g_clear_pointer (&job->outlook_id, g_free);
  if (action->kind == BCS_SYNC_ACTION_UPDATE_BC)
    job->bc_etag = g_strdup (action->pair != NULL && action->pair->bc_etag != NULL
                             ? action->pair->bc_etag
                             : action->bc != NULL ? action->bc->etag : NULL);
  return job;
}

/* Unlinks and stamp refreshes: store-only work, one transaction */
static gboolean
record_store_only (BcsSyncRun  *run,
                   GPtrArray   *jobs,
                   GError     **error)
{
  if (!bcs_sync_store_begin (run->store, error))
    return FALSE;
  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = jobs->pdata[i];
      const BcsSyncAction *action = job->action;
      gboolean ok = TRUE;

      if (action->kind == BCS_SYNC_ACTION_UNLINK && action->pair != NULL)
        ok = bcs_sync_store_delete_pair_sync (run->store, action->pair->bc_id, error);
      else if (action->kind == BCS_SYNC_ACTION_NONE && action->pair != NULL && action->merged != NULL)
        {
          const char *etag = action->bc != NULL ? action->bc->etag : NULL;
          const char *change_key = action->outlook != NULL ? action->outlook->change_key : NULL;

          if ((etag != NULL && g_strcmp0 (etag, action->pair->bc_etag) != 0) ||
              (change_key != NULL && g_strcmp0 (change_key, action->pair->outlook_change_key) != 0))
            {
              g_autoptr(BcsSyncPair) pair = bcs_sync_pair_copy (action->pair);

              replace_string (&pair->bc_etag, etag);
              replace_string (&pair->outlook_change_key, change_key);
              ok = bcs_sync_store_put_pair_sync (run->store, pair, error);
            }
        }
      if (!ok)
        {
          bcs_sync_store_rollback (run->store);
          return FALSE;
        }
    }
  return bcs_sync_store_commit (run->store, error);
}

static void
report_job (BcsSyncRun *run,
            Job        *job,
            gboolean    attempted)
{
  const BcsSyncAction *action = job->action;
  g_autoptr(GPtrArray) rows = bcs_sync_results_new ();
  BcsSyncOutcome outcome;

  if (action->kind == BCS_SYNC_ACTION_NONE)
    {
      run->report->counts.unchanged++;
      return;
    }
  if (!attempted)
    return;  /* cancelled before it was sent */

  outcome = job->failed ? BCS_SYNC_OUTCOME_FAILED : BCS_SYNC_OUTCOME_OK;
  bcs_sync_action_to_results (action, outcome, rows);
  while (rows->len > 0)
    {
      BcsSyncResult *result = g_ptr_array_steal_index (rows, 0);

      if (job->outlook_id != NULL && action->kind != BCS_SYNC_ACTION_DELETE_OUTLOOK)
        {
          g_free (result->outlook_id);
          result->outlook_id = g_strdup (job->outlook_id);
        }
      if (action->kind == BCS_SYNC_ACTION_CREATE_BC && job_new_bc_id (job) != NULL)
        {
          g_free (result->bc_id);
          result->bc_id = g_strdup (job_new_bc_id (job));
          g_free (result->bc_number);
          result->bc_number = g_strdup (job_new_bc_number (job));
        }
      if (job->failed && job->reason != NULL)
        {
          g_free (result->reason);
          result->reason = g_strdup (job->reason);
        }
      bcs_sync_result_set_action_changes (result, action);
      bcs_sync_report_add_result (run->report, result);
    }
}

/* An e-mail or phone update keeps Outlook's other addresses and phones
 * (Graph replaces the whole list): read the contacts the delta did not bring */
static gboolean
fetch_current (BcsSyncRun  *run,
               GPtrArray   *jobs,
               GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GHashTable) found = NULL;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = jobs->pdata[i];

      if (job->done || job->step == STEP_NONE || job->outlook_id == NULL ||
          (job->action->to_outlook & (BCS_FIELD_MASK (BCS_FIELD_EMAIL) | BCS_FIELD_MASK (BCS_FIELD_PHONE))) == 0 ||
          g_hash_table_contains (run->outlook_raw, job->outlook_id))
        continue;
      if (job->step == STEP_GRAPH_PATCH || job->step == STEP_BC_PATCH)
        g_ptr_array_add (ids, job->outlook_id);
    }
  if (ids->len == 0)
    return TRUE;

  found = bcs_sync_run_get_outlook (run, ids, error);
  if (found == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, found);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (run->outlook_raw, g_strdup (key), json_object_ref (value));
  return TRUE;
}

gboolean
bcs_sync_run_execute (BcsSyncRun   *run,
                      BcsSyncPlan  *plan,
                      GError      **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  g_autoptr(GError) fetch_error = NULL;
  Writer writer = { run, 0, NULL };
  guint n = bcs_sync_plan_get_n_actions (plan);

  for (guint i = 0; i < n; i++)
    {
      Job *job = job_new (run, bcs_sync_plan_get_action (plan, i));

      if (!job->done)
        run->n_total++;
      g_ptr_array_add (jobs, job);
    }
  if (!record_store_only (run, jobs, error))
    return FALSE;

  bcs_sync_run_progress (run, BCS_SYNC_PHASE_WRITING, 0, run->n_total);
  run_stage (&writer, jobs, BCS_SERVICE_BC);
  if (writer.fatal == NULL && !fetch_current (run, jobs, &fetch_error))
    g_debug ("could not read the Outlook contacts to update: %s", fetch_error->message);
  if (writer.fatal == NULL)
    run_stage (&writer, jobs, BCS_SERVICE_GRAPH);

  for (guint i = 0; i < n; i++)
    {
      Job *job = jobs->pdata[i];

      report_job (run, job, job->done || job->failed);
    }

  if (writer.fatal != NULL)
    {
      g_propagate_error (error, writer.fatal);
      return FALSE;
    }
  return bcs_sync_run_check_cancelled (run, error);
}
