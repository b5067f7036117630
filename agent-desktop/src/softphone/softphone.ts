import { Invitation, Inviter, SessionState, UserAgent } from "sip.js";
import type { Referral, Session } from "sip.js";
import type { Line } from "./lines.ts";
import { applySessionState, hasFreeLine, linesToHold, makeLine, removeLine, updateLine } from "./lines.ts";
import type { RegistrationEvent, RegistrationState } from "./registration.ts";
import { applyRegistrationEvent, initialRegistration } from "./registration.ts";
import { extractRemoteParty, toDialString } from "./remoteParty.ts";
import type { MediaStats } from "./sessionMedia.ts";
import {
  playRemoteAudio,
  readMediaStats,
  reinviteHold,
  sendDtmf,
  setSenderEnabled,
  stopRemoteAudio,
} from "./sessionMedia.ts";
import type { SipCredentials } from "@okno/contracts";
import type { SipAgentOptions } from "./sipAgent.ts";
import { createSipAgent } from "./sipAgent.ts";
import type { TransferControls } from "./transfer.ts";
import { createTransferControls } from "./transfer.ts";

/**
 * The browser softphone: SIP.js (UserAgent + Registerer over WebSocket) behind a small call-control API,
 * with no React in it. State is published as immutable snapshots through `onChange`; the store mirrors it.
 *
 * Measured against Asterisk 22 (shared/research/telephony.md §11): ICE gathering must be capped
 * (`iceGatheringTimeout` ≈ 500 ms, explicit `iceServers`) or every call waits 5 s; after a REFER nobody
 * ends the transferor's call but us (see transfer.ts).
 */
export interface SoftphoneSnapshot {
  registration: RegistrationState;
  lines: readonly Line[];
}

export interface SoftphoneHandlers {
  onChange: (snapshot: SoftphoneSnapshot) => void;
  /** A new incoming call (not one that replaces a consult call in a warm transfer: see `onReplaced`). */
  onIncoming?: (line: Line) => void;
  /** A warm transfer landed here: `line` now carries the customer who replaced the consult call `replacedId`. */
  onReplaced?: (line: Line, replacedId: string) => void;
  /** The line got connected: an incoming call answered, an outgoing one picked up. */
  onAnswered?: (line: Line) => void;
  onEnded?: (line: Line) => void;
  /** A transfer from `lineId` went through, to `to` (an extension or number); the line ends next. */
  onTransferred?: (lineId: string, kind: "blind" | "attended", to: string) => void;
  /** A transfer the agent started failed; the customer is back on `lineId` (held). */
  onTransferFailed?: (lineId: string, reason: string) => void;
}

export interface SoftphoneOptions extends SipAgentOptions {
  now?: () => number;
}

export interface Softphone extends TransferControls {
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Places a call; returns its line id. Other active lines are put on hold first. */
  dial: (target: string, options?: DialOptions) => Promise<string>;
  answer: (lineId: string) => Promise<void>;
  reject: (lineId: string) => Promise<void>;
  hangup: (lineId: string) => Promise<void>;
  setMuted: (lineId: string, muted: boolean) => void;
  setHeld: (lineId: string, held: boolean) => Promise<void>;
  sendDtmf: (lineId: string, tones: string) => Promise<void>;
  mediaStats: (lineId: string) => Promise<MediaStats | undefined>;
  snapshot: () => SoftphoneSnapshot;
}

export interface DialOptions {
  /** The customer's line when this is the consult call of a warm transfer. */
  consultFor?: string;
  /** Extra SIP headers on the INVITE (`X-…: value`): X-Okno-Call-Id on a consult call, or a PBX test double's. */
  extraHeaders?: string[];
}

const AUDIO_ONLY = { constraints: { audio: true, video: false } };

export function createSoftphone(
  credentials: SipCredentials,
  handlers: SoftphoneHandlers,
  options: SoftphoneOptions = {},
): Softphone {
  const now = options.now ?? (() => Date.now());
  const sessions = new Map<string, Session>();
  const audios = new Map<string, HTMLAudioElement | undefined>();
  let lines: readonly Line[] = [];
  let registration: RegistrationState = initialRegistration;
  let lineSeq = 0;

  const snapshot = (): SoftphoneSnapshot => ({ registration, lines });
  const emit = () => handlers.onChange(snapshot());
  const dispatch = (event: RegistrationEvent) => {
    registration = applyRegistrationEvent(registration, event);
    emit();
  };
  const setLines = (next: readonly Line[]) => {
    lines = next;
    emit();
  };
  const lineOf = (id: string) => lines.find((line) => line.id === id);
  const sessionOf = (id: string) => {
    const session = sessions.get(id);
    if (!session) {
      throw new Error(`no line ${id}`);
    }
    return session;
  };

  const agent = createSipAgent(credentials, options, {
    registration: () => registration,
    dispatch,
    onInvite: (invitation) => handleInvite(invitation),
  });
  const ua = agent.ua;

  function track(session: Session, line: Line): void {
    sessions.set(line.id, session);
    setLines([...lines, line]);
    session.delegate = { onRefer: (referral) => followReferral(referral) };
    session.stateChange.addListener((state) => {
      const before = lineOf(line.id);
      setLines(applySessionState(lines, line.id, state, now()));
      if (state === SessionState.Established) {
        stopRemoteAudio(audios.get(line.id));
        audios.set(line.id, playRemoteAudio(session));
        const answered = lineOf(line.id);
        if (answered && before?.status !== answered.status) {
          handlers.onAnswered?.(answered);
        }
      } else if (state === SessionState.Terminated) {
        const ended = lineOf(line.id);
        stopRemoteAudio(audios.get(line.id));
        audios.delete(line.id);
        sessions.delete(line.id);
        setLines(removeLine(lines, line.id));
        if (ended) {
          handlers.onEnded?.(ended);
        }
      }
    });
  }

  function handleInvite(invitation: Invitation): void {
    const party = extractRemoteParty((name) => invitation.request.getHeader(name));
    const replacedId = [...sessions].find(([, session]) => session === invitation.replacee)?.[0];
    if (!replacedId && !hasFreeLine(lines)) {
      void invitation.reject({ statusCode: 486 });
      return;
    }
    const line = makeLine({ id: nextLineId(), direction: "in", ...party, now: now() });
    track(invitation, line);
    if (replacedId) {
      // Warm transfer towards us: we already agreed to it on the consult call; SIP.js BYEs that call.
      handlers.onReplaced?.(line, replacedId);
      void invitation.accept({ sessionDescriptionHandlerOptions: AUDIO_ONLY });
      return;
    }
    handlers.onIncoming?.(line);
  }

  const nextLineId = () => `line-${++lineSeq}`;

  /**
   * We are being transferred (the other side sent REFER): call the Refer-To target, with Replaces when it
   * is a warm transfer, as a line of its own. The old line ends when the transferor hangs it up.
   */
  function followReferral(referral: Referral): void {
    void referral.accept().then(() => {
      const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: AUDIO_ONLY });
      const line = makeLine({
        id: nextLineId(),
        direction: "out",
        number: referral.referTo.uri.user ?? "",
        displayName: referral.referTo.displayName || undefined,
        pbxCallId: undefined,
        now: now(),
      });
      track(inviter, line);
      return inviter.invite();
    });
  }

  async function holdOthers(except: string | undefined): Promise<void> {
    await Promise.all(linesToHold(lines, except).map((line) => setHeld(line.id, true)));
  }

  async function setHeld(lineId: string, held: boolean): Promise<void> {
    const line = lineOf(lineId);
    if (!line || line.status === (held ? "held" : "active") || !["active", "held"].includes(line.status)) {
      return;
    }
    await reinviteHold(sessionOf(lineId), held, line.muted);
    setLines(updateLine(lines, lineId, { status: held ? "held" : "active" }));
  }

  async function dial(target: string, dialOptions: DialOptions = {}): Promise<string> {
    const dialString = toDialString(target);
    const uri = dialString ? UserAgent.makeURI(`sip:${dialString}@${credentials.domain}`) : undefined;
    if (!uri) {
      throw new Error(`not a dialable number: ${target}`);
    }
    if (!hasFreeLine(lines)) {
      throw new Error("both lines are busy");
    }
    await holdOthers(undefined);
    const inviter = new Inviter(ua, uri, {
      sessionDescriptionHandlerOptions: AUDIO_ONLY,
      extraHeaders: dialOptions.extraHeaders,
    });
    const line = makeLine({
      id: nextLineId(),
      direction: "out",
      number: dialString ?? target,
      displayName: undefined,
      pbxCallId: undefined,
      consultFor: dialOptions.consultFor,
      now: now(),
    });
    track(inviter, line);
    await inviter.invite();
    return line.id;
  }

  async function endSession(lineId: string): Promise<void> {
    const session = sessions.get(lineId);
    if (!session) {
      return;
    }
    if (session.state === SessionState.Established) {
      await session.bye();
    } else if (session instanceof Inviter && session.state !== SessionState.Terminated) {
      await session.cancel();
    } else if (session instanceof Invitation && session.state !== SessionState.Terminated) {
      await session.reject();
    }
  }

  const transfers = createTransferControls({
    domain: credentials.domain,
    sessionOf,
    lineOf,
    markTransfer: (lineId, state) => setLines(updateLine(lines, lineId, { transfer: state })),
    setHeld,
    dial,
    endSession,
    handlers,
  });

  return {
    snapshot,
    start: () => agent.start(),
    async stop() {
      await Promise.all([...sessions.keys()].map((id) => endSession(id).catch(() => undefined)));
      await agent.stop();
    },
    dial,
    async answer(lineId) {
      const session = sessionOf(lineId);
      if (!(session instanceof Invitation)) {
        throw new Error(`line ${lineId} is not ringing`);
      }
      await holdOthers(lineId);
      await session.accept({ sessionDescriptionHandlerOptions: AUDIO_ONLY });
    },
    async reject(lineId) {
      const session = sessionOf(lineId);
      if (session instanceof Invitation && session.state === SessionState.Initial) {
        // 486 Busy Here: the PBX sends the caller to the next agent or to voicemail.
        await session.reject({ statusCode: 486 });
      }
    },
    hangup: endSession,
    setMuted(lineId, muted) {
      const line = lineOf(lineId);
      if (line) {
        setSenderEnabled(sessionOf(lineId), !muted && line.status !== "held");
        setLines(updateLine(lines, lineId, { muted }));
      }
    },
    setHeld,
    sendDtmf: (lineId, tones) => sendDtmf(sessionOf(lineId), tones),
    ...transfers,
    mediaStats: async (lineId) => {
      const session = sessions.get(lineId);
      return session ? readMediaStats(session) : undefined;
    },
  };
}
