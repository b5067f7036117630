import { Web } from "sip.js";
import type { Session } from "sip.js";

/** Media helpers for one SIP.js session: remote audio, mute, hold, DTMF, stats. No state of their own. */

function webHandler(session: Session): Web.SessionDescriptionHandler | undefined {
  const sdh = session.sessionDescriptionHandler;
  return sdh instanceof Web.SessionDescriptionHandler ? sdh : undefined;
}

/** Plays the remote party through an <audio> element created for this call (removed by `stopRemoteAudio`). */
export function playRemoteAudio(session: Session): HTMLAudioElement | undefined {
  const sdh = webHandler(session);
  if (!sdh || typeof document === "undefined") {
    return undefined;
  }
  const audio = document.createElement("audio");
  audio.autoplay = true;
  audio.srcObject = sdh.remoteMediaStream;
  // Autoplay may be refused until the page has had a click; the agent clicked "answer", so it rarely is.
  audio.play().catch(() => undefined);
  return audio;
}

export function stopRemoteAudio(audio: HTMLAudioElement | undefined): void {
  if (audio) {
    audio.pause();
    audio.srcObject = null;
  }
}

/** Mute = the microphone track stops sending (track.enabled = false); the call itself is untouched. */
export function setSenderEnabled(session: Session, enabled: boolean): void {
  webHandler(session)?.enableSenderTracks(enabled);
}

/**
 * Hold and unhold by re-INVITE (a=sendonly / a=sendrecv), as SIP.js's own SessionManager does; resolves
 * when the other side accepted, rejects when it refused or another re-INVITE is in flight.
 */
export async function reinviteHold(session: Session, hold: boolean, muted: boolean): Promise<void> {
  const options: Web.SessionDescriptionHandlerOptions = {
    ...session.sessionDescriptionHandlerOptionsReInvite,
    hold,
  };
  session.sessionDescriptionHandlerOptionsReInvite = options;
  await new Promise<void>((resolve, reject) => {
    session
      .invite({
        requestDelegate: {
          onAccept: () => resolve(),
          onReject: (response) => reject(new Error(`re-INVITE rejected: ${response.message.statusCode}`)),
        },
      })
      .catch(reject);
  });
  webHandler(session)?.enableReceiverTracks(!hold);
  webHandler(session)?.enableSenderTracks(!hold && !muted);
}

/**
 * DTMF as RFC 4733 telephone-events on the media stream; SIP INFO (application/dtmf-relay) when the
 * peer connection has no DTMF sender (e.g. the PBX negotiated no telephone-event).
 */
export async function sendDtmf(session: Session, tones: string): Promise<void> {
  if (webHandler(session)?.sendDtmf(tones)) {
    return;
  }
  for (const tone of tones) {
    await session.info({
      requestOptions: {
        body: {
          contentDisposition: "render",
          contentType: "application/dtmf-relay",
          content: `Signal=${tone}\r\nDuration=160`,
        },
      },
    });
  }
}

export interface MediaStats {
  packetsSent: number;
  packetsReceived: number;
  /** Sum of squared sample levels received so far (WebRTC stats): grows while the other side is audible. */
  totalAudioEnergy: number;
}

interface RtpReport {
  type: string;
  packetsSent?: number;
  packetsReceived?: number;
  totalAudioEnergy?: number;
}

/** RTP counters of the call's audio, to show that sound flows (and to assert it in e2e). */
export async function readMediaStats(session: Session): Promise<MediaStats | undefined> {
  const pc = webHandler(session)?.peerConnection;
  if (!pc) {
    return undefined;
  }
  const stats: MediaStats = { packetsSent: 0, packetsReceived: 0, totalAudioEnergy: 0 };
  (await pc.getStats()).forEach((report: RtpReport) => {
    if (report.type === "outbound-rtp") {
      stats.packetsSent += report.packetsSent ?? 0;
    } else if (report.type === "inbound-rtp") {
      stats.packetsReceived += report.packetsReceived ?? 0;
      stats.totalAudioEnergy += report.totalAudioEnergy ?? 0;
    }
  });
  return stats;
}
