import type { Company, Contact } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANGES_CHANNEL, type ChangeNotice } from "../realtime/publishChange.ts";
import { buildCompany, buildContact, uniqueInn } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

type Page<T> = { items: T[]; nextCursor: string | null };

describe("companies", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const list = async (login: TestLogin, query: Record<string, string>) => {
    const res = await t.app.inject({ url: "/api/v1/companies", query, headers: t.as(login) });
    expect(res.statusCode).toBe(200);
    return res.json<Page<Company>>();
  };
  const countCompanies = async () =>
    Number((await t.db.knex("companies").count<{ n: number }[]>("* as n"))[0]!.n);

  it("stores the requisites with the phone in E.164 and the e-mail in lower case", async () => {
    const c = await buildCompany(t, "manager1", {
      name: "ПАО «Сбербанк»",
      inn: "7707083893",
      kpp: "773601001",
      ogrn: "1027700132195",
      externalId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      phone: "8 (495) 500-55-50",
      email: "Info@SberBank.RU",
    });
    expect(c).toMatchObject({
      name: "ПАО «Сбербанк»",
      inn: "7707083893",
      kpp: "773601001",
      ogrn: "1027700132195",
      phone: "+74955005550",
      email: "info@sberbank.ru",
      ownerId: t.org.users.manager1.id,
    });
    const read = await t.app.inject({ url: `/api/v1/companies/${c.id}`, headers: t.as("manager1") });
    expect(read.json()).toEqual(c);
  });

  it("announces a created company to every instance", async () => {
    const notices: ChangeNotice[] = [];
    const stop = await t.db.listen(CHANGES_CHANNEL, (p) => notices.push(JSON.parse(p) as ChangeNotice));
    const c = await buildCompany(t, "manager1");
    await expect
      .poll(() => notices.find((n) => n.id === c.id))
      .toMatchObject({
        entity: "companies",
        action: "created",
        owners: [{ userId: t.org.users.manager1.id }],
      });
    await stop();
  });

  describe("validation", () => {
    it.each([
      [{ name: "ООО «Тест»", inn: "7707083894" }, "body.inn"],
      [{ name: "ООО «Тест»", kpp: "77360100" }, "body.kpp"],
      [{ name: "ООО «Тест»", ogrn: "1027700132196" }, "body.ogrn"],
      [{ name: "ООО «Тест»", phone: "12-34" }, "body.phone"],
      [{ name: "ООО «Тест»", email: "нет" }, "body.email"],
      [{ name: "  " }, "body.name"],
      [{ name: "ООО «Тест»", okpo: "12345678" }, "body"],
    ])("rejects %j naming %s, writing nothing", async (payload, field) => {
      const before = await countCompanies();
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/companies",
        headers: t.as("manager1"),
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json<{ error: { fields: object } }>().error.fields)).toContain(field);
      expect(await countCompanies()).toBe(before);
    });

    it("refuses a 1C key that another company already has", async () => {
      const first = await buildCompany(t, "manager1", { externalId: "ref-0001" });
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/companies",
        headers: t.as("manager2"),
        payload: { name: "ООО «Дубль»", externalId: "ref-0001" },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { fields: { "body.externalId": "already used" } } });
      const patch = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/companies/${first.id}`,
        headers: t.as("manager1"),
        payload: { externalId: "ref-0001", note: "ключ прежний" },
      });
      expect(patch.statusCode).toBe(200);
    });
  });

  describe("search and paging", () => {
    let inn: string;
    beforeAll(async () => {
      inn = uniqueInn();
      await buildCompany(t, "manager2", { name: "ООО «Кухни Лесные»", inn });
      await buildCompany(t, "manager2", { name: "АО «Лесные Кухни Плюс»" });
      await buildCompany(t, "manager2", { name: "ИП Кухнин" });
    });

    it("finds companies by every word of the name, ignoring case", async () => {
      const page = await list("manager2", { q: "лесные КУХНИ" });
      expect(page.items.map((c) => c.name).sort()).toEqual(["АО «Лесные Кухни Плюс»", "ООО «Кухни Лесные»"]);
    });

    it("finds a company by its exact ИНН, as a query or a filter", async () => {
      expect((await list("manager2", { q: inn })).items.map((c) => c.name)).toEqual(["ООО «Кухни Лесные»"]);
      expect((await list("manager2", { inn })).items.map((c) => c.name)).toEqual(["ООО «Кухни Лесные»"]);
    });

    it("pages through companies sorted by name with a cursor", async () => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Company> = await list("manager2", {
          q: "кухн",
          sort: "-name",
          limit: "2",
          ...(cursor ? { cursor } : {}),
        });
        names.push(...page.items.map((c) => c.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(names).toEqual(["ООО «Кухни Лесные»", "ИП Кухнин", "АО «Лесные Кухни Плюс»"]);
    });
  });

  describe("scope", () => {
    const own = {} as Record<"manager1" | "manager2" | "agent1", Company>;
    beforeAll(async () => {
      for (const login of ["manager1", "manager2", "agent1"] as const) {
        own[login] = await buildCompany(t, login, { name: `ООО «Скоуп» ${login}` });
      }
    });
    const visible = async (login: TestLogin) =>
      (await list(login, { q: "Скоуп" })).items.map((c) => c.name).sort();

    it("shows a manager only the companies they are responsible for", async () => {
      expect(await visible("manager1")).toEqual(["ООО «Скоуп» manager1"]);
    });

    it("shows a supervisor the companies of the whole sales department, not the call centre's", async () => {
      expect(await visible("supervisor")).toEqual(["ООО «Скоуп» manager1", "ООО «Скоуп» manager2"]);
    });

    it("shows an administrator every company", async () => {
      expect(await visible("admin")).toHaveLength(3);
    });

    it("forbids reading, changing or deleting a company outside the scope", async () => {
      const url = `/api/v1/companies/${own.manager1.id}`;
      const read = await t.app.inject({ url, headers: t.as("manager2") });
      const patch = await t.app.inject({
        method: "PATCH",
        url,
        headers: t.as("manager2"),
        payload: { name: "Захвачено" },
      });
      const del = await t.app.inject({ method: "DELETE", url, headers: t.as("manager2") });
      const supervisorRead = await t.app.inject({
        url: `/api/v1/companies/${own.agent1.id}`,
        headers: t.as("supervisor"),
      });
      expect([read.statusCode, patch.statusCode, del.statusCode, supervisorRead.statusCode]).toEqual([
        403, 403, 403, 403,
      ]);
      const after = await t.app.inject({ url, headers: t.as("admin") });
      expect(after.json()).toMatchObject({ name: "ООО «Скоуп» manager1" });
    });

    it("does not let a manager hand a company to a colleague", async () => {
      const res = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/companies/${own.manager1.id}`,
        headers: t.as("manager1"),
        payload: { ownerId: t.org.users.manager2.id },
      });
      expect(res.statusCode).toBe(403);
    });
  });

  it("lists the company's contacts that the user may see", async () => {
    const company = await buildCompany(t, "manager1", { name: "ООО «Вектор»" });
    const mine: Contact = await buildContact(t, "manager1", {
      lastName: "Андреева",
      firstName: "Мария",
      companyIds: [company.id],
    });
    // A supervisor links the colleague's client to manager1's company.
    const colleagues: Contact = await buildContact(t, "supervisor", {
      lastName: "Борисов",
      firstName: "Олег",
      ownerId: t.org.users.manager2.id,
      companyIds: [company.id],
    });
    const url = `/api/v1/companies/${company.id}/contacts`;
    const forManager = await t.app.inject({ url, headers: t.as("manager1") });
    expect(forManager.json<Page<Contact>>().items.map((c) => c.id)).toEqual([mine.id]);
    const forSupervisor = await t.app.inject({ url, headers: t.as("supervisor") });
    expect(forSupervisor.json<Page<Contact>>().items.map((c) => c.id)).toEqual([mine.id, colleagues.id]);
    const outside = await t.app.inject({ url, headers: t.as("manager2") });
    expect(outside.statusCode).toBe(403);
  });

  it("updates requisites, clears a field with null and deletes the company", async () => {
    const c = await buildCompany(t, "manager1", { phone: "+7 495 111-22-33", website: "https://vector.ru" });
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/companies/${c.id}`,
      headers: t.as("manager1"),
      payload: { name: "ООО «Вектор-М»", website: null, kpp: "771001001" },
    });
    expect(res.json()).toMatchObject({ name: "ООО «Вектор-М»", website: null, kpp: "771001001", inn: c.inn });
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/companies/${c.id}`,
      headers: t.as("manager1"),
    });
    expect(del.statusCode).toBe(204);
    const gone = await t.app.inject({ url: `/api/v1/companies/${c.id}`, headers: t.as("manager1") });
    expect(gone.statusCode).toBe(404);
  });
});
