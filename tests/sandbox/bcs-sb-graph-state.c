/* bcs-sb-graph-state.c — seeding, the "outlook" part of /_sandbox/state, and
 * the test-control API /_sandbox/outlook (edits as Outlook itself would make) */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-graph-private.h"

/* Outlook's own contacts differ from Business Central's seeded ones (BC uses 0…n) */
#define SEED_INDEX_OFFSET 10000000

/* ---- seeding ---- */

/* Outlook users type countries as names as often as codes */
static const char *
country_as_written (const char *code,
                    guint       index)
{
  static const struct { const char *code, *name, *local; } names[] = {
    { "DE", "Germany", "Deutschland" },
    { "GB", "United Kingdom", "United Kingdom" },
    { "US", "United States", "USA" },
    { "FR", "France", "France" },
    { "DK", "Denmark", "Danmark" },
    { "PL", "Poland", "Polska" },
    { "ES", "Spain", "España" },
    { "NL", "Netherlands", "Nederland" },
  };

  if (code == NULL || index % 3 == 0)
    return code;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (names[i].code, code) == 0)
      return index % 3 == 1 ? names[i].name : names[i].local;
  return code;
}

static void
add_email (JsonArray  *emails,
           const char *name,
           const char *address)
{
  JsonObject *email = json_object_new ();

  json_object_set_string_member (email, "name", name);
  json_object_set_string_member (email, "address", address);
  json_array_add_object_element (emails, email);
}

static JsonObject *
seed_body (BcsSbFakePerson *person,
           guint            index,
           const char      *shared_email)
{
  JsonObject *body = json_object_new ();
  JsonObject *address = json_object_new ();
  JsonArray *emails = json_array_new ();
  JsonArray *phones = json_array_new ();
  g_autofree char *display_name = g_strdup_printf ("%s %s", person->given_name, person->surname);
  const char *email = shared_email != NULL ? shared_email : person->email;

  json_object_set_string_member (body, "givenName", person->given_name);
  json_object_set_string_member (body, "surname", person->surname);
  json_object_set_string_member (body, "displayName", display_name);
  json_object_set_string_member (body, "companyName", person->company_name);
  json_object_set_string_member (body, "jobTitle", person->job_title);
  json_object_set_string_member (body, "mobilePhone", person->mobile);
  json_object_set_string_member (body, "businessHomePage", person->website);

  if (email != NULL)
    {
      add_email (emails, display_name, email);
      /* a few have more than one address */
      if (index % 9 == 4)
        {
          g_autofree char *private = g_strdup_printf ("%s.%s@private.example",
                                                      person->given_name, person->surname);
          g_autofree char *lower = g_utf8_strdown (private, -1);
          add_email (emails, display_name, lower);
          if (index % 18 == 4)
            {
              g_autofree char *other = g_strdup_printf ("contact%u@other.example", index);
              add_email (emails, display_name, other);
            }
        }
    }
  json_object_set_array_member (body, "emailAddresses", emails);

  if (person->phone != NULL)
    json_array_add_string_element (phones, person->phone);
  if (index % 7 == 3 && person->mobile != NULL)
    json_array_add_string_element (phones, person->mobile);
  json_object_set_array_member (body, "businessPhones", phones);

  if (person->address_line1 != NULL)
    {
      g_autofree char *street = person->address_line2 != NULL
                                ? g_strdup_printf ("%s\n%s", person->address_line1, person->address_line2)
                                : g_strdup (person->address_line1);

      json_object_set_string_member (address, "street", street);
    }
  if (person->city != NULL)
    json_object_set_string_member (address, "city", person->city);
  if (person->state != NULL)
    json_object_set_string_member (address, "state", person->state);
  if (person->postal_code != NULL)
    json_object_set_string_member (address, "postalCode", person->postal_code);
  if (person->country != NULL)
    json_object_set_string_member (address, "countryOrRegion",
                                   country_as_written (person->country, index));
  json_object_set_object_member (body, "businessAddress", address);
  return body;
}

void
bcs_sb_graph_seed (BcsSbGraph         *graph,
                   guint               n_contacts,
                   const char * const *shared_emails)
{
  guint64 seed = graph->sandbox != NULL ? graph->sandbox->options.seed : 0;
  guint n_shared = shared_emails != NULL ? g_strv_length ((char **) shared_emails) : 0;
  GraphFolder *folder;

  if (n_contacts == 0)
    return;
  folder = bcs_sb_graph_find_folder (graph, graph->default_folder, "Business Central");
  if (folder == NULL)
    folder = bcs_sb_graph_folder_new (graph, graph->default_folder, NULL, "Business Central");

  for (guint i = 0; i < n_contacts; i++)
    {
      g_autoptr(BcsSbFakePerson) person = bcs_sb_fake_person (seed, SEED_INDEX_OFFSET + i);
      g_autoptr(JsonObject) body = seed_body (person, i, i < n_shared ? shared_emails[i] : NULL);

      bcs_sb_graph_contact_create (graph, folder, body, FALSE);
    }
}

/* ---- state ---- */

JsonNode *
bcs_sb_graph_to_json (BcsSbGraph *graph)
{
  JsonObject *object = json_object_new ();
  JsonArray *folders = json_array_new ();
  JsonNode *node;

  for (guint i = 0; i < graph->folder_order->len; i++)
    {
      GraphFolder *folder = g_ptr_array_index (graph->folder_order, i);
      JsonObject *item = json_object_new ();
      JsonArray *contacts = json_array_sized_new (folder->contacts->len);

      json_object_set_string_member (item, "id", folder->id);
      json_object_set_string_member (item, "displayName", folder->display_name);
      json_object_set_string_member (item, "parentFolderId",
                                     folder->parent != NULL ? folder->parent->id : graph->root_folder_id);
      if (folder == graph->default_folder)
        json_object_set_string_member (item, "wellKnownName", "contacts");
      for (guint c = 0; c < folder->contacts->len; c++)
        json_array_add_object_element (contacts,
                                       bcs_sb_graph_contact_to_object (g_ptr_array_index (folder->contacts, c),
                                                                       0, NULL, TRUE));
      json_object_set_array_member (item, "contacts", contacts);
      json_array_add_object_element (folders, item);
    }
  json_object_set_array_member (object, "folders", folders);
  json_object_set_string_member (object, "rootFolderId", graph->root_folder_id);
  json_object_set_boolean_member (object, "awkwardDelta", graph->awkward_delta);
  json_object_set_member (object, "delta", bcs_sb_graph_delta_to_json (graph));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

void
bcs_sb_graph_load_json (BcsSbGraph *graph,
                        JsonNode   *node)
{
  JsonObject *object;
  JsonArray *folders;
  const char *root;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  if (!json_object_has_member (object, "folders") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "folders")))
    return;
  folders = json_object_get_array_member (object, "folders");

  bcs_sb_graph_clear (graph);
  root = json_object_get_string_member_with_default (object, "rootFolderId", NULL);
  if (root != NULL)
    {
      g_free (graph->root_folder_id);
      graph->root_folder_id = g_strdup (root);
    }
  graph->awkward_delta = json_object_get_boolean_member_with_default (object, "awkwardDelta", FALSE);

  for (guint i = 0; i < json_array_get_length (folders); i++)
    {
      JsonNode *element = json_array_get_element (folders, i);
      JsonObject *item;
      const char *id, *name, *parent_id;
      GraphFolder *parent, *folder;
      JsonNode *contacts;
      gboolean is_default;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      item = json_node_get_object (element);
      id = json_object_get_string_member_with_default (item, "id", NULL);
      name = json_object_get_string_member_with_default (item, "displayName", "");
      parent_id = json_object_get_string_member_with_default (item, "parentFolderId", NULL);
      is_default = g_strcmp0 (json_object_get_string_member_with_default (item, "wellKnownName", NULL),
                              "contacts") == 0 ||
                   (graph->default_folder == NULL && g_strcmp0 (name, "Contacts") == 0);
      if (id == NULL || g_hash_table_contains (graph->folders, id))
        continue;
      parent = parent_id != NULL ? g_hash_table_lookup (graph->folders, parent_id) : NULL;
      if (parent == NULL && !is_default)
        parent = graph->default_folder;
      if (parent == NULL && !is_default)
        continue;       /* a child listed before the default folder */
      folder = bcs_sb_graph_folder_new (graph, is_default ? NULL : parent, id, name);
      if (is_default)
        graph->default_folder = folder;

      contacts = json_object_get_member (item, "contacts");
      if (contacts == NULL || !JSON_NODE_HOLDS_ARRAY (contacts))
        continue;
      for (guint c = 0; c < json_array_get_length (json_node_get_array (contacts)); c++)
        {
          JsonNode *contact = json_array_get_element (json_node_get_array (contacts), c);
          g_autoptr(BcsSbResponse) check = bcs_sb_response_new ();
          const char *contact_id;

          if (!JSON_NODE_HOLDS_OBJECT (contact))
            continue;
          contact_id = json_object_get_string_member_with_default (json_node_get_object (contact), "id", NULL);
          if (contact_id != NULL && g_hash_table_contains (graph->contacts, contact_id))
            continue;
          if (!bcs_sb_graph_contact_check (json_node_get_object (contact), check))
            {
              g_warning ("State: Outlook contact %s skipped: not a valid Graph contact",
                         contact_id != NULL ? contact_id : "(no id)");
              continue;
            }
          bcs_sb_graph_contact_create (graph, folder, json_node_get_object (contact), TRUE);
        }
    }

  if (graph->default_folder == NULL)
    graph->default_folder = bcs_sb_graph_folder_new (graph, NULL, NULL, "Contacts");
  bcs_sb_graph_delta_load_json (graph, json_object_get_member (object, "delta"));
}

/* ---- /_sandbox/outlook ---- */

static void
respond_full (GraphContact  *contact,
              guint          status,
              BcsSbResponse *response)
{
  bcs_sb_response_set_object (response, status,
                              bcs_sb_graph_contact_to_object (contact, 0, NULL, TRUE));
}

static JsonObject *
control_body (BcsSbRequest  *request,
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

/* ?folder=NAME: a child of the default folder, made when missing */
static GraphFolder *
control_folder (BcsSbGraph   *graph,
                BcsSbRequest *request)
{
  const char *name = bcs_sb_request_get_query (request, "folder");
  GraphFolder *folder;

  if (name == NULL || *name == '\0')
    return NULL;
  folder = bcs_sb_graph_lookup_folder (graph, name);
  if (folder == NULL)
    folder = bcs_sb_graph_find_folder (graph, graph->default_folder, name);
  if (folder == NULL)
    folder = bcs_sb_graph_folder_new (graph, graph->default_folder, NULL, name);
  return folder;
}

void
bcs_sb_graph_control (BcsSandbox    *sandbox,
                      BcsSbRequest  *request,
                      BcsSbResponse *response)
{
  BcsSbGraph *graph = sandbox->graph;
  const char *path = request->path;
  const char *method = request->method;

  if (g_str_equal (path, "/delta-mode"))
    {
      JsonObject *object;

      if (g_str_equal (method, "POST") || g_str_equal (method, "PUT"))
        {
          g_autoptr(JsonNode) body = bcs_sb_request_get_json (request, NULL);

          if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
            {
              bcs_sb_graph_error (response, 400, "BadRequest", "Send {\"awkward\": true|false}.");
              return;
            }
          graph->awkward_delta = json_object_get_boolean_member_with_default (json_node_get_object (body),
                                                                              "awkward", FALSE);
        }
      object = json_object_new ();
      json_object_set_boolean_member (object, "awkward", graph->awkward_delta);
      bcs_sb_response_set_object (response, 200, object);
    }
  else if (g_str_equal (path, "/contacts") && g_str_equal (method, "POST"))
    {
      g_autoptr(JsonObject) body = control_body (request, response);
      GraphFolder *folder;

      if (body == NULL)
        return;
      folder = control_folder (graph, request);
      respond_full (bcs_sb_graph_contact_create (graph, folder != NULL ? folder : graph->default_folder,
                                                 body, FALSE),
                    201, response);
    }
  else if (g_str_has_prefix (path, "/contacts/") && strchr (path + strlen ("/contacts/"), '/') == NULL)
    {
      GraphContact *contact = g_hash_table_lookup (graph->contacts, path + strlen ("/contacts/"));

      if (contact == NULL)
        bcs_sb_graph_error (response, 404, "ErrorItemNotFound",
                            "The specified object was not found in the store.");
      else if (g_str_equal (method, "GET"))
        respond_full (contact, 200, response);
      else if (g_str_equal (method, "PATCH"))
        {
          g_autoptr(JsonObject) body = control_body (request, response);
          GraphFolder *folder = control_folder (graph, request);

          if (body == NULL)
            return;
          if (folder != NULL)
            bcs_sb_graph_contact_move (graph, contact, folder);
          bcs_sb_graph_contact_update (graph, contact, body);
          respond_full (contact, 200, response);
        }
      else if (g_str_equal (method, "DELETE"))
        {
          bcs_sb_graph_contact_delete (graph, contact);
          bcs_sb_response_set_json (response, 204, NULL);
        }
      else
        bcs_sb_graph_error (response, 405, "ErrorInvalidRequest", "The method is not allowed here.");
    }
  else
    {
      g_autofree char *message = g_strdup_printf ("No Outlook control request %s %s.", method, path);
      bcs_sb_graph_error (response, 404, "NotFound", message);
    }
}
