/* bcs-connection-check-private.h — what the connection check gathered, and
 * the pure function that turns it into results */
#pragma once

#include <json-glib/json-glib.h>

#include "bcs-connection-check.h"

G_BEGIN_DECLS

/* The answers of the services, as far as they were asked. A NULL value
 * with a NULL error means "not asked". */
typedef struct {
  gboolean online;
  gboolean first_company;       /* without a configured company, use the first */
  char *environment;            /* online: the configured one */
  char *company_id;             /* configured, may be "" */
  char *company_name;           /* the setting, for messages, may be "" */
  char *folder_name;
  char *onprem_base;            /* on premises: the server, may be "" */
  char *onprem_user;            /* on premises: the user name, may be "" */

  JsonObject *me;
  GError *me_error;
  GPtrArray *environments;      /* JsonObject */
  GError *environments_error;
  GPtrArray *companies;         /* JsonObject */
  GError *companies_error;
  gboolean mailbox_ok;
  GError *mailbox_error;
  gboolean folder_asked;
  char *folder_id;              /* NULL: none (when asked without an error) */
  GError *folder_error;
  GPtrArray *users;             /* JsonObject */
  GError *users_error;
} BcsCheckFacts;

void        bcs_check_facts_clear      (BcsCheckFacts *facts);

/* The account's address: /me mail, else userPrincipalName, else NULL */
const char *bcs_check_facts_account    (const BcsCheckFacts *facts);
/* Whether the gathering may go on to the next request */
gboolean    bcs_check_facts_bc_usable  (const BcsCheckFacts *facts);
gboolean    bcs_check_facts_signed_in  (const BcsCheckFacts *facts);
/* The company the sync would use (owned by FACTS), or NULL */
JsonObject *bcs_check_facts_company    (const BcsCheckFacts *facts);
/* The company whose users can be listed: the one above, else the first */
const char *bcs_check_facts_users_company_id (const BcsCheckFacts *facts);

/* Pure: the results of FACTS, in the order of bcs-connection-check.h */
GPtrArray  *bcs_check_facts_judge      (const BcsCheckFacts *facts);

G_END_DECLS
