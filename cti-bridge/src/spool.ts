import { mkdir, open, readdir, readFile, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { CallEvent } from "@okno/contracts";
import type { Logger } from "./log.ts";

/** An event and the spool segment it is written in (acknowledging it counts against that file). */
export interface SpooledEvent {
  event: CallEvent;
  segment: number;
}

export interface Spool {
  /** Events a previous run left unacknowledged, oldest first. */
  recovered: SpooledEvent[];
  /**
   * Appends events to the current segment. The segment is known at once (the caller can send the
   * events meanwhile); `written` resolves once they are on disk (write + fsync).
   */
  append(events: readonly CallEvent[]): { segment: number; written: Promise<void> };
  /** Counts `count` events of a segment as delivered; a segment with none left is deleted. */
  ack(segment: number, count: number): void;
  /** Resolves once the disk work asked for so far (writes, deletions) is done. */
  settled(): Promise<void>;
  /** Waits for pending disk work and closes the open file; unacknowledged segments stay for the next run. */
  close(): Promise<void>;
}

const SEGMENT = /^(\d{12})\.jsonl$/;
const nameOf = (segment: number) => `${String(segment).padStart(12, "0")}.jsonl`;

/**
 * The bridge's on-disk spool: append-only segment files of JSON lines in `dir`, one event a line.
 *
 *   append ──► current segment (fsync) ──► … ack until none left ──► unlink
 *                 └─ ≥ maxSegmentBytes: the next append starts a new segment
 *
 * A segment is deleted once every event in it is acknowledged, so in normal running each batch
 * lives in a file for the duration of one POST, and during an outage one file grows (then rotates)
 * until crm-api is back. On start, leftover segments are read back in name order; a torn last line
 * (a crash mid-write) is skipped. Disk work runs one operation at a time, in call order.
 */
export async function openSpool(dir: string, log: Logger, maxSegmentBytes = 4 * 1024 * 1024): Promise<Spool> {
  await mkdir(dir, { recursive: true });
  const { recovered, remaining, last } = await readSegments(dir, log);
  let current = last + 1;
  let currentBytes = 0;
  let handle: { segment: number; file: FileHandle } | null = null;
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (op: () => Promise<void>): Promise<void> => {
    const next = chain.then(op).catch((err: unknown) => log.error({ err }, "spool disk operation failed"));
    chain = next;
    return next;
  };
  const closeHandle = async () => {
    const h = handle;
    handle = null;
    await h?.file.close();
  };

  return {
    recovered,
    append(events) {
      const segment = current;
      const text = events.map((e) => `${JSON.stringify(e)}\n`).join("");
      remaining.set(segment, (remaining.get(segment) ?? 0) + events.length);
      currentBytes += Buffer.byteLength(text);
      const rotate = currentBytes >= maxSegmentBytes;
      if (rotate) {
        current += 1;
        currentBytes = 0;
      }
      const written = enqueue(async () => {
        if (handle?.segment !== segment) {
          await closeHandle();
          handle = { segment, file: await open(path.join(dir, nameOf(segment)), "a") };
          await syncDir(dir);
        }
        await handle.file.appendFile(text);
        await handle.file.datasync();
        if (rotate) {
          await closeHandle();
        }
      });
      return { segment, written };
    },
    ack(segment, count) {
      const left = (remaining.get(segment) ?? 0) - count;
      if (left > 0) {
        remaining.set(segment, left);
        return;
      }
      remaining.delete(segment);
      if (segment === current) {
        // Everything in the open segment is delivered: the next append starts a fresh file.
        current += 1;
        currentBytes = 0;
      }
      void enqueue(async () => {
        if (handle?.segment === segment) {
          await closeHandle();
        }
        await unlink(path.join(dir, nameOf(segment))).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== "ENOENT") {
            throw err;
          }
        });
      });
    },
    settled: () => chain,
    async close() {
      await enqueue(closeHandle);
    },
  };
}

/** A new file's name must survive a power cut too: fsync the directory that holds it. */
async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

async function readSegments(
  dir: string,
  log: Logger,
): Promise<{ recovered: SpooledEvent[]; remaining: Map<number, number>; last: number }> {
  const segments = (await readdir(dir))
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const recovered: SpooledEvent[] = [];
  const remaining = new Map<number, number>();
  for (const segment of segments) {
    const text = await readFile(path.join(dir, nameOf(segment)), "utf8");
    let count = 0;
    for (const [i, line] of text.split("\n").entries()) {
      if (line.trim() === "") {
        continue;
      }
      const event = parseLine(line);
      if (!event) {
        log.warn({ segment, line: i + 1 }, "unreadable spool line skipped");
        continue;
      }
      recovered.push({ event, segment });
      count += 1;
    }
    if (count === 0) {
      await unlink(path.join(dir, nameOf(segment)));
    } else {
      remaining.set(segment, count);
    }
  }
  if (recovered.length > 0) {
    log.info({ events: recovered.length, segments: remaining.size }, "spooled events recovered");
  }
  return { recovered, remaining, last: segments.at(-1) ?? 0 };
}

function parseLine(line: string): CallEvent | null {
  try {
    const parsed = CallEvent.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
