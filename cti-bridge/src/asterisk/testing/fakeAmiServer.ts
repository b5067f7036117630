import { createServer, type AddressInfo, type Socket } from "node:net";
import { headerOf, type AmiFrame } from "../amiFrame.ts";
import type { Capture, Snapshot } from "./captures.ts";
import { serveConnection } from "./fakeAmiConnection.ts";

/*
 * A TCP server that speaks enough AMI to test the client and the tracker against real captures:
 * banner, Login (success or "Authentication failed" and close, as Asterisk does), Ping, Logoff,
 * CoreShowChannels / QueueStatus / Getvar from a snapshot, Error for anything else; and a replay of
 * capture frames byte for byte, optionally cut into random chunks, several captures interleaved, paced
 * in time, or dropped at a byte offset. Responses never land inside a replayed frame.
 */

export type ReplaySource = {
  capture: Capture;
  fromFrame?: number;
  toFrame?: number;
  /** When this capture's first frame goes out, and the time between its frames (ms). */
  startMs?: number;
  gapMs?: number;
};

export type ConnectionScript = {
  replay?: ReplaySource[];
  /** Start the replay once this action was answered ("QueueStatus", or a test); default: after login. */
  replayAfter?: string | ((action: AmiFrame) => boolean);
  /** Cut the replay into writes of random sizes in [min, max] bytes (seeded, reproducible). */
  chunks?: { min: number; max: number; seed: number };
  /** Wait out startMs/gapMs for real; otherwise they only decide the order. */
  isRealTime?: boolean;
  /** Close the connection after this many replayed bytes (may be inside a frame). */
  dropAtByte?: number;
  /**
   * What CoreShowChannels / QueueStatus / Getvar report. By default it follows the replay, as Asterisk
   * would: the frames before each source's `fromFrame` (its history) plus the frames already sent.
   */
  snapshot?: Snapshot;
  /** Own handling of an action; return true when it answered (tests of timeouts, silence…). */
  onAction?: (action: AmiFrame, reply: (frame: AmiFrame) => void) => boolean;
};

export type FakeAmiServer = {
  port: number;
  url: (username?: string, secret?: string) => string;
  /** Every action received, on every connection, in order. */
  actions: AmiFrame[];
  connections: () => number;
  /** Resolves when the replay of connection `index` (0-based) is fully written or dropped. */
  replayDone: (index: number) => Promise<void>;
  close: () => Promise<void>;
};

export type FakeAmiServerOptions = {
  username?: string;
  secret?: string;
  banner?: string;
  scripts: ConnectionScript[];
};

/** Small seeded PRNG (mulberry32) so a failing chunking is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The replay order: frames by their time (start + index·gap), ties in source order. */
export function scheduleFrames(sources: ReplaySource[]): { atMs: number; bytes: Buffer }[] {
  const timeline = sources.flatMap((source, sourceIndex) => {
    const frames = source.capture.frames.slice(source.fromFrame ?? 0, source.toFrame);
    return frames.map((bytes, i) => ({
      atMs: (source.startMs ?? 0) + i * (source.gapMs ?? 1),
      sourceIndex,
      i,
      bytes,
    }));
  });
  timeline.sort((a, b) => a.atMs - b.atMs || a.sourceIndex - b.sourceIndex || a.i - b.i);
  return timeline.map(({ atMs, bytes }) => ({ atMs, bytes }));
}

function listResponse(actionId: string, items: AmiFrame[], complete: string, message: string): AmiFrame[] {
  return [
    { Response: "Success", ActionID: actionId, EventList: "start", Message: message },
    ...items.map((item) => ({ ...item, ActionID: actionId })),
    { Event: complete, ActionID: actionId, EventList: "Complete", ListItems: String(items.length) },
  ];
}

/** Standard answers; null when the action is unknown. */
export function answerAction(action: AmiFrame, snapshot: () => Snapshot): AmiFrame[] | null {
  const id = headerOf(action, "ActionID") ?? "";
  switch (headerOf(action, "Action")?.toLowerCase() ?? "") {
    case "ping":
      return [{ Response: "Success", ActionID: id, Ping: "Pong", Timestamp: (Date.now() / 1000).toFixed(6) }];
    case "coreshowchannels":
      return listResponse(id, snapshot().channels, "CoreShowChannelsComplete", "Channels will follow");
    case "queuestatus": {
      const { queueEntries } = snapshot();
      const queues = [...new Set(queueEntries.map((entry) => headerOf(entry, "Queue") ?? ""))];
      const params = queues.map((queue) => ({ Event: "QueueParams", Queue: queue, Strategy: "ringall" }));
      return listResponse(
        id,
        [...params, ...queueEntries],
        "QueueStatusComplete",
        "Queue status will follow",
      );
    }
    case "getvar": {
      const { channels, vars } = snapshot();
      const channel = channels.find((frame) => headerOf(frame, "Channel") === headerOf(action, "Channel"));
      if (!channel) {
        return [{ Response: "Error", ActionID: id, Message: "No such channel" }];
      }
      const variable = headerOf(action, "Variable") ?? "";
      const value = vars[headerOf(channel, "Uniqueid") ?? ""]?.[variable] ?? "";
      return [{ Response: "Success", ActionID: id, Variable: variable, Value: value }];
    }
    default:
      return null;
  }
}

export async function startFakeAmiServer(options: FakeAmiServerOptions): Promise<FakeAmiServer> {
  const actions: AmiFrame[] = [];
  const sockets = new Set<Socket>();
  const done: { promise: Promise<void>; resolve: () => void }[] = [];
  const doneOf = (index: number) => {
    for (let i = done.length; i <= index; i += 1) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      done.push({ promise, resolve });
    }
    return done[index] as { promise: Promise<void>; resolve: () => void };
  };
  let count = 0;

  const server = createServer((socket) => {
    const index = count;
    count += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    serveConnection(socket, options.scripts[index] ?? {}, options, actions, () => doneOf(index).resolve());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (username = options.username ?? "crm", secret = options.secret ?? "secret") =>
      `ami://${encodeURIComponent(username)}:${encodeURIComponent(secret)}@127.0.0.1:${port}`,
    actions,
    connections: () => count,
    replayDone: (index) => doneOf(index).promise,
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
