import type { Line } from "../../agent-desktop/src/softphone/lines.ts";
import type { MediaStats } from "../../agent-desktop/src/softphone/sessionMedia.ts";
import type { SipCredentials } from "@okno/contracts";
import type { SoftphoneSnapshot } from "../../agent-desktop/src/softphone/softphone.ts";

/** What the harness page exposes as `window.phone` (shared by the page and the Node side of the tests). */
export type HarnessEvent =
  | { type: "incoming"; line: Line; at: number }
  | { type: "replaced"; line: Line; replacedId: string; at: number }
  | { type: "ended"; line: Line; at: number }
  | { type: "transferFailed"; lineId: string; reason: string; at: number };

export interface HarnessPhone {
  start: (credentials: SipCredentials) => Promise<void>;
  stop: () => Promise<void>;
  snapshot: () => SoftphoneSnapshot | undefined;
  events: () => HarnessEvent[];
  dial: (target: string, extraHeaders?: string[]) => Promise<string>;
  answer: (lineId: string) => Promise<void>;
  reject: (lineId: string) => Promise<void>;
  hangup: (lineId: string) => Promise<void>;
  setMuted: (lineId: string, muted: boolean) => void;
  setHeld: (lineId: string, held: boolean) => Promise<void>;
  sendDtmf: (lineId: string, tones: string) => Promise<void>;
  blindTransfer: (lineId: string, target: string) => Promise<void>;
  startConsult: (lineId: string, target: string) => Promise<string>;
  completeTransfer: (lineId: string) => Promise<void>;
  cancelConsult: (lineId: string) => Promise<void>;
  mediaStats: (lineId: string) => Promise<MediaStats | undefined>;
}

declare global {
  interface Window {
    phone: HarnessPhone;
  }
}
