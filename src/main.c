/* main.c — only runs the application */
#include "config.h"

#include "bcs-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (BcsApplication) app = bcs_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
