// Where mini-programs live on screen. The runtime (a separate module) mounts an app view in
// appContainer() — a full-screen overlay above the shell, hidden while empty — and registers its
// launcher with setAppLauncher(), which the shell calls when the user opens an app (home, scan of
// a launch link). Keep these exports stable: the runtime imports them.

let launcher = null;

/** The element in which the runtime mounts an app view (full-screen overlay). */
export function appContainer() {
  return document.getElementById('appframe-slot');
}

/**
 * The runtime registers `fn(appId, {page, query, scene, path})` here; it returns a Promise that
 * settles once the app view is shown.
 */
export function setAppLauncher(fn) {
  launcher = fn;
}

/**
 * Opens a mini-program; scene is one of search, recent, favourite, featured, qr, link. Falls back
 * to loading the runtime's module when it has not registered yet.
 */
export async function launchApp(appId, options = {}) {
  if (!launcher) {
    try {
      await import('/shell/runtime.js');
    } catch (e) {
      // The runtime is not installed on this server.
    }
  }
  if (!launcher) {
    throw new Error('Mini-programs are not available on this server yet.');
  }
  return launcher(appId, options);
}
