/* bcs-sb-graph-private.h — how the Graph part of the sandbox is split
 *
 * bcs-sb-graph.c          routing, /me, contacts
 * bcs-sb-graph-folders.c  contact folders
 * bcs-sb-graph-contact.c  the contact model: properties, writes, access
 * bcs-sb-graph-check.c    what a contact body may hold
 * bcs-sb-graph-shape.c    a contact as responses show it (JSON nodes or text)
 * bcs-sb-graph-json.c     JSON text, pages of items, paging options
 * bcs-sb-graph-query.c    $filter, $select, $expand
 * bcs-sb-graph-delta.c    the per-folder change log and delta rounds
 * bcs-sb-graph-delta-state.c  logs and tokens in the state file
 * bcs-sb-graph-index.c    contacts by e-mail address and extended property
 * bcs-sb-graph-batch.c    POST /$batch
 * bcs-sb-graph-state.c    seeding, the "outlook" part of /_sandbox/state, and
 *                         the control API /_sandbox/outlook
 *
 * Contacts are stored compactly (100,000 must fit: about 1.3 KB each) and
 * turned into JSON per response: straight to text for lists and delta pages,
 * as JsonNodes for single items and inside a $batch. */
#pragma once

#include "bcs-sandbox-private.h"

G_BEGIN_DECLS

/* Graph's page size for lists, and the most $top may ask for */
#define DEFAULT_PAGE_SIZE 10
#define MAX_TOP           1000

typedef struct _GraphFolder  GraphFolder;
typedef struct _GraphContact GraphContact;

/* Contact properties in the order Graph sends them */
typedef enum {
  P_ID, P_CREATED, P_MODIFIED, P_CHANGE_KEY, P_CATEGORIES, P_PARENT, P_BIRTHDAY,
  P_FILE_AS, P_DISPLAY_NAME, P_GIVEN_NAME, P_INITIALS, P_MIDDLE_NAME, P_NICK_NAME,
  P_SURNAME, P_TITLE, P_YOMI_GIVEN, P_YOMI_SURNAME, P_YOMI_COMPANY, P_GENERATION,
  P_IM_ADDRESSES, P_JOB_TITLE, P_COMPANY_NAME, P_DEPARTMENT, P_OFFICE, P_PROFESSION,
  P_HOMEPAGE, P_ASSISTANT, P_MANAGER, P_HOME_PHONES, P_MOBILE_PHONE, P_BUSINESS_PHONES,
  P_SPOUSE, P_NOTES, P_CHILDREN, P_EMAILS, P_HOME_ADDRESS, P_BUSINESS_ADDRESS,
  P_OTHER_ADDRESS, GRAPH_N_PROPS
} GraphProp;

typedef struct _GraphStrings GraphStrings;

typedef enum {
  K_META,       /* read-only, set by the server */
  K_STRING,
  K_DATE,
  K_STRINGS,
  K_EMAILS,
  K_ADDRESS,
} GraphPropKind;

typedef struct {
  const char *name;
  GraphPropKind kind;
  guint max;    /* most elements an array may have (0: no limit) */
} GraphPropInfo;

extern const GraphPropInfo bcs_sb_graph_props[GRAPH_N_PROPS];
extern const char * const bcs_sb_graph_address_keys[];

#define N_ADDRESS_KEYS 5

#define GRAPH_EXT_PROPS_NAME "singleValueExtendedProperties"

/* A string array (n strings), e-mail addresses (name, address pairs) or an
 * address (N_ADDRESS_KEYS fields): far smaller than JsonNode trees */
struct _GraphStrings {
  guint n;
  char *v[];
};

static inline gboolean
graph_kind_is_string (GraphPropKind kind)
{
  return kind == K_STRING || kind == K_DATE || kind == K_META;
}

/* Strings as char*, arrays and addresses as GraphStrings, NULL when unset */
struct _GraphContact {
  char *id;
  char *etag;                   /* W/"changeKey" */
  GraphFolder *folder;
  gpointer v[GRAPH_N_PROPS];    /* char* or GraphStrings* by property kind */
  JsonArray *ext;               /* singleValueExtendedProperties [{id, value}], or NULL */
  guint64 seq;                  /* position in the folder's change log */
};

typedef struct {
  guint64 seq;
  GraphContact *contact;        /* a live contact, or NULL for a removal */
  char *removed_id;
} GraphLogEntry;

struct _GraphFolder {
  char *id;
  char *display_name;
  GraphFolder *parent;          /* NULL for the default Contacts folder */
  GPtrArray *contacts;          /* GraphContact, in creation order */
  GPtrArray *children;          /* GraphFolder (not owned) */
  guint64 seq;                  /* last change number */
  GTree *log;                   /* seq → GraphLogEntry (owned) */
};

typedef struct {
  char *token;
  char *folder_id;
  guint64 from;                 /* changes after this … */
  guint64 to;                   /* … up to this (a round's end), 0 in a delta token */
  guint64 after;                /* the last seq a previous page reached */
  guint64 repeat;               /* awkward mode: the seq to show again */
  guint page;                   /* page number in the round */
  char *select;                 /* the first round's $select, or NULL */
  gboolean initial;             /* the first round: no removals */
  gboolean is_delta;            /* a deltatoken (else a skiptoken) */
} GraphDeltaState;

struct _BcsSbGraph {
  BcsSandbox *sandbox;
  GRand *rand;
  GHashTable *folders;          /* id → GraphFolder (owned) */
  GPtrArray *folder_order;      /* GraphFolder, creation order */
  GHashTable *contacts;         /* id → GraphContact (owned) */
  GHashTable *index;            /* e-mail / extended property key → GPtrArray of GraphContact */
  GraphFolder *default_folder;
  char *root_folder_id;
  GHashTable *delta_tokens;     /* token → GraphDeltaState (owned) */
  gboolean awkward_delta;
};

/* ---- bcs-sb-graph.c ---- */
void          bcs_sb_graph_error          (BcsSbResponse *response, guint status,
                                           const char *code, const char *message);
void          bcs_sb_graph_clear          (BcsSbGraph *graph);
char         *bcs_sb_graph_new_id         (BcsSbGraph *graph, const char *prefix);
/* ---- bcs-sb-graph-folders.c ---- */
void          bcs_sb_graph_folder_free    (gpointer folder);
GraphFolder  *bcs_sb_graph_folder_new     (BcsSbGraph *graph, GraphFolder *parent,
                                           const char *id, const char *display_name);
GraphFolder  *bcs_sb_graph_lookup_folder  (BcsSbGraph *graph, const char *id);
void          bcs_sb_graph_folder_delete  (BcsSbGraph *graph, GraphFolder *folder);
JsonObject   *bcs_sb_graph_folder_to_object (BcsSbGraph *graph, GraphFolder *folder);
/* GET and POST of PARENT's children */
void          bcs_sb_graph_list_folders   (BcsSbGraph *graph, GraphFolder *parent,
                                           BcsSbRequest *request, BcsSbResponse *response);
void          bcs_sb_graph_create_folder  (BcsSbGraph *graph, GraphFolder *parent,
                                           BcsSbRequest *request, BcsSbResponse *response);
GraphFolder  *bcs_sb_graph_find_folder    (BcsSbGraph *graph, GraphFolder *parent, const char *name);


/* ---- bcs-sb-graph-contact.c ---- */
/* Checks BODY as a contact for POST or PATCH; on failure fills RESPONSE */
gboolean      bcs_sb_graph_contact_check  (JsonObject *body, BcsSbResponse *response);
/* RESTORE: take id, createdDateTime, lastModifiedDateTime, changeKey from BODY (state files) */
GraphContact *bcs_sb_graph_contact_create (BcsSbGraph *graph, GraphFolder *folder,
                                           JsonObject *body, gboolean restore);
void          bcs_sb_graph_contact_update (BcsSbGraph *graph, GraphContact *contact,
                                           JsonObject *body);
/* A new changeKey and lastModifiedDateTime only */
void          bcs_sb_graph_contact_touch  (BcsSbGraph *graph, GraphContact *contact);
void          bcs_sb_graph_contact_delete (BcsSbGraph *graph, GraphContact *contact);
void          bcs_sb_graph_contact_move   (BcsSbGraph *graph, GraphContact *contact, GraphFolder *to);
void          bcs_sb_graph_contact_free   (GraphContact *contact);
const char   *bcs_sb_graph_contact_etag   (GraphContact *contact);
/* The contact as a response shows it: SELECT a mask of 1 << GraphProp (0: all),
 * EXPAND_IDS extended property ids to include (lower case), or EXPAND_ALL */
JsonObject   *bcs_sb_graph_contact_to_object (GraphContact *contact, guint64 select,
                                              GPtrArray *expand_ids, gboolean expand_all);
/* The same as text, appended to OUT */
void          bcs_sb_graph_contact_append_json (GString *out, GraphContact *contact, guint64 select,
                                                GPtrArray *expand_ids, gboolean expand_all);
/* -1 when NAME is no contact property */
int           bcs_sb_graph_property_index (const char *name);
/* A string property of CONTACT (NULL when unset or not a string) */
const char   *bcs_sb_graph_contact_get_string (GraphContact *contact, const char *name);
/* The array properties as collections for $filter's any(): emailAddresses,
 * categories, …, and singleValueExtendedProperties (GRAPH_EXT_PROP); -1 for others */
#define GRAPH_EXT_PROP GRAPH_N_PROPS
int           bcs_sb_graph_collection_index (const char *name);
guint         bcs_sb_graph_contact_count    (GraphContact *contact, int collection);
/* A field ("address", "id", "value") of an element, or the element itself (FIELD NULL) */
const char   *bcs_sb_graph_contact_element  (GraphContact *contact, int collection, guint index,
                                             const char *field);

/* ---- bcs-sb-graph-query.c ---- */
typedef struct _GraphFilter GraphFilter;
GraphFilter  *bcs_sb_graph_filter_parse   (const char *text, GError **error);
gboolean      bcs_sb_graph_filter_match_contact (GraphFilter *filter, GraphContact *contact);
/* For folders: a filter on displayName */
gboolean      bcs_sb_graph_filter_match_folder  (GraphFilter *filter, GraphFolder *folder);
void          bcs_sb_graph_filter_free    (GraphFilter *filter);
/* $filter of REQUEST, NULL without one; *OK FALSE (and RESPONSE a 400) when it does not parse */
GraphFilter  *bcs_sb_graph_parse_filter   (BcsSbRequest *request, BcsSbResponse *response, gboolean *ok);
/* "a,b" → a mask of 1 << GraphProp; FALSE and RESPONSE filled for an unknown property */
gboolean      bcs_sb_graph_parse_select   (const char *text, guint64 *mask, BcsSbResponse *response);
/* singleValueExtendedProperties[($filter=id eq '…' [or id eq '…'])] */
gboolean      bcs_sb_graph_parse_expand   (const char *text, GPtrArray **ids, gboolean *all,
                                           BcsSbResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GraphFilter, bcs_sb_graph_filter_free)

/* The key of the index that holds every contact FILTER can match (an
 * emailAddresses/any or singleValueExtendedProperties/Any lookup), or NULL */
char         *bcs_sb_graph_filter_index_key (GraphFilter *filter);

/* ---- bcs-sb-graph-index.c ---- */
char         *bcs_sb_graph_index_email_key (const char *address);
char         *bcs_sb_graph_index_ext_key   (const char *id, const char *value);
void          bcs_sb_graph_index_add       (BcsSbGraph *graph, GraphContact *contact);
void          bcs_sb_graph_index_remove    (BcsSbGraph *graph, GraphContact *contact);
/* The contacts under KEY (any folder), or NULL */
GPtrArray    *bcs_sb_graph_index_lookup    (BcsSbGraph *graph, const char *key);

/* ---- bcs-sb-graph-delta.c ---- */
void          bcs_sb_graph_log_change     (GraphFolder *folder, GraphContact *contact);
void          bcs_sb_graph_log_removal    (GraphFolder *folder, GraphContact *contact);
void          bcs_sb_graph_log_entry_free (gpointer entry);
void          bcs_sb_graph_delta_state_free (gpointer state);
void          bcs_sb_graph_delta          (BcsSbGraph *graph, GraphFolder *folder,
                                           BcsSbRequest *request, BcsSbResponse *response);

/* ---- bcs-sb-graph-json.c ---- */
/* A page of items: written straight to text for HTTP, or as nodes inside a $batch */
typedef struct {
  GString *raw;
  JsonArray *array;
  char *context;
  guint count;
} GraphPage;

void          bcs_sb_graph_json_append_string (GString *out, const char *s);
void          bcs_sb_graph_json_append_node   (GString *out, JsonNode *node);
void          bcs_sb_graph_page_init      (GraphPage *page, gboolean raw, const char *context,
                                           guint size_hint);
void          bcs_sb_graph_page_add_contact (GraphPage *page, GraphContact *contact, guint64 select,
                                             GPtrArray *expand_ids, gboolean expand_all);
/* Takes OBJECT */
void          bcs_sb_graph_page_add_object (GraphPage *page, JsonObject *object);
/* {"@odata.context", "value", LINK_NAME: LINK (when not NULL)} into RESPONSE (200) */
void          bcs_sb_graph_page_finish    (GraphPage *page, BcsSbResponse *response,
                                           const char *link_name, const char *link);
void          bcs_sb_graph_page_clear     (GraphPage *page);
/* Prefer: odata.maxpagesize=N (answered with Preference-Applied), else FALLBACK */
guint         bcs_sb_graph_prefer_page_size (BcsSbRequest *request, BcsSbResponse *response,
                                             guint fallback, guint max);
/* The query parameter NAME as a count (FALLBACK when absent); FALSE and a 400 past MAX */
gboolean      bcs_sb_graph_parse_count    (BcsSbRequest *request, const char *name, guint fallback,
                                           guint max, guint *out, BcsSbResponse *response);
/* The URL of REQUEST with its query, NAME set to VALUE (dropped when VALUE is NULL) */
char         *bcs_sb_graph_link           (BcsSbRequest *request, const char *name, const char *value);
/* "…/$metadata#users('…')/WHAT" */
char         *bcs_sb_graph_context_url    (BcsSbRequest *request, const char *what);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GraphPage, bcs_sb_graph_page_clear)

/* ---- bcs-sb-graph-delta-state.c ---- */
JsonNode     *bcs_sb_graph_delta_to_json    (BcsSbGraph *graph);
/* After the folders and contacts are loaded */
void          bcs_sb_graph_delta_load_json  (BcsSbGraph *graph, JsonNode *node);

/* ---- bcs-sb-graph-batch.c ---- */
void          bcs_sb_graph_batch          (BcsSandbox *sandbox, BcsSbRequest *request,
                                           BcsSbResponse *response);

G_END_DECLS
