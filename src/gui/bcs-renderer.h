/* bcs-renderer.h — no GL renderer on a software GL, as GTK itself decides from 4.14 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Whether GL_RENDERER names Mesa's software rasterizer (llvmpipe, softpipe) */
gboolean    bcs_renderer_is_software_gl (const char *gl_renderer);

/* The renderer the windows should be given ("cairo"), or NULL to leave the
 * choice to GTK: when GSK_RENDERER (ENV_RENDERER) names one, when GTK is
 * 4.14 or newer (GTK_MINOR; it skips software GL itself) and when the GL is
 * not software (GL_RENDERER; NULL: no GL, GTK falls back to cairo). Pure. */
const char *bcs_renderer_pick           (const char *env_renderer,
                                         guint       gtk_minor,
                                         const char *gl_renderer);

/* GL_RENDERER of a GL context made on DISPLAY; NULL when it has no GL */
char       *bcs_renderer_probe_gl       (GdkDisplay *display);

/* Asks DISPLAY's GL which renderer it is (once per display) and, per
 * bcs_renderer_pick, has the windows opened on DISPLAY from now on drawn
 * with cairo. Call before the first window is shown. Returns the renderer
 * set by this call, or NULL. */
const char *bcs_renderer_choose         (GdkDisplay *display);

G_END_DECLS
