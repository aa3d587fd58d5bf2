/* bcs-renderer.c — no GL renderer on a software GL, as GTK itself decides from 4.14
 *
 * GTK 4.8 draws with OpenGL whenever a GL context can be made, also when the
 * GL is Mesa's llvmpipe: every frame then rasterizes the whole window on the
 * CPU, on a virtual machine or a remote desktop without a GPU, or under Xvfb.
 * Showing a screenful of results took 50–100 ms a frame that way, against
 * 20–35 ms with the cairo renderer, which redraws only what changed. From
 * GTK 4.14 on, GSK skips its GPU renderers on llvmpipe by itself ("gsk: Don't
 * use gpu renderers with llvmpipe"); this gives GTK 4.8 the same choice. A
 * renderer named in GSK_RENDERER is always kept. */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <string.h>

#include <epoxy/gl.h>

#include "bcs-renderer.h"

/* GSK reads a renderer name a display carries before GSK_RENDERER and its
 * own choice (the inspector uses it); unlike the variable, it can be set
 * safely while threads run */
#define DISPLAY_RENDERER_KEY "gsk-renderer"
/* The display's GL was asked once already */
#define DISPLAY_PROBED_KEY   "bcs-renderer-probed"

gboolean
bcs_renderer_is_software_gl (const char *gl_renderer)
{
  return gl_renderer != NULL
         && (strstr (gl_renderer, "llvmpipe") != NULL || strstr (gl_renderer, "softpipe") != NULL);
}

const char *
bcs_renderer_pick (const char *env_renderer,
                   guint       gtk_minor,
                   const char *gl_renderer)
{
  if (env_renderer != NULL && *env_renderer != '\0')
    return NULL;
  if (gtk_minor >= 14)
    return NULL;
  return bcs_renderer_is_software_gl (gl_renderer) ? "cairo" : NULL;
}

char *
bcs_renderer_probe_gl (GdkDisplay *display)
{
  g_autoptr (GdkGLContext) context = NULL;
  g_autoptr (GError) error = NULL;
  const char *name;
  char *renderer;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_debug ("No OpenGL on this display (%s): GTK draws with cairo", error != NULL ? error->message : "?");
      return NULL;
    }
  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  renderer = g_strdup (name);
  gdk_gl_context_clear_current ();
  return renderer;
}

const char *
bcs_renderer_choose (GdkDisplay *display)
{
  g_autofree char *gl_renderer = NULL;
  const char *env_renderer = g_getenv ("GSK_RENDERER");
  const char *picked;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  /* nothing to probe when the choice is not ours, or was made */
  if (bcs_renderer_pick (env_renderer, gtk_get_minor_version (), "llvmpipe") == NULL
      || g_object_get_data (G_OBJECT (display), DISPLAY_RENDERER_KEY) != NULL
      || g_object_get_data (G_OBJECT (display), DISPLAY_PROBED_KEY) != NULL)
    return NULL;

  gl_renderer = bcs_renderer_probe_gl (display);
  g_object_set_data (G_OBJECT (display), DISPLAY_PROBED_KEY, GINT_TO_POINTER (TRUE));
  picked = bcs_renderer_pick (env_renderer, gtk_get_minor_version (), gl_renderer);
  if (picked != NULL)
    {
      g_debug ("OpenGL is software (%s): drawing with %s, as GTK 4.14 would", gl_renderer, picked);
      g_object_set_data (G_OBJECT (display), DISPLAY_RENDERER_KEY, (gpointer) picked);
    }
  return picked;
}
