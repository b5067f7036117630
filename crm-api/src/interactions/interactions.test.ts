import type { Contact, Interaction } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact, buildInteraction } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

type Page = { items: Interaction[]; nextCursor: string | null };
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

describe("interactions", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  // Companies and deals have their own API elsewhere; these tests only need rows to hang timelines on.
  const insertCompany = async (owner: TestLogin) => {
    const [row] = await t.db
      .knex("companies")
      .insert({ name: "ООО «Ромашка»", inn: "7707083893", owner_id: t.org.users[owner].id })
      .returning<{ id: string }[]>("id");
    return row!.id;
  };
  const insertDeal = async (owner: TestLogin) => {
    const k = t.db.knex;
    const [pipeline] = await k("pipelines")
      .insert({ name: `Продажи ${crypto.randomUUID()}` })
      .returning<{ id: string }[]>("id");
    const [stage] = await k("stages")
      .insert({ pipeline_id: pipeline!.id, name: "Переговоры", sort: 1 })
      .returning<{ id: string }[]>("id");
    const [deal] = await k("deals")
      .insert({
        title: "Поставка кухонь",
        pipeline_id: pipeline!.id,
        stage_id: stage!.id,
        amount: 150_000_00,
        owner_id: t.org.users[owner].id,
      })
      .returning<{ id: string }[]>("id");
    return deal!.id;
  };
  const get = async (login: TestLogin, url: string, query: Record<string, string> = {}) =>
    t.app.inject({ url: `/api/v1${url}`, query, headers: t.as(login) });
  const post = (login: TestLogin, payload: object) =>
    t.app.inject({ method: "POST", url: "/api/v1/interactions", headers: t.as(login), payload });

  it("logs a note on a contact and files it under the contact's primary company too", async () => {
    const companyId = await insertCompany("manager1");
    const contact = await buildContact(t, "manager1", { firstName: "Мария", companyIds: [companyId] });
    const note = await buildInteraction(t, "manager1", {
      contactId: contact.id,
      subject: "Замер",
      body: "Договорились о замере в субботу",
    });
    expect(note).toMatchObject({
      channel: "note",
      direction: null,
      body: "Договорились о замере в субботу",
      contactId: contact.id,
      companyId,
      ownerId: t.org.users.manager1.id,
      ownerName: "Тест manager1",
      payload: {},
      callId: null,
    });
    expect(Math.abs(Date.parse(note.occurredAt) - Date.now())).toBeLessThan(60_000);
    const timeline = (await get("manager1", `/companies/${companyId}/timeline`)).json<Page>();
    expect(timeline.items.map((i) => i.id)).toEqual([note.id]);
  });

  it("computes the duration of a logged call from its start and end", async () => {
    const contact = await buildContact(t, "manager1");
    const call = await buildInteraction(t, "manager1", {
      channel: "call",
      direction: "out",
      contactId: contact.id,
      occurredAt: "2026-11-20T10:00:00+03:00",
      endedAt: "2026-11-20T10:04:30+03:00",
      result: "перезвонить завтра",
    });
    expect(call).toMatchObject({
      occurredAt: "2026-11-20T07:00:00.000Z",
      endedAt: "2026-11-20T07:04:30.000Z",
      durationSec: 270,
      result: "перезвонить завтра",
    });
  });

  describe("validation", () => {
    let contact: Contact;
    beforeAll(async () => {
      contact = await buildContact(t, "manager1");
    });

    it.each([
      [{ channel: "note" }, "body.body"],
      [{ channel: "note", body: "  " }, "body.body"],
      [{ channel: "call", body: "Звонок" }, "body.direction"],
      [{ channel: "chat", direction: "in", body: "Привет" }, "body.channel"],
      [{ channel: "note", body: "Заметка", occurredAt: "вчера" }, "body.occurredAt"],
      [
        {
          channel: "meeting",
          occurredAt: "2026-11-20T10:00:00Z",
          endedAt: "2026-11-20T09:00:00Z",
        },
        "body.endedAt",
      ],
      [{ channel: "note", body: "Заметка", dealId: UNKNOWN }, "body.dealId"],
      [{ channel: "note", body: "Заметка", companyId: UNKNOWN }, "body.companyId"],
    ])("rejects %j naming %s, writing nothing", async (payload, field) => {
      const before = await t.db.knex("interactions").count<{ n: number }[]>("* as n");
      const res = await post("manager1", { contactId: contact.id, ...payload });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { code: string; fields: Record<string, string> } }>();
      expect(body.error.code).toBe("invalid_request");
      expect(Object.keys(body.error.fields)).toContain(field);
      const after = await t.db.knex("interactions").count<{ n: number }[]>("* as n");
      expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
    });

    it("requires a linked record", async () => {
      const res = await post("manager1", { channel: "note", body: "Ни к кому" });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: { fields: { body: "link a contact, company, deal or lead" } },
      });
    });

    it("refuses to log on a contact outside the user's scope", async () => {
      const res = await post("agent1", { channel: "note", body: "Чужой клиент", contactId: contact.id });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: { fields: { "body.contactId": "no such contact in your scope" } },
      });
    });
  });

  describe("timeline", () => {
    let contact: Contact;
    let created: Interaction[];
    beforeAll(async () => {
      contact = await buildContact(t, "manager1", { firstName: "Елена", lastName: "Волкова" });
      // Distinct and equal timestamps: ties must be broken by id, or pages would skip or repeat entries.
      const times = ["10:00", "11:00", "11:00", "11:00", "12:00", "13:00", "13:00"];
      created = await Promise.all(
        times.map((hm, i) =>
          buildInteraction(t, "manager1", {
            channel: i % 2 === 0 ? "note" : "call",
            direction: i % 2 === 0 ? undefined : "in",
            body: `Запись ${i}`,
            contactId: contact.id,
            occurredAt: `2026-11-20T${hm}:00+03:00`,
          }),
        ),
      );
    });

    const readAll = async (login: TestLogin, url: string, query: Record<string, string> = {}) => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const res = await get(login, url, { limit: "3", ...query, ...(cursor ? { cursor } : {}) });
        expect(res.statusCode).toBe(200);
        const page = res.json<Page>();
        pages.push(page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      return pages;
    };
    const newestFirst = (items: Interaction[]) =>
      [...items]
        .sort((a, b) =>
          a.occurredAt === b.occurredAt ? (a.id < b.id ? 1 : -1) : a.occurredAt < b.occurredAt ? 1 : -1,
        )
        .map((i) => i.id);

    it("lists newest first and pages by 3 without gaps or repeats", async () => {
      const pages = await readAll("manager1", `/contacts/${contact.id}/timeline`);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(newestFirst(created));
    });

    it("keeps paging steady when an entry arrives between pages", async () => {
      const url = `/contacts/${contact.id}/timeline`;
      const first = (await get("manager1", url, { limit: "3" })).json<Page>();
      const fresh = await buildInteraction(t, "manager1", { contactId: contact.id, body: "Новая запись" });
      const rest = await readAll("manager1", url, { cursor: first.nextCursor! });
      expect([...first.items.map((i) => i.id), ...rest.flat()]).toEqual(newestFirst(created));
      const top = (await get("manager1", url, { limit: "1" })).json<Page>();
      expect(top.items[0]!.id).toBe(fresh.id);
      await t.db.knex("interactions").where("id", fresh.id).delete();
    });

    it("filters by channel", async () => {
      const res = await get("manager1", `/contacts/${contact.id}/timeline`, { channel: "call" });
      const calls = created.filter((i) => i.channel === "call");
      expect(res.json<Page>().items.map((i) => i.id)).toEqual(newestFirst(calls));
    });

    it("shows entries others logged on the record, such as a supervisor's note", async () => {
      const note = await buildInteraction(t, "supervisor", { contactId: contact.id, body: "Проверено" });
      const ids = (await readAll("manager1", `/contacts/${contact.id}/timeline`)).flat();
      expect(ids).toContain(note.id);
      await t.db.knex("interactions").where("id", note.id).delete();
    });

    it("answers 403 for a contact outside the user's scope and 404 for an unknown one", async () => {
      const outside = await get("manager2", `/contacts/${contact.id}/timeline`);
      expect(outside.statusCode).toBe(403);
      expect(outside.json()).toMatchObject({ error: { code: "forbidden" } });
      const unknown = await get("manager1", `/contacts/${UNKNOWN}/timeline`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: { code: "not_found", message: "contact not found" } });
    });

    it("keeps a deal's timeline to the deal's entries and its scope", async () => {
      const dealId = await insertDeal("manager1");
      const onDeal = await buildInteraction(t, "manager1", { dealId, body: "Выставлен счёт" });
      const res = await get("manager1", `/deals/${dealId}/timeline`);
      expect(res.json<Page>().items.map((i) => i.id)).toEqual([onDeal.id]);
      expect((await get("agent1", `/deals/${dealId}/timeline`)).statusCode).toBe(403);
      expect((await get("manager1", `/deals/${UNKNOWN}/timeline`)).statusCode).toBe(404);
      expect((await get("manager1", `/companies/${UNKNOWN}/timeline`)).statusCode).toBe(404);
    });
  });

  describe("journal", () => {
    let mine: Interaction, theirs: Interaction, agents: Interaction;
    beforeAll(async () => {
      const c1 = await buildContact(t, "manager1");
      const c2 = await buildContact(t, "manager2");
      const c3 = await buildContact(t, "agent1");
      const call = { channel: "call", direction: "in", occurredAt: "2026-11-21T09:00:00Z" } as const;
      mine = await buildInteraction(t, "manager1", { ...call, contactId: c1.id });
      theirs = await buildInteraction(t, "manager2", { ...call, contactId: c2.id, direction: "out" });
      agents = await buildInteraction(t, "agent1", { ...call, contactId: c3.id });
    });
    const ids = async (login: TestLogin, query: Record<string, string> = {}) =>
      (await get(login, "/interactions", { limit: "200", ...query })).json<Page>().items.map((i) => i.id);

    it("shows a manager their own, a supervisor the department's, an administrator all", async () => {
      const m1 = await ids("manager1");
      expect(m1).toContain(mine.id);
      expect(m1).not.toContain(theirs.id);
      const sup = await ids("supervisor");
      expect(sup).toEqual(expect.arrayContaining([mine.id, theirs.id]));
      expect(sup).not.toContain(agents.id);
      expect(await ids("admin")).toEqual(expect.arrayContaining([mine.id, theirs.id, agents.id]));
    });

    it("filters by channel, direction, owner and time", async () => {
      const window = { from: "2026-11-21T08:00:00Z", to: "2026-11-21T10:00:00Z" };
      expect(await ids("admin", { ...window, channel: "call" })).toHaveLength(3);
      expect(await ids("admin", { ...window, direction: "out" })).toEqual([theirs.id]);
      expect(await ids("admin", { ...window, ownerId: t.org.users.agent1.id })).toEqual([agents.id]);
      expect(await ids("admin", { ...window, channel: "note" })).toEqual([]);
      expect(await ids("admin", { from: "2026-11-21T09:00:01Z", to: "2026-11-21T10:00:00Z" })).toEqual([]);
    });
  });
});
