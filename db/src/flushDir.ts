import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";

/**
 * PGlite on Node writes its files without fsync: a killed process keeps its commits (the OS has them), a
 * power cut or a killed VM may not. We fsync files changed since the last pass, on a short timer and at
 * shutdown, which bounds the loss to that interval. PostgreSQL is for production (README).
 * Asynchronous on purpose: a synchronous walk of a 100k-contact directory blocked requests for 10–15 ms
 * every pass (bench:lookup on PGlite).
 */
export async function fsyncChangedFiles(dir: string, since: number): Promise<number> {
  let count = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile()) {
      continue;
    }
    const full = path.join(entry.parentPath, entry.name);
    try {
      if ((await stat(full)).mtimeMs < since) {
        continue;
      }
      const handle = await open(full, "r");
      try {
        await handle.sync();
        count += 1;
      } finally {
        await handle.close();
      }
    } catch {
      // A file removed between readdir and open (PGlite drops temp files): nothing left to flush.
    }
  }
  return count;
}

/** Runs fsyncChangedFiles every `intervalMs`, one pass at a time; `stop()` waits for one last pass. */
export function startFlusher(dir: string, intervalMs = 2000): { stop(): Promise<void> } {
  let last = 0;
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = running.then(async () => {
      const started = Date.now();
      try {
        await fsyncChangedFiles(dir, last);
        // Files touched during the pass are seen again next time: mtime granularity makes `>=` safe.
        last = started;
      } catch {
        // The directory itself vanished (tests removing a temp dir): the next pass tries again.
      }
    });
  };
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      pass();
      await running;
    },
  };
}
