import { useAgentState } from "../agent/agentStore.ts";
import type { Card } from "../calls/applyEvent.ts";
import { cardTitle } from "../calls/cardLabels.ts";
import { useCalls } from "../calls/callStore.ts";
import { CALLBACKS_NS } from "../callbacks/i18n.ts";
import { i18n } from "../i18n/i18n.ts";
import { canNotify } from "../softphone/callNotification.ts";
import type { OknoShell, RequestStateMessage, ShortcutAction } from "./oknoShell.ts";
import { isOnCall, toAgentStatePut, toShellState } from "./shellState.ts";
import { shortcutTarget } from "./shortcutTarget.ts";

interface ShellHandlers {
  onShortcut: (action: ShortcutAction) => Promise<void>;
  onRequestState: (request: RequestStateMessage) => Promise<void>;
}

/** The signed-in app's handlers; null after logout, when the tray and shortcuts have nobody to act for. */
let active: ShellHandlers | null = null;
/** The preload's listeners cannot be removed: each shell gets one of each, routed to `active`. */
const listening = new WeakSet<OknoShell>();

/** The SIP stack is a lazy chunk (loaded right after the first paint): shortcuts reach it through here. */
const loadSoftphone = () => import("../softphone/softphoneStore.ts").then((m) => m.useSoftphone);

async function runShortcut(action: ShortcutAction): Promise<void> {
  const softphone = (await loadSoftphone()).getState();
  const target = shortcutTarget(action, softphone.lines);
  if (!target) {
    return;
  }
  switch (target.command) {
    case "answer":
      return softphone.answer(target.lineId);
    case "reject":
      return softphone.reject(target.lineId);
    case "hangup":
      return softphone.hangup(target.lineId);
    case "toggleMute":
      softphone.toggleMute(target.lineId);
      return;
  }
}

/**
 * An incoming call while the window lacks focus. When the page is hidden and the app's own softphone is
 * registered with notifications allowed, the softphone already shows one for its SIP call
 * (softphone/callNotification.ts): the shell stays quiet rather than show it twice.
 */
async function notifyIncoming(shell: OknoShell, card: Card): Promise<void> {
  if (document.hasFocus()) {
    return;
  }
  if (document.hidden && canNotify() && Notification.permission === "granted") {
    const softphone = (await loadSoftphone()).getState();
    if (softphone.registration.status === "registered") {
      return;
    }
  }
  shell.notify({
    title: i18n.t("shell.incoming", { ns: CALLBACKS_NS }),
    body: cardTitle(card, i18n.t),
    urgent: true,
  });
}

/** Sends the tray the agent's state when it (or whether a call is on) changed; `force` sends it anyway. */
function trayStateSender(shell: OknoShell): (force?: boolean) => void {
  let lastSent: string | null = null;
  return (force = false) => {
    const message = toShellState(useAgentState.getState().current, isOnCall(useCalls.getState().cards));
    const key = JSON.stringify(message);
    if (message && (force || key !== lastSent)) {
      lastSent = key;
      shell.setAgentState(message);
    }
  };
}

/** Announces each incoming call once, from when it first rings on a card. */
function incomingCallAnnouncer(shell: OknoShell): (cards: readonly Card[]) => void {
  // Calls already on screen when the app connects were announced before (or by the page it reloaded from).
  const announced = new Set(useCalls.getState().cards.map((card) => card.key));
  return (cards) => {
    for (const card of cards) {
      if (!announced.has(card.key) && card.state === "ringing" && card.direction !== "out") {
        announced.add(card.key);
        void notifyIncoming(shell, card).catch(() => undefined);
      }
    }
  };
}

/**
 * Wires the signed-in app to the Electron shell: the tray follows the agent's state and whether a call is
 * on; the tray menu's choice goes to crm-api and the tray then hears the resulting state (also when
 * crm-api refused, so the menu does not keep a tick the server did not accept); global shortcuts answer,
 * hang up and mute on the softphone; incoming calls raise an OS notification. Returns the disconnect,
 * which tells the tray the agent is signed out.
 */
export function connectShell(shell: OknoShell): () => void {
  if (!listening.has(shell)) {
    listening.add(shell);
    shell.onShortcut((action) => void active?.onShortcut(action).catch(() => undefined));
    shell.onRequestState((request) => void active?.onRequestState(request).catch(() => undefined));
  }
  const pushState = trayStateSender(shell);
  const announceNewCalls = incomingCallAnnouncer(shell);
  const stopAgent = useAgentState.subscribe((s, prev) => {
    if (s.current !== prev.current) {
      pushState();
    }
  });
  const stopCalls = useCalls.subscribe((s, prev) => {
    if (s.cards !== prev.cards) {
      pushState();
      announceNewCalls(s.cards);
    }
  });
  const handlers: ShellHandlers = {
    onShortcut: runShortcut,
    async onRequestState(request) {
      const put = toAgentStatePut(request);
      try {
        if (put) {
          await useAgentState.getState().change(put);
        }
      } finally {
        pushState(true);
      }
    },
  };
  active = handlers;
  pushState();

  return () => {
    stopAgent();
    stopCalls();
    if (active === handlers) {
      active = null;
    }
    shell.setAgentState({ state: "offline", since: new Date().toISOString(), onCall: false });
  };
}
