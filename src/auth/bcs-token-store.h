/* bcs-token-store.h — refresh and access tokens and the on-premises key in libsecret
 *
 * Schema io.github.bccontactsync.ContactSync.Token, attributes "profile" and
 * "kind": one item per profile and kind. This is the only place a token or
 * key is ever kept outside memory. */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "bcs-profile.h"

G_BEGIN_DECLS

#define BCS_TOKEN_STORE_SCHEMA_NAME "io.github.bccontactsync.ContactSync.Token"

#define BCS_TOKEN_KIND_REFRESH          "refresh-token"
#define BCS_TOKEN_KIND_ACCESS_GRAPH     "access-token-graph"
#define BCS_TOKEN_KIND_ACCESS_BC        "access-token-bc"
#define BCS_TOKEN_KIND_WEB_SERVICE_KEY  "web-service-key"

#define BCS_TYPE_TOKEN_STORE (bcs_token_store_get_type ())
G_DECLARE_FINAL_TYPE (BcsTokenStore, bcs_token_store, BCS, TOKEN_STORE, GObject)

const SecretSchema *bcs_token_store_get_schema      (void);
gboolean            bcs_token_store_kind_is_valid   (const char          *kind);

/* PROFILE: the "profile" attribute as it is (see bcs_token_store_dup_key) */
BcsTokenStore      *bcs_token_store_new             (const char          *profile);
/* The tokens of PROFILE: its name, or "sandbox:NAME" for a sandbox profile */
BcsTokenStore      *bcs_token_store_new_for_profile (BcsProfile          *profile);
/* The "profile" attribute of the profile NAME, with SANDBOX or without */
char               *bcs_token_store_dup_key         (const char          *name,
                                                     gboolean             sandbox);
const char         *bcs_token_store_get_profile     (BcsTokenStore       *self);

/* Replaces the item of KIND with SECRET */
void                bcs_token_store_store_async     (BcsTokenStore       *self,
                                                     const char          *kind,
                                                     const char          *secret,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            bcs_token_store_store_finish    (BcsTokenStore       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* The secret of KIND; NULL without an error when there is none */
void                bcs_token_store_lookup_async    (BcsTokenStore       *self,
                                                     const char          *kind,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char               *bcs_token_store_lookup_finish   (BcsTokenStore       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Removes the item of KIND, or with KIND NULL every item of the profile
 * (sign-out). Succeeds when there was nothing to remove. */
void                bcs_token_store_clear_async     (BcsTokenStore       *self,
                                                     const char          *kind,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            bcs_token_store_clear_finish    (BcsTokenStore       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
