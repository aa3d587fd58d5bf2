/* bcs-cli-auth.h — --sign-in and --sign-out in the terminal */
#pragma once

#include "bcs-cli-options.h"

G_BEGIN_DECLS

int bcs_cli_sign_in  (const BcsCliOptions *options);
int bcs_cli_sign_out (const BcsCliOptions *options);

G_END_DECLS
