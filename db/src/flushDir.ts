import { closeSync, fsyncSync, openSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * PGlite on Node writes its files without fsync: a killed process keeps its commits (the OS has them), a
 * power cut or a killed VM may not. We fsync files changed since the last pass, on a short timer and at
 * shutdown, which bounds the loss to that interval. PostgreSQL is for production (README).
 */
export function fsyncChangedFiles(dir: string, since: number): number {
  let count = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile() && statSync(full).mtimeMs >= since) {
        const fd = openSync(full, "r");
        try {
          fsyncSync(fd);
          count += 1;
        } finally {
          closeSync(fd);
        }
      }
    }
  };
  walk(dir);
  return count;
}

/** Runs fsyncChangedFiles every `intervalMs`; `stop()` makes one last pass. */
export function startFlusher(dir: string, intervalMs = 2000): { stop(): void } {
  let last = 0;
  const pass = () => {
    const started = Date.now();
    try {
      fsyncChangedFiles(dir, last);
      // Files touched during the pass are seen again next time: mtime granularity makes `>=` safe.
      last = started;
    } catch {
      // A file removed between readdir and open (PGlite drops temp files): the next pass catches up.
    }
  };
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      pass();
    },
  };
}
