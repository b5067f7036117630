import { SipCredentials } from "@okno/contracts";
import { create } from "zustand";
import { api, ApiError } from "../api.ts";
import { useCalls } from "../calls/callStore.ts";
import { i18n } from "../i18n/i18n.ts";
import { closeCallNotification, notifyIncomingCall } from "./callNotification.ts";
import { consultHeaders, startLegReports, stopLegReports } from "./callReporting.ts";
import type { LegReporter } from "./legReporter.ts";
import type { Line } from "./lines.ts";
import type { RegistrationState } from "./registration.ts";
import { initialRegistration } from "./registration.ts";
import { startRingtone, stopRingtone } from "./ringtone.ts";
import { createSoftphone } from "./softphone.ts";
import type { Softphone, SoftphoneHandlers } from "./softphone.ts";
import { SOFTPHONE_NS } from "./i18n.ts";

/** Refresh ephemeral SIP credentials this long before they expire (only between calls). */
const REFRESH_BEFORE_MS = 5 * 60_000;

interface SoftphoneState {
  registration: RegistrationState;
  lines: readonly Line[];
  /** False when the user has no extension (GET /me/sip answered 404): the panel says so and stays idle. */
  available: boolean;
  /** The last failed action (transfer refused, number not dialable), shown under the lines. */
  error: string | undefined;
  connect: () => Promise<void>;
  disconnect: () => Promise<void>;
  dial: (target: string) => Promise<void>;
  answer: (lineId: string) => Promise<void>;
  reject: (lineId: string) => Promise<void>;
  hangup: (lineId: string) => Promise<void>;
  toggleMute: (lineId: string) => void;
  toggleHold: (lineId: string) => Promise<void>;
  sendDtmf: (lineId: string, tones: string) => Promise<void>;
  blindTransfer: (lineId: string, target: string) => Promise<void>;
  startConsult: (lineId: string, target: string) => Promise<void>;
  completeTransfer: (consultLineId: string) => Promise<void>;
  cancelConsult: (consultLineId: string) => Promise<void>;
}

let phone: Softphone | undefined;
/** Bumped by every connect/disconnect, so a slow credentials fetch cannot start a second phone. */
let generation = 0;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

const t = (key: string, options?: Record<string, unknown>) => i18n.t(key, { ns: SOFTPHONE_NS, ...options });

/** Ring while a call waits for an answer; a soft beep instead when another call is already up. */
function updateRingtone(lines: readonly Line[]): void {
  const ringing = lines.some((line) => line.status === "incoming");
  if (!ringing) {
    stopRingtone();
    return;
  }
  startRingtone(
    lines.some((line) => line.status === "active" || line.status === "held") ? "waiting" : "ring",
  );
}

function handleIncoming(line: Line, legs: LegReporter): void {
  useCalls.getState().sipIncoming({
    lineId: line.id,
    number: line.number,
    displayName: line.displayName ?? null,
    pbxCallId: line.pbxCallId ?? null,
    sipCallId: legs.ringing(line) ?? null,
  });
  const who = line.displayName ? `${line.displayName}, ${line.number}` : line.number || t("unknownCaller");
  notifyIncomingCall(line.id, t("notification", { who }), t("line.incoming"));
}

/** The softphone's call events, told to the call cards and to crm-api (legReporter.ts). */
function callHandlers(legs: LegReporter): Omit<SoftphoneHandlers, "onChange"> {
  return {
    onIncoming: (line) => handleIncoming(line, legs),
    // A warm transfer landed here: the consult call's card and leg carry on with the customer.
    onReplaced: (line, replacedId) => {
      legs.replaced(line.id, replacedId);
      useCalls.getState().sipReplaced({
        lineId: line.id,
        replacedLineId: replacedId,
        number: line.number,
        displayName: line.displayName ?? null,
      });
    },
    onAnswered: (line) => {
      legs.answered(line.id);
      useCalls.getState().sipAnswered(line.id);
    },
    onTransferred: (lineId, kind, to) => legs.transferred(lineId, kind, to),
    onEnded: (line) => {
      closeCallNotification(line.id);
      legs.ended(line);
      useCalls.getState().sipEnded(line.id);
    },
    onTransferFailed: (_lineId, reason) => useSoftphone.setState({ error: t("transferFailed", { reason }) }),
  };
}

/** Ephemeral credentials stop working at `expiresAt`: re-register with fresh ones between calls. */
function scheduleRefresh(credentials: SipCredentials, reconnect: () => Promise<void>): void {
  clearTimeout(refreshTimer);
  if (!credentials.expiresAt) {
    return;
  }
  const due = Date.parse(credentials.expiresAt) - REFRESH_BEFORE_MS - Date.now();
  const attempt = () => {
    if (useSoftphone.getState().lines.length > 0) {
      refreshTimer = setTimeout(attempt, 30_000);
      return;
    }
    void reconnect();
  };
  refreshTimer = setTimeout(attempt, Math.max(due, 10_000));
}

async function stopPhone(): Promise<void> {
  clearTimeout(refreshTimer);
  const current = phone;
  phone = undefined;
  stopRingtone();
  await current?.stop().catch(() => undefined);
  // After the phone: its lines' ends are reported first.
  stopLegReports();
}

/** Runs a call-control action; a failure is shown in the panel instead of being lost in a promise. */
async function attempt(action: (softphone: Softphone) => Promise<unknown>): Promise<void> {
  if (!phone) {
    return;
  }
  try {
    useSoftphone.setState({ error: undefined });
    await action(phone);
  } catch (error) {
    useSoftphone.setState({ error: error instanceof Error ? error.message : String(error) });
  }
}

export const useSoftphone = create<SoftphoneState>()((set, get) => ({
  registration: initialRegistration,
  lines: [],
  available: true,
  error: undefined,

  async connect() {
    // Taken before any await: of overlapping connects (React StrictMode mounts twice) only the last one wins.
    const mine = ++generation;
    await stopPhone();
    let credentials: SipCredentials;
    try {
      credentials = await api("GET", "/me/sip", { schema: SipCredentials, quiet: true });
    } catch (error) {
      // 404: this user has no extension; 409: SIP is not configured on this server.
      const missing = error instanceof ApiError && (error.status === 404 || error.status === 409);
      if (mine === generation) {
        set({ available: !missing, error: missing ? undefined : t("status.failed") });
      }
      return;
    }
    if (mine !== generation) {
      return;
    }
    const softphone = createSoftphone(credentials, {
      onChange: ({ registration, lines }) => {
        if (phone !== softphone) {
          return;
        }
        set({ registration, lines });
        updateRingtone(lines);
        lines.filter((line) => line.status !== "incoming").forEach((line) => closeCallNotification(line.id));
      },
      ...callHandlers(startLegReports(credentials.extension)),
    });
    phone = softphone;
    set({ available: true, error: undefined });
    scheduleRefresh(credentials, () => get().connect());
    await softphone.start();
  },

  async disconnect() {
    generation += 1;
    await stopPhone();
    set({ registration: initialRegistration, lines: [] });
  },

  dial: (target) => attempt((p) => p.dial(target)),
  answer: (lineId) => attempt((p) => p.answer(lineId)),
  reject: (lineId) => attempt((p) => p.reject(lineId)),
  hangup: (lineId) => attempt((p) => p.hangup(lineId)),
  toggleMute(lineId) {
    const line = get().lines.find((l) => l.id === lineId);
    if (line) {
      phone?.setMuted(lineId, !line.muted);
    }
  },
  toggleHold: (lineId) =>
    attempt((p) => p.setHeld(lineId, get().lines.find((l) => l.id === lineId)?.status !== "held")),
  sendDtmf: (lineId, tones) => attempt((p) => p.sendDtmf(lineId, tones)),
  blindTransfer: (lineId, target) => attempt((p) => p.blindTransfer(lineId, target)),
  startConsult: (lineId, target) =>
    attempt((p) => p.startConsult(lineId, target, { extraHeaders: consultHeaders(lineId) })),
  completeTransfer: (consultLineId) => attempt((p) => p.completeTransfer(consultLineId)),
  cancelConsult: (consultLineId) => attempt((p) => p.cancelConsult(consultLineId)),
}));
