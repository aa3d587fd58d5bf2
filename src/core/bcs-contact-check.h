/* bcs-contact-check.h — which contacts may sync, and which values fit
 *
 * SYNC-SPEC.md "Required fields" and Business Central's length limits. Every
 * contact or value left out gets a machine code (for the store and tests)
 * and a translated message written for people (for the report). */
#pragma once

#include <glib.h>

#include "bcs-contact.h"

G_BEGIN_DECLS

typedef enum {
  BCS_SKIP_NONE,              /* eligible */
  BCS_SKIP_NOT_A_PERSON,      /* "not-a-person" */
  BCS_SKIP_NO_NAME,           /* "no-name" */
  BCS_SKIP_NO_EMAIL,          /* "no-email" */
  BCS_SKIP_PRIVACY_BLOCKED,   /* "privacy-blocked" */
  BCS_SKIP_NAME_TOO_LONG,     /* "name-too-long" */
  BCS_SKIP_EMAIL_TOO_LONG,    /* "email-too-long" */
  BCS_SKIP_OUTSIDE_FILTER,    /* "outside-filter": see bcs_contact_filter_check() */
} BcsSkipReason;

/* The machine code above; NULL for BCS_SKIP_NONE */
const char    *bcs_skip_reason_to_string      (BcsSkipReason     reason);

/* To go to Outlook: type Person, a name, an e-mail, not privacy blocked
 * (checked in that order; the first failing rule is returned). MESSAGE
 * (nullable) gets a translated sentence such as "Not a person (type
 * Company)", or NULL when eligible. */
BcsSkipReason  bcs_contact_check_to_outlook   (const BcsContact *contact,
                                               char            **message);

/* To come from Outlook into Business Central: a name and an e-mail, each
 * within Business Central's length (100 and 80 characters). */
BcsSkipReason  bcs_contact_check_from_outlook (const BcsContact *contact,
                                               char            **message);

typedef enum {
  BCS_FIELD_ISSUE_TOO_LONG,         /* "too-long": longer than BC allows */
  BCS_FIELD_ISSUE_UNKNOWN_COUNTRY,  /* "unknown-country": not a code, no known name */
} BcsFieldIssueKind;

/* A value that is not synced as it is, and why */
typedef struct {
  BcsContactField    field;
  BcsFieldIssueKind  kind;
  gboolean           skips_contact;  /* a required field: the contact is skipped */
  char              *message;        /* translated, for people */
} BcsFieldIssue;

const char    *bcs_field_issue_kind_to_string (BcsFieldIssueKind kind);
void           bcs_field_issue_free           (BcsFieldIssue    *issue);
/* A GPtrArray that frees its BcsFieldIssue elements */
GPtrArray     *bcs_field_issues_new           (void);
/* Appends an issue to ISSUES (if not NULL), taking MESSAGE */
void           bcs_field_issues_add           (GPtrArray        *issues,
                                               BcsContactField   field,
                                               BcsFieldIssueKind kind,
                                               gboolean          skips_contact,
                                               char             *message);
/* The first issue that skips the contact, or NULL */
const BcsFieldIssue *bcs_field_issues_find_skip (GPtrArray      *issues);

/* Checks the fields in FIELDS against Business Central's lengths
 * (bcs_contact_field_max_length, in characters). Nothing is ever cut: each
 * over-long field adds an issue to ISSUES (nullable) — display_name and email
 * with skips_contact, the others to be left out. Returns the over-long
 * fields. */
BcsFieldMask   bcs_contact_check_lengths      (const BcsContact *contact,
                                               BcsFieldMask      fields,
                                               GPtrArray        *issues);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsFieldIssue, bcs_field_issue_free)

G_END_DECLS
