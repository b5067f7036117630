import { parseShortcuts, type ShortcutMap } from "./shortcuts.ts";

export interface ShellConfig {
  /** The Okno server whose agent desktop the window shows. */
  appUrl: string;
  shortcuts: ShortcutMap;
}

/** Reads the shell's environment once; every problem is reported together. */
export function readShellConfig(env: Record<string, string | undefined>): ShellConfig {
  const problems: string[] = [];
  const appUrl = env.OKNO_URL?.trim() || "http://127.0.0.1:8080";
  try {
    const { protocol } = new URL(appUrl);
    if (protocol !== "http:" && protocol !== "https:") {
      problems.push(`OKNO_URL: must be http(s), got ${protocol}`);
    }
  } catch {
    problems.push(`OKNO_URL: not a URL: ${appUrl}`);
  }
  const parsed = parseShortcuts(env.OKNO_SHORTCUTS);
  problems.push(...parsed.problems.map((p) => `OKNO_SHORTCUTS: ${p}`));
  if (problems.length > 0) {
    throw new Error(`Invalid shell configuration:\n${problems.join("\n")}`);
  }
  return { appUrl, shortcuts: parsed.shortcuts };
}
