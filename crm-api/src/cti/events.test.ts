import { CALL_EVENTS_VERSION, type Interaction } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact } from "../test/factories.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";
import {
  callOf,
  callRow,
  CTI_TOKEN,
  feed,
  postEvents,
  seedTracking,
  startCtiApp,
  unknownNumber,
} from "./testKit.ts";

describe("POST /cti/events", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startCtiApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses a missing or wrong token before looking at the body", async () => {
    const call = callOf();
    expect((await postEvents(t, [call.ringing(0, unknownNumber())], "wrong")).statusCode).toBe(401);
    const anon = await t.app.inject({
      method: "POST",
      url: "/api/v1/cti/events",
      payload: { nonsense: true },
    });
    expect(anon.statusCode).toBe(401);
    // A user's own API token is not the bridge's.
    const asAdmin = await t.app.inject({
      method: "POST",
      url: "/api/v1/cti/events",
      headers: t.as("admin"),
      payload: { version: CALL_EVENTS_VERSION, events: [call.ringing(0, unknownNumber())] },
    });
    expect(asAdmin.statusCode).toBe(401);
    expect(await t.db.knex("interactions").where("call_id", call.callId).first()).toBeUndefined();
  });

  it("names the bad field of an invalid batch", async () => {
    const call = callOf();
    const bad = { ...call.ringing(0, unknownNumber()), at: "yesterday" };
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/cti/events",
      headers: { authorization: `Bearer ${CTI_TOKEN}` },
      payload: { version: CALL_EVENTS_VERSION, events: [bad] },
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json<{ error: { fields: object } }>().error.fields)).toEqual(["body.events.0.at"]);
    const old = await t.app.inject({
      method: "POST",
      url: "/api/v1/cti/events",
      headers: { authorization: `Bearer ${CTI_TOKEN}` },
      payload: { version: 99, events: [call.ringing(0, unknownNumber())] },
    });
    expect(old.statusCode).toBe(400);
  });

  it("applies a batch sent twice once: duplicates are counted, nothing is doubled", async () => {
    const number = unknownNumber();
    const call = callOf();
    const batch = [
      call.ringing(0, number, { agentExt: "101" }),
      call.answered(6, "101"),
      call.ended(66, "completed"),
    ];
    expect(await feed(t, ...batch)).toEqual({ accepted: 3, duplicates: 0 });
    expect(await feed(t, ...batch)).toEqual({ accepted: 0, duplicates: 3 });
    // Redelivered inside a larger batch: only the new event counts.
    const recording = call.event("recording.ready", 70, {
      recordingId: "rec-1",
      storageKey: "2026/11/rec-1.wav",
    });
    expect(await feed(t, batch[1]!, recording, batch[0]!)).toEqual({ accepted: 1, duplicates: 2 });

    expect(await t.db.knex("interactions").where("call_id", call.callId).count({ n: "*" })).toEqual([
      { n: 1 },
    ]);
    expect(await t.db.knex("contact_phones").where("phone", number).count({ n: "*" })).toEqual([{ n: 1 }]);
    const row = await callRow(t, call.callId);
    expect(row).toMatchObject({
      result: "completed",
      wait_sec: 6,
      duration_sec: 60,
      owner_id: t.org.users.agent1.id,
    });
    expect(row.payload.call.recording).toMatchObject({
      recordingId: "rec-1",
      storageKey: "2026/11/rec-1.wav",
    });
  });

  it("stays exact when batches race: a retried batch and two calls from one new number", async () => {
    const number = unknownNumber();
    const a = callOf();
    const b = callOf();
    const batchA = [a.ringing(0, number, { agentExt: "101" }), a.ended(20, "missed")];
    const results = await Promise.all([
      feed(t, ...batchA),
      feed(t, ...batchA),
      feed(t, b.ringing(1, number, { agentExt: "102" }), b.ended(21, "missed")),
    ]);
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(4);
    expect(await t.db.knex("contact_phones").where("phone", number).count({ n: "*" })).toEqual([{ n: 1 }]);
    const [rowA, rowB] = [await callRow(t, a.callId), await callRow(t, b.callId)];
    expect(rowA.contact_id).toBe(rowB.contact_id);
    const callbacks = await t.db.knex("tasks").where({ type: "callback", phone: number }).count({ n: "*" });
    expect(callbacks).toEqual([{ n: 1 }]);
  });

  it("does not move a call back when events come late or out of order", async () => {
    const number = unknownNumber();
    const call = callOf();
    const ringing = call.ringing(0, number, { agentExt: "102" });
    const answered = call.answered(4, "102");
    const ended = call.ended(34, "completed");
    await feed(t, answered);
    expect(await callRow(t, call.callId)).toMatchObject({ result: null, ended_at: null });
    await feed(t, ended, ringing);
    const row = await callRow(t, call.callId);
    expect(row).toMatchObject({ direction: "in", result: "completed", wait_sec: 4, duration_sec: 30 });
    expect(row.occurred_at.toISOString()).toBe(ringing.at);
    expect(row.answered_at?.toISOString()).toBe(answered.at);
    expect(row.ended_at?.toISOString()).toBe(ended.at);
    // The caller was identified once the late ringing told who it was.
    expect(row.contact_id).not.toBeNull();
  });

  it("puts the call on the caller's timeline", async () => {
    const contact = await buildContact(t, "agent1");
    const call = callOf();
    await feed(
      t,
      call.ringing(0, contact.phones[0]!.phone, { agentExt: "101" }),
      call.answered(5, "101"),
      call.ended(125, "completed"),
    );
    const res = await t.app.inject({
      method: "GET",
      url: `/api/v1/contacts/${contact.id}/timeline`,
      headers: t.as("agent1"),
    });
    expect(res.statusCode).toBe(200);
    const [entry] = res.json<{ items: Interaction[] }>().items;
    expect(entry).toMatchObject({
      channel: "call",
      direction: "in",
      callId: call.callId,
      result: "completed",
      durationSec: 120,
      ownerId: t.org.users.agent1.id,
      contactId: contact.id,
    });
    expect(entry!.payload).toMatchObject({ number: contact.phones[0]!.phone, call: { direction: "in" } });
  });

  it("returns the call's answer time, wait, talk time and source on the timeline", async () => {
    const { sourceId, campaignId } = await seedTracking(t);
    const timelineOf = async (contactId: string) => {
      const res = await t.app.inject({
        method: "GET",
        url: `/api/v1/contacts/${contactId}/timeline`,
        headers: t.as("agent1"),
      });
      expect(res.statusCode).toBe(200);
      return res.json<{ items: Interaction[] }>().items;
    };
    // An unknown caller on the tracking number: the contact is created with the call's source, unconfirmed.
    const call = callOf();
    const answered = call.answered(7, "101");
    // Replayed as the bridge redelivers after an outage: out of order and twice.
    const events = [call.ringing(0, unknownNumber(), { line: "+74957654321", agentExt: "101" }), answered];
    await feed(t, call.ended(67, "completed"), ...events);
    await feed(t, ...events);
    const { contact_id: contactId } = await callRow(t, call.callId);
    const [entry] = await timelineOf(contactId!);
    expect(entry).toMatchObject({
      callId: call.callId,
      answeredAt: answered.at,
      waitSec: 7,
      durationSec: 60,
      sourceId,
      sourceName: "Яндекс.Директ",
      campaignId,
      campaignName: "Контекст — кухни",
      isSourceConfirmed: false,
    });

    // A known caller who gave up on the main line: no answer, the wait is ring → end, no source.
    const contact = await buildContact(t, "agent1");
    const missed = callOf();
    await feed(
      t,
      missed.ringing(0, contact.phones[0]!.phone, { agentExt: "101" }),
      missed.ended(25, "missed"),
    );
    const [missedEntry] = await timelineOf(contact.id);
    expect(missedEntry).toMatchObject({
      callId: missed.callId,
      answeredAt: null,
      waitSec: 25,
      durationSec: null,
      sourceId: null,
      sourceName: null,
      isSourceConfirmed: true,
    });
  });
});

describe("POST /cti/events without CTI_TOKEN configured", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses every request", async () => {
    const res = await postEvents(t, [callOf().ringing(0, unknownNumber())]);
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/CTI_TOKEN/);
  });
});
