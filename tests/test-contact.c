/* test-contact.c — the contact model: normal form, hash, changes, merge,
 * eligibility and length limits */
#include "config.h"

#include <string.h>

#include "bcs-contact.h"
#include "bcs-contact-check.h"
#include "bcs-error.h"
#include "bcs-normalize.h"

static BcsContact *
make_person (const char *name,
             const char *email)
{
  BcsContact *contact = bcs_contact_new ();

  contact->type = BCS_CONTACT_TYPE_PERSON;
  bcs_contact_set_value (&contact->bc_id, "5d115c9c-44e3-ea11-bb43-000d3a2feca1");
  bcs_contact_set_value (&contact->bc_number, "CT000010");
  bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, name);
  bcs_contact_set_field (contact, BCS_FIELD_EMAIL, email);
  bcs_contact_set_field (contact, BCS_FIELD_PHONE, "+49 30 1234567");
  bcs_contact_set_field (contact, BCS_FIELD_CITY, "Berlin");
  bcs_contact_set_field (contact, BCS_FIELD_COUNTRY, "DE");

  return contact;
}

static void
test_normalize_whitespace (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "Anna", "Anna" },
    { "  Anna  ", "Anna" },
    { "\t\nAnna Berg\r\n", "Anna Berg" },
    { "Anna  Berg", "Anna  Berg" },                 /* inner spaces kept */
    { "\u00a0Anna\u2003", "Anna" },                /* Unicode spaces */
    { "", NULL },
    { "   ", NULL },
    { "\n\t", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = bcs_normalize_value (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_normalize_nfc (void)
{
  /* "Müller" and "Ångström" typed precomposed and decomposed */
  g_autofree char *nfc = bcs_normalize_value ("M\u00fcller \u00c5ngstr\u00f6m");
  g_autofree char *nfd = bcs_normalize_value ("Mu\u0308ller A\u030angstro\u0308m");

  g_assert_cmpstr (nfc, ==, "M\u00fcller \u00c5ngstr\u00f6m");
  g_assert_cmpstr (nfd, ==, nfc);
  g_assert_cmpuint (bcs_normalize_char_length (nfd), ==, 15);
  g_assert_true (bcs_normalize_equal (nfc, nfd));
}

static void
test_normalize_invalid_utf8 (void)
{
  static const char *inputs[] = {
    "Ber\xffg",
    "\xc3",             /* truncated sequence */
    "\xed\xa0\x80x",    /* a surrogate */
    "ok\xc0\xafok",     /* over-long encoding */
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *out = bcs_normalize_value (inputs[i]);
      g_autofree char *key = bcs_normalize_email_key (inputs[i]);

      g_assert_nonnull (out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
      g_assert_nonnull (strstr (out, "\ufffd"));
      g_assert_true (g_utf8_validate (key, -1, NULL));
    }
}

static void
test_normalize_email_key (void)
{
  static const struct { const char *in; const char *key; } cases[] = {
    { "Anna.Berg@Contoso.COM", "anna.berg@contoso.com" },
    { "  anna.berg@contoso.com\n", "anna.berg@contoso.com" },
    { "J\u00dcRGEN@m\u00fcller.de", "j\u00fcrgen@m\u00fcller.de" },
    { "Ju\u0308rgen@example.de", "j\u00fcrgen@example.de" },  /* NFD in */
    { "STRASSE@example.de", "strasse@example.de" },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = bcs_normalize_email_key (cases[i].in);

      g_assert_cmpstr (key, ==, cases[i].key);
    }
}

static void
test_normalize_lookup_key (void)
{
  g_autofree char *a = bcs_normalize_lookup_key ("  \u00d6sterreich ");
  g_autofree char *b = bcs_normalize_lookup_key ("OSTERREICH");
  g_autofree char *c = bcs_normalize_lookup_key ("Royaume-Uni");
  g_autofree char *d = bcs_normalize_lookup_key ("royaume-uni");
  g_autofree char *e = bcs_normalize_lookup_key ("United   Kingdom");

  g_assert_cmpstr (a, ==, "osterreich");
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (c, ==, d);
  g_assert_cmpstr (e, ==, "united kingdom");
}

static void
test_contact_set_field_normalizes (void)
{
  g_autoptr(BcsContact) contact = bcs_contact_new ();

  bcs_contact_set_field (contact, BCS_FIELD_CITY, "  Mu\u0308nchen ");
  g_assert_cmpstr (contact->city, ==, "M\u00fcnchen");
  g_assert_cmpstr (bcs_contact_get_field (contact, BCS_FIELD_CITY), ==, "M\u00fcnchen");

  bcs_contact_set_field (contact, BCS_FIELD_CITY, "   ");
  g_assert_null (contact->city);
}

static void
test_contact_field_names (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    {
      const char *name = bcs_contact_field_to_string (i);

      g_assert_nonnull (name);
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
      g_assert_cmpint (bcs_contact_field_from_string (name), ==, i);
      g_assert_cmpuint (bcs_contact_field_max_length (i), >, 0);
      g_assert_nonnull (bcs_contact_field_get_label (i));
    }

  g_assert_cmpstr (bcs_contact_field_to_string (BCS_FIELD_EMAIL), ==, "email");
  g_assert_cmpstr (bcs_contact_field_to_string (BCS_FIELD_DISPLAY_NAME), ==, "display_name");
  g_assert_cmpstr (bcs_contact_field_to_string (BCS_FIELD_CITY), ==, "city");
  g_assert_cmpint (bcs_contact_field_from_string ("nope"), ==, -1);
  g_assert_cmpint (bcs_contact_field_from_string (NULL), ==, -1);
}

static void
test_contact_copy (void)
{
  g_autoptr(BcsContact) a = make_person ("Anna Berg", "anna@contoso.com");
  g_autoptr(BcsContact) b = NULL;

  bcs_contact_set_value (&a->etag, "W/\"JzE5Oyc=\"");
  bcs_contact_set_value (&a->outlook_id, "AAMkAD");
  a->privacy_blocked = TRUE;
  b = g_boxed_copy (BCS_TYPE_CONTACT, a);

  g_assert_true (bcs_contact_equal (a, b));
  g_assert_cmpstr (b->bc_id, ==, a->bc_id);
  g_assert_cmpstr (b->etag, ==, a->etag);
  g_assert_cmpstr (b->outlook_id, ==, a->outlook_id);
  g_assert_true (b->privacy_blocked);
  g_assert_true (b->email != a->email);
}

static void
test_contact_type_strings (void)
{
  g_assert_cmpint (bcs_contact_type_from_string ("Person"), ==, BCS_CONTACT_TYPE_PERSON);
  g_assert_cmpint (bcs_contact_type_from_string (" company "), ==, BCS_CONTACT_TYPE_COMPANY);
  g_assert_cmpint (bcs_contact_type_from_string ("Robot"), ==, BCS_CONTACT_TYPE_UNKNOWN);
  g_assert_cmpint (bcs_contact_type_from_string (NULL), ==, BCS_CONTACT_TYPE_UNKNOWN);
  g_assert_cmpstr (bcs_contact_type_to_string (BCS_CONTACT_TYPE_PERSON), ==, "Person");
  g_assert_cmpstr (bcs_contact_type_to_string (BCS_CONTACT_TYPE_COMPANY), ==, "Company");
  g_assert_null (bcs_contact_type_to_string (BCS_CONTACT_TYPE_UNKNOWN));
}

static void
test_contact_hash_stable (void)
{
  g_autoptr(BcsContact) a = make_person ("Jürgen Müller", "j@example.de");
  g_autoptr(BcsContact) b = make_person ("Ju\u0308rgen Mu\u0308ller  ", " j@example.de");
  g_autofree char *ha = bcs_contact_hash (a);
  g_autofree char *hb = bcs_contact_hash (b);
  g_autofree char *ha2 = bcs_contact_hash (a);

  g_assert_cmpuint (strlen (ha), ==, 64);
  for (const char *p = ha; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  g_assert_cmpstr (ha, ==, ha2);
  g_assert_cmpstr (ha, ==, hb);

  /* ids, stamps, type and privacy are not part of it */
  bcs_contact_set_value (&b->bc_id, "other");
  bcs_contact_set_value (&b->change_key, "ck");
  b->type = BCS_CONTACT_TYPE_COMPANY;
  g_clear_pointer (&hb, g_free);
  hb = bcs_contact_hash (b);
  g_assert_cmpstr (ha, ==, hb);
}

static void
test_contact_hash_sensitive (void)
{
  g_autoptr(BcsContact) base = make_person ("Anna Berg", "anna@contoso.com");
  g_autofree char *h0 = bcs_contact_hash (base);
  g_autoptr(GHashTable) hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_add (hashes, g_strdup (h0));
  for (guint i = 0; i < BCS_N_FIELDS; i++)
    {
      g_autoptr(BcsContact) changed = bcs_contact_copy (base);
      g_autofree char *h = NULL;

      bcs_contact_set_field (changed, i, "x");
      h = bcs_contact_hash (changed);
      g_assert_cmpstr (h, !=, h0);
      /* a different field with the same value gives a different hash */
      g_assert_false (g_hash_table_contains (hashes, h));
      g_hash_table_add (hashes, g_steal_pointer (&h));
    }

  /* a case change in the e-mail is a change (the key folds, the value not) */
  {
    g_autoptr(BcsContact) upper = bcs_contact_copy (base);
    g_autofree char *h = NULL;

    bcs_contact_set_field (upper, BCS_FIELD_EMAIL, "Anna@Contoso.com");
    h = bcs_contact_hash (upper);
    g_assert_cmpstr (h, !=, h0);
  }

  /* moving a value between fields changes the hash */
  {
    g_autoptr(BcsContact) a = bcs_contact_new ();
    g_autoptr(BcsContact) b = bcs_contact_new ();
    g_autofree char *hash_a = NULL;
    g_autofree char *hash_b = NULL;

    bcs_contact_set_field (a, BCS_FIELD_ADDRESS_LINE1, "Main St 1");
    bcs_contact_set_field (b, BCS_FIELD_ADDRESS_LINE2, "Main St 1");
    hash_a = bcs_contact_hash (a);
    hash_b = bcs_contact_hash (b);
    g_assert_cmpstr (hash_a, !=, hash_b);
  }
}

static void
test_contact_changed_fields (void)
{
  g_autoptr(BcsContact) a = make_person ("Anna Berg", "anna@contoso.com");
  g_autoptr(BcsContact) b = bcs_contact_copy (a);
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) all = NULL;

  g_assert_cmpuint (bcs_contact_changed_fields (a, b), ==, 0);
  g_assert_true (bcs_contact_equal (a, b));

  bcs_contact_set_field (b, BCS_FIELD_CITY, "Hamburg");
  bcs_contact_set_field (b, BCS_FIELD_EMAIL, "anna.berg@contoso.com");
  bcs_contact_set_field (b, BCS_FIELD_PHONE, NULL);
  bcs_contact_set_field (b, BCS_FIELD_WEBSITE, "");  /* unset → unset: no change */
  g_assert_cmpuint (bcs_contact_changed_fields (a, b), ==,
                    BCS_FIELD_MASK (BCS_FIELD_CITY) | BCS_FIELD_MASK (BCS_FIELD_EMAIL) |
                    BCS_FIELD_MASK (BCS_FIELD_PHONE));
  g_assert_false (bcs_contact_equal (a, b));
  g_assert_false (bcs_contact_field_equal (a, b, BCS_FIELD_CITY));
  g_assert_true (bcs_contact_field_equal (a, b, BCS_FIELD_COUNTRY));

  names = bcs_field_mask_to_strv (bcs_contact_changed_fields (a, b));
  g_assert_cmpstrv (names, ((const char *[]) { "email", "phone", "city", NULL }));

  /* NULL stands for an empty contact: every set field differs */
  g_assert_cmpuint (bcs_contact_changed_fields (NULL, a), ==,
                    BCS_FIELD_MASK (BCS_FIELD_DISPLAY_NAME) | BCS_FIELD_MASK (BCS_FIELD_EMAIL) |
                    BCS_FIELD_MASK (BCS_FIELD_PHONE) | BCS_FIELD_MASK (BCS_FIELD_CITY) |
                    BCS_FIELD_MASK (BCS_FIELD_COUNTRY));

  all = bcs_field_mask_to_strv (BCS_FIELD_MASK_ALL);
  g_assert_cmpuint (g_strv_length (all), ==, BCS_N_FIELDS);
}

static void
test_contact_copy_fields (void)
{
  g_autoptr(BcsContact) a = make_person ("Anna Berg", "anna@contoso.com");
  g_autoptr(BcsContact) b = make_person ("Bob Stone", "bob@contoso.com");

  bcs_contact_copy_fields (a, b, BCS_FIELD_MASK (BCS_FIELD_EMAIL));
  g_assert_cmpstr (a->email, ==, "bob@contoso.com");
  g_assert_cmpstr (a->display_name, ==, "Anna Berg");
}

/* One row per situation of a field in the two-way merge */
static void
test_contact_merge_rules (void)
{
  static const struct {
    const char *base;
    const char *bc;
    const char *outlook;
    const char *result;
    gboolean    to_bc;
    gboolean    to_outlook;
  } rows[] = {
    /* unchanged everywhere */
    { "Berlin", "Berlin", "Berlin", "Berlin", FALSE, FALSE },
    /* changed only in Outlook → goes to BC */
    { "Berlin", "Berlin", "Hamburg", "Hamburg", TRUE, FALSE },
    /* cleared only in Outlook → the clearing goes to BC */
    { "Berlin", "Berlin", NULL, NULL, TRUE, FALSE },
    /* set only in Outlook */
    { NULL, NULL, "Hamburg", "Hamburg", TRUE, FALSE },
    /* changed only in BC → goes to Outlook */
    { "Berlin", "Köln", "Berlin", "Köln", FALSE, TRUE },
    /* changed on both sides, differently → BC wins */
    { "Berlin", "Köln", "Hamburg", "Köln", FALSE, TRUE },
    /* changed on both sides to the same value → nothing to send */
    { "Berlin", "Köln", "Köln", "Köln", FALSE, FALSE },
    /* cleared in BC, changed in Outlook → BC wins */
    { "Berlin", NULL, "Hamburg", NULL, FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(BcsContact) base = make_person ("Anna Berg", "anna@contoso.com");
      g_autoptr(BcsContact) bc = bcs_contact_copy (base);
      g_autoptr(BcsContact) outlook = bcs_contact_copy (base);
      g_autoptr(BcsContact) result = NULL;
      BcsFieldMask to_bc = 0xffff, to_outlook = 0xffff;

      bcs_contact_set_field (base, BCS_FIELD_CITY, rows[i].base);
      bcs_contact_set_field (bc, BCS_FIELD_CITY, rows[i].bc);
      bcs_contact_set_field (outlook, BCS_FIELD_CITY, rows[i].outlook);
      bcs_contact_set_value (&outlook->outlook_id, "AAMk-1");
      bcs_contact_set_value (&outlook->change_key, "ck-1");

      result = bcs_contact_merge (base, bc, outlook, &to_bc, &to_outlook);
      g_test_message ("row %u", i);
      g_assert_cmpstr (result->city, ==, rows[i].result);
      g_assert_cmpuint (to_bc, ==, rows[i].to_bc ? BCS_FIELD_MASK (BCS_FIELD_CITY) : 0);
      g_assert_cmpuint (to_outlook, ==, rows[i].to_outlook ? BCS_FIELD_MASK (BCS_FIELD_CITY) : 0);
      g_assert_cmpstr (result->bc_id, ==, bc->bc_id);
      g_assert_cmpstr (result->outlook_id, ==, "AAMk-1");
      g_assert_cmpstr (result->change_key, ==, "ck-1");
    }
}

static void
test_contact_merge_several_fields (void)
{
  g_autoptr(BcsContact) base = make_person ("Anna Berg", "anna@contoso.com");
  g_autoptr(BcsContact) bc = bcs_contact_copy (base);
  g_autoptr(BcsContact) outlook = bcs_contact_copy (base);
  g_autoptr(BcsContact) result = NULL;
  BcsFieldMask to_bc, to_outlook;

  bcs_contact_set_field (bc, BCS_FIELD_PHONE, "+49 30 999");         /* BC only */
  bcs_contact_set_field (outlook, BCS_FIELD_JOB_TITLE, "Buyer");     /* Outlook only */
  bcs_contact_set_field (bc, BCS_FIELD_EMAIL, "anna@bc.example");   /* both: BC wins */
  bcs_contact_set_field (outlook, BCS_FIELD_EMAIL, "anna@ol.example");

  result = bcs_contact_merge (base, bc, outlook, &to_bc, &to_outlook);
  g_assert_cmpstr (result->phone, ==, "+49 30 999");
  g_assert_cmpstr (result->job_title, ==, "Buyer");
  g_assert_cmpstr (result->email, ==, "anna@bc.example");
  g_assert_cmpuint (to_bc, ==, BCS_FIELD_MASK (BCS_FIELD_JOB_TITLE));
  g_assert_cmpuint (to_outlook, ==, BCS_FIELD_MASK (BCS_FIELD_PHONE) | BCS_FIELD_MASK (BCS_FIELD_EMAIL));
  /* applying both masks makes the sides equal to the result */
  bcs_contact_copy_fields (bc, result, to_bc);
  bcs_contact_copy_fields (outlook, result, to_outlook);
  g_assert_true (bcs_contact_equal (bc, result));
  g_assert_true (bcs_contact_equal (outlook, result));
}

static void
test_contact_merge_without_base (void)
{
  g_autoptr(BcsContact) bc = make_person ("Anna Berg", "anna@contoso.com");
  g_autoptr(BcsContact) outlook = bcs_contact_copy (bc);
  g_autoptr(BcsContact) result = NULL;
  BcsFieldMask to_bc, to_outlook;

  bcs_contact_set_field (outlook, BCS_FIELD_CITY, "Hamburg");
  bcs_contact_set_field (outlook, BCS_FIELD_JOB_TITLE, "Buyer");
  result = bcs_contact_merge (NULL, bc, outlook, &to_bc, &to_outlook);

  /* never synced: Business Central is the source for every difference */
  g_assert_true (bcs_contact_equal (result, bc));
  g_assert_cmpuint (to_bc, ==, 0);
  g_assert_cmpuint (to_outlook, ==, BCS_FIELD_MASK (BCS_FIELD_CITY) | BCS_FIELD_MASK (BCS_FIELD_JOB_TITLE));
}

static void
test_eligibility_to_outlook (void)
{
  static const struct {
    BcsContactType type;
    const char    *name;
    const char    *email;
    gboolean       blocked;
    BcsSkipReason  reason;
    const char    *code;
    const char    *message;
  } rows[] = {
    { BCS_CONTACT_TYPE_PERSON, "Anna Berg", "anna@contoso.com", FALSE, BCS_SKIP_NONE, NULL, NULL },
    { BCS_CONTACT_TYPE_COMPANY, "Contoso", "info@contoso.com", FALSE,
      BCS_SKIP_NOT_A_PERSON, "not-a-person", "Not a person (type Company)" },
    { BCS_CONTACT_TYPE_UNKNOWN, "Anna Berg", "anna@contoso.com", FALSE,
      BCS_SKIP_NOT_A_PERSON, "not-a-person", "Not a person (type unknown)" },
    { BCS_CONTACT_TYPE_PERSON, NULL, "anna@contoso.com", FALSE,
      BCS_SKIP_NO_NAME, "no-name", "No name" },
    { BCS_CONTACT_TYPE_PERSON, "   ", "anna@contoso.com", FALSE,
      BCS_SKIP_NO_NAME, "no-name", "No name" },
    { BCS_CONTACT_TYPE_PERSON, "Anna Berg", NULL, FALSE,
      BCS_SKIP_NO_EMAIL, "no-email", "No e-mail address" },
    { BCS_CONTACT_TYPE_PERSON, "Anna Berg", "anna@contoso.com", TRUE,
      BCS_SKIP_PRIVACY_BLOCKED, "privacy-blocked", "Privacy blocked in Business Central" },
    /* the first failing rule is reported */
    { BCS_CONTACT_TYPE_COMPANY, NULL, NULL, TRUE,
      BCS_SKIP_NOT_A_PERSON, "not-a-person", "Not a person (type Company)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(BcsContact) contact = bcs_contact_new ();
      g_autofree char *message = NULL;

      contact->type = rows[i].type;
      contact->privacy_blocked = rows[i].blocked;
      bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, rows[i].name);
      bcs_contact_set_field (contact, BCS_FIELD_EMAIL, rows[i].email);

      g_assert_cmpint (bcs_contact_check_to_outlook (contact, &message), ==, rows[i].reason);
      g_assert_cmpstr (bcs_skip_reason_to_string (rows[i].reason), ==, rows[i].code);
      g_assert_cmpstr (message, ==, rows[i].message);
      g_assert_cmpint (bcs_contact_check_to_outlook (contact, NULL), ==, rows[i].reason);
    }
}

static void
test_eligibility_from_outlook (void)
{
  g_autofree char *long_name = g_strnfill (101, 'n');
  g_autofree char *max_name = g_strnfill (100, 'n');
  g_autofree char *long_local = g_strnfill (81 - strlen ("@x.de"), 'e');
  g_autofree char *long_email = g_strconcat (long_local, "@x.de", NULL);
  static const BcsSkipReason none = BCS_SKIP_NONE;
  const struct {
    const char    *name;
    const char    *email;
    BcsSkipReason  reason;
    const char    *code;
  } rows[] = {
    { "Anna Berg", "anna@contoso.com", none, NULL },
    { NULL, "anna@contoso.com", BCS_SKIP_NO_NAME, "no-name" },
    { "Anna Berg", NULL, BCS_SKIP_NO_EMAIL, "no-email" },
    { long_name, "anna@contoso.com", BCS_SKIP_NAME_TOO_LONG, "name-too-long" },
    { max_name, "anna@contoso.com", none, NULL },
    { "Anna Berg", long_email, BCS_SKIP_EMAIL_TOO_LONG, "email-too-long" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(BcsContact) contact = bcs_contact_new ();
      g_autofree char *message = NULL;

      /* Outlook contacts are persons; type and privacy do not apply */
      contact->type = BCS_CONTACT_TYPE_COMPANY;
      contact->privacy_blocked = TRUE;
      bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, rows[i].name);
      bcs_contact_set_field (contact, BCS_FIELD_EMAIL, rows[i].email);

      g_assert_cmpint (bcs_contact_check_from_outlook (contact, &message), ==, rows[i].reason);
      g_assert_cmpstr (bcs_skip_reason_to_string (rows[i].reason), ==, rows[i].code);
      g_assert_true ((message != NULL) == (rows[i].reason != BCS_SKIP_NONE));
    }
}

static void
test_eligibility_huge_name (void)
{
  g_autoptr(BcsContact) contact = bcs_contact_new ();
  g_autofree char *name = g_strnfill (10000, 'a');
  g_autofree char *message = NULL;

  bcs_contact_set_field (contact, BCS_FIELD_DISPLAY_NAME, name);
  bcs_contact_set_field (contact, BCS_FIELD_EMAIL, "anna@contoso.com");

  g_assert_cmpint (bcs_contact_check_from_outlook (contact, &message), ==, BCS_SKIP_NAME_TOO_LONG);
  g_assert_cmpstr (message, ==, "The Name has 10000 characters; Business Central allows at most 100.");
}

/* Every field: at its limit it is kept, one character over it is reported */
static void
test_length_limits (void)
{
  static const guint limits[BCS_N_FIELDS] = {
    [BCS_FIELD_DISPLAY_NAME] = 100, [BCS_FIELD_EMAIL] = 80, [BCS_FIELD_PHONE] = 30,
    [BCS_FIELD_MOBILE] = 30, [BCS_FIELD_COMPANY_NAME] = 100, [BCS_FIELD_JOB_TITLE] = 30,
    [BCS_FIELD_ADDRESS_LINE1] = 100, [BCS_FIELD_ADDRESS_LINE2] = 50, [BCS_FIELD_CITY] = 30,
    [BCS_FIELD_STATE] = 30, [BCS_FIELD_POSTAL_CODE] = 20, [BCS_FIELD_COUNTRY] = 10,
    [BCS_FIELD_WEBSITE] = 80,
  };

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    {
      g_autoptr(BcsContact) contact = make_person ("Anna Berg", "anna@contoso.com");
      g_autoptr(GPtrArray) issues = bcs_field_issues_new ();
      g_autoptr(GString) value = g_string_new (NULL);
      const BcsFieldIssue *issue;

      g_assert_cmpuint (bcs_contact_field_max_length (i), ==, limits[i]);

      /* "ä" is two bytes: the limit counts characters */
      for (guint n = 0; n < limits[i]; n++)
        g_string_append (value, "\u00e4");
      bcs_contact_set_field (contact, i, value->str);
      g_assert_cmpuint (bcs_contact_check_lengths (contact, BCS_FIELD_MASK_ALL, issues), ==, 0);
      g_assert_cmpuint (issues->len, ==, 0);

      g_string_append (value, "x");
      bcs_contact_set_field (contact, i, value->str);
      g_assert_cmpuint (bcs_contact_check_lengths (contact, BCS_FIELD_MASK_ALL, issues), ==,
                        BCS_FIELD_MASK (i));
      g_assert_cmpuint (issues->len, ==, 1);
      issue = g_ptr_array_index (issues, 0);
      g_assert_cmpint (issue->field, ==, i);
      g_assert_cmpint (issue->kind, ==, BCS_FIELD_ISSUE_TOO_LONG);
      g_assert_cmpstr (bcs_field_issue_kind_to_string (issue->kind), ==, "too-long");
      g_assert_true (issue->skips_contact == (i == BCS_FIELD_DISPLAY_NAME || i == BCS_FIELD_EMAIL));
      g_assert_nonnull (strstr (issue->message, "Business Central allows at most"));
      if (!issue->skips_contact)
        g_assert_nonnull (strstr (issue->message, "left out"));
      g_assert_true ((bcs_field_issues_find_skip (issues) != NULL) == issue->skips_contact);

      /* a field outside the mask is not checked */
      g_assert_cmpuint (bcs_contact_check_lengths (contact, BCS_FIELD_MASK_ALL & ~BCS_FIELD_MASK (i), NULL), ==, 0);
    }
}

static void
test_contact_serialize (void)
{
  g_autoptr(BcsContact) contact = make_person ("Zoë \"Z\" Nørgaard", "zoe@example.dk");
  g_autoptr(BcsContact) back = NULL;
  g_autoptr(BcsContact) empty = bcs_contact_new ();
  g_autoptr(BcsContact) empty_back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *empty_text = NULL;

  bcs_contact_set_value (&contact->outlook_id, "AAMkAGI2");
  bcs_contact_set_value (&contact->etag, "W/\"JzE5Oyc=\"");
  bcs_contact_set_value (&contact->change_key, "EQAAAB");
  bcs_contact_set_value (&contact->last_modified, "2026-11-24T10:00:00Z");
  bcs_contact_set_value (&contact->company_number, "CT000001");
  bcs_contact_set_value (&contact->given_name, "Zoë");
  bcs_contact_set_value (&contact->surname, "Nørgaard");
  bcs_contact_set_field (contact, BCS_FIELD_ADDRESS_LINE2, "c/o 'Ærø'\\x");
  contact->privacy_blocked = TRUE;

  text = bcs_contact_serialize (contact);
  back = bcs_contact_deserialize (text, &error);
  g_assert_no_error (error);
  g_assert_true (bcs_contact_equal (contact, back));
  g_assert_cmpstr (back->bc_id, ==, contact->bc_id);
  g_assert_cmpstr (back->bc_number, ==, contact->bc_number);
  g_assert_cmpstr (back->outlook_id, ==, contact->outlook_id);
  g_assert_cmpstr (back->etag, ==, contact->etag);
  g_assert_cmpstr (back->change_key, ==, contact->change_key);
  g_assert_cmpstr (back->last_modified, ==, contact->last_modified);
  g_assert_cmpstr (back->company_number, ==, contact->company_number);
  g_assert_cmpstr (back->given_name, ==, contact->given_name);
  g_assert_cmpstr (back->surname, ==, contact->surname);
  g_assert_cmpint (back->type, ==, BCS_CONTACT_TYPE_PERSON);
  g_assert_true (back->privacy_blocked);

  empty_text = bcs_contact_serialize (empty);
  g_assert_cmpstr (empty_text, ==, "{}");
  empty_back = bcs_contact_deserialize ("{\"future_field\": 1, \"city\": 5}", &error);
  g_assert_no_error (error);
  g_assert_true (bcs_contact_equal (empty_back, empty));
  g_assert_false (empty_back->privacy_blocked);

  for (guint i = 0; i < 3; i++)
    {
      const char *bad[] = { "[]", "not json", "" };
      g_autoptr(BcsContact) none = bcs_contact_deserialize (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contact/normalize/whitespace", test_normalize_whitespace);
  g_test_add_func ("/contact/normalize/nfc", test_normalize_nfc);
  g_test_add_func ("/contact/normalize/invalid-utf8", test_normalize_invalid_utf8);
  g_test_add_func ("/contact/normalize/email-key", test_normalize_email_key);
  g_test_add_func ("/contact/normalize/lookup-key", test_normalize_lookup_key);
  g_test_add_func ("/contact/set-field-normalizes", test_contact_set_field_normalizes);
  g_test_add_func ("/contact/field-names", test_contact_field_names);
  g_test_add_func ("/contact/copy", test_contact_copy);
  g_test_add_func ("/contact/type-strings", test_contact_type_strings);
  g_test_add_func ("/contact/hash/stable", test_contact_hash_stable);
  g_test_add_func ("/contact/hash/sensitive", test_contact_hash_sensitive);
  g_test_add_func ("/contact/changed-fields", test_contact_changed_fields);
  g_test_add_func ("/contact/copy-fields", test_contact_copy_fields);
  g_test_add_func ("/contact/serialize", test_contact_serialize);
  g_test_add_func ("/contact/merge/rules", test_contact_merge_rules);
  g_test_add_func ("/contact/merge/several-fields", test_contact_merge_several_fields);
  g_test_add_func ("/contact/merge/without-base", test_contact_merge_without_base);
  g_test_add_func ("/contact/eligibility/to-outlook", test_eligibility_to_outlook);
  g_test_add_func ("/contact/eligibility/from-outlook", test_eligibility_from_outlook);
  g_test_add_func ("/contact/eligibility/huge-name", test_eligibility_huge_name);
  g_test_add_func ("/contact/length-limits", test_length_limits);

  return g_test_run ();
}
