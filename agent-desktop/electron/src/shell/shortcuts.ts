import type { ShortcutAction } from "./ipc.ts";

/*
 * Global shortcuts work while another application has focus: an agent typing in 1C answers the call
 * without switching windows. Accelerators use Electron's syntax; the defaults avoid the combinations
 * 1C, browsers and office suites already take.
 */

export type ShortcutMap = Record<ShortcutAction, string>;

export const DEFAULT_SHORTCUTS: ShortcutMap = {
  answer: "CommandOrControl+Alt+A",
  hangup: "CommandOrControl+Alt+H",
  mute: "CommandOrControl+Alt+M",
};

const MODIFIERS = new Set([
  "Command",
  "Cmd",
  "Control",
  "Ctrl",
  "CommandOrControl",
  "CmdOrCtrl",
  "Alt",
  "Option",
  "AltGr",
  "Shift",
  "Super",
  "Meta",
]);
const KEY =
  /^([A-Z0-9]|F([1-9]|1\d|2[0-4])|Space|Enter|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Up|Down|Left|Right|Esc|Tab|Plus|num[0-9])$/;

/** Why an accelerator is unusable, or null when it is fine. A global shortcut needs a modifier. */
export function acceleratorProblem(accelerator: string): string | null {
  const parts = accelerator.split("+").map((p) => p.trim());
  const key = parts.pop() ?? "";
  if (parts.length === 0) {
    return "needs at least one modifier (Ctrl, Alt, Shift…)";
  }
  const unknown = parts.find((p) => !MODIFIERS.has(p));
  if (unknown !== undefined) {
    return `unknown modifier "${unknown}"`;
  }
  if (!KEY.test(key)) {
    return `unknown key "${key}"`;
  }
  return null;
}

const ACTIONS = Object.keys(DEFAULT_SHORTCUTS) as ShortcutAction[];

/**
 * Reads overrides such as "answer=Ctrl+Shift+F9,hangup=Ctrl+Shift+F10" (OKNO_SHORTCUTS). Every problem
 * is reported at once; the defaults fill what is not overridden.
 */
export function parseShortcuts(spec: string | undefined): { shortcuts: ShortcutMap; problems: string[] } {
  const shortcuts = { ...DEFAULT_SHORTCUTS };
  const problems: string[] = [];
  for (const entry of (spec ?? "").split(",").filter((e) => e.trim() !== "")) {
    const [name = "", accelerator = ""] = entry.split("=").map((s) => s.trim());
    if (!ACTIONS.includes(name as ShortcutAction)) {
      problems.push(`${name || entry}: unknown action (expected ${ACTIONS.join(", ")})`);
      continue;
    }
    const problem = acceleratorProblem(accelerator);
    if (problem) {
      problems.push(`${name}: ${problem}`);
      continue;
    }
    shortcuts[name as ShortcutAction] = accelerator;
  }
  const seen = new Map<string, ShortcutAction>();
  for (const action of ACTIONS) {
    const key = shortcuts[action].toLowerCase();
    const other = seen.get(key);
    if (other) {
      problems.push(`${action}: same shortcut as ${other}`);
    }
    seen.set(key, action);
  }
  return { shortcuts, problems };
}

/** The part of Electron's globalShortcut this module uses. */
export interface GlobalShortcutApi {
  register(accelerator: string, callback: () => void): boolean;
  unregisterAll(): void;
}

/**
 * Registers every shortcut; returns the actions whose combination another application already holds,
 * so the shell can tell the agent instead of failing silently.
 */
export function registerShortcuts(
  api: GlobalShortcutApi,
  shortcuts: ShortcutMap,
  onAction: (action: ShortcutAction) => void,
): ShortcutAction[] {
  api.unregisterAll();
  return ACTIONS.filter((action) => !api.register(shortcuts[action], () => onAction(action)));
}
