/* bcs-sb-fake.c — deterministic fake people, companies and addresses
 *
 * The INDEX-th person of SEED comes from a splitmix64 stream started at a hash
 * of (seed, index), not from a shared generator: it does not depend on how
 * many others were made before it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sandbox-private.h"

typedef struct {
  guint64 state;
} Stream;

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static Stream
stream_new (guint64 seed,
            guint   index,
            guint64 salt)
{
  guint64 mixed = seed ^ salt;
  Stream stream;

  stream.state = splitmix64 (&mixed) ^ ((guint64) index * G_GUINT64_CONSTANT (0xd6e8feb86659fd93));
  splitmix64 (&stream.state);
  return stream;
}

static guint
pick (Stream *stream,
      guint   n)
{
  return (guint) (splitmix64 (&stream->state) % n);
}

#define PICK(stream, array) ((array)[pick ((stream), G_N_ELEMENTS (array))])

/* ---- per country ---- */

typedef struct {
  const char *city;
  const char *postal_code;
  const char *state;
} Place;

typedef struct {
  const char *code;
  const char *given[12];
  const char *surnames[10];
  const char *streets[6];
  Place places[5];
  const char *legal_forms[3];
  const char *phone_format;   /* '#' becomes a digit */
  const char *mobile_format;
  gboolean number_first;      /* "12 rue …" rather than "Hauptstraße 12" */
} Country;

static const Country countries[] = {
  { "DE",
    { "Jürgen", "Anna", "Lukas", "Sophie", "Maximilian", "Lea", "Jörg", "Käthe", "Felix", "Marie", "Björn", "Hannah" },
    { "Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Becker", "Größer", "Hoffmann", "Schäfer", "Koch" },
    { "Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schloßallee", "Lindenstraße", "Am Mühlbach" },
    { { "Berlin", "10115", NULL }, { "München", "80331", NULL }, { "Köln", "50667", NULL },
      { "Hamburg", "20095", NULL }, { "Düsseldorf", "40213", NULL } },
    { "GmbH", "AG", "GmbH & Co. KG" }, "+49 30 #######", "+49 17# #######", FALSE },
  { "GB",
    { "Oliver", "Amelia", "George", "Isla", "Harry", "Emily", "Siobhán", "Jack", "Chloë", "Noah", "Freya", "Rhys" },
    { "Smith", "Jones", "Taylor", "Brown", "Williams", "O'Brien", "Davies", "Evans", "Thomas", "Wilson" },
    { "High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Park Avenue" },
    { { "London", "EC1A 1BB", NULL }, { "Manchester", "M1 1AE", NULL }, { "Edinburgh", "EH1 1YZ", NULL },
      { "Bristol", "BS1 4DJ", NULL }, { "Leeds", "LS1 4AP", NULL } },
    { "Ltd", "PLC", "LLP" }, "+44 20 #### ####", "+44 7### ######", TRUE },
  { "US",
    { "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "José", "Linda", "David", "Zoë", "Daniel", "Ava" },
    { "Johnson", "Williams", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Anderson", "Lee", "Nguyen" },
    { "Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Washington Boulevard", "Sunset Road" },
    { { "New York", "10001", "NY" }, { "San Francisco", "94105", "CA" }, { "Chicago", "60601", "IL" },
      { "Austin", "73301", "TX" }, { "Seattle", "98101", "WA" } },
    { "Inc.", "LLC", "Corp." }, "+1 (###) 555-####", "+1 (###) 555-####", TRUE },
  { "FR",
    { "Léa", "Hugo", "Chloé", "Louis", "Inès", "Gabriel", "Anaïs", "Raphaël", "Manon", "Jules", "Zoé", "Théo" },
    { "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux", "Fournier", "Bonnet" },
    { "rue de la Paix", "avenue des Champs-Élysées", "boulevard Saint-Germain", "rue du Faubourg", "place Bellecour", "quai des Brotteaux" },
    { { "Paris", "75002", NULL }, { "Lyon", "69002", NULL }, { "Marseille", "13001", NULL },
      { "Toulouse", "31000", NULL }, { "Nantes", "44000", NULL } },
    { "SARL", "SA", "SAS" }, "+33 1 ## ## ## ##", "+33 6 ## ## ## ##", TRUE },
  { "DK",
    { "Søren", "Mette", "Rasmus", "Freja", "Mads", "Ida", "Bjørn", "Astrid", "Jens", "Signe", "Åse", "Emil" },
    { "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Sørensen", "Larsen", "Møller", "Mikkelsen" },
    { "Østergade", "Strøget", "Nørrebrogade", "Vesterbrogade", "Havnegade", "Åboulevard" },
    { { "København", "1050", NULL }, { "Aarhus", "8000", NULL }, { "Odense", "5000", NULL },
      { "Ærøskøbing", "5970", NULL }, { "Aalborg", "9000", NULL } },
    { "ApS", "A/S", "I/S" }, "+45 ## ## ## ##", "+45 ## ## ## ##", FALSE },
  { "PL",
    { "Łukasz", "Agnieszka", "Paweł", "Małgorzata", "Krzysztof", "Zofia", "Michał", "Joanna", "Tomasz", "Katarzyna", "Wojciech", "Żaneta" },
    { "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Dąbrowski" },
    { "ulica Marszałkowska", "aleja Jerozolimska", "ulica Długa", "ulica Świętojańska", "ulica Piotrkowska", "plac Zbawiciela" },
    { { "Warszawa", "00-001", NULL }, { "Kraków", "30-001", NULL }, { "Łódź", "90-001", NULL },
      { "Gdańsk", "80-001", NULL }, { "Wrocław", "50-001", NULL } },
    { "Sp. z o.o.", "S.A.", "Sp. j." }, "+48 22 ### ## ##", "+48 5## ### ###", FALSE },
  { "ES",
    { "José", "María", "Alejandro", "Lucía", "Íñigo", "Sofía", "Martín", "Paula", "Hugo", "Nuria", "Begoña", "Álvaro" },
    { "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Muñoz", "Ibáñez" },
    { "Calle Mayor", "Gran Vía", "Paseo de la Castellana", "Calle de Alcalá", "Avenida Diagonal", "Calle Larios" },
    { { "Madrid", "28013", NULL }, { "Barcelona", "08001", NULL }, { "Sevilla", "41001", NULL },
      { "Valencia", "46001", NULL }, { "Bilbao", "48001", NULL } },
    { "S.L.", "S.A.", "S.L.U." }, "+34 91# ### ###", "+34 6## ### ###", FALSE },
  { "NL",
    { "Daan", "Emma", "Sem", "Tess", "Lucas", "Julia", "Bram", "Fenna", "Thijs", "Anouk", "Joël", "Saar" },
    { "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer" },
    { "Kalverstraat", "Damrak", "Prinsengracht", "Coolsingel", "Oudegracht", "Grote Markt" },
    { { "Amsterdam", "1012 AB", NULL }, { "Rotterdam", "3011 AA", NULL }, { "Utrecht", "3511 AB", NULL },
      { "Den Haag", "2511 AA", NULL }, { "Eindhoven", "5611 AA", NULL } },
    { "B.V.", "N.V.", "V.O.F." }, "+31 20 ### ####", "+31 6 ########", FALSE },
  { "AT",
    { "Florian", "Katharina", "Matthias", "Theresa", "Dominik", "Magdalena", "Jürgen", "Verena", "Stefan", "Zoë", "Andreas", "Elisabeth" },
    { "Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Mayer", "Hofer", "Leitner" },
    { "Mariahilfer Straße", "Kärntner Straße", "Getreidegasse", "Herrengasse", "Landstraße", "Hauptplatz" },
    { { "Wien", "1010", NULL }, { "Graz", "8010", NULL }, { "Linz", "4020", NULL },
      { "Salzburg", "5020", NULL }, { "Innsbruck", "6020", NULL } },
    { "GmbH", "AG", "KG" }, "+43 1 #######", "+43 66# #######", FALSE },
  { "CH",
    { "Luca", "Mia", "Noah", "Lara", "Leon", "Léonie", "Nicolò", "Alina", "Jan", "Céline", "Reto", "Seraina" },
    { "Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Brunner", "Zürcher", "Baumann" },
    { "Bahnhofstrasse", "Rue du Rhône", "Marktgasse", "Spalenberg", "Via Nassa", "Limmatquai" },
    { { "Zürich", "8001", NULL }, { "Genève", "1204", NULL }, { "Basel", "4051", NULL },
      { "Bern", "3011", NULL }, { "Lugano", "6900", NULL } },
    { "AG", "GmbH", "SA" }, "+41 44 ### ## ##", "+41 79 ### ## ##", FALSE },
};

static const char * const company_words[] = {
  "Nordwind", "Alpen", "Blauwal", "Sonnenblick", "Eichenhof", "Kronos", "Meridian", "Polaris",
  "Silberfluss", "Atlas", "Hafen", "Lindgren", "Vesta", "Falkenberg", "Orion", "Tannenwald",
  "Brücken", "Fjord", "Aurora", "Weißdorn",
};

static const char * const company_trades[] = {
  "Handel", "Logistik", "Maschinenbau", "Consulting", "Software", "Bau", "Möbel", "Elektro",
  "Trading", "Systems", "Foods", "Design", "Medical", "Energy", "Textil", "Druck",
};

static const char * const job_titles[] = {
  "Sales Manager", "Purchasing Agent", "Accountant", "CEO", "Office Manager", "Buyer",
  "Project Manager", "Head of Logistics", "Geschäftsführerin", "Einkäufer", "Directrice",
  "Warehouse Lead", "IT Administrator", "Controller", "Marketing Lead", "Engineer",
};

static const char * const mail_domains[] = {
  "mail.example", "post.example", "inbox.example", "example.com", "example.org", "example.net",
};

/* ---- helpers ---- */

static char *
format_digits (Stream     *stream,
               const char *format)
{
  GString *out = g_string_new (NULL);

  for (const char *p = format; *p; p++)
    {
      if (*p == '#')
        g_string_append_c (out, (char) ('0' + pick (stream, 10)));
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static const struct {
  const char *from;
  const char *to;
} transliterations[] = {
  { "ä", "ae" }, { "ö", "oe" }, { "ü", "ue" }, { "ß", "ss" }, { "Ä", "ae" }, { "Ö", "oe" },
  { "Ü", "ue" }, { "ø", "o" }, { "Ø", "o" }, { "æ", "ae" }, { "Æ", "ae" }, { "å", "aa" },
  { "Å", "aa" }, { "ł", "l" }, { "Ł", "l" },
};

/* A name as the ASCII local part of an e-mail address: "Jörg Größer" → "joerg.groesser" */
static char *
ascii_name (const char *text)
{
  GString *out = g_string_new (NULL);
  g_autofree char *ascii = NULL;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gboolean done = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (transliterations) && !done; i++)
        {
          gsize n = strlen (transliterations[i].from);

          if (strncmp (p, transliterations[i].from, n) == 0)
            {
              g_string_append (out, transliterations[i].to);
              done = TRUE;
            }
        }
      if (!done)
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }

  ascii = g_str_to_ascii (out->str, "C");
  g_string_truncate (out, 0);
  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if ((*p == ' ' || *p == '-') && out->len > 0 && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }
  return g_string_free (out, FALSE);
}

static void
fill_address (BcsSbFakePerson *person,
              Stream          *stream,
              const Country   *country)
{
  const Place *place = &country->places[pick (stream, G_N_ELEMENTS (country->places))];
  const char *street = PICK (stream, country->streets);
  guint number = 1 + pick (stream, 180);

  if (country->number_first)
    person->address_line1 = g_strdup_printf ("%u %s", number, street);
  else
    person->address_line1 = g_strdup_printf ("%s %u", street, number);

  switch (pick (stream, 8))
    {
    case 0:
      person->address_line2 = g_strdup_printf ("Building %c", 'A' + pick (stream, 6));
      break;
    case 1:
      person->address_line2 = g_strdup_printf ("Floor %u", 1 + pick (stream, 12));
      break;
    default:
      break;
    }

  /* A few long values, still within Business Central's field lengths (100 / 50) */
  if (pick (stream, 40) == 0)
    {
      g_free (person->address_line1);
      person->address_line1 = g_strdup_printf ("%s %u, Hinterhaus, Aufgang C, "
                                               "bei der alten Stadtmühle gegenüber dem Markt",
                                               street, number);
      if (g_utf8_strlen (person->address_line1, -1) > 100)
        *g_utf8_offset_to_pointer (person->address_line1, 100) = '\0';
    }

  person->city = g_strdup (place->city);
  person->postal_code = g_strdup (place->postal_code);
  person->state = g_strdup (place->state);
  person->country = g_strdup (country->code);
}

static char *
company_name (guint64 seed,
              guint   index,
              const Country **country_out)
{
  Stream stream = stream_new (seed, index, G_GUINT64_CONSTANT (0xc0ffee));
  const Country *country = &PICK (&stream, countries);
  const char *word = PICK (&stream, company_words);
  const char *trade = PICK (&stream, company_trades);
  const char *form = PICK (&stream, country->legal_forms);

  if (country_out != NULL)
    *country_out = country;
  /* a few long names, still within Business Central's 100 characters */
  if (pick (&stream, 30) == 0)
    return g_strdup_printf ("%s %s Vertriebs- und Servicegesellschaft "
                            "für Industriebedarf %s", word, trade, form);
  return g_strdup_printf ("%s %s %s", word, trade, form);
}

/* ---- public ---- */

BcsSbFakePerson *
bcs_sb_fake_company (guint64 seed,
                     guint   index)
{
  Stream stream = stream_new (seed, index, G_GUINT64_CONSTANT (0xc0113c7));
  BcsSbFakePerson *company = g_new0 (BcsSbFakePerson, 1);
  const Country *country = NULL;
  g_autofree char *slug = NULL;

  company->company_name = company_name (seed, index, &country);
  slug = ascii_name (company->company_name);
  if (strlen (slug) > 40)
    slug[40] = '\0';
  fill_address (company, &stream, country);
  company->phone = format_digits (&stream, country->phone_format);
  company->website = g_strdup_printf ("https://www.%s-%u.example", slug, index);
  company->email = g_strdup_printf ("info@%s-%u.example", slug, index);
  return company;
}

BcsSbFakePerson *
bcs_sb_fake_person (guint64 seed,
                    guint   index)
{
  Stream stream = stream_new (seed, index, G_GUINT64_CONSTANT (0x9e750a));
  BcsSbFakePerson *person = g_new0 (BcsSbFakePerson, 1);
  const Country *country = &PICK (&stream, countries);
  const Country *name_country = pick (&stream, 5) == 0 ? &PICK (&stream, countries) : country;
  guint company_index = pick (&stream, 200);
  g_autofree char *given = NULL;
  g_autofree char *surname = NULL;

  person->given_name = g_strdup (PICK (&stream, name_country->given));
  person->surname = g_strdup (PICK (&stream, name_country->surnames));
  if (pick (&stream, 60) == 0)
    {
      /* a long double-barrelled name */
      g_autofree char *first = person->surname;

      person->surname = g_strdup_printf ("%s-%s von und zu Ærøskøbing-Wiśniewska", first,
                                         PICK (&stream, name_country->surnames));
    }
  person->company_name = company_name (seed, company_index, NULL);
  person->job_title = g_strdup (PICK (&stream, job_titles));

  /* ~8 % without an e-mail address */
  if (pick (&stream, 100) >= 8)
    {
      given = ascii_name (person->given_name);
      surname = ascii_name (person->surname);
      if (strlen (surname) > 30)
        surname[30] = '\0';
      person->email = g_strdup_printf ("%s.%s.%u@%s", given, surname, index,
                                       PICK (&stream, mail_domains));
    }

  person->phone = format_digits (&stream, country->phone_format);
  if (pick (&stream, 3) != 0)
    person->mobile = format_digits (&stream, country->mobile_format);
  fill_address (person, &stream, country);
  if (pick (&stream, 10) == 0)
    {
      g_autofree char *site = ascii_name (person->surname);

      person->website = g_strdup_printf ("https://%s-%u.example", site, index);
    }
  return person;
}

void
bcs_sb_fake_person_free (BcsSbFakePerson *person)
{
  if (person == NULL)
    return;

  g_free (person->given_name);
  g_free (person->surname);
  g_free (person->company_name);
  g_free (person->job_title);
  g_free (person->email);
  g_free (person->phone);
  g_free (person->mobile);
  g_free (person->address_line1);
  g_free (person->address_line2);
  g_free (person->city);
  g_free (person->state);
  g_free (person->postal_code);
  g_free (person->country);
  g_free (person->website);
  g_free (person);
}
