/* bcs-results-model.c — a run's per-contact results as a GListModel, made lazily
 *
 * The shown rows are an array of indices into the results (none while every
 * result is shown in its order). A BcsResultObject is made on get_item and
 * kept in a weak cache, so that a row asked for twice is the same object.
 * The keys that filtering and sorting need for 100,000 rows would block the
 * main loop for a second: a worker thread computes them once per results
 * array (Keys). The main thread never waits for them: a filter or sort that
 * needs keys not yet computed is remembered (the latest wins) and applied
 * from an idle source on the model's main context once the worker has
 * them; until then the rows stay as they are. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <string.h>

#include "bcs-results-model.h"

/* ---- the keys, computed in a worker thread ---- */

/* The text columns, whose order needs collation keys */
enum {
  TEXT_NAME,
  TEXT_EMAIL,
  TEXT_REASON,
  N_TEXTS
};

typedef struct {
  gatomicrefcount ref;
  GMutex lock;
  gboolean searchable;        /* under lock: the search keys are computed */
  gboolean done;              /* under lock: and the ranks */
  /* in the model's context only: what keys_progress_cb has seen of the two
   * above; the model goes by these, so keys become ready only when the main
   * loop runs, never between two calls of the API */
  gboolean told_searchable;
  gboolean told_done;
  int cancelled;              /* atomic */
  GMainContext *context;      /* the model's, where the worker tells it */
  GWeakRef model;             /* the model the keys are for */
  GPtrArray *results;
  guint *ranks[N_TEXTS];      /* dense collation ranks, per result */
  char **name_keys;           /* folded name and e-mail, NULL when empty */
  char **email_keys;
} Keys;

static Keys *
keys_ref (Keys *keys)
{
  g_atomic_ref_count_inc (&keys->ref);
  return keys;
}

static void
keys_unref (Keys *keys)
{
  if (!g_atomic_ref_count_dec (&keys->ref))
    return;
  for (guint t = 0; t < N_TEXTS; t++)
    g_free (keys->ranks[t]);
  if (keys->name_keys != NULL)
    for (guint i = 0; i < keys->results->len; i++)
      {
        g_free (keys->name_keys[i]);
        g_free (keys->email_keys[i]);
      }
  g_free (keys->name_keys);
  g_free (keys->email_keys);
  g_ptr_array_unref (keys->results);
  g_weak_ref_clear (&keys->model);
  g_main_context_unref (keys->context);
  g_mutex_clear (&keys->lock);
  g_free (keys);
}

static const char *
text_of (const BcsSyncResult *result,
         guint                text)
{
  const char *value;

  switch (text)
    {
    case TEXT_NAME:
      value = result->name;
      break;
    case TEXT_EMAIL:
      value = result->email;
      break;
    case TEXT_REASON:
    default:
      value = result->reason;
      break;
    }
  return value != NULL ? value : "";
}

/* As bcs-results-filter.c compares: normalized, case-folded; NULL when
 * nothing can match */
static char *
search_key_of (const char *text)
{
  g_autofree char *normalized = NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  return normalized != NULL ? g_utf8_casefold (normalized, -1) : NULL;
}

/* As a GtkStringSorter that ignores case orders: the collation key of the
 * case-folded text */
static char *
sort_key_of (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  return g_utf8_collate_key (folded, -1);
}

static int
compare_sort_keys (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  char **sort_keys = user_data;

  return strcmp (sort_keys[*(const guint *) a], sort_keys[*(const guint *) b]);
}

#define CHECK_EVERY 1024

static gboolean
compute_ranks (Keys  *keys,
               guint  text)
{
  guint n = keys->results->len;
  char **sort_keys = g_new0 (char *, n);
  guint *order = g_new (guint, n);
  guint *ranks = g_new (guint, n);
  gboolean cancelled = FALSE;

  for (guint i = 0; i < n && !cancelled; i++)
    {
      sort_keys[i] = sort_key_of (text_of (g_ptr_array_index (keys->results, i), text));
      order[i] = i;
      if (i % CHECK_EVERY == 0)
        cancelled = g_atomic_int_get (&keys->cancelled);
    }
  if (!cancelled)
    {
      /* stable: equal texts keep the results' order */
      g_qsort_with_data (order, n, sizeof (guint), compare_sort_keys, sort_keys);
      for (guint j = 0; j < n; j++)
        ranks[order[j]] = j == 0 ? 0
                                 : ranks[order[j - 1]]
                                   + (strcmp (sort_keys[order[j]], sort_keys[order[j - 1]]) != 0);
    }
  for (guint i = 0; i < n; i++)
    g_free (sort_keys[i]);
  g_free (sort_keys);
  g_free (order);
  if (cancelled)
    {
      g_free (ranks);
      return FALSE;
    }
  keys->ranks[text] = ranks;
  return TRUE;
}

static gboolean keys_progress_cb (gpointer user_data);

/* Tells the model, on its context, that more keys are ready; never runs the
 * callback in the worker (g_main_context_invoke would, if no one owns the
 * context) */
static void
keys_tell (Keys *keys)
{
  GSource *source;

  if (g_atomic_int_get (&keys->cancelled))
    return;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_name (source, "[bcs] results keys ready");
  g_source_set_callback (source, keys_progress_cb, keys_ref (keys), (GDestroyNotify) keys_unref);
  g_source_attach (source, keys->context);
  g_source_unref (source);
}

static gpointer
keys_thread (gpointer user_data)
{
  Keys *keys = user_data;
  guint n = keys->results->len;
  gboolean ok = TRUE;

  keys->name_keys = g_new0 (char *, n);
  keys->email_keys = g_new0 (char *, n);
  for (guint i = 0; i < n && ok; i++)
    {
      const BcsSyncResult *result = g_ptr_array_index (keys->results, i);

      keys->name_keys[i] = search_key_of (result->name);
      keys->email_keys[i] = search_key_of (result->email);
      if (i % CHECK_EVERY == 0)
        ok = !g_atomic_int_get (&keys->cancelled);
    }
  /* a search need not wait for the ranks (the slow part) */
  g_mutex_lock (&keys->lock);
  keys->searchable = TRUE;
  g_mutex_unlock (&keys->lock);
  keys_tell (keys);

  for (guint t = 0; t < N_TEXTS && ok; t++)
    ok = compute_ranks (keys, t);

  g_mutex_lock (&keys->lock);
  keys->done = TRUE;
  g_mutex_unlock (&keys->lock);
  keys_tell (keys);
  keys_unref (keys);
  return NULL;
}

static Keys *
keys_start (GPtrArray    *results,
            gpointer      model,
            GMainContext *context)
{
  Keys *keys = g_new0 (Keys, 1);
  GThread *thread;

  g_atomic_ref_count_init (&keys->ref);
  g_mutex_init (&keys->lock);
  g_weak_ref_init (&keys->model, model);
  keys->context = g_main_context_ref (context);
  keys->results = g_ptr_array_ref (results);
  thread = g_thread_new ("bcs-results-keys", keys_thread, keys_ref (keys));
  g_thread_unref (thread);
  return keys;
}

/* Whether the search keys (SEARCH) and the ranks (RANKS) are computed;
 * never waits */
static gboolean
keys_ready (Keys     *keys,
            gboolean  search,
            gboolean  ranks)
{
  return keys->told_done || (!ranks && (!search || keys->told_searchable));
}

static void
keys_cancel (Keys *keys)
{
  g_atomic_int_set (&keys->cancelled, TRUE);
  keys_unref (keys);
}

/* ---- the model ---- */

struct _BcsResultsModel
{
  GObject parent_instance;

  GPtrArray *results;
  Keys *keys;
  BcsResultsShow show;
  char *search_key;
  int sort_column;
  gboolean descending;
  gboolean pending;           /* the filter and sort wait for keys */
  GMainContext *context;

  guint *rows;                /* the shown results' indices; NULL: all, in order */
  guint n_rows;
  GHashTable *cache;          /* result index → BcsResultObject, weak */
};

static void bcs_results_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BcsResultsModel, bcs_results_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, bcs_results_model_list_model_init))

static void
cache_notify (gpointer  user_data,
              GObject  *where_the_object_was)
{
  BcsResultsModel *self = user_data;

  g_hash_table_remove (self->cache,
                       GUINT_TO_POINTER (bcs_result_object_get_index (BCS_RESULT_OBJECT (where_the_object_was))));
}

static void
clear_cache (BcsResultsModel *self)
{
  GHashTableIter iter;
  gpointer object;

  g_hash_table_iter_init (&iter, self->cache);
  while (g_hash_table_iter_next (&iter, NULL, &object))
    g_object_weak_unref (object, cache_notify, self);
  g_hash_table_remove_all (self->cache);
}

static GType
bcs_results_model_get_item_type (GListModel *model)
{
  return BCS_TYPE_RESULT_OBJECT;
}

static guint
bcs_results_model_get_n_items (GListModel *model)
{
  return BCS_RESULTS_MODEL (model)->n_rows;
}

static gpointer
bcs_results_model_get_item (GListModel *model,
                            guint       position)
{
  BcsResultsModel *self = BCS_RESULTS_MODEL (model);
  BcsResultObject *row;
  guint index;

  if (position >= self->n_rows)
    return NULL;

  index = self->rows != NULL ? self->rows[position] : position;
  row = g_hash_table_lookup (self->cache, GUINT_TO_POINTER (index));
  if (row != NULL)
    return g_object_ref (row);

  row = bcs_result_object_new (self->results, index);
  g_hash_table_insert (self->cache, GUINT_TO_POINTER (index), row);
  g_object_weak_ref (G_OBJECT (row), cache_notify, self);
  return row;
}

static void
bcs_results_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bcs_results_model_get_item_type;
  iface->get_n_items = bcs_results_model_get_n_items;
  iface->get_item = bcs_results_model_get_item;
}

/* ---- sorting and filtering row numbers ---- */

static int
text_of_column (BcsResultsColumn column)
{
  switch (column)
    {
    case BCS_RESULTS_COLUMN_NAME:
      return TEXT_NAME;
    case BCS_RESULTS_COLUMN_EMAIL:
      return TEXT_EMAIL;
    case BCS_RESULTS_COLUMN_REASON:
      return TEXT_REASON;
    case BCS_RESULTS_COLUMN_DIRECTION:
    case BCS_RESULTS_COLUMN_ACTION:
    case BCS_RESULTS_COLUMN_OUTCOME:
    case BCS_RESULTS_N_COLUMNS:
    default:
      return -1;
    }
}

#define N_VALUES 8

/* The words of an enum column by value, for its order */
static const char *
value_label (BcsResultsColumn column,
             guint            value)
{
  switch (column)
    {
    case BCS_RESULTS_COLUMN_DIRECTION:
      return bcs_results_direction_label (value);
    case BCS_RESULTS_COLUMN_ACTION:
      return bcs_results_action_label (value);
    case BCS_RESULTS_COLUMN_OUTCOME:
    default:
      return bcs_results_outcome_label (value);
    }
}

static guint
value_of (const BcsSyncResult *result,
          BcsResultsColumn     column)
{
  guint value;

  switch (column)
    {
    case BCS_RESULTS_COLUMN_DIRECTION:
      value = result->direction;
      break;
    case BCS_RESULTS_COLUMN_ACTION:
      value = result->action;
      break;
    case BCS_RESULTS_COLUMN_OUTCOME:
    default:
      value = result->outcome;
      break;
    }
  /* the labels' default word for anything else */
  return MIN (value, N_VALUES - 1);
}

/* RANKS[value]: where the value's word sorts among the column's words */
static void
value_ranks (BcsResultsColumn column,
             guint            ranks[N_VALUES])
{
  char *sort_keys[N_VALUES];

  for (guint v = 0; v < N_VALUES; v++)
    sort_keys[v] = sort_key_of (value_label (column, v));
  for (guint v = 0; v < N_VALUES; v++)
    {
      ranks[v] = 0;
      for (guint w = 0; w < N_VALUES; w++)
        ranks[v] += strcmp (sort_keys[w], sort_keys[v]) < 0;
    }
  for (guint v = 0; v < N_VALUES; v++)
    g_free (sort_keys[v]);
}

/* A stable counting sort of ROWS by the column's ranks: O(n) */
static void
sort_rows (BcsResultsModel *self,
           guint           *rows,
           guint            n)
{
  int text = text_of_column (self->sort_column);
  const guint *text_ranks = text >= 0 ? self->keys->ranks[text] : NULL;
  guint value_rank[N_VALUES];
  guint range = text >= 0 ? self->results->len : N_VALUES;
  g_autofree guint *starts = NULL;
  g_autofree guint *keys = g_new (guint, n);
  g_autofree guint *sorted = g_new (guint, n);

  if (text_ranks == NULL && text >= 0)
    return;   /* the keys were not computed (cancelled): keep the order */
  if (text < 0)
    value_ranks (self->sort_column, value_rank);

  starts = g_new0 (guint, range + 1);
  for (guint j = 0; j < n; j++)
    {
      guint key = text >= 0 ? text_ranks[rows[j]]
                            : value_rank[value_of (g_ptr_array_index (self->results, rows[j]),
                                                   self->sort_column)];

      keys[j] = self->descending ? range - 1 - key : key;
      starts[keys[j] + 1]++;
    }
  for (guint k = 0; k < range; k++)
    starts[k + 1] += starts[k];
  for (guint j = 0; j < n; j++)
    sorted[starts[keys[j]]++] = rows[j];
  memcpy (rows, sorted, n * sizeof (guint));
}

static gboolean
row_matches (BcsResultsModel *self,
             const Keys      *keys,
             guint            index)
{
  const char *name, *email;

  if (!bcs_results_filter_matches (g_ptr_array_index (self->results, index), self->show, NULL))
    return FALSE;
  if (keys == NULL)
    return TRUE;
  if (keys->name_keys == NULL)
    return FALSE;
  name = keys->name_keys[index];
  email = keys->email_keys[index];
  return (name != NULL && strstr (name, self->search_key) != NULL)
         || (email != NULL && strstr (email, self->search_key) != NULL);
}

/* Whether the filter and sort asked for can be computed now */
static gboolean
keys_needed_ready (BcsResultsModel *self)
{
  if (self->keys == NULL)
    return TRUE;
  return keys_ready (self->keys, self->search_key != NULL,
                     self->sort_column >= 0 && text_of_column (self->sort_column) >= 0);
}

/* Recomputes the shown rows: one items-changed. When the keys they need are
 * not computed yet, the rows stay as they are (KEEP) or, for new results,
 * are what can be computed without them (no row while a search waits, the
 * results' order while a text sort waits); the rows asked for follow from
 * keys_progress_cb. */
static void
update_rows (BcsResultsModel *self,
             gboolean         keep)
{
  guint old_n = self->n_rows;
  guint n = self->results != NULL ? self->results->len : 0;
  gboolean ready = n == 0 || keys_needed_ready (self);

  self->pending = !ready;
  if (!ready && keep)
    return;

  g_clear_pointer (&self->rows, g_free);
  if (n == 0 || (self->show == BCS_RESULTS_SHOW_ALL && self->search_key == NULL && self->sort_column < 0))
    self->n_rows = n;
  else if (!ready && self->search_key != NULL)
    self->n_rows = 0;
  else
    {
      const Keys *keys = self->search_key != NULL ? self->keys : NULL;
      guint m = 0;

      self->rows = g_new (guint, n);
      for (guint i = 0; i < n; i++)
        if (row_matches (self, keys, i))
          self->rows[m++] = i;
      if (self->sort_column >= 0 && (ready || text_of_column (self->sort_column) < 0))
        sort_rows (self, self->rows, m);
      self->n_rows = m;
    }

  if (old_n > 0 || self->n_rows > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_rows);
}

/* In the model's context: the worker computed more keys */
static gboolean
keys_progress_cb (gpointer user_data)
{
  Keys *keys = user_data;
  g_autoptr (BcsResultsModel) self = g_weak_ref_get (&keys->model);

  g_mutex_lock (&keys->lock);
  keys->told_searchable = keys->searchable;
  keys->told_done = keys->done;
  g_mutex_unlock (&keys->lock);

  /* stale keys (other results, a disposed model) change nothing */
  if (self != NULL && self->keys == keys && self->pending && keys_needed_ready (self))
    update_rows (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* ---- the API ---- */

BcsResultsModel *
bcs_results_model_new (void)
{
  return g_object_new (BCS_TYPE_RESULTS_MODEL, NULL);
}

static gboolean
store_filter (BcsResultsModel *self,
              BcsResultsShow   show,
              const char      *search_key)
{
  if (search_key != NULL && *search_key == '\0')
    search_key = NULL;
  if (show == self->show && g_strcmp0 (search_key, self->search_key) == 0)
    return FALSE;

  self->show = show;
  g_free (self->search_key);
  self->search_key = g_strdup (search_key);
  return TRUE;
}

void
bcs_results_model_replace (BcsResultsModel *self,
                           GPtrArray       *results,
                           BcsResultsShow   show,
                           const char      *search_key)
{
  gboolean filter_changed;

  g_return_if_fail (BCS_IS_RESULTS_MODEL (self));
  g_return_if_fail (show < BCS_RESULTS_N_SHOW);

  filter_changed = store_filter (self, show, search_key);
  if (results != NULL && results->len == 0)
    results = NULL;
  if (results == self->results)
    {
      if (filter_changed)
        update_rows (self, TRUE);
      return;
    }

  clear_cache (self);
  g_clear_pointer (&self->keys, keys_cancel);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  if (results != NULL)
    {
      self->results = g_ptr_array_ref (results);
      self->keys = keys_start (results, self, self->context);
    }
  update_rows (self, FALSE);
}

void
bcs_results_model_set_results (BcsResultsModel *self,
                               GPtrArray       *results)
{
  g_return_if_fail (BCS_IS_RESULTS_MODEL (self));

  bcs_results_model_replace (self, results, self->show, self->search_key);
}

GPtrArray *
bcs_results_model_get_results (BcsResultsModel *self)
{
  g_return_val_if_fail (BCS_IS_RESULTS_MODEL (self), NULL);

  return self->results;
}

void
bcs_results_model_set_filter (BcsResultsModel *self,
                              BcsResultsShow   show,
                              const char      *search_key)
{
  g_return_if_fail (BCS_IS_RESULTS_MODEL (self));
  g_return_if_fail (show < BCS_RESULTS_N_SHOW);

  if (store_filter (self, show, search_key))
    update_rows (self, TRUE);
}

void
bcs_results_model_set_sort (BcsResultsModel *self,
                            int              column,
                            gboolean         descending)
{
  g_return_if_fail (BCS_IS_RESULTS_MODEL (self));
  g_return_if_fail (column < BCS_RESULTS_N_COLUMNS);

  if (column < 0)
    {
      column = -1;
      descending = FALSE;
    }
  descending = !!descending;
  if (column == self->sort_column && descending == self->descending)
    return;

  self->sort_column = column;
  self->descending = descending;
  update_rows (self, TRUE);
}

gboolean
bcs_results_model_is_pending (BcsResultsModel *self)
{
  g_return_val_if_fail (BCS_IS_RESULTS_MODEL (self), FALSE);

  return self->pending;
}

int
bcs_results_model_compare (BcsResultsModel  *self,
                           BcsResultsColumn  column,
                           guint             a,
                           guint             b)
{
  int text = text_of_column (column);
  guint ka, kb;

  g_return_val_if_fail (BCS_IS_RESULTS_MODEL (self), 0);
  g_return_val_if_fail (self->results != NULL && a < self->results->len && b < self->results->len, 0);

  if (text >= 0 && self->keys != NULL && keys_ready (self->keys, FALSE, TRUE)
      && self->keys->ranks[text] != NULL)
    {
      ka = self->keys->ranks[text][a];
      kb = self->keys->ranks[text][b];
    }
  else if (text >= 0)
    {
      /* the ranks not yet computed: the same order from the keys they
       * are made of, without waiting */
      g_autofree char *key_a = sort_key_of (text_of (g_ptr_array_index (self->results, a), text));
      g_autofree char *key_b = sort_key_of (text_of (g_ptr_array_index (self->results, b), text));
      int cmp = strcmp (key_a, key_b);

      return (cmp > 0) - (cmp < 0);
    }
  else
    {
      guint ranks[N_VALUES];

      value_ranks (column, ranks);
      ka = ranks[value_of (g_ptr_array_index (self->results, a), column)];
      kb = ranks[value_of (g_ptr_array_index (self->results, b), column)];
    }
  return (ka > kb) - (ka < kb);
}

static void
bcs_results_model_dispose (GObject *object)
{
  BcsResultsModel *self = BCS_RESULTS_MODEL (object);

  if (self->cache != NULL)
    clear_cache (self);
  g_clear_pointer (&self->keys, keys_cancel);

  G_OBJECT_CLASS (bcs_results_model_parent_class)->dispose (object);
}

static void
bcs_results_model_finalize (GObject *object)
{
  BcsResultsModel *self = BCS_RESULTS_MODEL (object);

  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_free (self->rows);
  g_free (self->search_key);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (bcs_results_model_parent_class)->finalize (object);
}

static void
bcs_results_model_class_init (BcsResultsModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bcs_results_model_dispose;
  object_class->finalize = bcs_results_model_finalize;
}

static void
bcs_results_model_init (BcsResultsModel *self)
{
  self->cache = g_hash_table_new (NULL, NULL);
  self->sort_column = -1;
  self->context = g_main_context_ref_thread_default ();
}
