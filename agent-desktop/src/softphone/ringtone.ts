/**
 * The incoming-call sound, synthesised with WebAudio (no audio file to ship or cache): a 425 Hz tone,
 * the Russian ringing frequency (ГОСТ/МСЭ-Т E.180), 1 s on and 3 s off; and a quiet double beep for a
 * second call while talking (call waiting), so the customer on the first line does not hear a ring.
 */
export type RingKind = "ring" | "waiting";

let context: AudioContext | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let playing: RingKind | undefined;

function beep(ctx: AudioContext, at: number, seconds: number, volume: number): void {
  const oscillator = ctx.createOscillator();
  const gain = ctx.createGain();
  oscillator.frequency.value = 425;
  // Short ramps avoid clicks at the start and end of each burst.
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(volume, at + 0.02);
  gain.gain.setValueAtTime(volume, at + seconds - 0.02);
  gain.gain.linearRampToValueAtTime(0, at + seconds);
  oscillator.connect(gain).connect(ctx.destination);
  oscillator.start(at);
  oscillator.stop(at + seconds);
}

function burst(ctx: AudioContext, kind: RingKind): void {
  const now = ctx.currentTime;
  if (kind === "ring") {
    beep(ctx, now, 1, 0.25);
  } else {
    beep(ctx, now, 0.15, 0.08);
    beep(ctx, now + 0.3, 0.15, 0.08);
  }
}

export function startRingtone(kind: RingKind): void {
  if (playing === kind || typeof AudioContext === "undefined") {
    return;
  }
  stopRingtone();
  context ??= new AudioContext();
  // A context created before any click starts suspended; resume() succeeds once the page had a gesture.
  void context.resume().catch(() => undefined);
  const ctx = context;
  playing = kind;
  burst(ctx, kind);
  timer = setInterval(() => burst(ctx, kind), kind === "ring" ? 4000 : 8000);
}

export function stopRingtone(): void {
  clearInterval(timer);
  timer = undefined;
  playing = undefined;
}
