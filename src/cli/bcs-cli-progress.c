/* bcs-cli-progress.c — a sync's progress, as --sync prints it on stderr */
#define G_LOG_DOMAIN "bcs-cli"

#include "config.h"

#include "bcs-cli-progress.h"

struct _BcsCliProgress
{
  gboolean terminal;
  BcsCliProgressWriteFunc write;
  gpointer user_data;

  int last_phase;           /* -1: nothing yet */
  gboolean line_open;       /* terminal: a count shown in place, no '\n' yet */
  glong open_width;         /* its width in characters */
  gboolean count_shown;     /* a count shown since writing (re)started */
  guint shown_done;
  guint shown_total;
  gint64 shown_at;
};

static void
write_stderr (const char *text,
              gpointer    user_data)
{
  g_printerr ("%s", text);
}

BcsCliProgress *
bcs_cli_progress_new (gboolean                 terminal,
                      BcsCliProgressWriteFunc  write,
                      gpointer                 user_data)
{
  BcsCliProgress *self = g_new0 (BcsCliProgress, 1);

  self->terminal = terminal;
  self->write = write != NULL ? write : write_stderr;
  self->user_data = user_data;
  self->last_phase = -1;
  return self;
}

void
bcs_cli_progress_free (BcsCliProgress *self)
{
  g_free (self);
}

void
bcs_cli_progress_finish (BcsCliProgress *self)
{
  if (!self->line_open)
    return;
  self->write ("\n", self->user_data);
  self->line_open = FALSE;
}

static void
print_line (BcsCliProgress *self,
            const char     *text)
{
  g_autofree char *line = g_strconcat (text, "\n", NULL);

  bcs_cli_progress_finish (self);
  self->write (line, self->user_data);
}

static void
print_count (BcsCliProgress        *self,
             const BcsSyncProgress *progress,
             gint64                 now_us)
{
  g_autofree char *text = bcs_sync_progress_describe (progress);

  if (self->terminal)
    {
      glong width = g_utf8_strlen (text, -1);
      /* spaces over what is left of a longer count shown before */
      g_autofree char *pad = g_strnfill (self->line_open ? MAX (self->open_width - width, 0) : 0, ' ');
      g_autofree char *line = g_strconcat ("\r", text, pad, NULL);

      self->write (line, self->user_data);
      self->line_open = TRUE;
      self->open_width = width;
    }
  else
    print_line (self, text);

  self->count_shown = TRUE;
  self->shown_done = progress->done;
  self->shown_total = progress->total;
  self->shown_at = now_us;
}

/* Whether a new count is worth a line (terminal: an update) now */
static gboolean
count_due (BcsCliProgress        *self,
           const BcsSyncProgress *progress,
           gint64                 now_us)
{
  guint step;

  if (!self->count_shown || progress->done >= progress->total)
    return TRUE;
  if (self->terminal)
    return now_us - self->shown_at >= BCS_CLI_PROGRESS_TERMINAL_US;

  step = MAX ((progress->total + 9) / 10, 1);
  return progress->done >= self->shown_done + step ||
         now_us - self->shown_at >= BCS_CLI_PROGRESS_LOG_US;
}

void
bcs_cli_progress_update (BcsCliProgress        *self,
                         const BcsSyncProgress *progress,
                         gint64                 now_us)
{
  g_return_if_fail (self != NULL && progress != NULL);

  /* Every wait: the user should know why nothing moves */
  if (progress->phase == BCS_SYNC_PHASE_WAITING)
    {
      g_autofree char *text = bcs_sync_progress_describe (progress);

      print_line (self, text);
      self->last_phase = progress->phase;
      /* after the wait, show where writing stands at once */
      self->count_shown = FALSE;
      return;
    }

  if (progress->phase != BCS_SYNC_PHASE_WRITING)
    {
      g_autofree char *text = NULL;

      if ((int) progress->phase == self->last_phase)
        return;
      text = bcs_sync_progress_describe (progress);
      print_line (self, text);
      self->last_phase = progress->phase;
      self->count_shown = FALSE;
      return;
    }

  self->last_phase = progress->phase;
  if (self->count_shown && progress->done == self->shown_done && progress->total == self->shown_total)
    return;
  if (count_due (self, progress, now_us))
    print_count (self, progress, now_us);
}
