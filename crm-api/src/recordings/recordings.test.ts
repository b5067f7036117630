import { readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CallLogItem, Recording, RecordingUploadResult } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CTI_TOKEN, callOf, callRow, feed } from "../cti/testKit.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";
import { makeWav } from "./testWav.ts";

describe("call recordings", () => {
  let t: TestApp;
  const recordingsDir = path.join(tmpdir(), `okno-recordings-test-${crypto.randomUUID()}`);
  const wav = makeWav(2);

  const upload = (recordingId: string, callId: string, body: Buffer, token: string | null = CTI_TOKEN) =>
    t.app.inject({
      method: "PUT",
      url: `/api/v1/cti/recordings/${encodeURIComponent(recordingId)}`,
      query: { callId },
      headers: { "content-type": "audio/wav", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: body,
    });
  const play = (login: TestLogin, id: string, range?: string) =>
    t.app.inject({
      url: `/api/v1/recordings/${id}`,
      headers: { ...t.as(login), ...(range ? { range } : {}) },
    });
  const describeRecording = (login: TestLogin, interactionId: string) =>
    t.app.inject({ url: `/api/v1/interactions/${interactionId}/recording`, headers: t.as(login) });

  /** A finished inbound call taken by `ext`; returns its ids and the MixMonitor file name. */
  async function takenCall(ext: string, opts: { announce?: boolean } = {}) {
    const call = callOf();
    const file = `/var/spool/asterisk/monitor/${call.callId.slice(5)}.wav`;
    const events = [
      call.ringing(0, "+79161234567", { agentExt: ext }),
      call.answered(2, ext),
      call.ended(30, "completed"),
    ];
    await feed(
      t,
      ...events,
      ...(opts.announce === false ? [] : [call.event("recording.ready", 30, { recordingId: file })]),
    );
    return { call, file, interactionId: (await callRow(t, call.callId)).id };
  }
  const listens = async (recordingId: string) =>
    t.db
      .knex("audit_log")
      .where({ entity: "recordings", record_id: recordingId })
      .select<{ user_id: string; action: string; meta: unknown }[]>("user_id", "action", "meta");

  beforeAll(async () => {
    t = await startTestApp({ cti: { token: CTI_TOKEN }, recordingsDir });
  });
  afterAll(async () => {
    await t.close();
    await rm(recordingsDir, { recursive: true, force: true });
  });

  it("takes an upload only with the bridge's token, and stores the WAV byte for byte", async () => {
    const { call, file, interactionId } = await takenCall("201");
    expect((await upload(file, call.callId, wav, null)).statusCode).toBe(401);
    expect((await upload(file, call.callId, wav, "x".repeat(40))).statusCode).toBe(401);
    expect((await upload(file, call.callId, wav, t.org.users.admin.token)).statusCode).toBe(401);

    const res = await upload(file, call.callId, wav);
    expect(res.statusCode, res.body).toBe(201);
    const stored = res.json<RecordingUploadResult>();
    expect(stored).toMatchObject({
      status: "stored",
      sizeBytes: wav.length,
      interactionId,
      duplicate: false,
    });

    expect((await t.app.inject({ url: `/api/v1/recordings/${stored.id}` })).statusCode).toBe(401);
    const probe = await t.app.inject({
      method: "HEAD",
      url: `/api/v1/recordings/${stored.id}`,
      headers: t.as("manager1"),
    });
    expect(probe.statusCode).toBe(200);
    expect(probe.headers["content-length"]).toBe(String(wav.length));
    expect(probe.rawPayload).toHaveLength(0);
    // A HEAD is not a listen.
    expect(await listens(stored.id)).toEqual([]);

    const full = await play("manager1", stored.id);
    expect(full.statusCode).toBe(200);
    expect(full.rawPayload.equals(wav)).toBe(true);
    expect(full.headers).toMatchObject({
      "content-type": "audio/wav",
      "accept-ranges": "bytes",
      "cache-control": "private",
      "content-length": String(wav.length),
    });
  });

  it("answers byte ranges with 206, a suffix range with the file's tail, and 416 beyond the end", async () => {
    const { call, file } = await takenCall("201");
    const { id } = (await upload(file, call.callId, wav)).json<RecordingUploadResult>();

    const head = await play("manager1", id, "bytes=0-43");
    expect(head.statusCode).toBe(206);
    expect(head.headers["content-range"]).toBe(`bytes 0-43/${wav.length}`);
    expect(head.rawPayload.equals(wav.subarray(0, 44))).toBe(true);
    expect(head.rawPayload.subarray(0, 4).toString("ascii")).toBe("RIFF");

    const tail = await play("manager1", id, "bytes=-100");
    expect(tail.statusCode).toBe(206);
    expect(tail.headers["content-range"]).toBe(`bytes ${wav.length - 100}-${wav.length - 1}/${wav.length}`);
    expect(tail.headers["content-length"]).toBe("100");
    expect(tail.rawPayload.equals(wav.subarray(wav.length - 100))).toBe(true);

    const open = await play("manager1", id, "bytes=1000-");
    expect(open.rawPayload.equals(wav.subarray(1000))).toBe(true);

    for (const range of [`bytes=${wav.length}-`, "bytes=-0", "bytes=9-3"]) {
      const bad = await play("manager1", id, range);
      expect(bad.statusCode, range).toBe(416);
      expect(bad.headers["content-range"]).toBe(`bytes */${wav.length}`);
    }
  });

  it("lets the agent who took the call, and a supervisor over them, listen; nobody else", async () => {
    const { call, file, interactionId } = await takenCall("201");
    const { id } = (await upload(file, call.callId, wav)).json<RecordingUploadResult>();
    const statuses = async (logins: TestLogin[]) =>
      Object.fromEntries(
        await Promise.all(
          logins.map(async (l): Promise<[string, number]> => [
            l,
            (await play(l, id, "bytes=0-1")).statusCode,
          ]),
        ),
      );
    expect(await statuses(["manager1", "supervisor", "admin", "manager2", "agent1", "marketer"])).toEqual({
      manager1: 206,
      supervisor: 206,
      admin: 206,
      manager2: 403,
      agent1: 403,
      // Sees every interaction, but may not play them: the role lacks canListenRecordings.
      marketer: 403,
    });
    const meta = await describeRecording("marketer", interactionId);
    expect(meta.json<Recording>()).toMatchObject({ id, status: "stored", canListen: false });
    expect((await describeRecording("manager2", interactionId)).statusCode).toBe(403);

    // A call-centre call is outside the sales supervisor's department.
    const other = await takenCall("101");
    const second = (await upload(other.file, other.call.callId, wav)).json<RecordingUploadResult>();
    expect((await play("supervisor", second.id)).statusCode).toBe(403);
    expect((await play("agent1", second.id)).statusCode).toBe(200);
    expect((await play("agent2", second.id)).statusCode).toBe(403);
    expect((await play("admin", crypto.randomUUID())).statusCode).toBe(404);
  });

  it("audits a listen once per user however many range requests the player makes", async () => {
    const { call, file, interactionId } = await takenCall("201");
    const { id } = (await upload(file, call.callId, wav)).json<RecordingUploadResult>();
    expect(await listens(id)).toEqual([]);
    const ranges = ["bytes=0-", "bytes=0-1023", "bytes=1024-", "bytes=-100", "bytes=5000-6000"];
    await Promise.all(ranges.map((r) => play("manager1", id, r)));
    await play("manager1", id);
    await play("supervisor", id, "bytes=0-");
    await play("manager2", id); // refused: not a listen
    await play("manager1", id, `bytes=${wav.length}-`); // 416: not a listen either

    const rows = await listens(id);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.user_id).sort()).toEqual(
      [t.org.users.manager1.id, t.org.users.supervisor.id].sort(),
    );
    expect(rows[0]).toMatchObject({
      action: "view",
      meta: { event: "recording.listen", interactionId, callId: call.callId },
    });
  });

  it("is idempotent: the same recording uploaded twice is one row and one file", async () => {
    const { call, file } = await takenCall("201");
    const first = (await upload(file, call.callId, wav)).json<RecordingUploadResult>();
    const [row] = await t.db.knex("recordings").where("call_id", call.callId);
    expect(row.pbx_recording_id).toBe(file);
    const month = path.dirname(path.join(recordingsDir, row.storage_key as string));
    const filesBefore = await readdir(month);

    const again = await upload(file, call.callId, wav);
    expect(again.statusCode).toBe(200);
    expect(again.json<RecordingUploadResult>()).toMatchObject({
      id: first.id,
      duplicate: true,
      sizeBytes: wav.length,
    });
    expect(await t.db.knex("recordings").where("call_id", call.callId)).toHaveLength(1);
    expect((await readdir(month)).sort()).toEqual(filesBefore.sort());
    expect(filesBefore.filter((f) => f.endsWith(".part"))).toEqual([]);
  });

  it("links the recording whether the upload comes before the call's events or after recording.ready", async () => {
    // Upload first: the call is not known yet.
    const early = callOf();
    const earlyFile = `/var/spool/asterisk/monitor/${early.callId.slice(5)}.wav`;
    const uploaded = (await upload(earlyFile, early.callId, wav)).json<RecordingUploadResult>();
    expect(uploaded.interactionId).toBeNull();
    expect((await play("agent1", uploaded.id)).statusCode).toBe(404);
    await feed(
      t,
      early.ringing(0, "+79161234567", { agentExt: "101" }),
      early.answered(1, "101"),
      early.ended(20, "completed"),
      early.event("recording.ready", 20, { recordingId: earlyFile }),
    );
    const earlyInteraction = (await callRow(t, early.callId)).id;
    expect((await describeRecording("agent1", earlyInteraction)).json<Recording>()).toMatchObject({
      id: uploaded.id,
      status: "stored",
      url: `/api/v1/recordings/${uploaded.id}`,
      sizeBytes: wav.length,
      canListen: true,
    });
    expect((await play("agent1", uploaded.id)).rawPayload.equals(wav)).toBe(true);

    // recording.ready first: nothing to play until the file arrives.
    const late = await takenCall("101");
    expect((await describeRecording("agent1", late.interactionId)).statusCode).toBe(404);
    const lateUpload = (await upload(late.file, late.call.callId, wav)).json<RecordingUploadResult>();
    expect(lateUpload.interactionId).toBe(late.interactionId);
    expect((await describeRecording("agent1", late.interactionId)).json<Recording>()).toMatchObject({
      id: lateUpload.id,
      status: "stored",
    });
  });

  it("links a file whose recording.ready never came (a bridge crash between the two), and the journal marks it", async () => {
    const { call, file, interactionId } = await takenCall("101", { announce: false });
    const journal = async () =>
      (await t.app.inject({ url: "/api/v1/calls?limit=50", headers: t.as("admin") }))
        .json<{ items: CallLogItem[] }>()
        .items.find((item) => item.callId === call.callId);
    expect(await journal()).toMatchObject({ hasRecording: false });

    const uploaded = (await upload(file, call.callId, wav)).json<RecordingUploadResult>();
    expect(uploaded.interactionId).toBe(interactionId);
    expect((await describeRecording("agent1", interactionId)).json<Recording>()).toMatchObject({
      id: uploaded.id,
      status: "stored",
    });
    expect((await play("agent1", uploaded.id)).rawPayload.equals(wav)).toBe(true);
    expect(await journal()).toMatchObject({ hasRecording: true });
  });

  it("shows a recording the bridge gave up on as failed, and refuses other media types", async () => {
    const { call, file, interactionId } = await takenCall("101");
    const failure = await t.app.inject({
      method: "POST",
      url: `/api/v1/cti/recordings/${encodeURIComponent(file)}/failure`,
      query: { callId: call.callId },
      headers: { authorization: `Bearer ${CTI_TOKEN}` },
      payload: { reason: "file not found after 10 attempts" },
    });
    expect(failure.statusCode, failure.body).toBe(204);
    expect((await describeRecording("agent1", interactionId)).json<Recording>()).toMatchObject({
      status: "failed",
      url: null,
    });

    const html = await t.app.inject({
      method: "PUT",
      url: `/api/v1/cti/recordings/${encodeURIComponent(file)}`,
      query: { callId: call.callId },
      headers: { "content-type": "text/html", authorization: `Bearer ${CTI_TOKEN}` },
      payload: "<html></html>",
    });
    expect(html.statusCode).toBe(415);
    // A late success after all still wins.
    expect((await upload(file, call.callId, wav)).statusCode).toBe(201);
    expect((await describeRecording("agent1", interactionId)).json<Recording>().status).toBe("stored");
  });
});
