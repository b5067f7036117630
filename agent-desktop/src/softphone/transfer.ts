import { SessionState, UserAgent } from "sip.js";
import type { Session, URI } from "sip.js";
import type { Line, TransferState } from "./lines.ts";
import { sipfragStatus } from "./lines.ts";
import { toDialString } from "./remoteParty.ts";
import type { DialOptions, SoftphoneHandlers } from "./softphone.ts";

/**
 * How long to wait, after the REFER was accepted (202), for the NOTIFY carrying the final outcome. A
 * SIP.js referee only notifies when the new call is answered; Asterisk notifies at once. Past this wait a
 * blind transfer counts as done: the PBX owns the customer's call from here.
 */
const FINAL_NOTIFY_WAIT_MS = 4000;

export interface ReferRequest {
  session: Session;
  /** A URI for a blind transfer, the established consult session for REFER with Replaces. */
  target: Session | URI | undefined;
  kind: Exclude<TransferState, "none">;
  markTransfer: (state: TransferState) => void;
  /** Ends our leg(s): neither SIP.js nor Asterisk hangs up the transferor (telephony.md §11, gotcha 4). */
  onSucceeded: () => Promise<void>;
  onFailed: (reason: string) => void;
}

/**
 * Sends the REFER and settles once: success on a 2xx sipfrag NOTIFY (or the wait above after 202),
 * failure on a REFER rejection or a ≥ 300 sipfrag, after which the customer stays on our (held) line.
 */
export async function startRefer(request: ReferRequest): Promise<void> {
  if (!request.target) {
    throw new Error("nowhere to transfer to");
  }
  request.markTransfer(request.kind);
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = (ok: boolean, reason: string) => {
    if (settled) {
      return;
    }
    settled = true;
    clearTimeout(timer);
    if (ok) {
      request.onSucceeded().catch(() => undefined);
    } else {
      request.markTransfer("none");
      request.onFailed(reason);
    }
  };
  await request.session.refer(request.target, {
    requestDelegate: {
      onAccept: () => {
        timer = setTimeout(() => settle(true, "accepted"), FINAL_NOTIFY_WAIT_MS);
      },
      onReject: (response) => settle(false, `REFER ${response.message.statusCode ?? 0}`),
    },
    onNotify: (notification) => {
      notification.accept().catch(() => undefined);
      const code = sipfragStatus(notification.request.body);
      if (code !== undefined && code >= 200) {
        settle(code < 300, `NOTIFY ${code}`);
      }
    },
  });
}

/** What the transfer controls need from the softphone that owns the sessions and lines. */
export interface TransferCore {
  domain: string;
  sessionOf: (lineId: string) => Session;
  lineOf: (lineId: string) => Line | undefined;
  markTransfer: (lineId: string, state: TransferState) => void;
  setHeld: (lineId: string, held: boolean) => Promise<void>;
  dial: (target: string, options: DialOptions) => Promise<string>;
  endSession: (lineId: string) => Promise<void>;
  handlers: Pick<SoftphoneHandlers, "onTransferred" | "onTransferFailed">;
}

export interface TransferControls {
  blindTransfer: (lineId: string, target: string) => Promise<void>;
  /** Holds the customer on `lineId` and calls `target` (with `extraHeaders`); returns the consult line id. */
  startConsult: (
    lineId: string,
    target: string,
    options?: Omit<DialOptions, "consultFor">,
  ) => Promise<string>;
  /** REFER with Replaces: the customer is connected to the consulted colleague and both our legs end. */
  completeTransfer: (consultLineId: string) => Promise<void>;
  /** Hangs up the consult call and takes the customer off hold. */
  cancelConsult: (consultLineId: string) => Promise<void>;
}

/**
 * Blind transfer (REFER to a number) and warm transfer (hold the customer, consult a colleague, then
 * REFER with Replaces so the customer takes the consult call's place), on top of startRefer.
 */
export function createTransferControls(core: TransferCore): TransferControls {
  const refer = (lineId: string, target: Session | string, to: string, alsoEnd: string | undefined) =>
    startRefer({
      session: core.sessionOf(lineId),
      target: typeof target === "string" ? UserAgent.makeURI(`sip:${target}@${core.domain}`) : target,
      kind: alsoEnd ? "attended" : "blind",
      markTransfer: (state) => core.markTransfer(lineId, state),
      // The consult leg is normally ended by the colleague's phone (BYE to the replaced dialog).
      onSucceeded: async () => {
        core.handlers.onTransferred?.(lineId, alsoEnd ? "attended" : "blind", to);
        await Promise.all([core.endSession(lineId), alsoEnd ? core.endSession(alsoEnd) : undefined]);
      },
      onFailed: (reason) => core.handlers.onTransferFailed?.(lineId, reason),
    });

  return {
    async blindTransfer(lineId, target) {
      const dialString = toDialString(target);
      if (!dialString) {
        throw new Error(`not a dialable number: ${target}`);
      }
      await refer(lineId, dialString, dialString, undefined);
    },
    async startConsult(lineId, target, options = {}) {
      await core.setHeld(lineId, true);
      return core.dial(target, { ...options, consultFor: lineId });
    },
    async completeTransfer(consultLineId) {
      const consultLine = core.lineOf(consultLineId);
      const customerId = consultLine?.consultFor;
      const consult = core.sessionOf(consultLineId);
      // SIP.js can only build Replaces from an established dialog (onsip/SIP.js #874).
      if (!consultLine || !customerId || consult.state !== SessionState.Established) {
        throw new Error("the consult call is not connected");
      }
      await refer(customerId, consult, consultLine.number, consultLineId);
    },
    async cancelConsult(consultLineId) {
      const customerId = core.lineOf(consultLineId)?.consultFor;
      await core.endSession(consultLineId);
      if (customerId) {
        await core.setHeld(customerId, false);
      }
    },
  };
}
