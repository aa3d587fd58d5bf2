/* bcs-sb-graph.c — Microsoft Graph under /graph/v1.0: routing, /me, contact
 * folders and contacts (see bcs-sb-graph-private.h for the other files) */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bcs-sb-graph-private.h"


/* ---- helpers shared by the Graph files ---- */

void
bcs_sb_graph_error (BcsSbResponse *response,
                    guint          status,
                    const char    *code,
                    const char    *message)
{
  JsonObject *error;
  JsonObject *inner = json_object_new ();
  g_autofree char *date = bcs_sb_now_iso8601 ();
  g_autofree char *request_id = g_uuid_string_random ();

  bcs_sb_response_set_error (response, status, code, message);
  error = json_object_get_object_member (json_node_get_object (response->json), "error");
  json_object_set_string_member (inner, "date", date);
  json_object_set_string_member (inner, "request-id", request_id);
  json_object_set_string_member (inner, "client-request-id", request_id);
  json_object_set_object_member (error, "innerError", inner);
}

/* ---- the object ---- */

BcsSbGraph *
bcs_sb_graph_new (BcsSandbox *sandbox)
{
  BcsSbGraph *graph = g_new0 (BcsSbGraph, 1);
  guint64 seed = sandbox != NULL ? sandbox->options.seed : 0;
  guint32 seeds[3] = { (guint32) seed, (guint32) (seed >> 32), 0x47524150 };

  graph->sandbox = sandbox;
  graph->rand = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
  graph->folders = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, bcs_sb_graph_folder_free);
  graph->folder_order = g_ptr_array_new ();
  graph->contacts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) bcs_sb_graph_contact_free);
  graph->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  graph->delta_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               bcs_sb_graph_delta_state_free);
  graph->root_folder_id = bcs_sb_graph_new_id (graph, "AAMkAGI2AAE");
  graph->default_folder = bcs_sb_graph_folder_new (graph, NULL, NULL, "Contacts");
  return graph;
}

/* Empties GRAPH down to nothing, not even the default folder (state loading) */
void
bcs_sb_graph_clear (BcsSbGraph *graph)
{
  g_hash_table_remove_all (graph->delta_tokens);
  g_hash_table_remove_all (graph->index);
  g_hash_table_remove_all (graph->contacts);
  g_ptr_array_set_size (graph->folder_order, 0);
  g_hash_table_remove_all (graph->folders);
  graph->default_folder = NULL;
}

void
bcs_sb_graph_free (BcsSbGraph *graph)
{
  if (graph == NULL)
    return;
  /* the folders' logs point at contacts: free them first */
  g_hash_table_unref (graph->delta_tokens);
  g_hash_table_unref (graph->index);
  g_hash_table_remove_all (graph->folders);
  g_hash_table_unref (graph->contacts);
  g_hash_table_unref (graph->folders);
  g_ptr_array_unref (graph->folder_order);
  g_free (graph->root_folder_id);
  g_rand_free (graph->rand);
  g_free (graph);
}

void
bcs_sb_graph_set_awkward_delta (BcsSbGraph *graph,
                                gboolean    on)
{
  graph->awkward_delta = on;
}

void
bcs_sb_graph_expire_delta (BcsSbGraph *graph)
{
  g_hash_table_remove_all (graph->delta_tokens);
}

/* ---- /me ---- */

typedef struct {
  const char *upn;
  const char *given_name;
  const char *surname;
  const char *job_title;
  gboolean has_mail;
} GraphUser;

static const GraphUser users[] = {
  { "demo@sandbox.example", "Demo", "User", "Sales Manager", TRUE },
  { "outsider@sandbox.example", "Olivia", "Outsider", "Consultant", FALSE },
  { "ops@sandbox.example", "Oskar", "Operations", "Operations Lead", TRUE },
};

static void
handle_me (BcsSbRequest  *request,
           BcsSbResponse *response)
{
  const char *upn = request->user != NULL ? request->user : "demo@sandbox.example";
  g_autofree char *local = g_strndup (upn, strcspn (upn, "@"));
  g_autofree char *checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, upn, -1);
  g_autofree char *id = NULL;
  g_autofree char *context = g_strconcat (request->base_url, "/$metadata#users/$entity", NULL);
  GraphUser user = { upn, local, NULL, NULL, TRUE };
  JsonObject *object = json_object_new ();
  g_autofree char *display_name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (g_ascii_strcasecmp (users[i].upn, upn) == 0)
      user = users[i];
  if (user.surname != NULL)
    display_name = g_strdup_printf ("%s %s", user.given_name, user.surname);
  else
    display_name = g_strdup (user.given_name);
  id = g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", checksum, checksum + 8, checksum + 12,
                        checksum + 16, checksum + 20);

  json_object_set_string_member (object, "@odata.context", context);
  json_object_set_array_member (object, "businessPhones", json_array_new ());
  json_object_set_string_member (object, "displayName", display_name);
  json_object_set_string_member (object, "givenName", user.given_name);
  json_object_set_string_member (object, "jobTitle", user.job_title);
  json_object_set_string_member (object, "mail", user.has_mail ? upn : NULL);
  json_object_set_null_member (object, "mobilePhone");
  json_object_set_null_member (object, "officeLocation");
  json_object_set_string_member (object, "preferredLanguage", "en-US");
  json_object_set_string_member (object, "surname", user.surname);
  json_object_set_string_member (object, "userPrincipalName", upn);
  json_object_set_string_member (object, "id", id);
  bcs_sb_response_set_object (response, 200, object);
}

/* ---- contacts ---- */

typedef struct {
  guint64 select;
  GPtrArray *expand_ids;
  gboolean expand_all;
} ContactShape;

static void
contact_shape_clear (ContactShape *shape)
{
  g_clear_pointer (&shape->expand_ids, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ContactShape, contact_shape_clear)

static gboolean
parse_shape (BcsSbRequest  *request,
             ContactShape  *shape,
             BcsSbResponse *response)
{
  memset (shape, 0, sizeof *shape);
  return bcs_sb_graph_parse_select (bcs_sb_request_get_query (request, "$select"),
                                    &shape->select, response) &&
         bcs_sb_graph_parse_expand (bcs_sb_request_get_query (request, "$expand"),
                                    &shape->expand_ids, &shape->expand_all, response);
}

static void
list_contacts (BcsSbGraph    *graph,
               GraphFolder   *folder,
               BcsSbRequest  *request,
               BcsSbResponse *response)
{
  g_autoptr(GraphFilter) filter = NULL;
  g_auto(ContactShape) shape = { 0, NULL, FALSE };
  g_auto(GraphPage) page = { NULL, NULL, NULL, 0 };
  g_autofree char *what = g_strdup_printf ("contactFolders('%s')/contacts", folder->id);
  g_autofree char *context = bcs_sb_graph_context_url (request, what);
  g_autofree char *link = NULL;
  guint top, skip, matched = 0;
  gboolean ok, more = FALSE;

  /* $top sets the page size; so does Prefer: odata.maxpagesize without it */
  if (!bcs_sb_graph_parse_count (request, "$top", 0, MAX_TOP, &top, response) ||
      !bcs_sb_graph_parse_count (request, "$skip", 0, 0, &skip, response) ||
      !parse_shape (request, &shape, response))
    return;
  if (top == 0)
    top = bcs_sb_graph_prefer_page_size (request, response, DEFAULT_PAGE_SIZE, MAX_TOP);
  filter = bcs_sb_graph_parse_filter (request, response, &ok);
  if (!ok)
    return;

  bcs_sb_graph_page_init (&page, !request->in_batch, context, MIN (top, folder->contacts->len));
  if (filter == NULL)
    {
      for (guint i = skip; i < folder->contacts->len && i < (guint64) skip + top; i++)
        bcs_sb_graph_page_add_contact (&page, g_ptr_array_index (folder->contacts, i),
                                       shape.select, shape.expand_ids, shape.expand_all);
      more = (guint64) skip + top < folder->contacts->len;
    }
  else
    {
      /* a lookup by e-mail or extended property reads the index, not the folder */
      g_autofree char *key = bcs_sb_graph_filter_index_key (filter);
      GPtrArray *candidates = key != NULL ? bcs_sb_graph_index_lookup (graph, key) : folder->contacts;

      for (guint i = 0; candidates != NULL && i < candidates->len; i++)
        {
          GraphContact *contact = g_ptr_array_index (candidates, i);

          if (contact->folder != folder || !bcs_sb_graph_filter_match_contact (filter, contact))
            continue;
          if (matched++ < skip)
            continue;
          if (page.count == top)
            {
              more = TRUE;
              break;
            }
          bcs_sb_graph_page_add_contact (&page, contact, shape.select, shape.expand_ids,
                                         shape.expand_all);
        }
    }

  if (more)
    {
      g_autofree char *next_skip = g_strdup_printf ("%u", skip + top);
      link = bcs_sb_graph_link (request, "$skip", next_skip);
    }
  bcs_sb_graph_page_finish (&page, response, "@odata.nextLink", link);
}

static JsonObject *
parse_contact_body (BcsSbRequest  *request,
                    BcsSbResponse *response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = bcs_sb_request_get_json (request, &error);

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      bcs_sb_graph_error (response, 400, "RequestBodyRead",
                          error != NULL ? error->message : "The body must be a JSON object.");
      return NULL;
    }
  if (!bcs_sb_graph_contact_check (json_node_get_object (body), response))
    return NULL;
  return json_object_ref (json_node_get_object (body));
}

static void
respond_contact (GraphContact  *contact,
                 guint          status,
                 BcsSbRequest  *request,
                 BcsSbResponse *response)
{
  g_auto(ContactShape) shape = { 0, NULL, FALSE };
  JsonObject *object;
  g_autofree char *what = g_strdup_printf ("contactFolders('%s')/contacts/$entity", contact->folder->id);
  g_autofree char *context = bcs_sb_graph_context_url (request, what);

  if (!parse_shape (request, &shape, response))
    return;
  object = bcs_sb_graph_contact_to_object (contact, shape.select, shape.expand_ids, shape.expand_all);
  json_object_set_string_member (object, "@odata.context", context);
  bcs_sb_response_set_object (response, status, object);
}

static void
create_contact (BcsSbGraph    *graph,
                GraphFolder   *folder,
                BcsSbRequest  *request,
                BcsSbResponse *response)
{
  g_autoptr(JsonObject) body = parse_contact_body (request, response);
  GraphContact *contact;

  if (body == NULL)
    return;
  contact = bcs_sb_graph_contact_create (graph, folder, body, FALSE);
  respond_contact (contact, 201, request, response);
}

/* If-Match, when sent, must name the current changeKey */
static gboolean
check_if_match (GraphContact  *contact,
                BcsSbRequest  *request,
                BcsSbResponse *response)
{
  const char *if_match = soup_message_headers_get_one (request->headers, "If-Match");
  const char *etag = bcs_sb_graph_contact_etag (contact);

  if (if_match == NULL || strcmp (if_match, "*") == 0 || strcmp (if_match, etag) == 0)
    return TRUE;
  /* accept the bare changeKey, quoted or not, as Exchange does */
  if (g_str_has_prefix (if_match, "W/"))
    if_match += 2;
  if (strlen (if_match) >= 2 && if_match[0] == '"')
    {
      g_autofree char *bare = g_strndup (if_match + 1, strlen (if_match) - 2);
      if (g_strcmp0 (bare, contact->v[P_CHANGE_KEY]) == 0)
        return TRUE;
    }
  else if (g_strcmp0 (if_match, contact->v[P_CHANGE_KEY]) == 0)
    return TRUE;

  bcs_sb_graph_error (response, 412, "ErrorIrresolvableConflict",
                      "The send or update operation could not be performed because the change key "
                      "passed in the request does not match the current change key for the item.");
  return FALSE;
}

static void
handle_contact (BcsSbGraph    *graph,
                GraphFolder   *folder,
                const char    *id,
                BcsSbRequest  *request,
                BcsSbResponse *response)
{
  GraphContact *contact = g_hash_table_lookup (graph->contacts, id);

  if (contact == NULL || (folder != NULL && contact->folder != folder))
    {
      bcs_sb_graph_error (response, 404, "ErrorItemNotFound",
                          "The specified object was not found in the store.");
      return;
    }

  if (g_str_equal (request->method, "GET"))
    respond_contact (contact, 200, request, response);
  else if (g_str_equal (request->method, "PATCH"))
    {
      g_autoptr(JsonObject) body = NULL;

      if (!check_if_match (contact, request, response))
        return;
      body = parse_contact_body (request, response);
      if (body == NULL)
        return;
      bcs_sb_graph_contact_update (graph, contact, body);
      respond_contact (contact, 200, request, response);
    }
  else if (g_str_equal (request->method, "DELETE"))
    {
      if (!check_if_match (contact, request, response))
        return;
      bcs_sb_graph_contact_delete (graph, contact);
      bcs_sb_response_set_json (response, 204, NULL);
    }
  else
    bcs_sb_graph_error (response, 405, "ErrorInvalidRequest", "The method is not allowed here.");
}

/* ---- routing ---- */

static gboolean
segment_is (char      **segments,
            guint       n,
            guint       i,
            const char *name)
{
  return i < n && g_ascii_strcasecmp (segments[i], name) == 0;
}

static void
unknown_segment (BcsSbResponse *response,
                 const char    *segment)
{
  g_autofree char *message = g_strdup_printf ("Resource not found for the segment '%s'.", segment);
  bcs_sb_graph_error (response, 400, "BadRequest", message);
}

static void
method_not_allowed (BcsSbResponse *response)
{
  bcs_sb_graph_error (response, 405, "ErrorInvalidRequest",
                      "The OData request is not supported: method not allowed.");
}

static void
folder_not_found (BcsSbResponse *response)
{
  bcs_sb_graph_error (response, 404, "ErrorItemNotFound",
                      "The specified folder could not be found in the store.");
}

/* SEGMENTS[I…] below a folder: "", "contacts[/…]", "childFolders[/…]" */
static void
route_folder (BcsSbGraph    *graph,
              GraphFolder   *folder,
              char         **segments,
              guint          n,
              guint          i,
              BcsSbRequest  *request,
              BcsSbResponse *response)
{
  const char *method = request->method;

  if (i == n)
    {
      if (g_str_equal (method, "GET"))
        {
          JsonObject *object = bcs_sb_graph_folder_to_object (graph, folder);
          g_autofree char *context = bcs_sb_graph_context_url (request, "contactFolders/$entity");

          json_object_set_string_member (object, "@odata.context", context);
          bcs_sb_response_set_object (response, 200, object);
        }
      else if (g_str_equal (method, "DELETE") && folder == graph->default_folder)
        bcs_sb_graph_error (response, 400, "ErrorDeleteDistinguishedFolder",
                            "Distinguished folders cannot be deleted.");
      else if (g_str_equal (method, "DELETE"))
        {
          bcs_sb_graph_folder_delete (graph, folder);
          bcs_sb_response_set_json (response, 204, NULL);
        }
      else
        method_not_allowed (response);
    }
  else if (segment_is (segments, n, i, "childFolders"))
    {
      if (i + 1 == n && g_str_equal (method, "GET"))
        bcs_sb_graph_list_folders (graph, folder, request, response);
      else if (i + 1 == n && g_str_equal (method, "POST"))
        bcs_sb_graph_create_folder (graph, folder, request, response);
      else if (i + 1 < n)
        {
          GraphFolder *child = bcs_sb_graph_lookup_folder (graph, segments[i + 1]);

          if (child == NULL || child->parent != folder)
            folder_not_found (response);
          else
            route_folder (graph, child, segments, n, i + 2, request, response);
        }
      else
        method_not_allowed (response);
    }
  else if (segment_is (segments, n, i, "contacts"))
    {
      if (i + 1 == n && g_str_equal (method, "GET"))
        list_contacts (graph, folder, request, response);
      else if (i + 1 == n && g_str_equal (method, "POST"))
        create_contact (graph, folder, request, response);
      else if (i + 2 == n && segment_is (segments, n, i + 1, "delta"))
        {
          if (g_str_equal (method, "GET"))
            bcs_sb_graph_delta (graph, folder, request, response);
          else
            method_not_allowed (response);
        }
      else if (i + 2 == n)
        handle_contact (graph, folder, segments[i + 1], request, response);
      else if (i + 1 == n)
        method_not_allowed (response);
      else
        unknown_segment (response, segments[i + 2]);
    }
  else
    unknown_segment (response, segments[i]);
}

void
bcs_sb_graph_handle (BcsSandbox    *sandbox,
                     BcsSbRequest  *request,
                     BcsSbResponse *response)
{
  BcsSbGraph *graph = sandbox->graph;
  g_auto(GStrv) segments = NULL;
  guint n;

  if (!request->in_batch &&
      !bcs_sb_login_check_bearer (sandbox, request, "graph", response))
    return;

  segments = g_strsplit (request->path[0] == '/' ? request->path + 1 : request->path, "/", -1);
  n = g_strv_length (segments);
  if (n > 0 && segments[n - 1][0] == '\0')      /* a trailing slash */
    g_clear_pointer (&segments[--n], g_free);

  if (n == 1 && g_str_equal (segments[0], "$batch"))
    {
      if (request->in_batch)
        bcs_sb_graph_error (response, 400, "BadRequest", "A batch cannot hold another batch.");
      else if (!g_str_equal (request->method, "POST"))
        method_not_allowed (response);
      else
        bcs_sb_graph_batch (sandbox, request, response);
      return;
    }
  if (n == 0 || g_ascii_strcasecmp (segments[0], "me") != 0)
    {
      unknown_segment (response, n > 0 ? segments[0] : "");
      return;
    }

  if (n == 1)
    {
      if (g_str_equal (request->method, "GET"))
        handle_me (request, response);
      else
        method_not_allowed (response);
    }
  else if (segment_is (segments, n, 1, "contactFolders"))
    {
      if (n == 2 && g_str_equal (request->method, "GET"))
        bcs_sb_graph_list_folders (graph, graph->default_folder, request, response);
      else if (n == 2 && g_str_equal (request->method, "POST"))
        bcs_sb_graph_create_folder (graph, graph->default_folder, request, response);
      else if (n == 2)
        method_not_allowed (response);
      else
        {
          GraphFolder *folder = bcs_sb_graph_lookup_folder (graph, segments[2]);

          if (folder == NULL)
            folder_not_found (response);
          else
            route_folder (graph, folder, segments, n, 3, request, response);
        }
    }
  else if (segment_is (segments, n, 1, "contacts"))
    {
      /* /me/contacts is the default folder's list; /me/contacts/{id} finds any contact */
      if (n == 2)
        route_folder (graph, graph->default_folder, segments, n, 1, request, response);
      else if (n == 3 && g_ascii_strcasecmp (segments[2], "delta") == 0)
        route_folder (graph, graph->default_folder, segments, n, 1, request, response);
      else if (n == 3)
        handle_contact (graph, NULL, segments[2], request, response);
      else
        unknown_segment (response, segments[3]);
    }
  else
    unknown_segment (response, segments[1]);
}

/* ---- the change-etag fault ---- */

void
bcs_sb_graph_touch (BcsSbGraph   *graph,
                    BcsSbRequest *request)
{
  g_auto(GStrv) segments = g_strsplit (request->path, "/", -1);
  guint n = g_strv_length (segments);
  GraphContact *contact;

  if (n < 2 || g_ascii_strcasecmp (segments[n - 2], "contacts") != 0)
    return;
  contact = g_hash_table_lookup (graph->contacts, segments[n - 1]);
  if (contact != NULL)
    bcs_sb_graph_contact_touch (graph, contact);
}
