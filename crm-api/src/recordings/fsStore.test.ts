import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsRecordingStore } from "./fsStore.ts";
import { parseRange } from "./range.ts";
import { recordingKey, type RecordingStore } from "./store.ts";
import { makeWav } from "./testWav.ts";

const bytes = async (s: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of s) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

describe("fsRecordingStore", () => {
  let dir: string;
  let store: RecordingStore;
  const wav = makeWav(1);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "okno-recordings-"));
    store = fsRecordingStore(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("stores a file under <yyyy>/<mm>/ and reads it back whole and by byte range", async () => {
    const key = recordingKey(new Date("2026-11-24T10:00:00Z"), crypto.randomUUID(), "audio/wav");
    expect(key).toMatch(/^2026\/11\/[0-9a-f-]{36}\.wav$/);
    expect(await store.put(key, Readable.from([wav]), { contentType: "audio/wav" })).toEqual({
      size: wav.length,
    });
    expect((await readFile(path.join(dir, key))).equals(wav)).toBe(true);
    expect(await store.stat(key)).toEqual({ size: wav.length });
    expect((await bytes(await store.read(key))).equals(wav)).toBe(true);
    const middle = await bytes(await store.read(key, { start: 44, end: 143 }));
    expect(middle.equals(wav.subarray(44, 144))).toBe(true);
    await store.delete(key);
    expect(await store.stat(key)).toBeNull();
    await expect(store.read(key)).rejects.toThrow(/ENOENT/);
  });

  it("leaves nothing behind, not even a partial file, when the stream fails midway", async () => {
    const key = recordingKey(new Date("2026-12-01T00:00:00Z"), crypto.randomUUID(), "audio/wav");
    const failing = Readable.from(
      (async function* () {
        yield wav.subarray(0, 1000);
        throw new Error("connection reset");
      })(),
    );
    await expect(store.put(key, failing, { contentType: "audio/wav" })).rejects.toThrow("connection reset");
    expect(await store.stat(key)).toBeNull();
    expect(await readdir(path.join(dir, "2026", "12"))).toEqual([]);
  });

  it.each(["../../etc/passwd", "2026/11/../../x.wav", "/abs/2026/11/a.wav", "2026/11/A.wav", "a.wav", ""])(
    "refuses the key %j for every operation",
    async (key) => {
      await expect(store.put(key, Readable.from(["x"]), { contentType: "audio/wav" })).rejects.toThrow(
        /invalid recording key/,
      );
      await expect(store.stat(key)).rejects.toThrow(/invalid recording key/);
      await expect(store.read(key)).rejects.toThrow(/invalid recording key/);
      await expect(store.delete(key)).rejects.toThrow(/invalid recording key/);
    },
  );

  it("hands a reader the whole file or nothing while a put is under way", async () => {
    const key = recordingKey(new Date(), crypto.randomUUID(), "audio/wav");
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = Readable.from(
      (async function* () {
        yield wav.subarray(0, 4000);
        await gate;
        yield wav.subarray(4000);
      })(),
    );
    const putting = store.put(key, slow, { contentType: "audio/wav" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.stat(key)).toBeNull();
    release();
    await putting;
    expect(await store.stat(key)).toEqual({ size: wav.length });
    expect(await text(await store.read(key, { start: 0, end: 3 }))).toBe("RIFF");
  });
});

describe("parseRange", () => {
  it.each([
    [undefined, { kind: "none" }],
    ["items=0-5", { kind: "none" }],
    ["bytes=0-1,5-6", { kind: "none" }],
    ["bytes=0-99", { kind: "range", range: { start: 0, end: 99 } }],
    ["bytes=900-", { kind: "range", range: { start: 900, end: 999 } }],
    ["bytes=990-5000", { kind: "range", range: { start: 990, end: 999 } }],
    ["bytes=-100", { kind: "range", range: { start: 900, end: 999 } }],
    ["bytes=-5000", { kind: "range", range: { start: 0, end: 999 } }],
    ["bytes=1000-", { kind: "unsatisfiable" }],
    ["bytes=-0", { kind: "unsatisfiable" }],
    ["bytes=50-10", { kind: "unsatisfiable" }],
    ["bytes=abc", { kind: "unsatisfiable" }],
    ["bytes=-", { kind: "unsatisfiable" }],
  ])("reads %j of a 1000-byte file", (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });
});
