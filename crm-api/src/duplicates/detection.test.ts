import type { Company, Contact, ContactDuplicatePair, DuplicateCheck } from "@okno/contracts";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue } from "../jobs/queue.ts";
import { jobHandlers } from "../jobs/registry.ts";
import { runDueJobs } from "../jobs/worker.ts";
import { buildCompany, buildContact, buildLead, uniqueInn, uniquePhone } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

type Pair = { id: string; score: number; reasons: string[]; a: { id: string }; b: { id: string } };

describe("duplicate detection", () => {
  let t: TestApp;
  let anna: Contact, annaShort: Contact, annaElsewhere: Contact, annaMail: Contact, reception: Contact;
  let leadHolder: Contact, caller: Contact, foreign: Contact;
  const inn = uniqueInn();
  const companies: Record<string, Company> = {};

  /** The nightly scan, run the way production runs it: a queued job picked up by a worker. */
  const scan = async () => {
    await enqueue(t.db.knex, "duplicates.scan", {});
    await runDueJobs({ db: t.db.knex, log: pino({ level: "silent" }), handlers: jobHandlers });
  };
  const get = async <T>(login: TestLogin, url: string, query?: Record<string, string>) => {
    const res = await t.app.inject({ url: `/api/v1${url}`, query, headers: t.as(login) });
    return { status: res.statusCode, body: res.json<T>() };
  };
  const pairs = async (login: TestLogin, entity = "contacts") =>
    (await get<{ items: Pair[] }>(login, `/duplicates/${entity}`)).body.items;
  const pairOf = (list: Pair[], x: { id: string }, y: { id: string }) =>
    list.find((p) => [p.a.id, p.b.id].sort().join() === [x.id, y.id].sort().join());

  beforeAll(async () => {
    t = await startTestApp();
    const romashka = await buildCompany(t, "manager1", { name: "ООО «Ромашка»", phone: "+7 495 111-22-33" });
    const other = await buildCompany(t, "manager1", { name: "ООО «Лютик»" });
    const at = { companyIds: [romashka.id] };
    anna = await buildContact(t, "manager1", {
      lastName: "Смирнова",
      firstName: "Анна",
      middleName: "Сергеевна",
      phones: [{ phone: "+79123456789" }],
      emails: [{ email: "anna@romashka.ru" }],
      ...at,
    });
    annaShort = await buildContact(t, "manager1", { lastName: "Смирнова", firstName: "Анна", ...at });
    annaElsewhere = await buildContact(t, "manager1", {
      lastName: "Смирнова",
      firstName: "Анна",
      middleName: "Сергеевна",
      companyIds: [other.id],
    });
    annaMail = await buildContact(t, "manager1", { lastName: "Кузнецова", firstName: "Анна" });
    // An import may have kept the capitals: the comparison must not care.
    await t.db.knex("contact_emails").insert({ contact_id: annaMail.id, email: "Anna@Romashka.RU" });
    reception = await buildContact(t, "manager1", {
      firstName: "Ресепшн",
      phones: [{ phone: "+74951112233" }],
    });
    const leadPhone = uniquePhone();
    leadHolder = await buildContact(t, "manager1", { lastName: "Орлов", firstName: "Павел" });
    await buildLead(t, "manager1", { phone: leadPhone, contactId: leadHolder.id });
    caller = await buildContact(t, "manager1", { firstName: "Неизвестный", phones: [{ phone: leadPhone }] });
    foreign = await buildContact(t, "manager2", {
      lastName: "Волков",
      firstName: "Игорь",
      emails: [{ email: "volkov@sever.ru" }],
    });

    companies.head = await buildCompany(t, "manager1", { name: "ООО «Вектор»", inn, kpp: "770101001" });
    companies.same = await buildCompany(t, "manager1", { name: "Вектор", inn, kpp: "770101001" });
    companies.branch = await buildCompany(t, "manager1", { name: "ООО Вектор", inn, kpp: "770201001" });
    companies.namesake = await buildCompany(t, "manager1", { name: "ООО «Вектор»", inn: uniqueInn() });
    companies.north1 = await buildCompany(t, "manager1", { name: "ЗАО «Север»", inn: null });
    companies.north2 = await buildCompany(t, "manager2", { name: "Север, ЗАО", inn: null });
    await scan();
  });
  afterAll(async () => {
    await t.close();
  });

  it("pairs the same person by e-mail whatever its case", async () => {
    expect(pairOf(await pairs("manager1"), anna, annaMail)?.reasons).toEqual(["email"]);
  });

  it("pairs similar names at the same company and ignores a namesake at another company", async () => {
    const list = await pairs("manager1");
    expect(pairOf(list, anna, annaShort)?.reasons).toEqual(["name"]);
    expect(pairOf(list, anna, annaElsewhere)).toBeUndefined();
    expect(pairOf(list, annaShort, annaElsewhere)).toBeUndefined();
  });

  it("pairs a number already known as a company's line or a lead's phone", async () => {
    const list = await pairs("manager1");
    expect(pairOf(list, reception, anna)?.reasons).toEqual(["phone"]);
    expect(pairOf(list, caller, leadHolder)?.reasons).toEqual(["phone"]);
  });

  it("lists pairs best first with a score between 0 and 1", async () => {
    const list = await pairs("manager1");
    const scores = list.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((s) => s > 0 && s < 1)).toBe(true);
    expect(pairOf(list, anna, annaMail)!.score).toBeGreaterThan(pairOf(list, reception, anna)!.score);
  });

  it("shows a pair only to users who may see both records", async () => {
    expect(await pairs("agent1")).toEqual([]);
    expect(await pairs("manager2")).toEqual([]);
    expect(pairOf(await pairs("supervisor"), anna, annaMail)).toBeDefined();
    expect(
      pairOf(await pairs("manager1", "companies"), companies.north1!, companies.north2!),
    ).toBeUndefined();
    expect(pairOf(await pairs("admin", "companies"), companies.north1!, companies.north2!)?.reasons).toEqual([
      "name",
    ]);
  });

  it("pairs companies by ИНН and КПП, never a branch or an organisation with another ИНН", async () => {
    const list = await pairs("admin", "companies");
    expect(pairOf(list, companies.head!, companies.same!)).toMatchObject({
      reasons: ["inn", "name"],
      score: 0.98,
    });
    expect(pairOf(list, companies.head!, companies.branch!)).toBeUndefined();
    expect(pairOf(list, companies.head!, companies.namesake!)).toBeUndefined();
  });

  it("lists live candidates for one contact, with the same rules", async () => {
    const res = await get<{ items: { contact: Contact; reasons: string[] }[] }>(
      "manager1",
      `/contacts/${anna.id}/duplicates`,
    );
    expect(res.status).toBe(200);
    const found = Object.fromEntries(res.body.items.map((i) => [i.contact.id, i.reasons]));
    expect(found).toEqual({ [annaMail.id]: ["email"], [annaShort.id]: ["name"], [reception.id]: ["phone"] });
    const callerSide = await get<{ items: { contact: Contact }[] }>(
      "manager1",
      `/contacts/${caller.id}/duplicates`,
    );
    expect(callerSide.body.items.map((i) => i.contact.id)).toEqual([leadHolder.id]);
  });

  describe("check before creating", () => {
    it("finds the contact by a phone written in another format", async () => {
      const res = await get<DuplicateCheck>("manager1", "/duplicates/check", { phone: "8 (912) 345-67-89" });
      expect(res.status).toBe(200);
      expect(res.body.contacts.map((c) => [c.contact.id, c.reasons])).toEqual([[anna.id, ["phone"]]]);
      expect(res.body.hidden).toEqual([]);
    });

    it("finds companies by ИНН with the same КПП and by a name without its legal form", async () => {
      const byInn = await get<DuplicateCheck>("manager1", "/duplicates/check", { inn, kpp: "770101001" });
      expect(byInn.body.companies.map((c) => c.company.id).sort()).toEqual(
        [companies.head!.id, companies.same!.id].sort(),
      );
      const byName = await get<DuplicateCheck>("admin", "/duplicates/check", { name: "Север ЗАО" });
      expect(byName.body.companies.map((c) => c.company.id).sort()).toEqual(
        [companies.north1!.id, companies.north2!.id].sort(),
      );
    });

    it("finds a similar name only among the chosen company's contacts", async () => {
      const romashka = anna.companies[0]!.id;
      const res = await get<DuplicateCheck>("manager1", "/duplicates/check", {
        name: "Анна Сергеевна Смирнова",
        companyId: romashka,
      });
      expect(res.body.contacts.map((c) => c.contact.id).sort()).toEqual([anna.id, annaShort.id].sort());
    });

    it("says only whose it is when the match is outside the user's scope", async () => {
      const res = await get<DuplicateCheck>("manager1", "/duplicates/check", { email: "VOLKOV@sever.ru" });
      expect(res.body.contacts).toEqual([]);
      expect(res.body.hidden).toEqual([
        { entity: "contacts", reasons: ["email"], ownerName: "Тест manager2" },
      ]);
      expect(JSON.stringify(res.body)).not.toContain(foreign.id);
    });

    it("answers 400 naming the field for a bad phone, and for an empty check", async () => {
      const bad = await get<{ error: { fields: Record<string, string> } }>("manager1", "/duplicates/check", {
        phone: "abc",
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.error.fields)).toEqual(["querystring.phone"]);
      expect((await get("manager1", "/duplicates/check")).status).toBe(400);
    });
  });

  it("keeps a dismissed pair hidden from later scans", async () => {
    const pair = pairOf(await pairs("manager1"), anna, annaShort)!;
    const forbidden = await t.app.inject({
      method: "POST",
      url: `/api/v1/duplicates/${pair.id}/dismiss`,
      headers: t.as("manager2"),
    });
    expect(forbidden.statusCode).toBe(403);
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/duplicates/${pair.id}/dismiss`,
      headers: t.as("manager1"),
    });
    expect(res.statusCode).toBe(204);
    await scan();
    expect(pairOf(await pairs("manager1"), anna, annaShort)).toBeUndefined();
    const live = await get<{ items: { contact: Contact }[] }>("manager1", `/contacts/${anna.id}/duplicates`);
    expect(live.body.items.map((i) => i.contact.id)).not.toContain(annaShort.id);
  });

  it("drops a pair the next scan no longer finds", async () => {
    await t.app.inject({
      method: "PATCH",
      url: `/api/v1/contacts/${caller.id}`,
      headers: t.as("manager1"),
      payload: { phones: [{ phone: uniquePhone() }] },
    });
    await scan();
    expect(pairOf(await pairs("manager1"), caller, leadHolder)).toBeUndefined();
    const stored = await t.db
      .knex("duplicate_pairs")
      .where({ entity: "contacts" })
      .count<{ n: string }[]>("* as n");
    expect(Number(stored[0]!.n)).toBe((await pairs("admin")).length + 1); // + the dismissed one
  });

  it("pages through pairs with a cursor", async () => {
    const all = await pairs("admin");
    const first = await get<{ items: ContactDuplicatePair[]; nextCursor: string }>(
      "admin",
      "/duplicates/contacts",
      {
        limit: "1",
      },
    );
    const second = await get<{ items: ContactDuplicatePair[] }>("admin", "/duplicates/contacts", {
      limit: "1",
      cursor: first.body.nextCursor,
    });
    expect([first.body.items[0]!.id, second.body.items[0]!.id]).toEqual([all[0]!.id, all[1]!.id]);
  });
});
