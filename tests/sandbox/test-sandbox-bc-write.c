/* test-sandbox-bc-write.c — writing to the sandbox's Business Central: creates and their
 * validation, If-Match, $batch, the control API, faults, state and seeding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-sandbox-bc-fixture.h"

static char *
repeat (const char *unit,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_create (void)
{
  static const struct { const char *name; guint max; } limits[] = {
    { "number", 20 }, { "displayName", 100 }, { "jobTitle", 30 }, { "companyName", 100 },
    { "addressLine1", 100 }, { "addressLine2", 50 }, { "city", 30 }, { "state", 30 }, { "country", 10 },
    { "postalCode", 20 }, { "phoneNumber", 30 }, { "mobilePhoneNumber", 30 }, { "email", 80 },
    { "website", 80 }, { "searchName", 100 },
  };
  g_autoptr(Fx) fx = fx_new (10);
  g_autofree char *path = api (fx, "contacts");
  g_autoptr(JsonObject) row = create (fx, "{\"displayName\": \"Zoë Ærø\", \"type\": \"Person\", "
                                          "\"email\": \"zoe@example.com\", \"city\": \"Köln\"}");
  g_autofree char *get_path = api (fx, "contacts(%s)", str (row, "id"));
  g_autoptr(Reply) got = call (fx, "GET", get_path, NULL, NULL);
  g_autofree char *unknown = api (fx, "contacts(11111111-2222-4333-8444-555555555555)");
  g_autoptr(Reply) missing = call (fx, "GET", unknown, NULL, NULL);

  g_assert_true (g_str_has_prefix (str (row, "number"), "CT"));
  g_assert_cmpuint (strlen (str (row, "id")), ==, 36);
  g_assert_cmpstr (str (row, "searchName"), ==, "ZOË ÆRØ");
  g_assert_cmpstr (str (row, "lastInteractionDate"), ==, "0001-01-01");
  g_assert_true (g_str_has_prefix (str (row, "@odata.etag"), "W/\""));
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (str (obj (got), "displayName"), ==, "Zoë Ærø");
  g_assert_cmpstr (str (obj (got), "@odata.etag"), ==, str (row, "@odata.etag"));
  g_assert_cmpstr (soup_message_headers_get_one (got->headers, "ETag"), ==, str (row, "@odata.etag"));
  g_assert_cmpuint (missing->status, ==, 404);

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      /* Lengths count characters, not bytes; the email needs an '@' */
      g_autofree char *exact = repeat ("é", limits[i].max - (g_str_equal (limits[i].name, "email") ? 4 : 0));
      g_autofree char *over = g_strconcat (exact, "é", NULL);
      g_autofree char *suffix = g_str_equal (limits[i].name, "email") ? g_strdup ("@x.y") : g_strdup ("");
      g_autofree char *ok_body = g_strdup_printf ("{\"displayName\": \"Limit %u\", \"%s\": \"%s%s\"}",
                                                  i, limits[i].name, exact, suffix);
      g_autofree char *bad_body = g_strdup_printf ("{\"displayName\": \"Limit %u\", \"%s\": \"%s%s\"}",
                                                   i, limits[i].name, over, suffix);
      g_autofree char *expected = g_strdup_printf ("The length of the string is %u, but it must be less "
                                                   "than or equal to %u characters.",
                                                   limits[i].max + 1, limits[i].max);
      g_autoptr(Reply) ok = NULL;
      g_autoptr(Reply) bad = NULL;

      if (g_str_equal (limits[i].name, "displayName"))
        {
          g_free (ok_body);
          g_free (bad_body);
          ok_body = g_strdup_printf ("{\"displayName\": \"%s\"}", exact);
          bad_body = g_strdup_printf ("{\"displayName\": \"%s\"}", over);
        }
      ok = call (fx, "POST", path, ok_body, NULL);
      bad = call (fx, "POST", path, bad_body, NULL);
      g_assert_cmpuint (ok->status, ==, 201);
      g_assert_cmpuint (bad->status, ==, 400);
      g_assert_cmpstr (error_code (bad), ==, "BadRequest");
      g_assert_true (g_str_has_prefix (error_message (bad), expected));
    }

  {
    g_autoptr(Reply) no_name = call (fx, "POST", path, "{\"type\": \"Person\", \"email\": \"a@b.c\"}", NULL);
    g_autoptr(Reply) bad_type = call (fx, "POST", path, "{\"displayName\": \"X\", \"type\": \"Robot\"}", NULL);
    g_autoptr(Reply) bad_field = call (fx, "POST", path, "{\"displayName\": \"X\", \"nickName\": \"x\"}", NULL);
    g_autoptr(Reply) not_json = call (fx, "POST", path, "[1, 2]", NULL);
    g_autoptr(Reply) bad_mail = call (fx, "POST", path, "{\"displayName\": \"X\", \"email\": \"nope\"}", NULL);

    g_assert_cmpuint (no_name->status, ==, 400);
    g_assert_cmpuint (bad_type->status, ==, 400);
    g_assert_cmpuint (bad_field->status, ==, 400);
    g_assert_cmpstr (error_code (bad_field), ==, "BadRequest_PropertyNotFound");
    g_assert_cmpuint (not_json->status, ==, 400);
    g_assert_cmpuint (bad_mail->status, ==, 400);
  }
}

static void
test_company_link (void)
{
  g_autoptr(Fx) fx = fx_new (0);
  g_autoptr(JsonObject) company = create (fx, "{\"displayName\": \"Linked GmbH\", \"type\": \"Company\"}");
  g_autofree char *body = g_strdup_printf ("{\"displayName\": \"Pia Link\", \"type\": \"Person\", "
                                           "\"companyNumber\": \"%s\"}", str (company, "number"));
  g_autoptr(JsonObject) person = create (fx, body);
  g_autofree char *path = api (fx, "contacts");
  g_autoptr(Reply) dangling = call (fx, "POST", path, "{\"displayName\": \"Nobody\", \"type\": \"Person\", "
                                                      "\"companyNumber\": \"CT999999\"}", NULL);
  g_autoptr(Reply) duplicate = NULL;
  g_autofree char *dup_body = g_strdup_printf ("{\"displayName\": \"Dup\", \"number\": \"%s\"}",
                                               str (company, "number"));

  g_assert_cmpstr (str (company, "companyNumber"), ==, str (company, "number"));
  g_assert_cmpstr (str (company, "companyName"), ==, "Linked GmbH");
  g_assert_cmpstr (str (person, "companyName"), ==, "Linked GmbH");
  g_assert_cmpuint (dangling->status, ==, 400);
  duplicate = call (fx, "POST", path, dup_body, NULL);
  g_assert_cmpuint (duplicate->status, ==, 400);
}

static void
test_concurrency (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(JsonObject) row = create (fx, "{\"displayName\": \"Ida Etag\", \"type\": \"Person\"}");
  g_autofree char *path = api (fx, "contacts(%s)", str (row, "id"));
  const char *old_etag = str (row, "@odata.etag");
  const char *with_old[] = { "If-Match", old_etag, NULL };
  const char *star[] = { "If-Match", "*", NULL };
  g_autoptr(Reply) none = call (fx, "PATCH", path, "{\"city\": \"Bonn\"}", NULL);
  g_autoptr(Reply) ok = call (fx, "PATCH", path, "{\"city\": \"Bonn\"}", with_old);
  g_autoptr(Reply) stale = call (fx, "PATCH", path, "{\"city\": \"Köln\"}", with_old);
  g_autoptr(Reply) starred = call (fx, "PATCH", path, "{\"city\": \"Köln\"}", star);
  g_autoptr(Reply) del_none = call (fx, "DELETE", path, NULL, NULL);
  g_autoptr(Reply) del_stale = call (fx, "DELETE", path, NULL, with_old);
  g_autoptr(Reply) del_star = NULL;
  g_autoptr(Reply) gone = NULL;

  g_assert_cmpuint (none->status, ==, 400);
  g_assert_cmpstr (error_code (none), ==, "BadRequest_InvalidToken");
  g_assert_true (g_str_has_prefix (error_message (none), "Could not validate the client concurrency token "
                                                         "required by the service. Please provide a valid "
                                                         "token in the client request."));
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (str (obj (ok), "city"), ==, "Bonn");
  g_assert_cmpstr (str (obj (ok), "@odata.etag"), !=, old_etag);
  g_assert_cmpint (parse_time (str (obj (ok), "lastModifiedDateTime")), >,
                   parse_time (str (row, "lastModifiedDateTime")));
  g_assert_cmpuint (stale->status, ==, 409);
  g_assert_cmpstr (error_code (stale), ==, "Request_EntityChanged");
  g_assert_true (g_str_has_prefix (error_message (stale), "Another user has already changed the record."));
  g_assert_cmpuint (starred->status, ==, 200);
  g_assert_cmpstr (str (obj (starred), "city"), ==, "Köln");
  g_assert_cmpuint (del_none->status, ==, 400);
  g_assert_cmpstr (error_code (del_none), ==, "BadRequest_InvalidToken");
  g_assert_cmpuint (del_stale->status, ==, 409);
  del_star = call (fx, "DELETE", path, NULL, star);
  g_assert_cmpuint (del_star->status, ==, 204);
  gone = call (fx, "GET", path, NULL, NULL);
  g_assert_cmpuint (gone->status, ==, 404);
}

static void
test_enum_encoding (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(Reply) made = call (fx, "POST", "/_sandbox/bc/contacts",
                                "{\"displayName\": \"Sparkasse Test\", \"type\": \"Company\", "
                                "\"contactBusinessRelation\": \"Bank_x0020_Account\"}", NULL);
  g_autoptr(Reply) spaced = call (fx, "POST", "/_sandbox/bc/contacts",
                                  "{\"displayName\": \"Spaced\", \"contactBusinessRelation\": \"Bank Account\"}", NULL);
  g_autoptr(JsonObject) via_api = create (fx, "{\"displayName\": \"Read-only relation\", "
                                              "\"contactBusinessRelation\": \"Vendor\"}");

  g_assert_cmpuint (made->status, ==, 201);
  g_assert_cmpstr (str (obj (made), "contactBusinessRelation"), ==, "Bank_x0020_Account");
  g_assert_cmpuint (count_query (fx, "contactBusinessRelation eq 'Bank_x0020_Account' and "
                                     "displayName eq 'Sparkasse Test'"), ==, 1);
  g_assert_cmpuint (spaced->status, ==, 400);
  /* The relation is computed in BC: the API does not set it */
  g_assert_cmpstr (str (via_api, "contactBusinessRelation"), ==, "None");
}

/* ---- $batch ---- */

static char *
batch_path (Fx *fx)
{
  return g_strdup ("/bc/v2.0/sandbox/production/api/v2.0/$batch");
}

static JsonArray *
batch (Fx          *fx,
       const char  *body,
       gboolean     snapshot,
       guint       *status)
{
  g_autofree char *path = batch_path (fx);
  const char *headers[] = { "Isolation", "snapshot", NULL };
  g_autoptr(Reply) reply = call (fx, "POST", path, body, snapshot ? headers : NULL);

  *status = reply->status;
  if (reply->status != 200)
    return NULL;
  return json_array_ref (json_object_get_array_member (obj (reply), "responses"));
}

static guint
item_status (JsonArray *responses,
             guint      i)
{
  return (guint) json_object_get_int_member (json_array_get_object_element (responses, i), "status");
}

static char *
batch_of_gets (Fx   *fx,
               guint n)
{
  GString *body = g_string_new ("{\"requests\": [");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (body, "%s{\"id\": \"%u\", \"method\": \"GET\", "
                            "\"url\": \"companies(%s)/contacts?$top=1\"}",
                            i ? ", " : "", i, fx->company);
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

static void
test_batch_limit (void)
{
  g_autoptr(Fx) fx = fx_new (5);
  g_autofree char *over_body = batch_of_gets (fx, 101);
  g_autofree char *ok_body = batch_of_gets (fx, 100);
  g_autoptr(JsonArray) over = NULL;
  g_autoptr(JsonArray) ok = NULL;
  guint status = 0;

  over = batch (fx, over_body, FALSE, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_null (over);

  ok = batch (fx, ok_body, FALSE, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (ok), ==, 100);
  for (guint i = 0; i < 100; i++)
    {
      JsonObject *item = json_array_get_object_element (ok, i);

      g_assert_cmpuint (item_status (ok, i), ==, 200);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                          json_object_get_object_member (item, "body"), "value")), ==, 1);
    }
}

static void
test_batch_mixed (void)
{
  g_autoptr(Fx) fx = fx_new (5);
  g_autofree char *body = g_strdup_printf (
    "{\"requests\": ["
    "{\"id\": \"a\", \"method\": \"POST\", \"url\": \"companies(%s)/contacts\", "
    "\"headers\": {\"Content-Type\": \"application/json\"}, \"body\": {\"displayName\": \"Batch One\"}},"
    "{\"id\": \"b\", \"method\": \"POST\", \"url\": \"companies(%s)/contacts\", "
    "\"headers\": {\"Content-Type\": \"application/json\"}, \"body\": {\"jobTitle\": \"no name\"}},"
    "{\"id\": \"c\", \"method\": \"GET\", \"url\": \"companies(%s)/contacts(11111111-2222-4333-8444-555555555555)\"},"
    "{\"id\": \"d\", \"method\": \"PATCH\", \"url\": \"companies(%s)/contacts(11111111-2222-4333-8444-555555555555)\", "
    "\"body\": {\"city\": \"x\"}}]}",
    fx->company, fx->company, fx->company, fx->company);
  guint status = 0;
  g_autoptr(JsonArray) responses = batch (fx, body, FALSE, &status);
  JsonObject *first;

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (item_status (responses, 0), ==, 201);
  g_assert_cmpuint (item_status (responses, 1), ==, 400);
  g_assert_cmpuint (item_status (responses, 2), ==, 404);
  g_assert_cmpuint (item_status (responses, 3), ==, 404);
  first = json_array_get_object_element (responses, 0);
  g_assert_cmpstr (str (first, "id"), ==, "a");
  g_assert_cmpstr (str (json_object_get_object_member (first, "body"), "displayName"), ==, "Batch One");
  g_assert_cmpuint (count_query (fx, "displayName eq 'Batch One'"), ==, 1);
}

static void
test_batch_snapshot (void)
{
  g_autoptr(Fx) fx = fx_new (20);
  g_autoptr(JsonArray) before = all_contacts (fx, NULL, NULL);
  JsonObject *victim = json_array_get_object_element (before, 3);
  JsonObject *deleted = json_array_get_object_element (before, 4);
  g_autofree char *ops = g_strdup_printf (
    "{\"id\": \"1\", \"method\": \"POST\", \"url\": \"companies(%s)/contacts\", \"body\": {\"displayName\": \"Snap New\"}},"
    "{\"id\": \"2\", \"method\": \"PATCH\", \"url\": \"companies(%s)/contacts(%s)\", "
    "\"headers\": {\"If-Match\": \"*\"}, \"body\": {\"city\": \"Snapcity\"}},"
    "{\"id\": \"3\", \"method\": \"DELETE\", \"url\": \"companies(%s)/contacts(%s)\", \"headers\": {\"If-Match\": \"*\"}}",
    fx->company, fx->company, str (victim, "id"), fx->company, str (deleted, "id"));
  g_autofree char *failing = g_strdup_printf ("{\"requests\": [%s, {\"id\": \"4\", \"method\": \"POST\", "
                                              "\"url\": \"companies(%s)/contacts\", \"body\": {\"city\": \"x\"}}]}",
                                              ops, fx->company);
  g_autofree char *passing = g_strdup_printf ("{\"requests\": [%s]}", ops);
  g_autoptr(JsonArray) rolled = NULL;
  g_autoptr(JsonArray) after = NULL;
  g_autoptr(JsonArray) applied = NULL;
  guint status = 0;

  rolled = batch (fx, failing, TRUE, &status);
  g_assert_cmpuint (status, ==, 200);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (item_status (rolled, i), ==, 424);
  g_assert_cmpuint (item_status (rolled, 3), ==, 400);

  /* Nothing changed: same rows, same etags */
  after = all_contacts (fx, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (after), ==, json_array_get_length (before));
  for (guint i = 0; i < json_array_get_length (after); i++)
    {
      JsonObject *a = json_array_get_object_element (before, i);
      JsonObject *b = json_array_get_object_element (after, i);

      g_assert_cmpstr (str (a, "id"), ==, str (b, "id"));
      g_assert_cmpstr (str (a, "@odata.etag"), ==, str (b, "@odata.etag"));
      g_assert_cmpstr (str (a, "city"), ==, str (b, "city"));
    }

  applied = batch (fx, passing, TRUE, &status);
  g_assert_cmpuint (item_status (applied, 0), ==, 201);
  g_assert_cmpuint (item_status (applied, 1), ==, 200);
  g_assert_cmpuint (item_status (applied, 2), ==, 204);
  g_assert_cmpuint (count_query (fx, "displayName eq 'Snap New' or city eq 'Snapcity'"), ==, 2);
}

static void
test_batch_throttled (void)
{
  g_autoptr(Fx) fx = fx_new (20);
  g_autoptr(JsonArray) rows = all_contacts (fx, "?$top=2", NULL);
  const char *id0 = str (json_array_get_object_element (rows, 0), "id");
  const char *id1 = str (json_array_get_object_element (rows, 1), "id");
  g_autofree char *rule = g_strdup_printf ("{\"rules\": [{\"service\": \"bc\", \"path\": \"contacts(%s)\", "
                                           "\"status\": 429, \"retry_after\": \"2.5\", \"count\": 1}]}", id0);
  g_autofree char *body = g_strdup_printf (
    "{\"requests\": [{\"id\": \"1\", \"method\": \"GET\", \"url\": \"companies(%s)/contacts(%s)\"},"
    "{\"id\": \"2\", \"method\": \"GET\", \"url\": \"companies(%s)/contacts(%s)\"}]}",
    fx->company, id0, fx->company, id1);
  g_autoptr(Reply) set = call (fx, "POST", "/_sandbox/faults", rule, NULL);
  guint status = 0;
  g_autoptr(JsonArray) responses = batch (fx, body, FALSE, &status);
  g_autoptr(JsonArray) again = batch (fx, body, FALSE, &status);
  JsonObject *headers;

  g_assert_cmpuint (set->status, ==, 200);
  g_assert_cmpuint (item_status (responses, 0), ==, 429);
  headers = json_object_get_object_member (json_array_get_object_element (responses, 0), "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "retry-after"), ==, "2.5");
  g_assert_cmpuint (item_status (responses, 1), ==, 200);
  /* count 1: the next batch passes */
  g_assert_cmpuint (item_status (again, 0), ==, 200);
}

/* ---- control API, faults, state, seeding ---- */

static void
test_control (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(Reply) made = call (fx, "POST", "/_sandbox/bc/contacts",
                                "{\"displayName\": \"Ctl Person\", \"type\": \"Person\", \"city\": \"Graz\"}", NULL);
  g_autofree char *second_body = g_strdup_printf ("{\"displayName\": \"Ctl Two\", \"companyId\": \"%s\"}",
                                                  fx->company2);
  g_autoptr(Reply) made2 = call (fx, "POST", "/_sandbox/bc/contacts", second_body, NULL);
  const char *id = str (obj (made), "id");
  g_autofree char *ctl = g_strdup_printf ("/_sandbox/bc/contacts/%s", id);
  g_autofree char *path = api (fx, "contacts(%s)", id);
  g_autoptr(Reply) seen = call (fx, "GET", path, NULL, NULL);
  g_autoptr(Reply) edited = call (fx, "PATCH", ctl, "{\"city\": \"Linz\"}", NULL);
  g_autoptr(Reply) seen2 = call (fx, "GET", path, NULL, NULL);
  const char *stale[] = { "If-Match", str (obj (seen), "@odata.etag"), NULL };
  g_autoptr(Reply) client = call (fx, "PATCH", path, "{\"city\": \"Wels\"}", stale);
  g_autofree char *p2 = g_strdup_printf ("/bc/v2.0/sandbox/production/api/v2.0/companies(%s)/contacts(%s)",
                                         fx->company2, str (obj (made2), "id"));
  g_autoptr(Reply) in_second = call (fx, "GET", p2, NULL, NULL);
  g_autoptr(Reply) removed = call (fx, "DELETE", ctl, NULL, NULL);
  g_autoptr(Reply) gone = call (fx, "GET", path, NULL, NULL);

  g_assert_cmpuint (made->status, ==, 201);
  g_assert_cmpuint (seen->status, ==, 200);
  g_assert_cmpstr (str (obj (seen), "city"), ==, "Graz");
  g_assert_cmpuint (edited->status, ==, 200);
  g_assert_cmpstr (str (obj (seen2), "city"), ==, "Linz");
  g_assert_cmpstr (str (obj (seen2), "@odata.etag"), !=, str (obj (seen), "@odata.etag"));
  g_assert_cmpint (parse_time (str (obj (seen2), "lastModifiedDateTime")), >,
                   parse_time (str (obj (seen), "lastModifiedDateTime")));
  g_assert_cmpuint (client->status, ==, 409);
  g_assert_cmpuint (in_second->status, ==, 200);
  g_assert_cmpuint (removed->status, ==, 204);
  g_assert_cmpuint (gone->status, ==, 404);
}

static void
test_change_etag_fault (void)
{
  g_autoptr(Fx) fx = fx_new (10);
  g_autoptr(JsonArray) rows = all_contacts (fx, "?$top=1", NULL);
  JsonObject *row = json_array_get_object_element (rows, 0);
  g_autofree char *rule = g_strdup_printf ("{\"rules\": [{\"service\": \"bc\", \"path\": \"contacts(%s)\", "
                                           "\"kind\": \"change-etag\", \"count\": 1}]}", str (row, "id"));
  g_autoptr(Reply) set = call (fx, "POST", "/_sandbox/faults", rule, NULL);
  g_autofree char *path = api (fx, "contacts(%s)", str (row, "id"));
  const char *if_match[] = { "If-Match", str (row, "@odata.etag"), NULL };
  g_autoptr(Reply) patched = call (fx, "PATCH", path, "{\"city\": \"Faultville\"}", if_match);
  g_autoptr(Reply) now = call (fx, "GET", path, NULL, NULL);

  g_assert_cmpuint (set->status, ==, 200);
  g_assert_cmpuint (patched->status, ==, 409);
  g_assert_cmpstr (str (obj (now), "@odata.etag"), !=, str (row, "@odata.etag"));
  g_assert_cmpstr (str (obj (now), "city"), !=, "Faultville");
}

static void
test_state_roundtrip (void)
{
  g_autoptr(Fx) a = fx_new (50);
  g_autoptr(Fx) b = fx_new_full (0, 9, NULL);
  g_autofree char *state = NULL;
  g_autofree char *wrapped = NULL;
  g_autofree char *copied = NULL;
  g_autoptr(Reply) put = NULL;
  g_autoptr(JsonObject) row = NULL;

  json_object_unref (create (a, "{\"displayName\": \"Roundtrip\", \"privacyBlocked\": true}"));
  state = bc_state (a);
  wrapped = g_strdup_printf ("{\"bc\": %s}", state);
  put = call (b, "POST", "/_sandbox/state", wrapped, NULL);
  g_assert_cmpuint (put->status, ==, 200);
  copied = bc_state (b);
  g_assert_cmpstr (copied, ==, state);

  /* The copy keeps working: new writes get later times and new etags */
  g_free (b->company);
  b->company = g_strdup (a->company);
  row = create (b, "{\"displayName\": \"After load\"}");
  g_assert_cmpuint (count_query (b, "displayName eq 'Roundtrip' and privacyBlocked eq true"), ==, 1);
  g_assert_cmpuint (count_query (b, "startswith(number,'CT')"), ==, 52);
}

static gboolean
is_ascii (const char *s)
{
  for (; *s; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static void
test_seed (void)
{
  static const char * const relations[] = { "_x0020_", "None", "Customer", "Vendor", "Bank_x0020_Account",
                                            "Employee", "Multiple", NULL };
  static const struct { const char *name; guint max; } limits[] = {
    { "displayName", 100 }, { "jobTitle", 30 }, { "companyName", 100 }, { "addressLine1", 100 },
    { "addressLine2", 50 }, { "city", 30 },
  };
  g_autoptr(Fx) a = fx_new_full (500, 7, NULL);
  g_autoptr(Fx) b = fx_new_full (500, 7, NULL);
  g_autoptr(Fx) c = fx_new_full (500, 8, NULL);
  g_autofree char *sa = bc_state (a);
  g_autofree char *sb = bc_state (b);
  g_autofree char *sc = bc_state (c);
  g_autoptr(JsonArray) all = NULL;
  g_autoptr(GHashTable) countries = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) companies = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) emails = NULL;
  guint persons = 0, orgs = 0, no_email = 0, blocked = 0, non_ascii = 0, at_limit = 0, linked = 0;

  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpstr (sa, !=, sc);

  all = all_contacts (a, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (all), ==, 500);
  for (guint i = 0; i < 500; i++)
    {
      JsonObject *o = json_array_get_object_element (all, i);
      const char *type = str (o, "type");

      if (g_str_equal (type, "Person"))
        {
          persons++;
          if (*str (o, "companyNumber") != '\0')
            {
              linked++;
              g_assert_true (g_hash_table_contains (companies, str (o, "companyNumber")));
            }
        }
      else
        {
          orgs++;
          g_assert_cmpstr (type, ==, "Company");
          g_hash_table_add (companies, (gpointer) str (o, "number"));
        }
      no_email += *str (o, "email") == '\0';
      blocked += json_object_get_boolean_member (o, "privacyBlocked");
      non_ascii += !is_ascii (str (o, "displayName"));
      g_hash_table_add (countries, (gpointer) str (o, "country"));
      g_assert_true (g_strv_contains (relations, str (o, "contactBusinessRelation")));
      for (guint j = 0; j < G_N_ELEMENTS (limits); j++)
        {
          glong len = g_utf8_strlen (str (o, limits[j].name), -1);

          g_assert_cmpint (len, <=, limits[j].max);
          at_limit += len == (glong) limits[j].max;
        }
      g_assert_cmpstr (str (o, "searchName"), !=, "");
    }
  g_test_message ("500 seeded: %u persons, %u companies, %u without e-mail, %u privacy-blocked, "
                  "%u non-ASCII names, %u values at a length limit, %u countries",
                  persons, orgs, no_email, blocked, non_ascii, at_limit, g_hash_table_size (countries));
  g_assert_cmpuint (persons, >=, 370);
  g_assert_cmpuint (persons, <=, 430);
  g_assert_cmpuint (linked, >=, persons / 2);
  g_assert_cmpuint (no_email, >=, 15);
  g_assert_cmpuint (no_email, <=, 70);
  g_assert_cmpuint (blocked, >=, 4);
  g_assert_cmpuint (blocked, <=, 35);
  g_assert_cmpuint (non_ascii, >=, 25);
  g_assert_cmpuint (at_limit, >=, 3);
  g_assert_cmpuint (g_hash_table_size (countries), >=, 5);

  /* The second company has a handful */
  {
    g_autofree char *p = g_strdup_printf ("/bc/v2.0/sandbox/production/api/v2.0/companies(%s)/contacts",
                                          a->company2);
    g_autoptr(Reply) reply = call (a, "GET", p, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (value_of (reply)), ==, 5);
  }

  /* Sample e-mails: persons' addresses, in order */
  emails = bcs_sb_bc_sample_emails (a->sandbox->bc, 10);
  g_assert_cmpuint (g_strv_length (emails), ==, 10);
  for (guint i = 0; emails[i] != NULL; i++)
    {
      g_autofree char *q = g_strdup_printf ("email eq '%s' and type eq 'Person'", emails[i]);

      g_assert_cmpuint (count_query (a, q), >=, 1);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox-bc/create", test_create);
  g_test_add_func ("/sandbox-bc/company-link", test_company_link);
  g_test_add_func ("/sandbox-bc/if-match", test_concurrency);
  g_test_add_func ("/sandbox-bc/enum-encoding", test_enum_encoding);
  g_test_add_func ("/sandbox-bc/batch-limit", test_batch_limit);
  g_test_add_func ("/sandbox-bc/batch-mixed", test_batch_mixed);
  g_test_add_func ("/sandbox-bc/batch-snapshot", test_batch_snapshot);
  g_test_add_func ("/sandbox-bc/batch-throttled", test_batch_throttled);
  g_test_add_func ("/sandbox-bc/control", test_control);
  g_test_add_func ("/sandbox-bc/change-etag-fault", test_change_etag_fault);
  g_test_add_func ("/sandbox-bc/state-roundtrip", test_state_roundtrip);
  g_test_add_func ("/sandbox-bc/seed", test_seed);

  return g_test_run ();
}
