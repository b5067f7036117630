/**
 * The one place that reads Vite's build-time environment (the lint rule keeps it so). The desktop has no
 * secrets: SIP credentials come from crm-api after login.
 */
export const config = {
  /** Production builds register the service worker; the dev server must not cache anything. */
  isProduction: import.meta.env.PROD,
  /** The API and the socket live on the page's own origin (crm-api serves the app; Vite proxies in dev). */
  apiBase: "/api/v1",
  wsPath: "/api/v1/ws",
};
