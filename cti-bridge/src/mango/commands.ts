import { randomUUID } from "node:crypto";
import type { Writable } from "node:stream";
import { createMangoHttp, MangoApiError, resultOf, type MangoHttpOptions } from "./mangoHttp.ts";
import { downloadRecording, type RecordingDownload } from "./recording.ts";

/** Mango took the command; its outcome arrives later on result/<command> with the same command_id. */
export type CommandAccepted = { commandId: string; result: number | null };

/** A number as Mango writes it: "+74951234567" → "74951234567"; an extension stays as it is. */
export function toMangoNumber(party: string): string {
  return party.replace(/^\+/, "");
}

export type MangoCommands = {
  /** Click-to-call: Mango rings the employee `fromExt` first, then `toNumber` (PDF §3.2, commands/callback). */
  callback(args: {
    fromExt: string;
    fromNumber?: string;
    toNumber: string;
    lineNumber?: string;
  }): Promise<CommandAccepted>;
  /**
   * commands/transfer: `blind`, or `hold` = consultative (the customer waits on hold while `initiator`,
   * an employee on the call, talks to `toNumber`; finish with callsConnect, undo with transferCancel).
   */
  transfer(args: {
    callId: string;
    method: "blind" | "hold";
    toNumber: string;
    initiator: string;
  }): Promise<CommandAccepted>;
  /** commands/calls_connect: joins the OnHold leg and the consult leg (same entry_id) = completes a warm transfer. */
  callsConnect(args: {
    heldCallId: string;
    transferInitiatorNumber: string;
    transferredCallId: string;
  }): Promise<CommandAccepted>;
  /** commands/transfer_cancel: cancels a consultative transfer; `callId` is the OnHold leg. */
  transferCancel(args: { callId: string }): Promise<CommandAccepted>;
  /** commands/route: sends a leg still in the IVR, a queue or ringing (Appeared) to an employee, group or number. */
  route(args: { callId: string; toNumber: string }): Promise<CommandAccepted>;
  /** commands/call/hangup: ends a leg in the IVR or with an employee. */
  hangup(args: { callId: string }): Promise<CommandAccepted>;
  /** Streams a recording into `sink` through the one-time 302 link (recording.ts). */
  downloadRecording(
    recordingId: string,
    sink: Writable,
    options?: { timeoutMs?: number },
  ): Promise<RecordingDownload>;
};

export type MangoCommandsOptions = MangoHttpOptions & {
  /** command_id generator (≤ 128 bytes, PDF §3.2); the default is "okno-<uuid>". */
  newCommandId?: () => string;
};

/**
 * The commands client (VPBX API v1.9 §3.2, telephony.md §1.5): signed form POSTs to
 * `<MANGO_API_URL>commands/<name>`, i.e. https://app.mango-office.ru/vpbx/commands/callback by default.
 * Mango answers at once whether it took the command ({"result": 1000}); anything else is thrown as a
 * MangoApiError, 5xx and 429 after retries with backoff.
 */
export function createMangoCommands(options: MangoCommandsOptions): MangoCommands {
  const http = createMangoHttp(options);
  const newCommandId = options.newCommandId ?? (() => `okno-${randomUUID()}`);

  async function send(name: string, fields: Record<string, unknown>): Promise<CommandAccepted> {
    const commandId = newCommandId();
    const res = await http.post(`commands/${name}`, { command_id: commandId, ...fields });
    const result = await resultOf(res);
    if (res.status !== 200) {
      throw new MangoApiError("http", `mango commands/${name} answered ${res.status}`, res.status, result);
    }
    if (result !== null && result !== 1000) {
      throw new MangoApiError(
        "rejected",
        `mango commands/${name} refused with ${result}`,
        res.status,
        result,
      );
    }
    http.log.info({ command: name, commandId }, "mango command sent");
    return { commandId, result };
  }

  return {
    callback: ({ fromExt, fromNumber, toNumber, lineNumber }) =>
      send("callback", {
        from:
          fromNumber === undefined
            ? { extension: fromExt }
            : { extension: fromExt, number: toMangoNumber(fromNumber) },
        to_number: toMangoNumber(toNumber),
        ...(lineNumber === undefined ? {} : { line_number: toMangoNumber(lineNumber) }),
      }),
    transfer: ({ callId, method, toNumber, initiator }) =>
      send("transfer", { call_id: callId, method, to_number: toMangoNumber(toNumber), initiator }),
    callsConnect: ({ heldCallId, transferInitiatorNumber, transferredCallId }) =>
      send("calls_connect", {
        holded_call_id: heldCallId,
        transfer_initiator_number: toMangoNumber(transferInitiatorNumber),
        transferred_call_id: transferredCallId,
      }),
    transferCancel: ({ callId }) => send("transfer_cancel", { call_id: callId }),
    route: ({ callId, toNumber }) => send("route", { call_id: callId, to_number: toMangoNumber(toNumber) }),
    hangup: ({ callId }) => send("call/hangup", { call_id: callId }),
    downloadRecording: (recordingId, sink, opts) => downloadRecording(http, recordingId, sink, opts),
  };
}
