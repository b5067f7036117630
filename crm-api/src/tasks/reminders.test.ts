import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { socketsFor } from "../agents/testKit.ts";
import { jobHandlers } from "../jobs/registry.ts";
import { runDueJobs } from "../jobs/worker.ts";
import { buildContact, buildTask } from "../test/factories.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";
import { TASK_REMINDER_JOB } from "./reminders.ts";

describe("task reminders", () => {
  let t: TestApp;
  let sockets: Awaited<ReturnType<typeof socketsFor>>;
  const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
  const pending = (taskId: string) =>
    t.db
      .knex("jobs")
      .where("kind", TASK_REMINDER_JOB)
      .whereNull("done_at")
      .whereRaw("payload->>'taskId' = ?", [taskId])
      .select<{ run_at: Date }[]>("run_at");
  const patch = (id: string, payload: object) =>
    t.app.inject({ method: "PATCH", url: `/api/v1/tasks/${id}`, headers: t.as("agent1"), payload });
  /** Makes the task's pending reminder due now and runs the worker once. */
  const fire = async (taskId: string) => {
    await t.db
      .knex("jobs")
      .where("kind", TASK_REMINDER_JOB)
      .whereRaw("payload->>'taskId' = ?", [taskId])
      .update({ run_at: t.db.knex.raw("now()") });
    await runDueJobs({ db: t.db.knex, log: pino({ level: "silent" }), handlers: jobHandlers });
  };

  beforeAll(async () => {
    t = await startTestApp();
    sockets = await socketsFor(t);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await t.close();
  });

  it("pushes a callback's reminder with the client's phones to its user at the reminder time", async () => {
    const contact = await buildContact(t, "agent1", { lastName: "Белова", firstName: "Ольга" });
    const phone = contact.phones[0]!.phone;
    const task = await buildTask(t, "agent1", {
      type: "callback",
      title: "Перезвонить по замеру",
      phone,
      contactId: contact.id,
      dueAt: inHours(2),
      remindAt: inHours(1),
    });
    const jobs = await pending(task.id);
    expect(jobs.map((j) => new Date(j.run_at).toISOString())).toEqual([task.remindAt]);
    const [agent1, agent2] = await Promise.all([sockets.inbox("agent1"), sockets.inbox("agent2")]);
    await fire(task.id);
    const { reminder } = await agent1.next("task.reminder");
    expect(reminder.task).toMatchObject({ id: task.id, title: "Перезвонить по замеру", phone });
    expect(reminder.contact).toEqual({
      hidden: false,
      id: contact.id,
      fullName: "Белова Ольга",
      phones: [phone],
    });
    expect(await agent2.quiet("task.reminder")).toBe(true);
  });

  it("moves the reminder with the task's time and drops it when the task is done or deleted", async () => {
    const task = await buildTask(t, "agent1", { dueAt: inHours(5), remindAt: inHours(3) });
    const later = inHours(4);
    expect((await patch(task.id, { remindAt: later })).statusCode).toBe(200);
    expect((await pending(task.id)).map((j) => new Date(j.run_at).toISOString())).toEqual([later]);
    expect((await patch(task.id, { title: "Новое название" })).statusCode).toBe(200);
    expect(await pending(task.id)).toHaveLength(1);
    expect((await patch(task.id, { status: "done" })).statusCode).toBe(200);
    expect(await pending(task.id)).toHaveLength(0);
    expect((await patch(task.id, { status: "open" })).statusCode).toBe(200);
    expect(await pending(task.id)).toHaveLength(1);
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/tasks/${task.id}`,
      headers: t.as("agent1"),
    });
    expect(del.statusCode).toBe(204);
    expect(await pending(task.id)).toHaveLength(0);
  });

  it("sends nothing for a reminder whose task moved on while the job was already running", async () => {
    const task = await buildTask(t, "agent1", { dueAt: inHours(5), remindAt: inHours(1) });
    // The worker has claimed the job (locked) when the user changes the time: the old run must stay silent.
    await t.db
      .knex("jobs")
      .where("kind", TASK_REMINDER_JOB)
      .whereRaw("payload->>'taskId' = ?", [task.id])
      .update({ locked_by: "busy-worker" });
    await patch(task.id, { remindAt: inHours(2) });
    const agent1 = await sockets.inbox("agent1");
    await t.db
      .knex("jobs")
      .where({ kind: TASK_REMINDER_JOB, locked_by: "busy-worker" })
      .update({ locked_by: null });
    await t.db
      .knex("jobs")
      .where("kind", TASK_REMINDER_JOB)
      .whereRaw("payload->>'taskId' = ?", [task.id])
      .whereRaw("run_at < now() + interval '90 minutes'")
      .update({ run_at: t.db.knex.raw("now()") });
    await runDueJobs({ db: t.db.knex, log: pino({ level: "silent" }), handlers: jobHandlers });
    expect(await agent1.quiet("task.reminder")).toBe(true);
    await fire(task.id);
    expect((await agent1.next("task.reminder")).reminder.task.id).toBe(task.id);
  });

  it("hides a contact outside the user's scope", async () => {
    const contact = await buildContact(t, "manager1");
    const task = await buildTask(t, "admin", {
      ownerId: t.org.users.agent1.id,
      contactId: contact.id,
      dueAt: inHours(2),
      remindAt: inHours(1),
    });
    const agent1 = await sockets.inbox("agent1");
    await fire(task.id);
    expect((await agent1.next("task.reminder")).reminder.contact).toEqual({
      hidden: true,
      ownerName: "Тест manager1",
    });
  });
});
