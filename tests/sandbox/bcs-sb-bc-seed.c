/* bcs-sb-bc-seed.c — the seeded Business Central: two companies, three users
 * and deterministic contacts from bcs-sb-fake
 *
 * Only the environment "production" holds companies; the sandbox-type
 * environment "test" is listed but empty, as a freshly created one would be.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-bc-private.h"

#define SECOND_COMPANY_CONTACTS 5
#define SECOND_COMPANY_INDEX    1000000

/* Companies and users, without contacts; ids follow options.seed */
void
bcs_sb_bc_seed_defaults (BcsSbBc *bc)
{
  static const struct {
    const char *user_name;
    const char *display_name;
    const char *contact_email;
    const char *auth_email;
  } users[] = {
    { "DEMO", "Demo User", "demo@sandbox.example", "demo@sandbox.example" },
    { "ANNA.KELLER", "Anna Keller", "anna.keller@sandbox.example", "anna.keller@sandbox.example" },
    /* No contact e-mail on the user card: clients must fall back */
    { "JONAS.WEBER", "Jonas Weber", "", "jonas.weber@sandbox.example" },
  };
  static const char * const companies[] = { "CRONUS International Ltd.", "CRONUS Demo Two" };

  for (guint i = 0; i < G_N_ELEMENTS (companies); i++)
    {
      g_autofree char *id = bcs_sb_bc_guid (bc);

      g_ptr_array_add (bc->companies, bcs_sb_bc_company_new (id, companies[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *id = bcs_sb_bc_guid (bc);

      g_ptr_array_add (bc->users, bcs_sb_bc_user_new (id, users[i].user_name, users[i].display_name,
                                                      users[i].contact_email, users[i].auth_email));
    }
}

/* A row being seeded: its text collected in one reused buffer, then copied
 * into the block right after the contact struct (one allocation per row) */
typedef struct {
  GString *text;
  gssize offset[BC_N_FIELDS];   /* -1: empty */
} Row;

static void
row_set_len (Row          *row,
             BcsSbBcField  field,
             const char   *text,
             gsize         length)
{
  if (text == NULL || length == 0)
    {
      row->offset[field] = -1;
      return;
    }
  row->offset[field] = (gssize) row->text->len;
  g_string_append_len (row->text, text, (gssize) length);
  g_string_append_c (row->text, '\0');
}

static const char *
row_get (Row          *row,
         BcsSbBcField  field)
{
  return row->offset[field] < 0 ? "" : row->text->str + row->offset[field];
}

/* TEXT cut to the field's length in characters */
static void
row_set (Row          *row,
         BcsSbBcField  field,
         const char   *text)
{
  guint max = bcs_sb_bc_fields[field].max_length;
  const char *end = text;

  if (text == NULL)
    {
      row->offset[field] = -1;
      return;
    }
  for (guint i = 0; *end && (max == 0 || i < max); i++)
    end = g_utf8_next_char (end);
  row_set_len (row, field, text, end - text);
}

/* Another field's value (the buffer may move: copy by offset) */
static void
row_copy (Row          *row,
          BcsSbBcField  field,
          BcsSbBcField  from)
{
  gssize offset = row->offset[from];

  if (offset < 0)
    {
      row->offset[field] = -1;
      return;
    }
  row->offset[field] = (gssize) row->text->len;
  g_string_append_len (row->text, row->text->str + offset, (gssize) strlen (row->text->str + offset));
  g_string_append_c (row->text, '\0');
}

/* TEXT padded to exactly the field's length: values at the limit */
static void
row_set_at_limit (Row          *row,
                  BcsSbBcField  field,
                  const char   *text)
{
  guint max = bcs_sb_bc_fields[field].max_length;
  g_autoptr(GString) s = g_string_new (text);

  while ((guint) g_utf8_strlen (s->str, -1) < max)
    g_string_append (s, " Ü");
  row_set (row, field, s->str);
}

static BcsSbBcContact *
row_finish (Row *row)
{
  BcsSbBcContact *contact = g_malloc0 (sizeof (BcsSbBcContact) + row->text->len);
  char *block = (char *) (contact + 1);

  memcpy (block, row->text->str, row->text->len);
  contact->inline_size = row->text->len;
  for (guint i = 0; i < BC_N_FIELDS; i++)
    contact->values[i] = row->offset[i] < 0 ? NULL : block + row->offset[i];
  return contact;
}

static const char *
company_relation (GRand *rand)
{
  int r = g_rand_int_range (rand, 0, 100);

  return r < 45 ? "Customer" : r < 65 ? "Vendor" : r < 68 ? "Bank_x0020_Account"
         : r < 73 ? "Multiple" : r < 75 ? "Employee" : "None";
}

static BcsSbBcContact *
seed_contact (BcsSbBc          *bc,
              BcsSbBcCompany   *company,
              GRand            *rand,
              Row              *row,
              gint64            day_ms,
              guint64           seed,
              guint             index,
              BcsSbBcContact   *link)
{
  BcsSbBcContact *contact;
  gboolean is_company = link == NULL;
  g_autoptr(BcsSbFakePerson) fake = is_company ? bcs_sb_fake_company (seed, index)
                                               : bcs_sb_fake_person (seed, index);
  g_autofree char *id = bcs_sb_bc_guid (bc);
  g_autofree char *search = NULL;
  char number[32];

  g_string_truncate (row->text, 0);
  g_snprintf (number, sizeof number, "CT%06u", company->next_number);
  company->next_number += 10;
  row_set (row, BC_F_ID, id);
  row_set (row, BC_F_NUMBER, number);
  row_set (row, BC_F_TYPE, is_company ? "Company" : "Person");

  if (is_company)
    {
      if (g_rand_int_range (rand, 0, 100) == 0)
        row_set_at_limit (row, BC_F_DISPLAY_NAME, fake->company_name);
      else
        row_set (row, BC_F_DISPLAY_NAME, fake->company_name);
    }
  else
    {
      g_autofree char *name = g_strdup_printf ("%s %s", fake->given_name, fake->surname);

      if (g_rand_int_range (rand, 0, 100) == 0)
        row_set_at_limit (row, BC_F_DISPLAY_NAME, name);
      else
        row_set (row, BC_F_DISPLAY_NAME, name);
    }

  row_set (row, BC_F_JOB_TITLE, NULL);
  row_set (row, BC_F_MOBILE, NULL);
  row_set (row, BC_F_TAX_REGISTRATION, NULL);
  row_set (row, BC_F_LAST_INTERACTION, NULL);
  row_set (row, BC_F_LAST_MODIFIED, NULL);
  row_set (row, BC_F_PRIVACY_BLOCKED, NULL);
  if (is_company)
    {
      row_copy (row, BC_F_COMPANY_NUMBER, BC_F_NUMBER);
      row_copy (row, BC_F_COMPANY_NAME, BC_F_DISPLAY_NAME);
      row_set (row, BC_F_BUSINESS_RELATION, company_relation (rand));
      if (g_rand_int_range (rand, 0, 100) < 60)
        {
          char vat[32];

          g_snprintf (vat, sizeof vat, "%s%09u", fake->country ? fake->country : "DE",
                      (guint) g_rand_int_range (rand, 100000000, 999999999));
          row_set (row, BC_F_TAX_REGISTRATION, vat);
        }
    }
  else
    {
      if (g_rand_int_range (rand, 0, 100) < 85)
        {
          row_set (row, BC_F_COMPANY_NUMBER, bcs_sb_bc_contact_get (link, BC_F_NUMBER));
          row_set (row, BC_F_COMPANY_NAME, bcs_sb_bc_contact_get (link, BC_F_DISPLAY_NAME));
          row_set (row, BC_F_BUSINESS_RELATION, bcs_sb_bc_contact_get (link, BC_F_BUSINESS_RELATION));
        }
      else
        {
          row_set (row, BC_F_COMPANY_NUMBER, NULL);
          row_set (row, BC_F_COMPANY_NAME, NULL);
          row_set (row, BC_F_BUSINESS_RELATION, "None");
        }
      if (g_rand_int_range (rand, 0, 50) == 0)
        row_set_at_limit (row, BC_F_JOB_TITLE, fake->job_title);
      else
        row_set (row, BC_F_JOB_TITLE, fake->job_title);
      row_set (row, BC_F_MOBILE, fake->mobile);
    }

  row_set (row, BC_F_ADDRESS_LINE1, fake->address_line1);
  row_set (row, BC_F_ADDRESS_LINE2, fake->address_line2);
  row_set (row, BC_F_CITY, fake->city);
  row_set (row, BC_F_STATE, fake->state);
  row_set (row, BC_F_COUNTRY, fake->country);
  row_set (row, BC_F_POSTAL_CODE, fake->postal_code);
  row_set (row, BC_F_PHONE, fake->phone);
  row_set (row, BC_F_WEBSITE, fake->website);
  /* Companies from bcs-sb-fake always have one; ~8 % of all contacts have none */
  if (!is_company || g_rand_int_range (rand, 0, 100) >= 8)
    row_set (row, BC_F_EMAIL, fake->email);
  else
    row_set (row, BC_F_EMAIL, NULL);

  search = g_utf8_strup (row_get (row, BC_F_DISPLAY_NAME), -1);
  row_set (row, BC_F_SEARCH_NAME, search);
  if (g_rand_int_range (rand, 0, 100) < 30)
    {
      gint64 day = day_ms - (gint64) g_rand_int_range (rand, 1, 365) * 86400 * 1000;
      g_autoptr(GString) date = g_string_new (NULL);

      bcs_sb_bc_append_time (date, day);
      row_set_len (row, BC_F_LAST_INTERACTION, date->str, 10);
    }

  contact = row_finish (row);
  contact->privacy_blocked = g_rand_int_range (rand, 0, 100) < 3;
  /* Spread over the past four weeks, before today */
  contact->modified_ms = day_ms - (gint64) g_rand_int_range (rand, 1, 28 * 24 * 3600) * 1000
                         - g_rand_int_range (rand, 0, 1000);
  contact->row_version = ++bc->row_version;
  bc->last_modified_ms = MAX (bc->last_modified_ms, contact->modified_ms);
  bcs_sb_bc_company_insert (company, contact);
  return contact;
}

static void
seed_company (BcsSbBc        *bc,
              BcsSbBcCompany *company,
              guint           n,
              guint           first_index,
              gint64          day_ms,
              guint           salt)
{
  guint64 seed = bc->sandbox->options.seed;
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (seed ^ (seed >> 32)) ^ salt);
  g_autoptr(GPtrArray) companies = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_sized_new (2048);
  Row row = { text, { 0 } };

  for (guint i = 0; i < n; i++)
    {
      /* Every fifth is a company; the persons after it are linked to one so far */
      if (i % 5 == 0)
        g_ptr_array_add (companies, seed_contact (bc, company, rand, &row, day_ms, seed, first_index + i / 5, NULL));
      else
        {
          BcsSbBcContact *link = g_ptr_array_index (companies, g_rand_int_range (rand, 0, (int) companies->len));

          seed_contact (bc, company, rand, &row, day_ms, seed, first_index + i, link);
        }
    }
}

void
bcs_sb_bc_seed (BcsSbBc *bc,
                guint    n_contacts)
{
  /* Midnight today (UTC): the same seed gives the same data all day */
  gint64 day_ms = g_get_real_time () / G_USEC_PER_SEC / 86400 * 86400 * 1000;

  if (bc->companies->len < 2)
    return;
  seed_company (bc, g_ptr_array_index (bc->companies, 0), n_contacts, 0, day_ms, 0x5eed);
  seed_company (bc, g_ptr_array_index (bc->companies, 1), SECOND_COMPANY_CONTACTS,
                SECOND_COMPANY_INDEX, day_ms, 0x7a0);
}

char **
bcs_sb_bc_sample_emails (BcsSbBc *bc,
                         guint    n)
{
  GPtrArray *emails = g_ptr_array_new ();
  BcsSbBcCompany *company;

  if (bc->companies->len > 0)
    {
      company = g_ptr_array_index (bc->companies, 0);
      for (guint i = 0; i < company->contacts->len && emails->len < n; i++)
        {
          BcsSbBcContact *contact = g_ptr_array_index (company->contacts, i);

          if (g_strcmp0 (bcs_sb_bc_contact_get (contact, BC_F_TYPE), "Person") == 0
              && contact->values[BC_F_EMAIL] != NULL)
            g_ptr_array_add (emails, g_strdup (contact->values[BC_F_EMAIL]));
        }
    }
  g_ptr_array_add (emails, NULL);
  return (char **) g_ptr_array_free (emails, FALSE);
}
