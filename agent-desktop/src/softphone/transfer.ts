import type { Session, URI } from "sip.js";
import type { TransferState } from "./lines.ts";
import { sipfragStatus } from "./lines.ts";

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
