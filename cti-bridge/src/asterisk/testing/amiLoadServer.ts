import { createServer, type AddressInfo, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createFrameParser, formatFrame, headerOf, type AmiFrame } from "../amiFrame.ts";
import { answerAction } from "./fakeAmiServer.ts";
import type { SynthCall } from "./synthCalls.ts";

/*
 * An AMI server for load: it logs the bridge in, answers its resync (an idle PBX: no channels, no queue
 * callers) and pings, then plays synthetic calls into the socket, interleaved as a busy PBX interleaves
 * them, either paced in real time (so many calls a second, each call's frames spread over a few seconds)
 * or flat out (as fast as the bridge reads: TCP backpressure sets the pace). It records when each call's
 * screen-pop frame went into the socket, for latency figures measured against that instant.
 */

export interface PlayOptions {
  /** New calls per second in the schedule. */
  callsPerSecond: number;
  /** Spread each call's frames evenly over this long; by default they keep the real call's timing. */
  callSpreadMs?: number;
  /** Wait out the schedule in real time; otherwise write as fast as the socket drains. */
  isRealTime: boolean;
  /** Called with performance.now() when a call's pop frame was handed to the socket. */
  onPop?: (callIndex: number, at: number) => void;
}

export interface PlayResult {
  frames: number;
  bytes: number;
  /** performance.now() of the first and the last write (the last one fully flushed to the kernel). */
  startedAt: number;
  finishedAt: number;
}

export interface AmiLoadServer {
  url: string;
  /** Resolves once a client has logged in and asked for QueueStatus (the end of its resync). */
  ready(): Promise<void>;
  play(calls: SynthCall[], options: PlayOptions): Promise<PlayResult>;
  /** Logins so far (a reconnecting bridge logs in again). */
  logins(): number;
  close(): Promise<void>;
}

interface Slot {
  atMs: number;
  call: number;
  frame: number;
}

/** Every frame of every call on one timeline, ordered by when it is due. */
function timeline(calls: SynthCall[], options: PlayOptions): Slot[] {
  const slots: Slot[] = [];
  calls.forEach((call, i) => {
    const start = (i * 1000) / options.callsPerSecond;
    const spread = options.callSpreadMs;
    const at = (k: number) => (spread === undefined ? call.atMs[k]! : (k * spread) / call.frames.length);
    call.frames.forEach((_, k) => slots.push({ atMs: start + at(k), call: i, frame: k }));
  });
  return slots.sort((a, b) => a.atMs - b.atMs || a.call - b.call || a.frame - b.frame);
}

const CHUNK_BYTES = 64 * 1024;

export async function startAmiLoadServer(
  credentials = { username: "crm", secret: "secret" },
): Promise<AmiLoadServer> {
  let socket: Socket | null = null;
  let logins = 0;
  let onReady: (() => void) | null = null;
  let isReady = false;

  const server = createServer((conn) => {
    socket?.destroy();
    socket = conn;
    isReady = false;
    conn.setNoDelay(true);
    conn.on("error", () => undefined);
    conn.write("Asterisk Call Manager/11.0.0\r\n");
    const parser = createFrameParser({ onFrame: (action) => answer(conn, action), kinds: ["Action"] });
    conn.on("data", (chunk: Buffer) => parser.push(chunk));
  });

  function answer(conn: Socket, action: AmiFrame): void {
    const name = headerOf(action, "Action")?.toLowerCase() ?? "";
    const id = headerOf(action, "ActionID") ?? "";
    const reply = (frame: AmiFrame) => conn.write(formatFrame(frame));
    if (name === "login") {
      const isValid =
        headerOf(action, "Username") === credentials.username &&
        headerOf(action, "Secret") === credentials.secret;
      reply({
        Response: isValid ? "Success" : "Error",
        ActionID: id,
        Message: `Authentication ${isValid ? "accepted" : "failed"}`,
      });
      logins += isValid ? 1 : 0;
      return;
    }
    const idle = { channels: [], queueEntries: [], vars: {} };
    (
      answerAction(action, () => idle) ?? [
        { Response: "Error", ActionID: id, Message: "Invalid/unknown command" },
      ]
    ).forEach(reply);
    if (name === "queuestatus") {
      isReady = true;
      onReady?.();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  async function write(bytes: Buffer): Promise<void> {
    const conn = socket;
    if (!conn || conn.destroyed) {
      throw new Error("the AMI client is not connected");
    }
    if (!conn.write(bytes)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          conn.off("close", onClose);
          resolve();
        };
        const onClose = () => {
          conn.off("drain", onDrain);
          reject(new Error("the AMI client went away during the replay"));
        };
        conn.once("drain", onDrain);
        conn.once("close", onClose);
      });
    }
  }

  return {
    url: `ami://${credentials.username}:${credentials.secret}@127.0.0.1:${port}`,
    ready: () =>
      isReady
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            onReady = resolve;
          }),
    async play(calls, options) {
      const slots = timeline(calls, options);
      const popAt = calls.map((call) => call.popFrame);
      const result: PlayResult = { frames: 0, bytes: 0, startedAt: performance.now(), finishedAt: 0 };
      let next = 0;
      while (next < slots.length) {
        if (options.isRealTime) {
          const due = result.startedAt + slots[next]!.atMs - performance.now();
          if (due > 0) {
            await sleep(Math.max(1, due));
          }
        }
        const now = performance.now() - result.startedAt;
        const batch: Buffer[] = [];
        let size = 0;
        const pops: number[] = [];
        while (next < slots.length && (options.isRealTime ? slots[next]!.atMs <= now : size < CHUNK_BYTES)) {
          const slot = slots[next]!;
          const bytes = calls[slot.call]!.frames[slot.frame]!;
          batch.push(bytes);
          size += bytes.length;
          if (popAt[slot.call] === slot.frame) {
            pops.push(slot.call);
          }
          next += 1;
        }
        const at = performance.now();
        const flushed = write(Buffer.concat(batch, size));
        pops.forEach((call) => options.onPop?.(call, at));
        await flushed;
        result.frames += batch.length;
        result.bytes += size;
      }
      result.finishedAt = performance.now();
      return result;
    },
    logins: () => logins,
    close: async () => {
      socket?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
