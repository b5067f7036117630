import { formatFrame, headerOf, type AmiFrame } from "./amiFrame.ts";

/** An AMI action: `Action` plus its headers; an array repeats a header (Originate `Variable`). */
export type AmiAction = { Action: string } & Record<string, string | string[] | undefined>;

/**
 * What an action got back. `events` holds the list items of a list action (CoreShowChannels,
 * QueueStatus…): the response says `EventList: start`, the items carry our ActionID and the last
 * event says `EventList: Complete` (docs.asterisk.org AMI_Actions/CoreShowChannels); it is not included.
 * `seq` numbers the frame that completed the answer on this connection: Asterisk writes the events it
 * queued before the action ahead of the answer, so events numbered below `seq` happened before it.
 */
export type AmiResult = { response: AmiFrame; events: AmiFrame[]; seq: number };

/** The PBX answered `Response: Error` (bad login, unknown channel, unknown action…). */
export class AmiActionError extends Error {
  constructor(
    readonly action: string,
    message: string,
  ) {
    super(`AMI ${action} failed: ${message}`);
    this.name = "AmiActionError";
  }
}

type Pending = {
  action: string;
  timeoutMs: number;
  timer: NodeJS.Timeout | undefined;
  response: AmiFrame | null;
  events: AmiFrame[];
  resolve: (result: AmiResult) => void;
  reject: (error: Error) => void;
};

export type ActionTableOptions = {
  /**
   * Prefix of our ActionIDs. It must be unique per session: `OriginateResponse` carries the
   * originator's ActionID and is delivered to every AMI session (fixtures README, click-to-call).
   */
  idPrefix: string;
  timeoutMs: number;
  write: (text: string) => boolean;
  onTimeout?: (action: string) => void;
};

export type ActionTable = {
  send: (action: AmiAction, timeoutMs?: number) => Promise<AmiResult>;
  /** Takes a frame that answers one of our actions; false when it is someone else's (an event). */
  accept: (frame: AmiFrame, seq: number) => boolean;
  rejectAll: (error: Error) => void;
  size: () => number;
};

export function createActionTable(options: ActionTableOptions): ActionTable {
  const pending = new Map<string, Pending>();
  let counter = 0;

  function arm(id: string, entry: Pending): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      pending.delete(id);
      options.onTimeout?.(entry.action);
      entry.reject(new Error(`AMI ${entry.action} timed out after ${entry.timeoutMs} ms`));
    }, entry.timeoutMs);
  }

  function settle(id: string, entry: Pending, outcome: AmiResult | Error): void {
    clearTimeout(entry.timer);
    pending.delete(id);
    if (outcome instanceof Error) {
      entry.reject(outcome);
    } else {
      entry.resolve(outcome);
    }
  }

  function send(action: AmiAction, timeoutMs = options.timeoutMs): Promise<AmiResult> {
    counter += 1;
    const id = `${options.idPrefix}-${counter}`;
    const { Action, ...headers } = action;
    return new Promise<AmiResult>((resolve, reject) => {
      // Throws (and so rejects) before anything is sent when a value carries a line break.
      const text = formatFrame({ Action, ActionID: id, ...headers });
      const entry: Pending = {
        action: Action,
        timeoutMs,
        timer: undefined,
        response: null,
        events: [],
        resolve,
        reject,
      };
      pending.set(id, entry);
      arm(id, entry);
      if (!options.write(text)) {
        settle(id, entry, new Error(`AMI ${Action} not sent: not connected`));
      }
    });
  }

  function acceptResponse(id: string, entry: Pending, frame: AmiFrame, seq: number): void {
    if (headerOf(frame, "Response") === "Error") {
      settle(id, entry, new AmiActionError(entry.action, headerOf(frame, "Message") ?? "error"));
    } else if (headerOf(frame, "EventList")?.toLowerCase() === "start") {
      entry.response = frame;
      arm(id, entry); // a long list keeps its action alive while items keep coming
    } else {
      settle(id, entry, { response: frame, events: [], seq });
    }
  }

  function accept(frame: AmiFrame, seq: number): boolean {
    const id = headerOf(frame, "ActionID");
    const entry = id === undefined ? undefined : pending.get(id);
    if (id === undefined || entry === undefined) {
      return false;
    }
    if (headerOf(frame, "Response") !== undefined) {
      acceptResponse(id, entry, frame, seq);
      return true;
    }
    if (entry.response === null) {
      return false; // an event with our ActionID before any list started (OriginateResponse)
    }
    if (headerOf(frame, "EventList")?.toLowerCase() === "complete") {
      settle(id, entry, { response: entry.response, events: entry.events, seq });
    } else {
      entry.events.push(frame);
      arm(id, entry);
    }
    return true;
  }

  function rejectAll(error: Error): void {
    for (const [id, entry] of [...pending]) {
      settle(id, entry, error);
    }
  }

  return { send, accept, rejectAll, size: () => pending.size };
}
