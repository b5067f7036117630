// Types only: the schemas live with the shell, which validates every message on its side of the IPC.
import type {
  AgentStateMessage,
  NotifyMessage,
  RequestStateMessage,
  ShortcutAction,
} from "../../electron/src/shell/ipc.ts";

export type { AgentStateMessage, NotifyMessage, RequestStateMessage, ShortcutAction };

/**
 * `window.oknoShell`, as agent-desktop/electron/src/preload.ts exposes it inside the Electron shell. The
 * listeners cannot be removed (preload offers no way), so the app registers each one once per page.
 */
export interface OknoShell {
  /** The tray's label, icon and timer follow the agent's state. */
  setAgentState: (message: AgentStateMessage) => void;
  /** An OS notification; clicking it raises the window. */
  notify: (message: NotifyMessage) => void;
  /** A global shortcut (answer, hang up, mute) pressed while another program had focus. */
  onShortcut: (listener: (action: ShortcutAction) => void) => void;
  /** The agent picked a state in the tray menu. */
  onRequestState: (listener: (request: RequestStateMessage) => void) => void;
}

const METHODS = ["setAgentState", "notify", "onShortcut", "onRequestState"] as const;

/** The shell's API, or null in a plain browser (or a shell too old to have all of it). */
export function getOknoShell(): OknoShell | null {
  const candidate: unknown = (globalThis as { oknoShell?: unknown }).oknoShell;
  if (typeof candidate !== "object" || candidate === null) {
    return null;
  }
  const api = candidate as Record<string, unknown>;
  return METHODS.every((name) => typeof api[name] === "function") ? (candidate as OknoShell) : null;
}
