/**
 * Registers /sw.js (public/sw.js): it caches the app shell so the desktop opens instantly and installs
 * as a PWA; API answers are never cached. Production builds only: the dev server must stay uncached.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  });
}
