import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CallEvent } from "@okno/contracts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMangoCommands } from "../mango/index.ts";
import { memoryLogger, TEST_KEY, TEST_SALT, type MemoryLog } from "../mango/testing/mangoTesting.ts";
import type { Publisher } from "../publish.ts";
import { withRecordings } from "./index.ts";
import { jobIdOf, RecordingJob } from "./outbox.ts";
import { ariSource, asteriskFileSource, mangoSource, type RecordingSource } from "./sources.ts";
import { startFakeCrmApi, type FakeCrmApi } from "./testing/fakeCrmApi.ts";
import { makeWav } from "./testing/testWav.ts";
import { openRecordingUploader } from "./uploader.ts";

const TOKEN = "bridge-test-token-0123456789abcdefghij";
const wav = makeWav(1);

let work: string;
let monitorDir: string;
let outboxDir: string;
let api: FakeCrmApi;
let memory: MemoryLog;
const servers: Server[] = [];

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "okno-bridge-recordings-"));
  monitorDir = path.join(work, "monitor");
  outboxDir = path.join(work, "recordings-outbox");
  api = await startFakeCrmApi();
  memory = memoryLogger();
});
afterEach(async () => {
  await api.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await rm(work, { recursive: true, force: true });
});

function recordingReady(pbx: string, recordingId: string, callId = `${pbx}:${randomUUID()}`): CallEvent {
  return {
    id: randomUUID(),
    type: "recording.ready",
    callId,
    pbx,
    at: new Date().toISOString(),
    recordingId,
  };
}

const open = (
  sources: Record<string, RecordingSource>,
  overrides: { url?: string; maxAttempts?: number } = {},
) =>
  openRecordingUploader({
    target: { url: overrides.url ?? api.url, token: TOKEN },
    outboxDir,
    sources,
    log: memory.log,
    maxAttempts: overrides.maxAttempts ?? 5,
    backoff: { initialMs: 20, maxMs: 100 },
  });

async function monitorFile(linkedid: string, content: Buffer): Promise<string> {
  await writeFile(path.join(monitorDir, `${linkedid}.wav`), content).catch(async () => {
    await import("node:fs/promises").then((fs) => fs.mkdir(monitorDir, { recursive: true }));
    await writeFile(path.join(monitorDir, `${linkedid}.wav`), content);
  });
  return `/var/spool/asterisk/monitor/${linkedid}.wav`;
}

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("recording uploader", () => {
  it("uploads a MixMonitor file once it stops growing, and again after crm-api answered 503", async () => {
    const file = await monitorFile("1795456775.0", wav.subarray(0, 1000));
    const uploader = await open({ ast1: asteriskFileSource(monitorDir, 100) });
    api.failNext(1, 503);
    const event = recordingReady("ast1", file, "ast1:1795456775.0");
    void uploader.observe(event);
    uploader.start();
    // MixMonitor is still flushing the end of the call: the file grows for a while after hangup.
    for (let at = 1000; at < wav.length; at += 1000) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await appendFile(path.join(monitorDir, "1795456775.0.wav"), wav.subarray(at, at + 1000));
    }

    expect(await uploader.drain(5000)).toBe(true);
    // Never a partial file: both attempts carried all of it.
    expect(api.attemptSizes).toEqual([wav.length, wav.length]);
    expect(api.uploads).toHaveLength(1);
    const [upload] = api.uploads;
    expect(upload).toMatchObject({
      recordingId: file,
      callId: "ast1:1795456775.0",
      authorization: `Bearer ${TOKEN}`,
      contentType: "audio/wav",
      contentLength: String(wav.length),
    });
    expect(upload!.body.equals(wav)).toBe(true);
    expect(await readdir(outboxDir)).toEqual([]);
    // The same event again (an AMI resync) uploads nothing new.
    void uploader.observe(event);
    expect(await uploader.drain(1000)).toBe(true);
    expect(api.uploads).toHaveLength(1);
    await uploader.close();
  });

  it("keeps the job on disk across a restart while crm-api is down, then delivers it", async () => {
    const file = await monitorFile("1795456800.7", wav);
    const down = await serve((_req, res) => res.writeHead(503).end());
    const first = await open({ ast1: asteriskFileSource(monitorDir, 10) }, { url: down, maxAttempts: 100 });
    void first.observe(recordingReady("ast1", file, "ast1:1795456800.7"));
    first.start();
    await expect.poll(async () => readdir(outboxDir), { timeout: 3000 }).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await first.close();

    const [name] = await readdir(outboxDir);
    const job = RecordingJob.parse(JSON.parse(await readFile(path.join(outboxDir, name!), "utf8")));
    expect(job).toMatchObject({ status: "pending", callId: "ast1:1795456800.7", recordingId: file });
    expect(job.attempts).toBeGreaterThan(0);
    expect(job.lastError).toBe("crm-api answered 503");

    const second = await open({ ast1: asteriskFileSource(monitorDir, 10) });
    second.start();
    expect(await second.drain(5000)).toBe(true);
    expect(api.uploads.map((u) => [u.callId, u.body.equals(wav)])).toEqual([["ast1:1795456800.7", true]]);
    expect(await readdir(outboxDir)).toEqual([]);
    await second.close();
  });

  it("gives up after the last attempt, logs an error and tells crm-api the recording failed", async () => {
    const uploader = await open({ ast1: asteriskFileSource(monitorDir, 10) }, { maxAttempts: 3 });
    const missing = "/var/spool/asterisk/monitor/1795456900.1.wav";
    void uploader.observe(recordingReady("ast1", missing, "ast1:1795456900.1"));
    uploader.start();
    expect(await uploader.drain(5000)).toBe(true);
    expect(api.uploads).toEqual([]);
    expect(api.failures).toEqual([
      { recordingId: missing, callId: "ast1:1795456900.1", reason: "recording file not found" },
    ]);
    const given = memory.entries().find((e) => e.msg === "recording upload given up");
    expect(given).toMatchObject({ level: 50, attempts: 3, callId: "ast1:1795456900.1" });
    expect(uploader.stats()).toMatchObject({ failed: 1, uploaded: 0 });
    expect(await readdir(outboxDir)).toEqual([]);
    await uploader.close();
  });

  it("fails at once when crm-api refuses the file itself (415), without retrying", async () => {
    const file = await monitorFile("1795457000.2", wav);
    api.failNext(10, 415);
    const uploader = await open({ ast1: asteriskFileSource(monitorDir, 10) });
    void uploader.observe(recordingReady("ast1", file));
    uploader.start();
    expect(await uploader.drain(5000)).toBe(true);
    expect(api.attempts()).toBe(1);
    expect(api.failures.map((f) => f.reason)).toEqual(["crm-api answered 415"]);
    await uploader.close();
  });

  it("streams a Mango recording through from the one-time 302 link without keeping the link", async () => {
    const secret = "/files/tmp-9c1e?token=one-time-secret-777";
    const mango = await serve((req, res) => {
      if (req.url === secret) {
        res.writeHead(200, { "content-type": "audio/mpeg" }).end(wav);
        return;
      }
      req.resume().on("end", () => res.writeHead(302, { location: `${mangoBase}${secret}` }).end());
    });
    const mangoBase = mango;
    const commands = createMangoCommands({
      apiUrl: `${mango}/vpbx/`,
      apiKey: TEST_KEY,
      apiSalt: TEST_SALT,
      log: memory.log,
    });
    const uploader = await open({ mango: mangoSource(commands) });
    void uploader.observe(recordingReady("mango", "MToxMDE2NzE0NzoxOTE3NTk4NTkxOjA=", "mango:entry-1"));
    const [jobFile] = await (async () => {
      await expect.poll(async () => readdir(outboxDir)).toHaveLength(1);
      return readdir(outboxDir);
    })();
    const job = await readFile(path.join(outboxDir, jobFile!), "utf8");
    uploader.start();
    expect(await uploader.drain(5000)).toBe(true);
    expect(api.uploads).toHaveLength(1);
    expect(api.uploads[0]).toMatchObject({
      recordingId: "MToxMDE2NzE0NzoxOTE3NTk4NTkxOjA=",
      contentType: "audio/mpeg",
    });
    expect(api.uploads[0]!.contentLength).toBeUndefined();
    expect(api.uploads[0]!.body.equals(wav)).toBe(true);
    expect(job).not.toContain("one-time-secret");
    expect(memory.text()).not.toContain("one-time-secret");
    await uploader.close();
  });

  it("fetches a stored recording through ARI with Basic auth when the files are not local", async () => {
    const seen: { url: string | undefined; authorization: string | undefined }[] = [];
    const ari = await serve((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      if (req.url === "/ari/recordings/stored/1795457100.3/file") {
        res.writeHead(200, { "content-type": "audio/wav", "content-length": wav.length }).end(wav);
      } else {
        res.writeHead(404).end();
      }
    });
    const ariUrl = ari.replace("http://", "http://okno:ari%20secret@") + "/ari";
    const uploader = await open({ ast1: ariSource(ariUrl) });
    void uploader.observe(recordingReady("ast1", "/var/spool/asterisk/recording/1795457100.3.wav"));
    uploader.start();
    expect(await uploader.drain(5000)).toBe(true);
    expect(seen).toEqual([
      {
        url: "/ari/recordings/stored/1795457100.3/file",
        authorization: `Basic ${Buffer.from("okno:ari secret").toString("base64")}`,
      },
    ]);
    expect(api.uploads[0]).toMatchObject({ contentType: "audio/wav", contentLength: String(wav.length) });
    expect(api.uploads[0]!.body.equals(wav)).toBe(true);
    await uploader.close();
  });

  it("ignores recordings of a PBX it has no way to fetch from", async () => {
    const uploader = await open({ ast1: asteriskFileSource(monitorDir, 10) });
    void uploader.observe(recordingReady("genesys", "a1b2c3"));
    const answered: CallEvent = { ...recordingReady("ast1", "x"), type: "call.answered", agentExt: "101" };
    void uploader.observe(answered);
    uploader.start();
    expect(await uploader.drain(500)).toBe(true);
    expect(await readdir(outboxDir)).toEqual([]);
    await uploader.close();
  });
});

describe("recordings riding with the publisher", () => {
  it("writes the upload job to disk before its recording.ready reaches the spool, and holds no other event", async () => {
    const file = await monitorFile("1795457200.4", wav);
    const uploader = await open({ ast1: asteriskFileSource(monitorDir) });
    const seen: { type: string; jobsOnDisk: string[] }[] = [];
    const spool: Publisher = {
      publish: (event) => {
        // What a crash at this instant would leave: the spool gets the event now, the outbox has…
        seen.push({
          type: event.type,
          jobsOnDisk: readdirSync(outboxDir).filter((n) => n.endsWith(".json")),
        });
      },
      start: () => undefined,
      drain: () => Promise.resolve(true),
      stats: () => ({
        published: 0,
        delivered: 0,
        duplicates: 0,
        rejected: 0,
        invalid: 0,
        retries: 0,
        pending: 0,
      }),
      close: () => Promise.resolve(),
    };
    const publisher = withRecordings(spool, uploader);
    const ready = recordingReady("ast1", file, "ast1:1795457200.4");
    publisher.publish(ready);
    // A PBX whose recordings the bridge does not fetch: its event makes no job and is not held.
    const other = recordingReady("genesys", "a1b2c3");
    publisher.publish(other);
    expect(seen).toEqual([{ type: "recording.ready", jobsOnDisk: [] }]);
    await publisher.drain();
    expect(seen).toEqual([
      { type: "recording.ready", jobsOnDisk: [] },
      { type: "recording.ready", jobsOnDisk: [`${jobIdOf("ast1:1795457200.4", file)}.json`] },
    ]);
    await publisher.close();
  });
});
