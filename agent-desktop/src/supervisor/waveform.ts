import WaveSurfer from "wavesurfer.js";

/**
 * wavesurfer.js behind the four things the player needs, so the React code around it is tested with a
 * fake (happy-dom has neither canvas nor audio decoding). Clicking or dragging on the waveform seeks:
 * wavesurfer does that itself and reports the new position through `onTime`.
 */
export interface WaveformEvents {
  /** The audio is decoded and can play; its length in seconds. */
  onReady: (durationSec: number) => void;
  onTime: (currentSec: number) => void;
  onPlayingChange: (isPlaying: boolean) => void;
  /** `status` is the HTTP status when the file's request failed (403: no right to listen). */
  onError: (error: { status: number | null; message: string }) => void;
}

export interface Waveform {
  playPause: () => void;
  setSpeed: (rate: number) => void;
  destroy: () => void;
}

/** wavesurfer's fetcher reports "Failed to fetch <url>: 403 (Forbidden)"; the status is all we use. */
export function statusOf(message: string): number | null {
  const match = /: (\d{3}) \(/.exec(message);
  return match ? Number(match[1]) : null;
}

export function createWaveform(container: HTMLElement, url: string, events: WaveformEvents): Waveform {
  const ws = WaveSurfer.create({
    container,
    url,
    height: 64,
    waveColor: "#a5b4c8",
    progressColor: "#1c7ed6",
    cursorColor: "#1c7ed6",
    barWidth: 2,
    barGap: 1,
    barRadius: 2,
    dragToSeek: true,
    // The session cookie is what authorises the listen (and the server audits it).
    fetchParams: { credentials: "same-origin" },
  });
  ws.on("ready", (duration) => events.onReady(duration));
  ws.on("timeupdate", (time) => events.onTime(time));
  ws.on("play", () => events.onPlayingChange(true));
  ws.on("pause", () => events.onPlayingChange(false));
  ws.on("finish", () => events.onPlayingChange(false));
  ws.on("error", (error) => events.onError({ status: statusOf(error.message), message: error.message }));
  return {
    playPause: () =>
      void ws.playPause().catch((err: unknown) => {
        // A pause that interrupts a starting play() rejects it with AbortError: not a failure.
        if (!(err instanceof DOMException && err.name === "AbortError")) {
          events.onError({ status: null, message: err instanceof Error ? err.message : String(err) });
        }
      }),
    // Pitch is kept, so 2× still sounds like the same people.
    setSpeed: (rate) => ws.setPlaybackRate(rate, true),
    destroy: () => ws.destroy(),
  };
}
