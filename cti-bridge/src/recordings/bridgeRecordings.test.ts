import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { startBridge } from "../bridge.ts";
import { loadCapture } from "../asterisk/testing/captures.ts";
import { startFakeAmiServer, type FakeAmiServer } from "../asterisk/testing/fakeAmiServer.ts";
import { silentLog } from "../asterisk/testing/replay.ts";
import { startFakeCrmApi, type FakeCrmApi } from "./testing/fakeCrmApi.ts";
import { makeWav } from "./testing/testWav.ts";

let work: string;
let api: FakeCrmApi;
let ami: FakeAmiServer;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "okno-bridge-"));
  api = await startFakeCrmApi();
});
afterEach(async () => {
  await ami.close();
  await api.close();
  await rm(work, { recursive: true, force: true });
});

it("uploads the MixMonitor file of a replayed Asterisk call through the bridge as `npm start` wires it", async () => {
  // The real capture: MIXMONITOR_FILENAME = /var/spool/asterisk/monitor/1795456775.0.wav.
  const monitor = path.join(work, "monitor");
  await mkdir(monitor);
  const wav = makeWav(3);
  await writeFile(path.join(monitor, "1795456775.0.wav"), wav);
  ami = await startFakeAmiServer({ scripts: [{ replay: [{ capture: loadCapture("inbound-answered") }] }] });
  const config = loadConfig({
    AMI_URL: ami.url(),
    ASTERISK_RECORDINGS_DIR: monitor,
    DATA_DIR: work,
    CTI_TOKEN: "bridge-test-token-0123456789abcdefghij",
  });
  const bridge = await startBridge(config, silentLog, { url: api.url, token: config.ctiToken! });
  bridge.publisher.start();
  try {
    await expect.poll(() => api.uploads.length, { timeout: 10_000 }).toBe(1);
    expect(api.events.map((e) => e.type)).toContain("recording.ready");
    expect(api.uploads[0]).toMatchObject({
      recordingId: "/var/spool/asterisk/monitor/1795456775.0.wav",
      callId: "ast1:1795456775.0",
      contentType: "audio/wav",
    });
    expect(api.uploads[0]!.body.equals(wav)).toBe(true);
    await expect.poll(() => readdir(path.join(work, "recordings-outbox"))).toEqual([]);
  } finally {
    await bridge.close();
  }
});
