import type { Contact, Lead, Task } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact } from "../test/factories.ts";
import type { TestApp } from "../test/testApp.ts";
import { callOf, callRow, feed, seedTracking, startCtiApp, unknownNumber } from "./testKit.ts";

describe("caller identification, sources and callbacks", () => {
  let t: TestApp;
  let source: { sourceId: string; campaignId: string };

  const setLeadCreation = async (on: boolean) => {
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/cti/settings",
      headers: t.as("admin"),
      payload: { createLeadForUnknown: on },
    });
    expect(res.statusCode).toBe(200);
  };
  const contactOf = async (id: string) =>
    (
      await t.app.inject({ method: "GET", url: `/api/v1/contacts/${id}`, headers: t.as("admin") })
    ).json<Contact>();
  const openCallbacks = (number: string) =>
    t.db
      .knex("tasks")
      .where({ type: "callback", status: "open", phone: number })
      .select<Record<string, unknown>[]>();

  beforeAll(async () => {
    t = await startCtiApp();
    source = await seedTracking(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it("links a known caller's call to their contact and company, creating nothing", async () => {
    const contact = await buildContact(t, "manager1");
    const company = await t.db
      .knex("companies")
      .insert({ name: "ООО «Кедр»", owner_id: t.org.users.manager1.id })
      .returning<{ id: string }[]>("id");
    await t.db
      .knex("contact_companies")
      .insert({ contact_id: contact.id, company_id: company[0]!.id, is_primary: true });
    const before = await t.db.knex("contacts").count({ n: "*" });
    const call = callOf();
    // The PBX reports the number as people write it; crm-api normalises it before the look-up.
    await feed(t, { ...call.ringing(0, contact.phones[0]!.phone.replace("+7", "8")) });
    expect(await t.db.knex("contacts").count({ n: "*" })).toEqual(before);
    expect(await callRow(t, call.callId)).toMatchObject({
      contact_id: contact.id,
      company_id: company[0]!.id,
      // Nobody answered yet: the call is the contact owner's.
      owner_id: t.org.users.manager1.id,
    });
  });

  it("creates «Новый клиент» for an unknown number, with the tracking number's source and no lead by default", async () => {
    const number = unknownNumber();
    const call = callOf();
    await feed(t, call.ringing(0, number, { line: "+74957654321", agentExt: "101" }));
    const row = await callRow(t, call.callId);
    expect(row).toMatchObject({ source_id: source.sourceId, campaign_id: source.campaignId, lead_id: null });
    expect(row.payload.attribution).toMatchObject({
      sourceName: "Яндекс.Директ",
      campaignName: "Контекст — кухни",
    });
    const contact = await contactOf(row.contact_id!);
    expect(contact).toMatchObject({
      firstName: "Новый клиент",
      phones: [{ phone: number, kind: "mobile" }],
      sourceId: source.sourceId,
      ownerId: t.org.users.agent1.id,
    });
    const flag = await t.db
      .knex("contacts")
      .where("id", contact.id)
      .first<{ source_confirmed: boolean }>("source_confirmed");
    expect(flag.source_confirmed).toBe(false);
    expect(await t.db.knex("leads").where("phone", number).first()).toBeUndefined();
    const audit = await t.db
      .knex("audit_log")
      .where({ record_id: contact.id })
      .first<{ via: string; user_id: string | null }>();
    expect(audit).toMatchObject({ via: "cti", user_id: null });
  });

  it("takes the source from the PBX's own tag when the line has none", async () => {
    const call = callOf();
    const from = unknownNumber();
    const line = "+74951234567";
    await feed(t, call.event("call.ringing", 0, { direction: "in", from, to: line, line, source: "yandex" }));
    const row = await callRow(t, call.callId);
    expect(row).toMatchObject({ source_id: source.sourceId, campaign_id: null });
    expect((await contactOf(row.contact_id!)).sourceId).toBe(source.sourceId);
  });

  it("also creates a lead «Входящий звонок +7 …» when the setting is on", async () => {
    await setLeadCreation(true);
    try {
      const number = unknownNumber();
      const call = callOf();
      await feed(t, call.ringing(0, number, { line: "+74957654321", agentExt: "102" }));
      const row = await callRow(t, call.callId);
      const res = await t.app.inject({
        method: "GET",
        url: `/api/v1/leads/${row.lead_id}`,
        headers: t.as("admin"),
      });
      expect(res.json<Lead>()).toMatchObject({
        title: expect.stringMatching(/^Входящий звонок \+7 903 /),
        status: "new",
        phone: number,
        contactId: row.contact_id,
        sourceId: source.sourceId,
        campaignId: source.campaignId,
        ownerId: t.org.users.agent2.id,
      });
    } finally {
      await setLeadCreation(false);
    }
  });

  it("gives a queue call's new contact to the supervisor, then to the agent who answers", async () => {
    const put = await t.app.inject({
      method: "PUT",
      url: "/api/v1/cti/queues/sales",
      headers: t.as("admin"),
      payload: {
        supervisorId: t.org.users.supervisor.id,
        memberIds: [t.org.users.agent1.id, t.org.users.agent2.id],
      },
    });
    expect(put.statusCode).toBe(200);
    const number = unknownNumber();
    const call = callOf();
    await feed(t, call.ringing(0, number, { queue: "sales" }));
    const { contact_id } = await callRow(t, call.callId);
    expect((await contactOf(contact_id!)).ownerId).toBe(t.org.users.supervisor.id);

    await feed(t, call.answered(12, "102"));
    expect((await contactOf(contact_id!)).ownerId).toBe(t.org.users.agent2.id);
    expect(await callRow(t, call.callId)).toMatchObject({ owner_id: t.org.users.agent2.id, wait_sec: 12 });
  });

  it("creates one callback task for missed and abandoned calls from the same number", async () => {
    const number = unknownNumber();
    const first = callOf();
    await feed(t, first.ringing(0, number, { agentExt: "101" }), first.ended(25, "missed"));
    const [task] = await openCallbacks(number);
    const due = Date.parse(String((task as { due_at: Date }).due_at));
    expect(due - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(due - Date.now()).toBeLessThan(16 * 60_000);
    const { contact_id } = await callRow(t, first.callId);
    const res = await t.app.inject({
      method: "GET",
      url: `/api/v1/tasks/${String(task!.id)}`,
      headers: t.as("admin"),
    });
    expect(res.json<Task>()).toMatchObject({
      type: "callback",
      title: expect.stringMatching(/^Перезвонить \+7 903 /),
      phone: number,
      contactId: contact_id,
      // The new contact went to the agent it rang, who is the one to call back.
      ownerId: t.org.users.agent1.id,
      status: "open",
    });

    const second = callOf();
    await feed(t, second.ringing(0, number, { queue: "sales" }), second.ended(40, "abandoned"));
    expect(await openCallbacks(number)).toHaveLength(1);
    expect((await callRow(t, second.callId)).payload.callbackTaskId).toBe(task!.id);
  });

  it("creates no callback for an answered call, and a new one once the previous was done", async () => {
    const contact = await buildContact(t, "manager2");
    const number = contact.phones[0]!.phone;
    const answered = callOf();
    await feed(
      t,
      answered.ringing(0, number, { agentExt: "202" }),
      answered.answered(3, "202"),
      answered.ended(50, "completed"),
    );
    expect(await openCallbacks(number)).toHaveLength(0);

    const missed = callOf();
    await feed(t, missed.ringing(0, number), missed.ended(30, "missed"));
    const [first] = await openCallbacks(number);
    const done = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/tasks/${String(first!.id)}`,
      headers: t.as("manager2"),
      payload: { status: "done" },
    });
    expect(done.statusCode).toBe(200);
    const again = callOf();
    await feed(t, again.ringing(0, number), again.ended(30, "missed"));
    const tasks = await openCallbacks(number);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.id).not.toBe(first!.id);
    expect(tasks[0]).toMatchObject({ owner_id: t.org.users.manager2.id, contact_id: contact.id });
  });
});
