import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fsyncChangedFiles, startFlusher } from "./flushDir.ts";

describe("flushing PGlite files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "okno-flush-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fsyncs every file changed since the last pass, in subfolders too, and none older", async () => {
    mkdirSync(path.join(dir, "base", "16384"), { recursive: true });
    writeFileSync(path.join(dir, "PG_VERSION"), "17");
    writeFileSync(path.join(dir, "base", "16384", "1259"), "rows");
    expect(await fsyncChangedFiles(dir, 0)).toBe(2);
    expect(await fsyncChangedFiles(dir, Date.now() + 60_000)).toBe(0);
  });

  it("makes a last pass when stopped", async () => {
    const flusher = startFlusher(dir, 60_000);
    await expect(flusher.stop()).resolves.toBeUndefined();
  });
});
