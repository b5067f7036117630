/*
 * The shell loads one web origin (the Okno server). It grants that origin the microphone and
 * notifications and nothing else, and never lets the window wander to another site: links elsewhere open
 * in the system browser, and schemes that could run code locally are refused.
 */

const GRANTED = new Set(["media", "notifications", "clipboard-sanitized-write"]);
const EXTERNAL_SCHEMES = new Set(["http:", "https:", "mailto:", "tel:"]);

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Whether to grant `permission` to a page at `requestingUrl`. For "media", only audio: a softphone has
 * no use for the camera.
 */
export function grantPermission(
  permission: string,
  requestingUrl: string,
  appUrl: string,
  mediaTypes: readonly string[] = [],
): boolean {
  if (originOf(requestingUrl) !== originOf(appUrl) || !GRANTED.has(permission)) {
    return false;
  }
  return permission !== "media" || mediaTypes.every((t) => t === "audio");
}

export type NavigationDecision = "stay" | "external" | "deny";

/** What to do when the page navigates or opens a window to `url`. */
export function decideNavigation(url: string, appUrl: string): NavigationDecision {
  const origin = originOf(url);
  if (origin !== null && origin === originOf(appUrl)) {
    return "stay";
  }
  try {
    return EXTERNAL_SCHEMES.has(new URL(url).protocol) ? "external" : "deny";
  } catch {
    return "deny";
  }
}
