import type { Task, WrapUpResult } from "@okno/contracts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { callOf, callRow, feed, seedTracking, startCtiApp, unknownNumber } from "../cti/testKit.ts";
import { TASK_REMINDER_JOB } from "../tasks/reminders.ts";
import { buildInteraction, buildPipeline } from "../test/factories.ts";
import type { TestApp, TestLogin } from "../test/testApp.ts";
import { fieldsOf, socketsFor } from "./testKit.ts";

describe("POST /interactions/:id/wrap-up", () => {
  let t: TestApp;
  let sockets: Awaited<ReturnType<typeof socketsFor>>;
  let avitoId: string;
  const wrapUp = (login: TestLogin, id: string, payload: object) =>
    t.app.inject({
      method: "POST",
      url: `/api/v1/interactions/${id}/wrap-up`,
      headers: t.as(login),
      payload,
    });

  /** An unknown caller's call to the tracking number, answered by agent1 and over: agent1 is in acw. */
  const endedCall = async () => {
    const call = callOf();
    const number = unknownNumber();
    await feed(
      t,
      call.ringing(0, number, { agentExt: "101", line: "+74957654321" }),
      call.answered(3, "101"),
      call.ended(90, "completed"),
    );
    return { call, number, row: await callRow(t, call.callId) };
  };

  beforeAll(async () => {
    t = await startCtiApp();
    sockets = await socketsFor(t);
    await seedTracking(t);
    const [avito] = await t.db.knex("sources").insert({ name: "Авито" }).returning<{ id: string }[]>("id");
    avitoId = avito!.id;
    await t.app.inject({
      method: "PUT",
      url: "/api/v1/agents/me/state",
      headers: t.as("agent1"),
      payload: { state: "available" },
    });
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await t.close();
  });

  it("saves the outcome, corrects the source, books a callback with a reminder, and ends acw", async () => {
    const { call, number, row } = await endedCall();
    expect((await t.db.knex("agent_states").where("user_id", t.org.users.agent1.id).first()).state).toBe(
      "acw",
    );
    const agent1 = await sockets.inbox("agent1");
    const dueAt = new Date(Date.now() + 2 * 3600_000).toISOString();
    const res = await wrapUp("agent1", row.id, {
      result: "Перезвонить после замера",
      sourceId: avitoId,
      note: "Нашёл нас на Авито, не в Директе",
      next: { kind: "callback", dueAt },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<WrapUpResult>();
    expect(body).toMatchObject({
      interactionId: row.id,
      result: "Перезвонить после замера",
      next: { kind: "callback" },
    });
    expect(body.agentState).toMatchObject({ state: "available" });
    expect((await agent1.next("agent.state")).agent.state).toBe("available");

    const saved = await t.db.knex("interactions").where("id", row.id).first();
    expect(saved).toMatchObject({
      disposition: "Перезвонить после замера",
      body: "Нашёл нас на Авито, не в Директе",
      source_id: avitoId,
    });
    expect(saved.wrapped_up_by).toBe(t.org.users.agent1.id);
    const contact = await t.db.knex("contacts").where("id", row.contact_id).first();
    expect(contact).toMatchObject({ source_id: avitoId, source_confirmed: true });

    const task = (
      await t.app.inject({ method: "GET", url: `/api/v1/tasks/${body.next!.id}`, headers: t.as("agent1") })
    ).json<Task>();
    expect(task).toMatchObject({
      type: "callback",
      phone: number,
      dueAt,
      contactId: row.contact_id,
      ownerId: t.org.users.agent1.id,
    });
    expect(Date.parse(task.remindAt!)).toBe(Date.parse(dueAt) - 5 * 60_000);
    const reminder = await t.db
      .knex("jobs")
      .where("kind", TASK_REMINDER_JOB)
      .whereRaw("payload->>'taskId' = ?", [task.id])
      .first<{ run_at: Date }>();
    expect(new Date(reminder.run_at).toISOString()).toBe(task.remindAt);

    // A late event of the call (its recording) keeps the source the agent corrected.
    await feed(t, call.event("recording.ready", 95, { recordingId: "rec-wrap" }));
    expect((await callRow(t, call.callId)).source_id).toBe(avitoId);
  });

  it("opens a deal for the caller in the chosen pipeline", async () => {
    const pipeline = await buildPipeline(t);
    const { row } = await endedCall();
    const res = await wrapUp("agent1", row.id, {
      result: "Готов к договору",
      sourceConfirmed: true,
      next: { kind: "deal", title: "Кухня «Модерн»", pipelineId: pipeline.id, amount: 32_000_000 },
    });
    expect(res.statusCode).toBe(200);
    const deal = await t.db.knex("deals").where("id", res.json<WrapUpResult>().next!.id).first();
    expect(deal).toMatchObject({
      title: "Кухня «Модерн»",
      contact_id: row.contact_id,
      owner_id: t.org.users.agent1.id,
      stage_id: pipeline.stages[0]!.id,
    });
    expect(Number(deal.amount)).toBe(32_000_000);
  });

  it("is for the agent of the call or a supervisor who sees it", async () => {
    const { row } = await endedCall();
    expect((await wrapUp("agent2", row.id, { result: "x" })).statusCode).toBe(403);
    // The supervisor of «Продажи» does not see «Колл-центр».
    expect((await wrapUp("supervisor", row.id, { result: "x" })).statusCode).toBe(403);
    expect((await wrapUp("admin", row.id, { result: "Проверено" })).statusCode).toBe(200);
    expect((await wrapUp("agent1", crypto.randomUUID(), { result: "x" })).statusCode).toBe(404);
  });

  it("names the bad field, and changes nothing when the next step fails", async () => {
    const { row } = await endedCall();
    const cases: [object, string][] = [
      [{}, "body.result"],
      [{ result: "x", next: { kind: "task" } }, "body.next.dueAt"],
      [{ result: "x", next: { kind: "meeting", dueAt: new Date().toISOString() } }, "body.next.kind"],
      [{ result: "x", sourceId: crypto.randomUUID() }, "body.sourceId"],
      [{ result: "x", next: { kind: "deal", pipelineId: crypto.randomUUID() } }, "body.next.pipelineId"],
    ];
    for (const [payload, field] of cases) {
      const res = await wrapUp("agent1", row.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(fieldsOf(res)).toContain(field);
    }
    expect((await t.db.knex("interactions").where("id", row.id).first()).wrapped_up_at).toBeNull();
    const note = await buildInteraction(t, "agent1", { contactId: row.contact_id! });
    expect((await wrapUp("agent1", note.id, { result: "x" })).statusCode).toBe(409);
  });
});
