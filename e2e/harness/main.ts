// A bare page around the desktop's softphone module, for the e2e journeys: the external caller (who has
// no Okno account) and, until the journeys drive the full app, the agents. Playwright calls `window.phone`.
import { createSoftphone } from "../../agent-desktop/src/softphone/softphone.ts";
import type { Softphone, SoftphoneSnapshot } from "../../agent-desktop/src/softphone/softphone.ts";
import type { SipCredentials } from "@okno/contracts";
import type { HarnessEvent, HarnessPhone } from "./harnessApi.ts";

let softphone: Softphone | undefined;
let snapshot: SoftphoneSnapshot | undefined;
const events: HarnessEvent[] = [];

function logToConsole(level: string, category: string, content: string): void {
  // eslint-disable-next-line no-console -- the page console is how the test process sees SIP.js's log
  console.log(`[${level}] ${category} ${content}`);
}

function render(): void {
  const state = document.getElementById("state");
  if (state) {
    state.textContent = JSON.stringify({ snapshot, events }, null, 2);
  }
}

function phone(): Softphone {
  if (!softphone) {
    throw new Error("call phone.start() first");
  }
  return softphone;
}

const api: HarnessPhone = {
  async start(credentials: SipCredentials) {
    document.getElementById("who")!.textContent = `${credentials.displayName} (${credentials.extension})`;
    softphone = createSoftphone(
      credentials,
      {
        onChange: (next) => {
          snapshot = next;
          render();
        },
        onIncoming: (line) => events.push({ type: "incoming", line, at: performance.now() }),
        onReplaced: (line, replacedId) =>
          events.push({ type: "replaced", line, replacedId, at: performance.now() }),
        onEnded: (line) => events.push({ type: "ended", line, at: performance.now() }),
        onTransferFailed: (lineId, reason) =>
          events.push({ type: "transferFailed", lineId, reason, at: performance.now() }),
      },
      {
        // ?debug in the URL: SIP.js logs to the console (the Node side prints it with E2E_DEBUG set).
        log: location.search.includes("debug") ? logToConsole : undefined,
      },
    );
    await softphone.start();
  },
  stop: () => phone().stop(),
  snapshot: () => snapshot,
  events: () => events,
  dial: (target, extraHeaders) => phone().dial(target, { extraHeaders }),
  answer: (lineId) => phone().answer(lineId),
  reject: (lineId) => phone().reject(lineId),
  hangup: (lineId) => phone().hangup(lineId),
  setMuted: (lineId, muted) => phone().setMuted(lineId, muted),
  setHeld: (lineId, held) => phone().setHeld(lineId, held),
  sendDtmf: (lineId, tones) => phone().sendDtmf(lineId, tones),
  blindTransfer: (lineId, target) => phone().blindTransfer(lineId, target),
  startConsult: (lineId, target) => phone().startConsult(lineId, target),
  completeTransfer: (lineId) => phone().completeTransfer(lineId),
  cancelConsult: (lineId) => phone().cancelConsult(lineId),
  mediaStats: (lineId) => phone().mediaStats(lineId),
};
window.phone = api;
