/* bcs-sb-bc-private.h — between the Business Central files of the sandbox
 * (bcs-sb-bc.c routing and handlers, -store.c the data, -seed.c seeding,
 * -filter.c OData query options, -batch.c $batch)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bcs-sandbox-private.h"

G_BEGIN_DECLS

/* The contact fields of Business Central's API v2.0, in its order */
typedef enum {
  BC_F_ID,
  BC_F_NUMBER,
  BC_F_TYPE,
  BC_F_DISPLAY_NAME,
  BC_F_JOB_TITLE,
  BC_F_COMPANY_NUMBER,
  BC_F_COMPANY_NAME,
  BC_F_BUSINESS_RELATION,
  BC_F_ADDRESS_LINE1,
  BC_F_ADDRESS_LINE2,
  BC_F_CITY,
  BC_F_STATE,
  BC_F_COUNTRY,
  BC_F_POSTAL_CODE,
  BC_F_PHONE,
  BC_F_MOBILE,
  BC_F_EMAIL,
  BC_F_WEBSITE,
  BC_F_SEARCH_NAME,
  BC_F_PRIVACY_BLOCKED,
  BC_F_TAX_REGISTRATION,
  BC_F_LAST_INTERACTION,
  BC_F_LAST_MODIFIED,
  BC_N_FIELDS,
} BcsSbBcField;

typedef enum {
  BC_KIND_GUID,
  BC_KIND_STRING,
  BC_KIND_ENUM,
  BC_KIND_BOOL,
  BC_KIND_DATE,
  BC_KIND_DATETIME,
} BcsSbBcKind;

typedef struct {
  const char *name;
  BcsSbBcKind kind;
  guint max_length;       /* characters; 0: no limit */
  gboolean read_only;     /* ignored when written (clients round-trip them) */
} BcsSbBcFieldInfo;

extern const BcsSbBcFieldInfo bcs_sb_bc_fields[BC_N_FIELDS];

typedef struct _BcsSbBcCompany BcsSbBcCompany;

typedef struct {
  char *values[BC_N_FIELDS];    /* text of text-like fields; NULL means "" */
  gboolean privacy_blocked;
  gint64 modified_ms;           /* lastModifiedDateTime, ms since the epoch */
  guint64 row_version;          /* the etag */
  BcsSbBcCompany *company;
  gsize inline_size;            /* seeded rows keep their text right after the struct */
} BcsSbBcContact;

struct _BcsSbBcCompany {
  char *id;
  char *name;
  char *created_at;
  guint64 timestamp;
  GPtrArray *contacts;          /* BcsSbBcContact, owned, ordered by number */
  GHashTable *by_id;            /* id → contact */
  GHashTable *by_number;        /* number → contact */
  guint next_number;
};

typedef struct {
  char *id;
  char *user_name;
  char *display_name;
  char *contact_email;          /* may be empty */
  char *auth_email;             /* who signs in as this user (internal) */
} BcsSbBcUser;

struct _BcsSbBc {
  BcsSandbox *sandbox;
  GPtrArray *companies;         /* BcsSbBcCompany */
  GPtrArray *users;             /* BcsSbBcUser */
  guint64 row_version;          /* the last one handed out */
  gint64 last_modified_ms;      /* the last one handed out: strictly increasing */
  GPtrArray *undo;              /* during a snapshot $batch: how to roll back */
  GRand *rand;                  /* ids of new rows */
};

#define BC_TENANT_ID      "5a4f3a1e-8c2b-4d6e-9f10-5ab0c0ffee01"
#define BC_ONPREM_USER    "DEMO"
#define BC_ONPREM_KEY     "sandbox-web-service-key"
#define BC_MAX_PAGE       20000
#define BC_MAX_BATCH      100

/* ---- bcs-sb-bc-store.c ---- */
const char      *bcs_sb_bc_contact_get     (const BcsSbBcContact *contact, BcsSbBcField field);
void             bcs_sb_bc_contact_set     (BcsSbBcContact *contact, BcsSbBcField field, const char *value);
BcsSbBcContact  *bcs_sb_bc_contact_copy    (const BcsSbBcContact *contact);
void             bcs_sb_bc_contact_free    (BcsSbBcContact *contact);
int              bcs_sb_bc_field_lookup    (const char *name);
char            *bcs_sb_bc_etag            (guint64 row_version);
guint64          bcs_sb_bc_etag_parse      (const char *etag);
char            *bcs_sb_bc_format_ms       (gint64 ms);
gboolean         bcs_sb_bc_parse_datetime  (const char *text, gint64 *us);
/* SELECT: NULL for every field */
JsonObject      *bcs_sb_bc_contact_to_json (const BcsSbBcContact *contact, const gboolean *select);
char            *bcs_sb_bc_guid            (BcsSbBc *bc);
/* New etag and lastModifiedDateTime (strictly increasing) */
void             bcs_sb_bc_stamp           (BcsSbBc *bc, BcsSbBcContact *contact);

BcsSbBcCompany  *bcs_sb_bc_company_new     (const char *id, const char *name);
void             bcs_sb_bc_company_free    (BcsSbBcCompany *company);
BcsSbBcCompany  *bcs_sb_bc_find_company    (BcsSbBc *bc, const char *id);
/* Takes CONTACT (its number must be unused) */
void             bcs_sb_bc_company_insert  (BcsSbBcCompany *company, BcsSbBcContact *contact);
/* Removes and returns the contact (the caller owns it) */
BcsSbBcContact  *bcs_sb_bc_company_remove  (BcsSbBcCompany *company, const char *id);
/* The index of the first contact whose number is > NUMBER (NULL: 0) */
guint            bcs_sb_bc_company_after   (BcsSbBcCompany *company, const char *number);

/* Creates (EXISTING NULL) or changes a contact from API JSON. On success the
 * contact is stored, stamped and returned; otherwise RESPONSE holds the 400. */
BcsSbBcContact  *bcs_sb_bc_write_contact   (BcsSbBc *bc, BcsSbBcCompany *company,
                                            const BcsSbBcContact *existing, JsonObject *object,
                                            gboolean as_user, BcsSbResponse *response);
gboolean         bcs_sb_bc_delete_contact  (BcsSbBc *bc, BcsSbBcCompany *company, const char *id);
/* A stored contact from state JSON (no validation; NULL without an id) */
BcsSbBcContact  *bcs_sb_bc_contact_from_json (JsonObject *object);
/* Snapshot $batch: start recording, roll back, or forget */
void             bcs_sb_bc_undo_begin      (BcsSbBc *bc);
void             bcs_sb_bc_undo_rollback   (BcsSbBc *bc);
void             bcs_sb_bc_undo_end        (BcsSbBc *bc);

BcsSbBcUser     *bcs_sb_bc_user_new        (const char *id, const char *user_name, const char *display_name,
                                            const char *contact_email, const char *auth_email);
void             bcs_sb_bc_user_free       (BcsSbBcUser *user);
JsonObject      *bcs_sb_bc_user_to_json    (const BcsSbBcUser *user, gboolean internal);
BcsSbBcUser     *bcs_sb_bc_find_user       (BcsSbBc *bc, const char *auth_email);

/* ---- bcs-sb-bc-json.c ---- */
void             bcs_sb_bc_append_json_string (GString *out, const char *text);
void             bcs_sb_bc_append_time     (GString *out, gint64 ms);
void             bcs_sb_bc_etag_base64     (guint64 row_version, char *buf);
/* The same object as bcs_sb_bc_contact_to_json, as text */
void             bcs_sb_bc_append_contact  (GString *out, const BcsSbBcContact *contact, const gboolean *select);

/* ---- bcs-sb-bc-seed.c ---- */
void             bcs_sb_bc_seed_defaults   (BcsSbBc *bc);

/* ---- bcs-sb-bc-filter.c ---- */
typedef struct _BcsSbBcFilter BcsSbBcFilter;
typedef struct _BcsSbBcOrder  BcsSbBcOrder;

/* NULL and *error (a message for a 400) on a syntax or type error */
BcsSbBcFilter   *bcs_sb_bc_filter_parse    (const char *text, char **error);
gboolean         bcs_sb_bc_filter_match    (BcsSbBcFilter *filter, const BcsSbBcContact *contact);
void             bcs_sb_bc_filter_free     (BcsSbBcFilter *filter);
/* "field [asc|desc], …" (NULL or "": by number) */
BcsSbBcOrder    *bcs_sb_bc_order_parse     (const char *text, char **error);
gboolean         bcs_sb_bc_order_is_default (BcsSbBcOrder *order);
int              bcs_sb_bc_order_compare   (BcsSbBcOrder *order, const BcsSbBcContact *a, const BcsSbBcContact *b);
void             bcs_sb_bc_order_free      (BcsSbBcOrder *order);
/* The skip token of the row a page ended with, and the row it stands for */
char            *bcs_sb_bc_order_token     (BcsSbBcOrder *order, const BcsSbBcContact *last);
BcsSbBcContact  *bcs_sb_bc_order_untoken   (BcsSbBcOrder *order, const char *token);
/* "$select" → an array of BC_N_FIELDS flags, or NULL (all); *error on an unknown field */
gboolean        *bcs_sb_bc_select_parse    (const char *text, char **error);
/* Case-insensitive comparison as Business Central's SQL collation does */
int              bcs_sb_bc_strcasecmp      (const char *a, const char *b);

/* ---- bcs-sb-bc-batch.c ---- */
/* ROOT: the API root the batch was posted to, e.g. "/v2.0/sandbox/production/api/v2.0" */
void             bcs_sb_bc_batch           (BcsSandbox *sandbox, BcsSbRequest *request,
                                            const char *root, BcsSbResponse *response);

/* ---- bcs-sb-bc.c ---- */
/* What a request addresses once the base is stripped */
typedef struct {
  char *root;           /* the API root below /bc, e.g. "/v2.0/sandbox/production/api/v2.0" */
  gboolean automation;
  gboolean has_data;    /* "test" is an empty environment */
  char **segments;      /* below the root */
} Target;

void             bcs_sb_bc_method_not_allowed (BcsSbResponse *response, BcsSbRequest *request);
/* The BC error body, with a CorrelationId appended to MESSAGE as the service does */
void             bcs_sb_bc_error           (BcsSbResponse *response, guint status,
                                            const char *code, const char *message);

/* ---- bcs-sb-bc-contacts.c ---- */
/* KEY: the contact's id, or NULL for the collection */
void             bcs_sb_bc_handle_contacts (BcsSbBc *bc, BcsSbBcCompany *company, const char *key,
                                            BcsSbRequest *request, const Target *target,
                                            BcsSbResponse *response);
void             bcs_sb_bc_handle_users    (BcsSbBc *bc, BcsSbBcCompany *company, const char *key,
                                            BcsSbRequest *request, const Target *target,
                                            BcsSbResponse *response);
void             bcs_sb_bc_contact_reply   (BcsSbBcContact *contact, BcsSbRequest *request,
                                            const Target *target, guint status,
                                            const gboolean *select, BcsSbResponse *response);
/* The body as a JSON object (NODE keeps it), or NULL and a 400 in RESPONSE */
JsonObject      *bcs_sb_bc_body_object     (BcsSbRequest *request, JsonNode **node,
                                            BcsSbResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSbBcContact, bcs_sb_bc_contact_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSbBcFilter, bcs_sb_bc_filter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSbBcOrder, bcs_sb_bc_order_free)

G_END_DECLS
