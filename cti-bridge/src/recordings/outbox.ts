import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Logger } from "../log.ts";

/**
 * One recording to fetch from the PBX and upload to crm-api. `pending` jobs are tried at `nextAt`;
 * `failed` ones gave up and wait only to tell crm-api so (then their file goes).
 */
export const RecordingJob = z.object({
  v: z.literal(1),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  pbx: z.string().min(1),
  callId: z.string().min(1),
  recordingId: z.string().min(1),
  durationSec: z.number().nonnegative().optional(),
  createdAt: z.iso.datetime(),
  attempts: z.number().int().nonnegative(),
  nextAt: z.iso.datetime(),
  status: z.enum(["pending", "failed"]),
  /** The last failure, for the log and for crm-api; never a URL (Mango links are secrets). */
  lastError: z.string().nullable(),
});
export type RecordingJob = z.infer<typeof RecordingJob>;

/** The same recording of the same call is one job, however often its recording.ready is delivered. */
export function jobIdOf(callId: string, recordingId: string): string {
  return createHash("sha256").update(`${callId}\n${recordingId}`).digest("hex").slice(0, 32);
}

export interface Outbox {
  /** Jobs a previous run left, oldest first; unreadable files are logged and set aside. */
  load(): Promise<RecordingJob[]>;
  /** Writes the job atomically: a crash leaves the old version or the new one, never half of it. */
  save(job: RecordingJob): Promise<void>;
  remove(id: string): Promise<void>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function fsync(target: string): Promise<void> {
  const handle = await open(target, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The bridge's recordings outbox: one JSON file per job in `dir` (DATA_DIR/recordings-outbox), written to
 * a temporary name, fsynced and renamed, so a restart or a long crm-api outage loses no upload.
 */
export function openOutbox(dir: string, log: Logger): Outbox {
  const fileOf = (id: string) => path.join(dir, `${id}.json`);
  return {
    async load() {
      await mkdir(dir, { recursive: true });
      const jobs: RecordingJob[] = [];
      for (const name of (await readdir(dir)).sort()) {
        if (name.endsWith(".tmp")) {
          await rm(path.join(dir, name), { force: true }); // a save a crash interrupted
          continue;
        }
        if (!name.endsWith(".json")) {
          continue;
        }
        const parsed = RecordingJob.safeParse(parseJson(await readFile(path.join(dir, name), "utf8")));
        if (parsed.success) {
          jobs.push(parsed.data);
        } else {
          log.warn({ file: name }, "unreadable recording job set aside");
          await rename(path.join(dir, name), path.join(dir, `${name}.bad`));
        }
      }
      return jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async save(job) {
      await mkdir(dir, { recursive: true });
      const temp = path.join(dir, `${job.id}.${randomUUID()}.tmp`);
      const handle = await open(temp, "wx");
      try {
        await handle.writeFile(JSON.stringify(job));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, fileOf(job.id));
      await fsync(dir);
    },
    async remove(id) {
      await rm(fileOf(id), { force: true });
    },
  };
}
