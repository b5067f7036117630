import type { Line } from "../softphone/lines.ts";
import type { ShortcutAction } from "./oknoShell.ts";

export type LineCommand = "answer" | "reject" | "hangup" | "toggleMute";

/**
 * Which softphone line a global shortcut acts on. Answer: the ringing call. Hang up: the call the agent
 * talks on (a consult call before the customer held for it), else one being dialled, else a ringing call
 * is declined, and only then a held call is ended (never a held customer by mistake while another rings).
 * Mute: the call the agent talks on. Null when there is nothing to act on.
 */
export function shortcutTarget(
  action: ShortcutAction,
  lines: readonly Line[],
): { command: LineCommand; lineId: string } | null {
  const first = (status: Line["status"]) => lines.find((line) => line.status === status);
  const active = lines.find((line) => line.status === "active" && line.consultFor) ?? first("active");
  switch (action) {
    case "answer": {
      const ringing = first("incoming");
      return ringing ? { command: "answer", lineId: ringing.id } : null;
    }
    case "hangup": {
      const talking = active ?? first("dialing");
      const ringing = first("incoming");
      const held = first("held");
      if (talking) {
        return { command: "hangup", lineId: talking.id };
      }
      if (ringing) {
        return { command: "reject", lineId: ringing.id };
      }
      return held ? { command: "hangup", lineId: held.id } : null;
    }
    case "mute":
      return active ? { command: "toggleMute", lineId: active.id } : null;
  }
}
