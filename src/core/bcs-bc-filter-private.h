/* bcs-bc-filter-private.h — the parsed tree, shared by the parser
 * (bcs-bc-filter.c) and the evaluation/translation (bcs-bc-filter-eval.c) */
#pragma once

#include "bcs-bc-filter.h"

G_BEGIN_DECLS

/* In a parsed value, wildcards from unquoted text are stored as these
 * private-use characters, so that a quoted '*' stays a literal star. */
#define BCS_FILTER_STAR      0xE000
#define BCS_FILTER_QUESTION  0xE001
#define BCS_FILTER_STAR_UTF8     "\xee\x80\x80"
#define BCS_FILTER_QUESTION_UTF8 "\xee\x80\x81"

typedef enum {
  BCS_FILTER_NODE_OR,
  BCS_FILTER_NODE_AND,
  BCS_FILTER_NODE_LEAF,
} BcsFilterNodeKind;

typedef enum {
  BCS_FILTER_OP_EQ,     /* plain value or "=": equal, or a wildcard pattern */
  BCS_FILTER_OP_NE,     /* "<>": not equal / not matching the pattern */
  BCS_FILTER_OP_LT,
  BCS_FILTER_OP_LE,
  BCS_FILTER_OP_GT,
  BCS_FILTER_OP_GE,
  BCS_FILTER_OP_RANGE,  /* value..high, either may be NULL (open) */
} BcsFilterOp;

typedef struct _BcsFilterNode BcsFilterNode;

struct _BcsFilterNode
{
  BcsFilterNodeKind  kind;
  GPtrArray         *children;     /* OR, AND: BcsFilterNode */

  BcsFilterOp        op;           /* LEAF */
  gboolean           ignore_case;  /* "@" */
  gboolean           pattern;      /* value holds a wildcard (EQ, NE only) */
  char              *value;        /* NFC; "" for '' */
  char              *high;         /* RANGE only */
};

struct _BcsBcFilter
{
  BcsFilterField  field;
  char           *text;
  BcsFilterNode  *root;  /* NULL: matches everything */
};

void      bcs_filter_node_free      (BcsFilterNode  *node);
/* Code fields hold upper-case values in Business Central */
gboolean  bcs_filter_field_is_code  (BcsFilterField  field);

G_END_DECLS
