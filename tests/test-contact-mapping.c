/* test-contact-mapping.c — Business Central JSON ↔ BcsContact ↔ Graph JSON */
#include "config.h"

#include <string.h>

#include "bcs-contact-mapping.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

static char *
to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* The object's string member, "(null)" for JSON null, NULL when missing */
static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return "(null)";

  return json_node_get_string (node);
}

static const char *bc_full_json =
  "{\"@odata.etag\": \"W/\\\"JzE5Ozc3ODA5MjE1MjA0MzIwNjA0NTkxOzAwOyc=\\\"\","
  " \"id\": \"5d115c9c-44e3-ea11-bb43-000d3a2feca1\", \"number\": \"CT000042\","
  " \"type\": \"Person\", \"displayName\": \" Jürgen Müller \", \"jobTitle\": \"Einkäufer\","
  " \"companyNumber\": \"CT000001\", \"companyName\": \"Müller & Söhne GmbH\","
  " \"contactBusinessRelation\": \"Vendor\", \"addressLine1\": \"Hauptstraße 5\","
  " \"addressLine2\": \"Hinterhaus\", \"city\": \"München\", \"state\": \"BY\","
  " \"country\": \"DE\", \"postalCode\": \"80331\", \"phoneNumber\": \"+49 89 123456\","
  " \"mobilePhoneNumber\": \"+49 170 1234567\", \"email\": \"j.mueller@example.de\","
  " \"website\": \"www.mueller.example\", \"searchName\": \"JÜRGEN MÜLLER\","
  " \"privacyBlocked\": false, \"taxRegistrationNumber\": \"\","
  " \"lastInteractionDate\": \"0001-01-01\","
  " \"lastModifiedDateTime\": \"2026-11-20T09:30:00.123Z\"}";

static void
test_bc_read (void)
{
  g_autoptr(JsonObject) object = parse_object (bc_full_json);
  g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (object);

  g_assert_cmpstr (contact->bc_id, ==, "5d115c9c-44e3-ea11-bb43-000d3a2feca1");
  g_assert_cmpstr (contact->bc_number, ==, "CT000042");
  g_assert_cmpstr (contact->etag, ==, "W/\"JzE5Ozc3ODA5MjE1MjA0MzIwNjA0NTkxOzAwOyc=\"");
  g_assert_cmpstr (contact->last_modified, ==, "2026-11-20T09:30:00.123Z");
  g_assert_cmpint (contact->type, ==, BCS_CONTACT_TYPE_PERSON);
  g_assert_false (contact->privacy_blocked);
  g_assert_cmpstr (contact->company_number, ==, "CT000001");
  g_assert_cmpstr (contact->display_name, ==, "J\u00fcrgen M\u00fcller");
  g_assert_cmpstr (contact->email, ==, "j.mueller@example.de");
  g_assert_cmpstr (contact->phone, ==, "+49 89 123456");
  g_assert_cmpstr (contact->mobile, ==, "+49 170 1234567");
  g_assert_cmpstr (contact->company_name, ==, "M\u00fcller & S\u00f6hne GmbH");
  g_assert_cmpstr (contact->job_title, ==, "Eink\u00e4ufer");
  g_assert_cmpstr (contact->address_line1, ==, "Hauptstra\u00dfe 5");
  g_assert_cmpstr (contact->address_line2, ==, "Hinterhaus");
  g_assert_cmpstr (contact->city, ==, "M\u00fcnchen");
  g_assert_cmpstr (contact->state, ==, "BY");
  g_assert_cmpstr (contact->postal_code, ==, "80331");
  g_assert_cmpstr (contact->country, ==, "DE");
  g_assert_cmpstr (contact->website, ==, "www.mueller.example");
  g_assert_null (contact->outlook_id);
}

static void
test_bc_read_tolerant (void)
{
  static const char *inputs[] = {
    "{}",
    "{\"id\": null, \"displayName\": null, \"type\": null, \"privacyBlocked\": null}",
    "{\"id\": 42, \"displayName\": [\"x\"], \"email\": {\"a\": 1}, \"type\": 1,"
    " \"privacyBlocked\": \"yes\", \"city\": true}",
    "{\"displayName\": \"\", \"email\": \"   \", \"type\": \"Robot\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(JsonObject) object = parse_object (inputs[i]);
      g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (object);

      g_assert_null (contact->bc_id);
      g_assert_null (contact->display_name);
      g_assert_null (contact->email);
      g_assert_null (contact->city);
      g_assert_cmpint (contact->type, ==, BCS_CONTACT_TYPE_UNKNOWN);
      g_assert_false (contact->privacy_blocked);
    }

  {
    g_autoptr(JsonObject) object = parse_object ("{\"type\": \"Company\", \"privacyBlocked\": true}");
    g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (object);

    g_assert_cmpint (contact->type, ==, BCS_CONTACT_TYPE_COMPANY);
    g_assert_true (contact->privacy_blocked);
  }
}

/* Contacts like the sandbox seeds: ASCII and not, some fields unset */
static BcsContact *
make_seeded_contact (GRand *rand,
                     guint  index)
{
  static const char *given[] = { "Anna", "Jürgen", "Zoë", "Łukasz", "Søren", "José María",
                                 "Frédéric", "Ærling", "Chloé", "Oğuz", "李", "Ólafur" };
  static const char *surnames[] = { "Berg", "Müller", "Nørgaard", "Wójcik", "García López",
                                    "O'Brien", "Dubois-Lefèvre", "Æbelø", "Straße", "王" };
  static const char *cities[] = { "Berlin", "München", "København", "Kraków", "Zürich",
                                  "Málaga", "Genève", "Wien", "Łódź", "Aarhus" };
  static const char *countries[] = { "DE", "DK", "PL", "CH", "ES", "AT", "GB", "US", "FR" };
  static const char *companies[] = { "Contoso Ltd.", "Fabrikam & Co", "Müller GmbH",
                                     "Ærø Fisk A/S", "L'Atelier S.à r.l." };
  BcsContact *contact = bcs_contact_new ();
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *id = NULL;
  g_autofree char *number = NULL;

  name = g_strdup_printf ("%s %s", given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))],
                          surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))]);
  email = g_strdup_printf ("contact%u@%s.example", index, g_rand_boolean (rand) ? "contoso" : "fabrikam");
  id = g_strdup_printf ("%08x-0000-4000-8000-%012u", g_rand_int (rand), index);
  number = g_strdup_printf ("CT%06u", index);

  contact->type = BCS_CONTACT_TYPE_PERSON;
  bcs_contact_set_value (&contact->bc_id, id);
  bcs_contact_set_value (&contact->bc_number, number);
  bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, g_rand_int_range (rand, 0, 10) == 0 ? "Cher" : name);
  bcs_contact_set_field (contact, BCS_FIELD_EMAIL, email);
  if (g_rand_boolean (rand))
    bcs_contact_set_field (contact, BCS_FIELD_PHONE, "+49 30 555 0101");
  if (g_rand_boolean (rand))
    bcs_contact_set_field (contact, BCS_FIELD_MOBILE, "+45 20 12 34 56");
  if (g_rand_boolean (rand))
    bcs_contact_set_field (contact, BCS_FIELD_COMPANY_NAME,
                           companies[g_rand_int_range (rand, 0, G_N_ELEMENTS (companies))]);
  if (g_rand_boolean (rand))
    bcs_contact_set_field (contact, BCS_FIELD_JOB_TITLE, "Geschäftsführerin");
  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      break;
    case 1:
      bcs_contact_set_field (contact, BCS_FIELD_ADDRESS_LINE1, "Hauptstraße 1");
      break;
    case 2:
      bcs_contact_set_field (contact, BCS_FIELD_ADDRESS_LINE1, "Søndergade 12");
      bcs_contact_set_field (contact, BCS_FIELD_ADDRESS_LINE2, "2. sal tv.");
      break;
    default:
      bcs_contact_set_field (contact, BCS_FIELD_ADDRESS_LINE2, "c/o Ærø Fisk");
      break;
    }
  if (g_rand_boolean (rand))
    {
      bcs_contact_set_field (contact, BCS_FIELD_CITY, cities[g_rand_int_range (rand, 0, G_N_ELEMENTS (cities))]);
      bcs_contact_set_field (contact, BCS_FIELD_POSTAL_CODE, "80331");
      bcs_contact_set_field (contact, BCS_FIELD_COUNTRY,
                             countries[g_rand_int_range (rand, 0, G_N_ELEMENTS (countries))]);
    }
  if (g_rand_boolean (rand))
    bcs_contact_set_field (contact, BCS_FIELD_STATE, "Île-de-France");
  if (g_rand_boolean (rand))
    bcs_contact_set_field (contact, BCS_FIELD_WEBSITE, "https://www.contoso.example/");

  return contact;
}

/* What Graph sends back for a created contact: the body plus id and stamps */
static JsonObject *
graph_echo (JsonObject *body,
            guint       index)
{
  g_autofree char *text = to_string (body);
  JsonObject *echo = parse_object (text);
  g_autofree char *id = g_strdup_printf ("AAMkAGI2-%u", index);

  json_object_set_string_member (echo, "id", id);
  json_object_set_string_member (echo, "changeKey", "EQAAABYAAAA");
  json_object_set_string_member (echo, "lastModifiedDateTime", "2026-11-24T10:00:00Z");
  if (!json_object_has_member (echo, "businessAddress"))
    json_object_set_object_member (echo, "businessAddress", json_object_new ());
  if (!json_object_has_member (echo, "businessPhones"))
    json_object_set_array_member (echo, "businessPhones", json_array_new ());
  if (!json_object_has_member (echo, "mobilePhone"))
    json_object_set_null_member (echo, "mobilePhone");

  return echo;
}

static void
test_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(BcsContact) original = make_seeded_contact (rand, i);
      g_autoptr(JsonObject) bc_body = bcs_contact_to_bc_json (original, BCS_FIELD_MASK_ALL, NULL);
      g_autoptr(BcsContact) from_bc = NULL;
      g_autoptr(JsonObject) create = NULL;
      g_autoptr(JsonObject) echo = NULL;
      g_autoptr(GPtrArray) issues = bcs_field_issues_new ();
      g_autoptr(BcsContact) from_graph = NULL;
      g_autofree char *hash_bc = NULL;
      g_autofree char *hash_graph = NULL;

      /* BC → model: the BC JSON as the API would return it */
      json_object_set_string_member (bc_body, "id", original->bc_id);
      json_object_set_string_member (bc_body, "number", original->bc_number);
      from_bc = bcs_contact_from_bc_json (bc_body);
      g_assert_true (bcs_contact_equal (original, from_bc));
      g_assert_cmpint (from_bc->type, ==, BCS_CONTACT_TYPE_PERSON);

      /* model → Graph → model */
      create = bcs_contact_to_graph_create (from_bc);
      echo = graph_echo (create, i);
      from_graph = bcs_contact_from_graph_json (echo, issues);
      g_assert_cmpuint (issues->len, ==, 0);
      g_assert_true (bcs_contact_equal (from_bc, from_graph));
      g_assert_cmpstr (from_graph->bc_id, ==, original->bc_id);
      g_assert_cmpstr (from_graph->bc_number, ==, original->bc_number);
      g_assert_nonnull (from_graph->outlook_id);
      g_assert_cmpstr (from_graph->change_key, ==, "EQAAABYAAAA");

      hash_bc = bcs_contact_hash (from_bc);
      hash_graph = bcs_contact_hash (from_graph);
      g_assert_cmpstr (hash_bc, ==, hash_graph);
    }
}

static void
test_graph_create_body (void)
{
  g_autoptr(JsonObject) bc = parse_object (bc_full_json);
  g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (bc);
  g_autoptr(JsonObject) body = bcs_contact_to_graph_create (contact);
  JsonArray *emails, *phones, *categories, *props;
  JsonObject *email, *address, *prop;

  g_assert_cmpstr (member_string (body, "displayName"), ==, "J\u00fcrgen M\u00fcller");
  g_assert_cmpstr (member_string (body, "givenName"), ==, "J\u00fcrgen");
  g_assert_cmpstr (member_string (body, "surname"), ==, "M\u00fcller");

  emails = json_object_get_array_member (body, "emailAddresses");
  g_assert_cmpuint (json_array_get_length (emails), ==, 1);
  email = json_array_get_object_element (emails, 0);
  g_assert_cmpstr (member_string (email, "address"), ==, "j.mueller@example.de");
  g_assert_cmpstr (member_string (email, "name"), ==, "J\u00fcrgen M\u00fcller");

  phones = json_object_get_array_member (body, "businessPhones");
  g_assert_cmpuint (json_array_get_length (phones), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (phones, 0), ==, "+49 89 123456");
  g_assert_cmpstr (member_string (body, "mobilePhone"), ==, "+49 170 1234567");
  g_assert_cmpstr (member_string (body, "companyName"), ==, "M\u00fcller & S\u00f6hne GmbH");
  g_assert_cmpstr (member_string (body, "jobTitle"), ==, "Eink\u00e4ufer");
  g_assert_cmpstr (member_string (body, "businessHomePage"), ==, "www.mueller.example");

  address = json_object_get_object_member (body, "businessAddress");
  g_assert_cmpstr (member_string (address, "street"), ==, "Hauptstra\u00dfe 5\nHinterhaus");
  g_assert_cmpstr (member_string (address, "city"), ==, "M\u00fcnchen");
  g_assert_cmpstr (member_string (address, "state"), ==, "BY");
  g_assert_cmpstr (member_string (address, "postalCode"), ==, "80331");
  g_assert_cmpstr (member_string (address, "countryOrRegion"), ==, "DE");

  categories = json_object_get_array_member (body, "categories");
  g_assert_cmpuint (json_array_get_length (categories), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (categories, 0), ==, "Business Central");

  props = json_object_get_array_member (body, "singleValueExtendedProperties");
  g_assert_cmpuint (json_array_get_length (props), ==, 2);
  prop = json_array_get_object_element (props, 0);
  g_assert_cmpstr (member_string (prop, "id"), ==, BCS_GRAPH_PROP_BC_ID);
  g_assert_cmpstr (member_string (prop, "value"), ==, "5d115c9c-44e3-ea11-bb43-000d3a2feca1");
  prop = json_array_get_object_element (props, 1);
  g_assert_cmpstr (member_string (prop, "id"), ==, BCS_GRAPH_PROP_BC_NUMBER);
  g_assert_cmpstr (member_string (prop, "value"), ==, "CT000042");
  g_assert_true (g_str_has_prefix (BCS_GRAPH_PROP_BC_ID, "String {"));
  g_assert_true (g_str_has_suffix (BCS_GRAPH_PROP_BC_ID, "} Name bcContactId"));
  g_assert_true (g_str_has_suffix (BCS_GRAPH_PROP_BC_NUMBER, "} Name bcContactNumber"));

  /* Business Central-only members never go to Outlook */
  g_assert_false (json_object_has_member (body, "type"));
  g_assert_false (json_object_has_member (body, "privacyBlocked"));
}

static void
test_graph_create_minimal (void)
{
  g_autoptr(BcsContact) contact = bcs_contact_new ();
  g_autoptr(JsonObject) body = NULL;

  bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, "Cher");
  bcs_contact_set_field (contact, BCS_FIELD_EMAIL, "cher@example.com");
  bcs_contact_set_value (&contact->bc_id, "id-1");
  body = bcs_contact_to_graph_create (contact);

  g_assert_cmpstr (member_string (body, "surname"), ==, "Cher");
  g_assert_cmpstr (member_string (body, "givenName"), ==, "(null)");
  g_assert_false (json_object_has_member (body, "businessAddress"));
  g_assert_false (json_object_has_member (body, "businessPhones"));
  g_assert_false (json_object_has_member (body, "mobilePhone"));
  /* no number: only the id property */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "singleValueExtendedProperties")), ==, 1);
}

static void
test_split_display_name (void)
{
  static const struct { const char *name; const char *given; const char *surname; } rows[] = {
    { "Anna Berg", "Anna", "Berg" },
    { "Anna Maria Berg", "Anna Maria", "Berg" },
    { "Cher", NULL, "Cher" },
    { "  José   García ", "Jos\u00e9", "Garc\u00eda" },
    { "Søren Nørgaard", "S\u00f8ren", "N\u00f8rgaard" },
    { NULL, NULL, NULL },
    { "", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *given = NULL;
      g_autofree char *surname = NULL;

      bcs_contact_split_display_name (rows[i].name, &given, &surname);
      g_assert_cmpstr (given, ==, rows[i].given);
      g_assert_cmpstr (surname, ==, rows[i].surname);
    }
}

static void
test_graph_read_unset (void)
{
  static const char *inputs[] = {
    /* what Graph sends for an empty contact */
    "{\"id\": \"x\", \"displayName\": null, \"givenName\": null, \"surname\": null,"
    " \"emailAddresses\": [], \"businessPhones\": [], \"mobilePhone\": null,"
    " \"companyName\": null, \"jobTitle\": null, \"businessHomePage\": null,"
    " \"businessAddress\": {}, \"categories\": []}",
    /* members missing altogether */
    "{\"id\": \"x\"}",
    /* unexpected types */
    "{\"id\": \"x\", \"emailAddresses\": {}, \"businessPhones\": null, \"businessAddress\": [],"
    " \"mobilePhone\": 5, \"singleValueExtendedProperties\": {}}",
    /* arrays holding nothing useful */
    "{\"id\": \"x\", \"emailAddresses\": [null, 3], \"businessPhones\": [null],"
    " \"businessAddress\": {\"street\": null, \"city\": null, \"countryOrRegion\": null},"
    " \"singleValueExtendedProperties\": [null, {\"id\": null}]}",
    /* blank strings */
    "{\"id\": \"x\", \"displayName\": \"  \", \"emailAddresses\": [{\"address\": \"\", \"name\": \"\"}],"
    " \"businessPhones\": [\"\"], \"businessAddress\": {\"street\": \"\", \"countryOrRegion\": \" \"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(JsonObject) object = parse_object (inputs[i]);
      g_autoptr(GPtrArray) issues = bcs_field_issues_new ();
      g_autoptr(BcsContact) contact = bcs_contact_from_graph_json (object, issues);
      g_autoptr(BcsContact) empty = bcs_contact_new ();

      g_test_message ("input %u", i);
      g_assert_cmpstr (contact->outlook_id, ==, "x");
      g_assert_true (bcs_contact_equal (contact, empty));
      g_assert_null (contact->bc_id);
      g_assert_cmpint (contact->type, ==, BCS_CONTACT_TYPE_PERSON);
      g_assert_cmpuint (issues->len, ==, 0);
    }
}

static void
test_graph_read_names (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"id\": \"x\", \"displayName\": null, \"givenName\": \"Zoë\", \"surname\": \"Nørgaard\","
    " \"@odata.etag\": \"W/\\\"EQAAABYAAADx\\\"\"}");
  g_autoptr(BcsContact) contact = bcs_contact_from_graph_json (object, NULL);
  g_autoptr(JsonObject) only_surname = parse_object ("{\"surname\": \"Berg\"}");
  g_autoptr(BcsContact) contact2 = bcs_contact_from_graph_json (only_surname, NULL);

  g_assert_cmpstr (contact->display_name, ==, "Zo\u00eb N\u00f8rgaard");
  g_assert_cmpstr (contact->given_name, ==, "Zo\u00eb");
  g_assert_cmpstr (contact->surname, ==, "N\u00f8rgaard");
  g_assert_cmpstr (contact->change_key, ==, "EQAAABYAAADx");
  g_assert_cmpstr (contact2->display_name, ==, "Berg");
}

static void
test_graph_street_split (void)
{
  static const struct { const char *street; const char *line1; const char *line2; } rows[] = {
    { "Hauptstraße 5", "Hauptstra\u00dfe 5", NULL },
    { "Hauptstraße 5\nHinterhaus", "Hauptstra\u00dfe 5", "Hinterhaus" },
    { "Hauptstraße 5\r\nHinterhaus", "Hauptstra\u00dfe 5", "Hinterhaus" },
    { "Hauptstraße 5\rHinterhaus", "Hauptstra\u00dfe 5", "Hinterhaus" },
    { "Line 1\nLine 2\nLine 3", "Line 1", "Line 2, Line 3" },
    { "Line 1\r\nLine 2\r\n\r\nLine 3\r\n", "Line 1", "Line 2, Line 3" },
    { "\nc/o Ærø Fisk", NULL, "c/o \u00c6r\u00f8 Fisk" },
    { "  Søndergade 12 \n 2. sal tv. ", "S\u00f8ndergade 12", "2. sal tv." },
    { "", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      JsonObject *address = json_object_new ();
      g_autoptr(BcsContact) contact = NULL;

      json_object_set_string_member (address, "street", rows[i].street);
      json_object_set_object_member (object, "businessAddress", address);
      contact = bcs_contact_from_graph_json (object, NULL);

      g_test_message ("row %u", i);
      g_assert_cmpstr (contact->address_line1, ==, rows[i].line1);
      g_assert_cmpstr (contact->address_line2, ==, rows[i].line2);
    }
}

static void
test_graph_country (void)
{
  static const struct { const char *value; const char *code; gboolean issue; } rows[] = {
    { "DE", "DE", FALSE },
    { "dk", "DK", FALSE },
    { "Germany", "DE", FALSE },
    { "Deutschland", "DE", FALSE },
    { "\u00d6sterreich", "AT", FALSE },
    { "Espa\u00f1a", "ES", FALSE },
    { "Suisse", "CH", FALSE },
    { "Royaume-Uni", "GB", FALSE },
    { "Middle Earth", NULL, TRUE },
    { NULL, NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      JsonObject *address = json_object_new ();
      g_autoptr(GPtrArray) issues = bcs_field_issues_new ();
      g_autoptr(BcsContact) contact = NULL;

      if (rows[i].value != NULL)
        json_object_set_string_member (address, "countryOrRegion", rows[i].value);
      json_object_set_string_member (address, "city", "Somewhere");
      json_object_set_object_member (object, "businessAddress", address);
      contact = bcs_contact_from_graph_json (object, issues);

      g_assert_cmpstr (contact->country, ==, rows[i].code);
      g_assert_cmpstr (contact->city, ==, "Somewhere");
      g_assert_cmpuint (issues->len, ==, rows[i].issue ? 1 : 0);
      if (rows[i].issue)
        {
          const BcsFieldIssue *issue = g_ptr_array_index (issues, 0);

          g_assert_cmpint (issue->field, ==, BCS_FIELD_COUNTRY);
          g_assert_cmpint (issue->kind, ==, BCS_FIELD_ISSUE_UNKNOWN_COUNTRY);
          g_assert_false (issue->skips_contact);
          g_assert_nonnull (strstr (issue->message, rows[i].value));
        }
    }
}

static void
test_graph_bc_id (void)
{
  g_autoptr(JsonObject) with = parse_object (
    "{\"id\": \"o1\", \"singleValueExtendedProperties\": ["
    " {\"id\": \"String {00020329-0000-0000-c000-000000000046} Name other\", \"value\": \"no\"},"
    " {\"id\": \"" BCS_GRAPH_PROP_BC_NUMBER "\", \"value\": \"CT000042\"},"
    " {\"id\": \"" BCS_GRAPH_PROP_BC_ID "\", \"value\": \"bc-guid-1\"}]}");
  g_autofree char *upper_id = g_ascii_strup (BCS_GRAPH_PROP_BC_ID, -1);
  g_autofree char *json = g_strdup_printf (
    "{\"singleValueExtendedProperties\": [{\"id\": \"%s\", \"value\": \"bc-guid-2\"}]}", upper_id);
  g_autoptr(JsonObject) upper = parse_object (json);
  g_autoptr(JsonObject) without = parse_object ("{\"id\": \"o2\", \"singleValueExtendedProperties\": []}");
  g_autoptr(BcsContact) contact = bcs_contact_from_graph_json (with, NULL);

  g_assert_cmpstr (contact->bc_id, ==, "bc-guid-1");
  g_assert_cmpstr (contact->bc_number, ==, "CT000042");
  g_assert_cmpstr (bcs_graph_contact_get_bc_id (with), ==, "bc-guid-1");
  /* Graph may spell the property id in its own case */
  g_assert_cmpstr (bcs_graph_contact_get_bc_id (upper), ==, "bc-guid-2");
  g_assert_null (bcs_graph_contact_get_bc_id (without));
}

/* An Outlook contact as read, with more e-mails and phones than we own */
static const char *outlook_current_json =
  "{\"id\": \"o1\", \"displayName\": \"Anna Berg\", \"givenName\": \"Anna\", \"surname\": \"Berg\","
  " \"emailAddresses\": [{\"address\": \"anna@contoso.com\", \"name\": \"Anna Berg\"},"
  "   {\"address\": \"anna.private@example.com\", \"name\": \"Anna (privat)\"},"
  "   {\"address\": \"anna@third.example\", \"name\": null}],"
  " \"businessPhones\": [\"+49 30 111\", \"+49 30 222\"], \"mobilePhone\": \"+49 170 1\","
  " \"categories\": [\"Kunden\", \"Business Central\"],"
  " \"businessAddress\": {\"street\": \"Old Street 1\", \"city\": \"Berlin\"},"
  " \"singleValueExtendedProperties\": ["
  "   {\"id\": \"" BCS_GRAPH_PROP_BC_ID "\", \"value\": \"bc-1\"},"
  "   {\"id\": \"" BCS_GRAPH_PROP_BC_NUMBER "\", \"value\": \"CT1\"}]}";

static BcsContact *
current_as_contact (JsonObject *current)
{
  return bcs_contact_from_graph_json (current, NULL);
}

static void
test_graph_patch_display_name_always (void)
{
  g_autoptr(JsonObject) current = parse_object (outlook_current_json);
  g_autoptr(BcsContact) contact = current_as_contact (current);
  g_autoptr(JsonObject) patch = NULL;

  bcs_contact_set_field (contact, BCS_FIELD_CITY, "Hamburg");
  patch = bcs_contact_to_graph_patch (contact, BCS_FIELD_MASK (BCS_FIELD_CITY), current);

  g_assert_cmpstr (member_string (patch, "displayName"), ==, "Anna Berg");
  g_assert_true (json_object_has_member (patch, "businessAddress"));
  /* nothing else changed, so nothing else is sent */
  g_assert_false (json_object_has_member (patch, "givenName"));
  g_assert_false (json_object_has_member (patch, "emailAddresses"));
  g_assert_false (json_object_has_member (patch, "businessPhones"));
  g_assert_false (json_object_has_member (patch, "mobilePhone"));
  g_assert_false (json_object_has_member (patch, "companyName"));
  g_assert_false (json_object_has_member (patch, "categories"));
  g_assert_false (json_object_has_member (patch, "singleValueExtendedProperties"));
  g_assert_cmpuint (json_object_get_size (patch), ==, 2);

  /* even an empty change set sends displayName */
  {
    g_autoptr(JsonObject) none = bcs_contact_to_graph_patch (contact, 0, current);

    g_assert_cmpuint (json_object_get_size (none), ==, 1);
    g_assert_cmpstr (member_string (none, "displayName"), ==, "Anna Berg");
  }
}

static void
test_graph_patch_keeps_other_emails (void)
{
  g_autoptr(JsonObject) current = parse_object (outlook_current_json);
  g_autoptr(BcsContact) contact = current_as_contact (current);
  g_autoptr(JsonObject) patch = NULL;
  JsonArray *emails;

  bcs_contact_set_field (contact, BCS_FIELD_EMAIL, "anna.berg@contoso.com");
  patch = bcs_contact_to_graph_patch (contact, BCS_FIELD_MASK (BCS_FIELD_EMAIL), current);
  emails = json_object_get_array_member (patch, "emailAddresses");

  g_assert_cmpuint (json_array_get_length (emails), ==, 3);
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 0), "address"), ==, "anna.berg@contoso.com");
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 0), "name"), ==, "Anna Berg");
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 1), "address"), ==, "anna.private@example.com");
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 1), "name"), ==, "Anna (privat)");
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 2), "address"), ==, "anna@third.example");
}

static void
test_graph_patch_email_limit (void)
{
  g_autoptr(JsonObject) current = parse_object (
    "{\"emailAddresses\": [{\"address\": \"a@x\"}, {\"address\": \"b@x\"}, {\"address\": \"c@x\"},"
    " {\"address\": \"d@x\"}, {\"address\": \"e@x\"}],"
    " \"businessPhones\": [\"1\", \"2\", \"3\", \"4\"]}");
  g_autoptr(BcsContact) contact = bcs_contact_new ();
  g_autoptr(JsonObject) patch = NULL;
  JsonArray *emails, *phones;

  bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, "Anna Berg");
  bcs_contact_set_field (contact, BCS_FIELD_EMAIL, "new@x");
  bcs_contact_set_field (contact, BCS_FIELD_PHONE, "0");
  patch = bcs_contact_to_graph_patch (contact, BCS_FIELD_MASK_ALL, current);
  emails = json_object_get_array_member (patch, "emailAddresses");
  phones = json_object_get_array_member (patch, "businessPhones");

  /* Graph answers 400 to more than 3 e-mails or 2 business phones */
  g_assert_cmpuint (json_array_get_length (emails), ==, BCS_GRAPH_MAX_EMAILS);
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 0), "address"), ==, "new@x");
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 2), "address"), ==, "c@x");
  g_assert_cmpuint (json_array_get_length (phones), ==, BCS_GRAPH_MAX_BUSINESS_PHONES);
  g_assert_cmpstr (json_array_get_string_element (phones, 0), ==, "0");
  g_assert_cmpstr (json_array_get_string_element (phones, 1), ==, "2");
}

static void
test_graph_patch_keeps_other_phones (void)
{
  g_autoptr(JsonObject) current = parse_object (outlook_current_json);
  g_autoptr(BcsContact) contact = current_as_contact (current);
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(JsonObject) cleared = NULL;
  JsonArray *phones;

  bcs_contact_set_field (contact, BCS_FIELD_PHONE, "+49 40 999");
  patch = bcs_contact_to_graph_patch (contact, BCS_FIELD_MASK (BCS_FIELD_PHONE), current);
  phones = json_object_get_array_member (patch, "businessPhones");
  g_assert_cmpuint (json_array_get_length (phones), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (phones, 0), ==, "+49 40 999");
  g_assert_cmpstr (json_array_get_string_element (phones, 1), ==, "+49 30 222");
  g_assert_false (json_object_has_member (patch, "emailAddresses"));

  /* our phone cleared: only slot 0 goes, the user's other phone stays */
  bcs_contact_set_field (contact, BCS_FIELD_PHONE, NULL);
  cleared = bcs_contact_to_graph_patch (contact, BCS_FIELD_MASK (BCS_FIELD_PHONE), current);
  phones = json_object_get_array_member (cleared, "businessPhones");
  g_assert_cmpuint (json_array_get_length (phones), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (phones, 0), ==, "+49 30 222");
}

static void
test_graph_patch_fields (void)
{
  g_autoptr(JsonObject) current = parse_object (outlook_current_json);
  g_autoptr(BcsContact) contact = current_as_contact (current);
  g_autoptr(JsonObject) patch = NULL;
  JsonObject *address;
  JsonArray *emails;

  bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, "Anna Maria Lund");
  bcs_contact_set_field (contact, BCS_FIELD_MOBILE, NULL);
  bcs_contact_set_field (contact, BCS_FIELD_ADDRESS_LINE2, "Hinterhaus");
  bcs_contact_set_field (contact, BCS_FIELD_COUNTRY, "DE");
  patch = bcs_contact_to_graph_patch (contact,
                                      BCS_FIELD_MASK (BCS_FIELD_DISPLAY_NAME) |
                                      BCS_FIELD_MASK (BCS_FIELD_MOBILE) |
                                      BCS_FIELD_MASK (BCS_FIELD_ADDRESS_LINE2) |
                                      BCS_FIELD_MASK (BCS_FIELD_COUNTRY),
                                      current);

  g_assert_cmpstr (member_string (patch, "displayName"), ==, "Anna Maria Lund");
  g_assert_cmpstr (member_string (patch, "givenName"), ==, "Anna Maria");
  g_assert_cmpstr (member_string (patch, "surname"), ==, "Lund");
  /* a cleared value is sent as null */
  g_assert_cmpstr (member_string (patch, "mobilePhone"), ==, "(null)");
  /* the name of our e-mail slot follows the display name */
  emails = json_object_get_array_member (patch, "emailAddresses");
  g_assert_cmpstr (member_string (json_array_get_object_element (emails, 0), "name"), ==, "Anna Maria Lund");
  g_assert_cmpuint (json_array_get_length (emails), ==, 3);
  /* an address change sends the whole address */
  address = json_object_get_object_member (patch, "businessAddress");
  g_assert_cmpstr (member_string (address, "street"), ==, "Old Street 1\nHinterhaus");
  g_assert_cmpstr (member_string (address, "city"), ==, "Berlin");
  g_assert_cmpstr (member_string (address, "countryOrRegion"), ==, "DE");
  g_assert_cmpstr (member_string (address, "postalCode"), ==, "(null)");
  g_assert_false (json_object_has_member (patch, "companyName"));
}

static void
test_graph_patch_link (void)
{
  /* an Outlook contact adopted by e-mail: no category, no id property */
  g_autoptr(JsonObject) current = parse_object (
    "{\"id\": \"o9\", \"displayName\": \"Anna Berg\", \"categories\": [\"Kunden\"],"
    " \"emailAddresses\": [{\"address\": \"anna@contoso.com\"}]}");
  g_autoptr(BcsContact) contact = bcs_contact_from_graph_json (current, NULL);
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) paired = parse_object (outlook_current_json);
  JsonArray *categories, *props;

  bcs_contact_set_value (&contact->bc_id, "bc-9");
  bcs_contact_set_value (&contact->bc_number, "CT9");
  patch = bcs_contact_to_graph_patch (contact, 0, current);

  categories = json_object_get_array_member (patch, "categories");
  g_assert_cmpuint (json_array_get_length (categories), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (categories, 0), ==, "Kunden");
  g_assert_cmpstr (json_array_get_string_element (categories, 1), ==, "Business Central");
  props = json_object_get_array_member (patch, "singleValueExtendedProperties");
  g_assert_cmpuint (json_array_get_length (props), ==, 2);
  g_assert_cmpstr (member_string (json_array_get_object_element (props, 0), "value"), ==, "bc-9");

  /* a contact already carrying both gets neither again */
  bcs_contact_set_value (&contact->bc_id, "bc-1");
  bcs_contact_set_value (&contact->bc_number, "CT1");
  again = bcs_contact_to_graph_patch (contact, 0, paired);
  g_assert_false (json_object_has_member (again, "categories"));
  g_assert_false (json_object_has_member (again, "singleValueExtendedProperties"));
}

static void
test_bc_post_body (void)
{
  g_autoptr(BcsContact) contact = bcs_contact_new ();
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) issues = bcs_field_issues_new ();

  bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, "Zoë Nørgaard");
  bcs_contact_set_field (contact, BCS_FIELD_EMAIL, "zoe@example.dk");
  bcs_contact_set_field (contact, BCS_FIELD_CITY, "København");
  bcs_contact_set_value (&contact->outlook_id, "o1");
  body = bcs_contact_to_bc_json (contact, BCS_FIELD_MASK_ALL, issues);

  g_assert_cmpuint (issues->len, ==, 0);
  g_assert_cmpstr (member_string (body, "type"), ==, "Person");
  g_assert_cmpstr (member_string (body, "displayName"), ==, "Zo\u00eb N\u00f8rgaard");
  g_assert_cmpstr (member_string (body, "email"), ==, "zoe@example.dk");
  g_assert_cmpstr (member_string (body, "city"), ==, "K\u00f8benhavn");
  /* unset fields are not sent on create; ids are the server's */
  g_assert_cmpuint (json_object_get_size (body), ==, 4);
}

static void
test_bc_patch_body (void)
{
  g_autoptr(JsonObject) bc = parse_object (bc_full_json);
  g_autoptr(BcsContact) contact = bcs_contact_from_bc_json (bc);
  g_autoptr(JsonObject) body = NULL;

  bcs_contact_set_field (contact, BCS_FIELD_JOB_TITLE, "Leiterin Einkauf");
  bcs_contact_set_field (contact, BCS_FIELD_MOBILE, NULL);
  body = bcs_contact_to_bc_json (contact,
                                 BCS_FIELD_MASK (BCS_FIELD_JOB_TITLE) | BCS_FIELD_MASK (BCS_FIELD_MOBILE),
                                 NULL);

  g_assert_cmpuint (json_object_get_size (body), ==, 2);
  g_assert_cmpstr (member_string (body, "jobTitle"), ==, "Leiterin Einkauf");
  /* Business Central clears a text field with "" */
  g_assert_cmpstr (member_string (body, "mobilePhoneNumber"), ==, "");
  g_assert_false (json_object_has_member (body, "type"));
}

/* Each limit: exactly at it the value is sent, one over it is left out with
 * a reason (optional fields) or the contact is not sent (name, e-mail). */
static void
test_bc_length_limits (void)
{
  static const struct { BcsContactField field; const char *member; guint limit; } rows[] = {
    { BCS_FIELD_DISPLAY_NAME, "displayName", 100 }, { BCS_FIELD_EMAIL, "email", 80 },
    { BCS_FIELD_PHONE, "phoneNumber", 30 }, { BCS_FIELD_MOBILE, "mobilePhoneNumber", 30 },
    { BCS_FIELD_ADDRESS_LINE1, "addressLine1", 100 }, { BCS_FIELD_ADDRESS_LINE2, "addressLine2", 50 },
    { BCS_FIELD_CITY, "city", 30 }, { BCS_FIELD_STATE, "state", 30 },
    { BCS_FIELD_POSTAL_CODE, "postalCode", 20 }, { BCS_FIELD_COUNTRY, "country", 10 },
    { BCS_FIELD_WEBSITE, "website", 80 }, { BCS_FIELD_COMPANY_NAME, "companyName", 100 },
    { BCS_FIELD_JOB_TITLE, "jobTitle", 30 },
  };

  g_assert_cmpuint (G_N_ELEMENTS (rows), ==, BCS_N_FIELDS);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gboolean required = rows[i].field == BCS_FIELD_DISPLAY_NAME || rows[i].field == BCS_FIELD_EMAIL;

      for (guint over = 0; over <= 1; over++)
        {
          g_autoptr(BcsContact) contact = bcs_contact_new ();
          g_autoptr(GPtrArray) issues = bcs_field_issues_new ();
          g_autofree char *value = g_strnfill (rows[i].limit + over, 'w');
          g_autoptr(JsonObject) post = NULL;
          g_autoptr(JsonObject) patch = NULL;

          bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, "Anna Berg");
          bcs_contact_set_field (contact, BCS_FIELD_EMAIL, "anna@contoso.com");
          bcs_contact_set_field (contact, rows[i].field, value);

          post = bcs_contact_to_bc_json (contact, BCS_FIELD_MASK_ALL, issues);
          g_test_message ("%s + %u", rows[i].member, over);
          if (!over)
            {
              g_assert_nonnull (post);
              g_assert_cmpuint (issues->len, ==, 0);
              g_assert_cmpstr (member_string (post, rows[i].member), ==, value);
              continue;
            }

          g_assert_cmpuint (issues->len, ==, 1);
          g_assert_true ((bcs_field_issues_find_skip (issues) != NULL) == required);
          if (required)
            g_assert_null (post);
          else
            {
              g_assert_nonnull (post);
              g_assert_false (json_object_has_member (post, rows[i].member));
              g_assert_cmpstr (member_string (post, "displayName"), ==, "Anna Berg");
            }

          /* the same in a PATCH of that one field */
          patch = bcs_contact_to_bc_json (contact, BCS_FIELD_MASK (rows[i].field), NULL);
          if (required)
            g_assert_null (patch);
          else
            g_assert_cmpuint (json_object_get_size (patch), ==, 0);
        }
    }
}

static void
test_bc_huge_name (void)
{
  g_autoptr(GPtrArray) issues = bcs_field_issues_new ();
  g_autofree char *name = g_strnfill (10000, 'a');
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(BcsContact) from_graph = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonArray *emails = json_array_new ();
  JsonObject *email = json_object_new ();
  const BcsFieldIssue *issue;

  /* from Outlook, as a person would paste it */
  json_object_set_string_member (object, "displayName", name);
  json_object_set_string_member (email, "address", "anna@contoso.com");
  json_array_add_object_element (emails, email);
  json_object_set_array_member (object, "emailAddresses", emails);
  from_graph = bcs_contact_from_graph_json (object, NULL);
  g_assert_cmpuint (strlen (from_graph->display_name), ==, 10000);

  body = bcs_contact_to_bc_json (from_graph, BCS_FIELD_MASK_ALL, issues);
  g_assert_null (body);
  issue = bcs_field_issues_find_skip (issues);
  g_assert_nonnull (issue);
  g_assert_cmpint (issue->field, ==, BCS_FIELD_DISPLAY_NAME);
  g_assert_cmpstr (issue->message, ==, "The Name has 10000 characters; Business Central allows at most 100.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contact-mapping/bc/read", test_bc_read);
  g_test_add_func ("/contact-mapping/bc/read-tolerant", test_bc_read_tolerant);
  g_test_add_func ("/contact-mapping/bc/post-body", test_bc_post_body);
  g_test_add_func ("/contact-mapping/bc/patch-body", test_bc_patch_body);
  g_test_add_func ("/contact-mapping/bc/length-limits", test_bc_length_limits);
  g_test_add_func ("/contact-mapping/bc/huge-name", test_bc_huge_name);
  g_test_add_func ("/contact-mapping/round-trip", test_round_trip);
  g_test_add_func ("/contact-mapping/graph/create-body", test_graph_create_body);
  g_test_add_func ("/contact-mapping/graph/create-minimal", test_graph_create_minimal);
  g_test_add_func ("/contact-mapping/graph/split-display-name", test_split_display_name);
  g_test_add_func ("/contact-mapping/graph/read-unset", test_graph_read_unset);
  g_test_add_func ("/contact-mapping/graph/read-names", test_graph_read_names);
  g_test_add_func ("/contact-mapping/graph/street-split", test_graph_street_split);
  g_test_add_func ("/contact-mapping/graph/country", test_graph_country);
  g_test_add_func ("/contact-mapping/graph/bc-id", test_graph_bc_id);
  g_test_add_func ("/contact-mapping/graph/patch-display-name-always", test_graph_patch_display_name_always);
  g_test_add_func ("/contact-mapping/graph/patch-keeps-other-emails", test_graph_patch_keeps_other_emails);
  g_test_add_func ("/contact-mapping/graph/patch-keeps-other-phones", test_graph_patch_keeps_other_phones);
  g_test_add_func ("/contact-mapping/graph/patch-limits", test_graph_patch_email_limit);
  g_test_add_func ("/contact-mapping/graph/patch-fields", test_graph_patch_fields);
  g_test_add_func ("/contact-mapping/graph/patch-link", test_graph_patch_link);

  return g_test_run ();
}
