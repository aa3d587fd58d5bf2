/* bcs-sync-report-json.c — the run report's JSON, written contact by contact
 *
 * bcs_sync_report_to_json_node() builds the whole report as one JsonNode
 * tree: about 2 KB per contact, 150 MB for a first sync of 100,000. The
 * writer here gives the same bytes without the tree: json-glib generates the
 * report's frame once (with two placeholder contacts, which tells where the
 * contacts go and what separates them) and then each contact on its own,
 * re-indented to its depth. Generated JSON strings hold no raw newline
 * (json-glib escapes them), so re-indenting line by line is exact. */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-sync-result.h"

#define PLACEHOLDER_1 "\"@@bcs-contact-1@@\""
#define PLACEHOLDER_2 "\"@@bcs-contact-2@@\""

typedef gboolean (*Sink) (const char  *data,
                          gsize        len,
                          gpointer     user_data,
                          GError     **error);

/* The report without its contacts, with N_PLACEHOLDERS strings in "contacts" */
static char *
frame_json (const BcsSyncReport *report,
            guint                n_placeholders,
            gboolean             pretty)
{
  g_autoptr(GPtrArray) none = bcs_sync_results_new ();
  g_autoptr(JsonNode) root = NULL;
  BcsSyncReport frame = *report;
  JsonArray *contacts;

  frame.results = none;
  root = bcs_sync_report_to_json_node (&frame);
  contacts = json_object_get_array_member (json_node_get_object (root), "contacts");
  if (n_placeholders > 0)
    json_array_add_string_element (contacts, "@@bcs-contact-1@@");
  if (n_placeholders > 1)
    json_array_add_string_element (contacts, "@@bcs-contact-2@@");
  return json_to_string (root, pretty);
}

/* One contact as json-glib writes it at the depth of INDENT */
static void
append_contact (GString             *out,
                const BcsSyncResult *result,
                JsonGenerator       *generator,
                const char          *indent)
{
  g_autoptr(JsonNode) node = bcs_sync_result_to_json_node (result);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      g_string_append_c (out, *p);
      if (*p == '\n')
        g_string_append (out, indent);
    }
}

static gboolean
write_report (const BcsSyncReport  *report,
              gboolean              pretty,
              Sink                  sink,
              gpointer              sink_data,
              GError              **error)
{
  g_autofree char *frame = NULL;
  g_autofree char *indent = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GString) chunk = NULL;
  const char *first, *second, *line;
  gsize separator_len;

  if (report->results->len == 0)
    {
      frame = frame_json (report, 0, pretty);
      return sink (frame, strlen (frame), sink_data, error);
    }

  frame = frame_json (report, 2, pretty);
  first = strstr (frame, PLACEHOLDER_1);
  second = first != NULL ? strstr (first, PLACEHOLDER_2) : NULL;
  if (first == NULL || second == NULL)
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_FAILED,
                           _("The run report could not be written."));
      return FALSE;
    }
  separator_len = (gsize) (second - first) - strlen (PLACEHOLDER_1);
  for (line = first; line > frame && line[-1] != '\n'; line--)
    ;
  indent = g_strndup (line, (gsize) (first - line));

  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  chunk = g_string_sized_new (64 * 1024);
  g_string_append_len (chunk, frame, first - frame);
  for (guint i = 0; i < report->results->len; i++)
    {
      if (i > 0)
        g_string_append_len (chunk, first + strlen (PLACEHOLDER_1), separator_len);
      append_contact (chunk, g_ptr_array_index (report->results, i), generator, indent);
      if (chunk->len >= 60 * 1024)
        {
          if (!sink (chunk->str, chunk->len, sink_data, error))
            return FALSE;
          g_string_truncate (chunk, 0);
        }
    }
  g_string_append (chunk, second + strlen (PLACEHOLDER_2));
  return sink (chunk->str, chunk->len, sink_data, error);
}

static gboolean
sink_string (const char  *data,
             gsize        len,
             gpointer     user_data,
             GError     **error)
{
  g_string_append_len (user_data, data, (gssize) len);
  return TRUE;
}

static gboolean
sink_stream (const char  *data,
             gsize        len,
             gpointer     user_data,
             GError     **error)
{
  return g_output_stream_write_all (user_data, data, len, NULL, NULL, error);
}

char *
bcs_sync_report_to_json (const BcsSyncReport *report,
                         gboolean             pretty)
{
  GString *out = g_string_new (NULL);

  write_report (report, pretty, sink_string, out, NULL);
  return g_string_free (out, FALSE);
}

gboolean
bcs_sync_report_write_json (const BcsSyncReport  *report,
                            gboolean              pretty,
                            GOutputStream        *stream,
                            GError              **error)
{
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  return write_report (report, pretty, sink_stream, stream, error);
}

gboolean
bcs_sync_report_save_json (const BcsSyncReport  *report,
                           const char           *path,
                           const char           *trailer,
                           GError              **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GOutputStream) buffered = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Atomic, as g_file_set_contents: a temporary file renamed on close */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;
  buffered = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (out), 64 * 1024);
  /* a failed flush must not close (and so rename) the temporary file */
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);
  if (!write_report (report, TRUE, sink_stream, buffered, error) ||
      (trailer != NULL && !sink_stream (trailer, strlen (trailer), buffered, error)) ||
      !g_output_stream_flush (buffered, NULL, error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing with a cancelled cancellable leaves the old file in place */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
      return FALSE;
    }
  return TRUE;
}
