/* bcs-sb-bc-contacts.c — Business Central's contacts and users endpoints:
 * listing with server-driven paging and the OData query options, single rows,
 * writes with BC's If-Match rules, and the automation API's users
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-bc-private.h"

#define BC_CONTENT_TYPE "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8"

/* ---- contacts ---- */

static guint
prefer_page_size (BcsSbRequest *request,
                  gboolean     *applied)
{
  const char *prefer = soup_message_headers_get_list (request->headers, "Prefer");
  const char *p = prefer ? strstr (prefer, "odata.maxpagesize=") : NULL;
  guint64 n;

  *applied = FALSE;
  if (p == NULL)
    return BC_MAX_PAGE;
  n = g_ascii_strtoull (p + strlen ("odata.maxpagesize="), NULL, 10);
  if (n == 0)
    return BC_MAX_PAGE;
  *applied = TRUE;
  return (guint) MIN (n, BC_MAX_PAGE);
}

static gboolean
query_uint (BcsSbRequest  *request,
            const char    *name,
            guint         *value,
            BcsSbResponse *response)
{
  const char *text = bcs_sb_request_get_query (request, name);
  guint64 n;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &n, NULL))
    {
      g_autofree char *message = g_strdup_printf ("Invalid value '%s' for the query option %s.", text, name);

      bcs_sb_bc_error (response, 400, "BadRequest", message);
      return FALSE;
    }
  *value = (guint) n;
  return TRUE;
}

static void
append_query (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') ? '&' : '?', name, escaped);
}

static int
sort_contacts (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  return bcs_sb_bc_order_compare (data, *(BcsSbBcContact * const *) a, *(BcsSbBcContact * const *) b);
}

static char *
next_link (BcsSbRequest         *request,
           BcsSbBcOrder         *order,
           const BcsSbBcContact *last,
           guint                 rest,
           gboolean              has_top)
{
  GString *url = g_string_new (request->base_url);
  g_autofree char *token = bcs_sb_bc_order_token (order, last);
  const char *keep[] = { "$filter", "$select", "$orderby", "$count" };
  const char *text;

  g_string_append (url, request->path);
  for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
    if ((text = bcs_sb_request_get_query (request, keep[i])) != NULL)
      append_query (url, keep[i], text);
  if (has_top)
    {
      g_autofree char *top = g_strdup_printf ("%u", rest);

      append_query (url, "$top", top);
    }
  append_query (url, "$skiptoken", token);
  return g_string_free (url, FALSE);
}

/* A page for an inner request of a $batch: a JSON tree */
static void
page_as_json (BcsSbResponse  *response,
              GPtrArray      *rows,
              guint           n_rows,
              const gboolean *select,
              const char     *context,
              int             count,
              const char     *next)
{
  JsonObject *object = json_object_new ();
  JsonArray *value = json_array_sized_new (n_rows);

  json_object_set_string_member (object, "@odata.context", context);
  if (count >= 0)
    json_object_set_int_member (object, "@odata.count", count);
  for (guint i = 0; i < n_rows; i++)
    json_array_add_object_element (value, bcs_sb_bc_contact_to_json (g_ptr_array_index (rows, i), select));
  json_object_set_array_member (object, "value", value);
  if (next != NULL)
    json_object_set_string_member (object, "@odata.nextLink", next);
  bcs_sb_response_set_object (response, 200, object);
}

/* A page on the wire: written as text at once (see bcs-sb-bc-json.c) */
static void
page_as_text (BcsSbResponse  *response,
              GPtrArray      *rows,
              guint           n_rows,
              const gboolean *select,
              const char     *context,
              int             count,
              const char     *next)
{
  GString *out = g_string_sized_new (256 + (gsize) n_rows * (select ? 200 : 800));
  gsize length;

  g_string_append (out, "{\"@odata.context\":");
  bcs_sb_bc_append_json_string (out, context);
  if (count >= 0)
    g_string_append_printf (out, ",\"@odata.count\":%d", count);
  g_string_append (out, ",\"value\":[");
  for (guint i = 0; i < n_rows; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      bcs_sb_bc_append_contact (out, g_ptr_array_index (rows, i), select);
    }
  g_string_append_c (out, ']');
  if (next != NULL)
    {
      g_string_append (out, ",\"@odata.nextLink\":");
      bcs_sb_bc_append_json_string (out, next);
    }
  g_string_append_c (out, '}');
  length = out->len;
  bcs_sb_response_set_raw (response, 200, BC_CONTENT_TYPE, NULL, 0);
  response->raw = g_bytes_new_take (g_string_free (out, FALSE), length);
}

static void
list_contacts (BcsSbBcCompany *company,
               BcsSbRequest   *request,
               const Target   *target,
               BcsSbResponse  *response)
{
  g_autoptr(BcsSbBcFilter) filter = NULL;
  g_autoptr(BcsSbBcOrder) order = NULL;
  g_autoptr(BcsSbBcContact) after = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree gboolean *select = NULL;
  g_autofree char *error = NULL;
  const char *text;
  gboolean applied = FALSE, more = FALSE, has_top = FALSE;
  guint page = prefer_page_size (request, &applied);
  guint top = G_MAXUINT, skip = 0, n_rows, count = 0;

  text = bcs_sb_request_get_query (request, "$filter");
  if (text != NULL && *text != '\0' && (filter = bcs_sb_bc_filter_parse (text, &error)) == NULL)
    goto bad_request;
  order = bcs_sb_bc_order_parse (bcs_sb_request_get_query (request, "$orderby"), &error);
  if (order == NULL)
    goto bad_request;
  select = bcs_sb_bc_select_parse (bcs_sb_request_get_query (request, "$select"), &error);
  if (error != NULL)
    goto bad_request;
  has_top = bcs_sb_request_get_query (request, "$top") != NULL;
  if (!query_uint (request, "$top", &top, response) || !query_uint (request, "$skip", &skip, response))
    return;
  text = bcs_sb_request_get_query (request, "$skiptoken");
  if (text != NULL && (after = bcs_sb_bc_order_untoken (order, text)) == NULL)
    {
      error = g_strdup_printf ("The skip token '%s' is not valid.", text);
      goto bad_request;
    }

  /* The rows in order, after the skip token, filtered: in the primary key's
   * order the stored array is already sorted */
  rows = g_ptr_array_new ();
  if (bcs_sb_bc_order_is_default (order))
    {
      guint start = after ? bcs_sb_bc_company_after (company, bcs_sb_bc_contact_get (after, BC_F_NUMBER)) : 0;
      /* Enough to fill the page and know whether there is more */
      guint64 wanted = (guint64) (after ? 0 : skip) + MIN (page, top) + 1;

      for (guint i = start; i < company->contacts->len && rows->len < wanted; i++)
        {
          BcsSbBcContact *contact = g_ptr_array_index (company->contacts, i);

          if (bcs_sb_bc_filter_match (filter, contact))
            g_ptr_array_add (rows, contact);
        }
    }
  else
    {
      for (guint i = 0; i < company->contacts->len; i++)
        {
          BcsSbBcContact *contact = g_ptr_array_index (company->contacts, i);

          if (bcs_sb_bc_filter_match (filter, contact)
              && (after == NULL || bcs_sb_bc_order_compare (order, contact, after) > 0))
            g_ptr_array_add (rows, contact);
        }
      g_ptr_array_sort_with_data (rows, sort_contacts, order);
    }

  count = rows->len;
  if ((after != NULL || bcs_sb_bc_order_is_default (order))
      && g_strcmp0 (bcs_sb_request_get_query (request, "$count"), "true") == 0)
    {
      count = 0;
      for (guint i = 0; i < company->contacts->len; i++)
        count += bcs_sb_bc_filter_match (filter, g_ptr_array_index (company->contacts, i));
    }
  if (after == NULL)
    g_ptr_array_remove_range (rows, 0, MIN (skip, rows->len));
  n_rows = MIN (MIN (page, top), rows->len);
  more = rows->len > n_rows && n_rows < top;

  {
    g_autofree char *context = g_strdup_printf ("%s%s/$metadata#companies(%s)/contacts",
                                                request->base_url ? request->base_url : "",
                                                target->root, company->id);
    g_autofree char *next = more ? next_link (request, order, g_ptr_array_index (rows, n_rows - 1),
                                              has_top ? top - n_rows : 0, has_top) : NULL;
    gboolean with_count = g_strcmp0 (bcs_sb_request_get_query (request, "$count"), "true") == 0;

    if (request->in_batch)
      page_as_json (response, rows, n_rows, select, context, with_count ? (int) count : -1, next);
    else
      page_as_text (response, rows, n_rows, select, context, with_count ? (int) count : -1, next);
  }

  if (applied)
    {
      g_autofree char *pref = g_strdup_printf ("odata.maxpagesize=%u", page);

      soup_message_headers_replace (response->headers, "Preference-Applied", pref);
    }
  return;

bad_request:
  bcs_sb_bc_error (response, 400, "BadRequest", error);
}

void
bcs_sb_bc_contact_reply (BcsSbBcContact *contact,
                         BcsSbRequest   *request,
                         const Target   *target,
                         guint           status,
                         const gboolean *select,
                         BcsSbResponse  *response)
{
  JsonObject *object = bcs_sb_bc_contact_to_json (contact, select);
  g_autofree char *context = g_strdup_printf ("%s%s/$metadata#companies(%s)/contacts/$entity",
                                              request->base_url ? request->base_url : "", target->root,
                                              contact->company->id);
  g_autofree char *etag = bcs_sb_bc_etag (contact->row_version);

  json_object_set_string_member (object, "@odata.context", context);
  soup_message_headers_replace (response->headers, "ETag", etag);
  bcs_sb_response_set_object (response, status, object);
}

JsonObject *
bcs_sb_bc_body_object (BcsSbRequest   *request,
                       JsonNode      **node,
                       BcsSbResponse  *response)
{
  g_autoptr(GError) error = NULL;

  *node = bcs_sb_request_get_json (request, &error);
  if (*node == NULL || !JSON_NODE_HOLDS_OBJECT (*node))
    {
      bcs_sb_bc_error (response, 400, "BadRequest",
                       "The request body must be a JSON object (Content-Type: application/json).");
      return NULL;
    }
  return json_node_get_object (*node);
}

/* The If-Match rule of BC's API: required, and the row's etag or "*" */
static gboolean
check_if_match (BcsSbBcContact *contact,
                BcsSbRequest   *request,
                BcsSbResponse  *response)
{
  const char *if_match = soup_message_headers_get_one (request->headers, "If-Match");

  while (if_match != NULL && g_ascii_isspace (*if_match))
    if_match++;
  if (if_match == NULL || *if_match == '\0')
    {
      bcs_sb_bc_error (response, 400, "BadRequest_InvalidToken",
                       "Could not validate the client concurrency token required by the service. "
                       "Please provide a valid token in the client request.");
      return FALSE;
    }
  if ((if_match[0] == '*' && (if_match[1] == '\0' || g_ascii_isspace (if_match[1])))
      || (contact->row_version != 0 && bcs_sb_bc_etag_parse (if_match) == contact->row_version))
    return TRUE;
  bcs_sb_bc_error (response, 409, "Request_EntityChanged", "Another user has already changed the record.");
  return FALSE;
}

void
bcs_sb_bc_handle_contacts (BcsSbBc        *bc,
                           BcsSbBcCompany *company,
                           const char     *key,
                           BcsSbRequest   *request,
                           const Target   *target,
                           BcsSbResponse  *response)
{
  const char *method = request->method;
  g_autoptr(JsonNode) node = NULL;
  BcsSbBcContact *contact = NULL;
  JsonObject *object;

  if (key == NULL)
    {
      if (strcmp (method, "GET") == 0)
        list_contacts (company, request, target, response);
      else if (strcmp (method, "POST") == 0)
        {
          if ((object = bcs_sb_bc_body_object (request, &node, response)) == NULL)
            return;
          contact = bcs_sb_bc_write_contact (bc, company, NULL, object, FALSE, response);
          if (contact != NULL)
            {
              g_autofree char *location = g_strdup_printf ("%s%s/companies(%s)/contacts(%s)",
                                                           request->base_url ? request->base_url : "",
                                                           target->root, company->id,
                                                           bcs_sb_bc_contact_get (contact, BC_F_ID));

              soup_message_headers_replace (response->headers, "Location", location);
              bcs_sb_bc_contact_reply (contact, request, target, 201, NULL, response);
            }
        }
      else
        bcs_sb_bc_method_not_allowed (response, request);
      return;
    }

  contact = g_hash_table_lookup (company->by_id, key);
  if (contact == NULL)
    {
      g_autofree char *lower = g_ascii_strdown (key, -1);

      contact = g_hash_table_lookup (company->by_id, lower);
    }
  if (contact == NULL)
    {
      g_autofree char *message =
        g_strdup_printf ("The contact does not exist. Identification fields and values: Id='%s'", key);

      bcs_sb_bc_error (response, 404, "Internal_RecordNotFound", message);
      return;
    }

  if (strcmp (method, "GET") == 0)
    {
      g_autofree char *error = NULL;
      g_autofree gboolean *select = bcs_sb_bc_select_parse (bcs_sb_request_get_query (request, "$select"), &error);

      if (error != NULL)
        bcs_sb_bc_error (response, 400, "BadRequest", error);
      else
        bcs_sb_bc_contact_reply (contact, request, target, 200, select, response);
    }
  else if (strcmp (method, "PATCH") == 0)
    {
      if (!check_if_match (contact, request, response)
          || (object = bcs_sb_bc_body_object (request, &node, response)) == NULL)
        return;
      contact = bcs_sb_bc_write_contact (bc, company, contact, object, FALSE, response);
      if (contact != NULL)
        bcs_sb_bc_contact_reply (contact, request, target, 200, NULL, response);
    }
  else if (strcmp (method, "DELETE") == 0)
    {
      if (!check_if_match (contact, request, response))
        return;
      bcs_sb_bc_delete_contact (bc, company, key);
      bcs_sb_response_set_raw (response, 204, NULL, NULL, 0);
    }
  else
    bcs_sb_bc_method_not_allowed (response, request);
}

/* ---- users (automation API) ---- */

void
bcs_sb_bc_handle_users (BcsSbBc        *bc,
                        BcsSbBcCompany *company,
                        const char     *key,
                        BcsSbRequest   *request,
                        const Target   *target,
                        BcsSbResponse  *response)
{
  g_autofree char *context = NULL;
  JsonObject *object;

  if (strcmp (request->method, "GET") != 0)
    {
      bcs_sb_bc_method_not_allowed (response, request);
      return;
    }
  if (key != NULL)
    {
      for (guint i = 0; i < bc->users->len; i++)
        {
          BcsSbBcUser *user = g_ptr_array_index (bc->users, i);

          if (g_ascii_strcasecmp (user->id, key) == 0)
            {
              object = bcs_sb_bc_user_to_json (user, FALSE);
              context = g_strdup_printf ("%s%s/$metadata#companies(%s)/users/$entity",
                                         request->base_url ? request->base_url : "", target->root, company->id);
              json_object_set_string_member (object, "@odata.context", context);
              bcs_sb_response_set_object (response, 200, object);
              return;
            }
        }
      {
        g_autofree char *message =
          g_strdup_printf ("The User does not exist. Identification fields and values: User Security ID='%s'", key);

        bcs_sb_bc_error (response, 404, "Internal_RecordNotFound", message);
      }
      return;
    }

  object = json_object_new ();
  context = g_strdup_printf ("%s%s/$metadata#companies(%s)/users",
                             request->base_url ? request->base_url : "", target->root, company->id);
  json_object_set_string_member (object, "@odata.context", context);
  {
    JsonArray *value = json_array_new ();

    for (guint i = 0; i < bc->users->len; i++)
      json_array_add_object_element (value, bcs_sb_bc_user_to_json (g_ptr_array_index (bc->users, i), FALSE));
    json_object_set_array_member (object, "value", value);
  }
  bcs_sb_response_set_object (response, 200, object);
}
