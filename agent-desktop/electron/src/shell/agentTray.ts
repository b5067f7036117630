import type { AgentStateMessage, RequestStateMessage, ShellAgentState } from "./ipc.ts";

/*
 * What the tray shows for an agent state: icon, tooltip with the timer, and a menu to change state.
 * Pure, so it is tested without Electron; main.ts turns it into Menu.buildFromTemplate input.
 */

export interface TrayItem {
  label: string;
  /** A state to request from crm-api when clicked; absent for headers and separators. */
  request?: RequestStateMessage;
  /** "show" raises the window, "quit" leaves the app. */
  command?: "show" | "quit";
  checked?: boolean;
  enabled?: boolean;
  separator?: boolean;
}

export interface TrayView {
  icon: `tray-${ShellAgentState}`;
  tooltip: string;
  items: TrayItem[];
}

const STATE_LABELS: Record<ShellAgentState, string> = {
  available: "Доступен",
  paused: "Пауза",
  acw: "Обработка после звонка",
  offline: "Не в сети",
};

/** The pause reasons the desktop offers; crm-api keeps the same list. */
export const PAUSE_REASONS = ["Обед", "Перерыв", "Обучение", "Другое"] as const;

/** "5:07" under an hour, "1:02:03" beyond; the agent reads it at a glance. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

export function trayView(current: AgentStateMessage | null, now: Date): TrayView {
  const state = current?.state ?? "offline";
  const label = STATE_LABELS[state] + (current?.reason ? ` — ${current.reason}` : "");
  const elapsed = current ? ` · ${formatElapsed(now.getTime() - Date.parse(current.since))}` : "";
  const call = current?.onCall ? " · идёт звонок" : "";
  const pausedFor = state === "paused" ? current?.reason : undefined;
  const items: TrayItem[] = [
    { label: `${label}${elapsed}`, enabled: false },
    { label: "", separator: true },
    { label: STATE_LABELS.available, request: { state: "available" }, checked: state === "available" },
    ...PAUSE_REASONS.map((reason) => ({
      label: `${STATE_LABELS.paused}: ${reason}`,
      request: { state: "paused" as const, reason },
      checked: pausedFor === reason,
    })),
    { label: STATE_LABELS.offline, request: { state: "offline" }, checked: state === "offline" },
    { label: "", separator: true },
    { label: "Открыть Окно", command: "show" },
    { label: "Выход", command: "quit" },
  ];
  return { icon: `tray-${state}`, tooltip: `Окно — ${label}${elapsed}${call}`, items };
}
