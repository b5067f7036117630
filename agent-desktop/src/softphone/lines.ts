/**
 * The softphone's lines (at most two: a call and a waiting or consult call), as plain data.
 *
 * A line follows its SIP.js session:
 * ```txt
 *  incoming ──answer──► active ⇄ held            (hold/unhold: re-INVITE with sendonly/sendrecv)
 *  dialing ──200 OK──► active                     (outgoing, or a consult call for a warm transfer)
 *  any ──BYE / CANCEL / reject / REFER done──► ended (removed from the list right after `onEnded`)
 * ```
 * A consult line points at the customer's line (`consultFor`): completing the transfer REFERs the
 * customer to the consulted colleague (REFER with Replaces), cancelling hangs up the consult call and
 * takes the customer off hold.
 */
export type LineStatus = "incoming" | "dialing" | "active" | "held" | "ended";
export type TransferState = "none" | "blind" | "attended";

export interface Line {
  id: string;
  direction: "in" | "out";
  /** The remote number or extension as signalled (see remoteParty.ts). */
  number: string;
  displayName: string | undefined;
  pbxCallId: string | undefined;
  status: LineStatus;
  muted: boolean;
  /** Line id of the customer call this consult call is about (warm transfer), if any. */
  consultFor: string | undefined;
  /** A REFER is in flight from this line. */
  transfer: TransferState;
  startedAt: number;
  answeredAt: number | undefined;
}

export const MAX_LINES = 2;

export type NewLine = Pick<Line, "id" | "direction" | "number" | "displayName" | "pbxCallId"> & {
  consultFor?: string;
  now: number;
};

export function makeLine(init: NewLine): Line {
  return {
    id: init.id,
    direction: init.direction,
    number: init.number,
    displayName: init.displayName,
    pbxCallId: init.pbxCallId,
    status: init.direction === "in" ? "incoming" : "dialing",
    muted: false,
    consultFor: init.consultFor,
    transfer: "none",
    startedAt: init.now,
    answeredAt: undefined,
  };
}

/** Mirrors SIP.js `SessionState` onto a line; unknown lines are left alone. */
export function applySessionState(
  lines: readonly Line[],
  id: string,
  state: "Initial" | "Establishing" | "Established" | "Terminating" | "Terminated",
  now: number,
): Line[] {
  return lines.map((line) => {
    if (line.id !== id) {
      return line;
    }
    if (state === "Established" && (line.status === "incoming" || line.status === "dialing")) {
      return { ...line, status: "active", answeredAt: now };
    }
    if (state === "Terminated") {
      return { ...line, status: "ended" };
    }
    return line;
  });
}

export function updateLine(lines: readonly Line[], id: string, patch: Partial<Line>): Line[] {
  return lines.map((line) => (line.id === id ? { ...line, ...patch } : line));
}

export function removeLine(lines: readonly Line[], id: string): Line[] {
  // A consult call outliving its customer line is an ordinary call now.
  return lines
    .filter((line) => line.id !== id)
    .map((line) => (line.consultFor === id ? { ...line, consultFor: undefined } : line));
}

/** A third call gets 486 Busy Here: two lines is what one person can juggle. */
export function hasFreeLine(lines: readonly Line[]): boolean {
  return lines.filter((line) => line.status !== "ended").length < MAX_LINES;
}

/** Lines to put on hold before `id` is answered or dialled, so the agent speaks to one party at a time. */
export function linesToHold(lines: readonly Line[], id: string | undefined): Line[] {
  return lines.filter((line) => line.id !== id && line.status === "active");
}

/** The line the panel shows first: ringing beats talking beats holding. */
export function focusedLine(lines: readonly Line[]): Line | undefined {
  const rank: Record<LineStatus, number> = { incoming: 0, active: 1, dialing: 2, held: 3, ended: 4 };
  return [...lines].sort((a, b) => rank[a.status] - rank[b.status] || a.startedAt - b.startedAt)[0];
}

/** Reads the final status code out of a REFER progress NOTIFY body (`SIP/2.0 200 OK`, RFC 3515). */
export function sipfragStatus(body: string): number | undefined {
  const match = /^SIP\/2\.0\s+(\d{3})/.exec(body.trim());
  return match ? Number(match[1]) : undefined;
}
