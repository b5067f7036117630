import { z } from "zod";

/*
 * The only messages that cross between the web app (renderer) and the Electron main process. Both sides
 * validate: the renderer runs remote web content, so main never trusts its payloads.
 */

export const IPC = {
  /** renderer → main: the agent's state changed (tray label and icon follow). */
  agentState: "okno:agent-state",
  /** renderer → main: show an OS notification (incoming call, callback reminder). */
  notify: "okno:notify",
  /** main → renderer: a global shortcut was pressed. */
  shortcut: "okno:shortcut",
  /** main → renderer: the agent picked a state in the tray menu; the app asks crm-api to apply it. */
  requestState: "okno:request-state",
} as const;

/** The states the tray shows; the same names as crm-api's agent states. */
export const ShellAgentState = z.enum(["available", "paused", "acw", "offline"]);
export type ShellAgentState = z.infer<typeof ShellAgentState>;

export const AgentStateMessage = z.strictObject({
  state: ShellAgentState,
  /** Pause reason as the agent sees it («Обед»), already translated by the app. */
  reason: z.string().max(100).optional(),
  /** When the state began (ISO 8601), for the timer in the tray tooltip. */
  since: z.iso.datetime({ offset: true }),
  /** A call is ringing or in progress: the tray shows it and "hang up" makes sense. */
  onCall: z.boolean().default(false),
});
export type AgentStateMessage = z.infer<typeof AgentStateMessage>;

export const NotifyMessage = z.strictObject({
  title: z.string().min(1).max(200),
  body: z.string().max(1000).default(""),
  /** Incoming calls stay until acted on; reminders too. */
  urgent: z.boolean().default(false),
});
export type NotifyMessage = z.infer<typeof NotifyMessage>;

export const ShortcutAction = z.enum(["answer", "hangup", "mute"]);
export type ShortcutAction = z.infer<typeof ShortcutAction>;

export const RequestStateMessage = z.strictObject({
  state: ShellAgentState,
  reason: z.string().max(100).optional(),
});
export type RequestStateMessage = z.infer<typeof RequestStateMessage>;
