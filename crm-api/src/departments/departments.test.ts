import type { Contact, Department } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

describe("departments", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const tree = async (as: TestLogin = "agent1") =>
    (await t.app.inject({ url: "/api/v1/departments", headers: t.as(as) })).json<Department[]>();
  const create = async (name: string, parentId: string) => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/departments",
      headers: t.as("admin"),
      payload: { name, parentId },
    });
    expect(res.statusCode).toBe(201);
    return res.json<Department>();
  };
  const patch = (id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: "PATCH", url: `/api/v1/departments/${id}`, headers: t.as("admin"), payload });
  const pathOf = async (id: string) => {
    const row = await t.db.knex("departments").where("id", id).first<{ path: string }>("path");
    return row.path;
  };

  /** A user created through the API and signed in; returns bearer headers. */
  const signedInUser = async (login: string, role: string, departmentId: string) => {
    const password = "Пароль-для-теста-1";
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: t.as("admin"),
      payload: { login, password, fullName: `Сотрудник ${login}`, role, departmentId },
    });
    expect(created.statusCode).toBe(201);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login, password },
    });
    return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
  };

  it("lists the company tree depth-first with siblings by name, to any signed-in user", async () => {
    const list = await tree("agent1");
    expect(list.map((d) => [d.name, d.depth])).toEqual([
      ["ООО «Тест»", 0],
      ["Колл-центр", 1],
      ["Маркетинг", 1],
      ["Продажи", 1],
      ["Отдел продаж 1", 2],
      ["Отдел продаж 2", 2],
    ]);
    expect(list[0]!.parentId).toBeNull();
    expect(list.find((d) => d.name === "Отдел продаж 1")!.parentId).toBe(t.org.departments.sales);
  });

  it.each(["supervisor", "manager1"] as const)(
    "answers 403 to %s creating, changing or deleting",
    async (as) => {
      const { sales, sales1 } = t.org.departments;
      const requests = [
        {
          method: "POST" as const,
          url: "/api/v1/departments",
          payload: { name: "Теневой отдел", parentId: sales },
        },
        { method: "PATCH" as const, url: `/api/v1/departments/${sales1}`, payload: { name: "Захвачено" } },
        { method: "DELETE" as const, url: `/api/v1/departments/${sales1}` },
      ];
      for (const r of requests) {
        const res = await t.app.inject({ ...r, headers: t.as(as) });
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: "forbidden" } });
      }
      expect((await tree()).map((d) => d.name)).toEqual([
        "ООО «Тест»",
        "Колл-центр",
        "Маркетинг",
        "Продажи",
        "Отдел продаж 1",
        "Отдел продаж 2",
      ]);
    },
  );

  it("creates a department under a parent and shows it in its place", async () => {
    const created = await create("Отдел продаж 0", t.org.departments.sales);
    expect(created).toMatchObject({ name: "Отдел продаж 0", parentId: t.org.departments.sales, depth: 2 });
    expect(await pathOf(created.id)).toBe(`${await pathOf(t.org.departments.sales)}${created.id}/`);
    const names = (await tree()).map((d) => d.name);
    expect(names.slice(names.indexOf("Продажи"))).toEqual([
      "Продажи",
      "Отдел продаж 0",
      "Отдел продаж 1",
      "Отдел продаж 2",
    ]);
  });

  const unknownId = "00000000-0000-4000-8000-000000000000";
  it.each([
    ["Склад", "unknown", 400, "body.parentId"],
    ["", "root", 400, "body.name"],
    ["Склад", null, 400, "body.parentId"],
    ["отдел ПРОДАЖ 1", "sales", 409, "body.name"],
  ] as const)("refuses name %j under %s with %i naming %s", async (name, parent, status, field) => {
    const parentId =
      parent === null ? undefined : parent === "unknown" ? unknownId : t.org.departments[parent];
    const before = (await tree()).length;
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/departments",
      headers: t.as("admin"),
      payload: { name, parentId },
    });
    expect(res.statusCode).toBe(status);
    expect(Object.keys(res.json<{ error: { fields: object } }>().error.fields)).toContain(field);
    expect((await tree()).length).toBe(before);
  });

  it("refuses to move a department under itself or under its own sub-department", async () => {
    const { sales, sales1 } = t.org.departments;
    const before = await tree();
    for (const parentId of [sales, sales1]) {
      const res = await patch(sales, { parentId });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { fields: { "body.parentId": expect.any(String) } } });
    }
    expect((await patch(t.org.departments.root, { parentId: sales1 })).statusCode).toBe(400);
    expect(await tree()).toEqual(before);
  });

  it("renames a department", async () => {
    const d = await create("Группа качества", t.org.departments.marketing);
    const res = await patch(d.id, { name: "Контроль качества" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: d.id, name: "Контроль качества", depth: 2 });
    expect((await tree()).find((x) => x.id === d.id)?.name).toBe("Контроль качества");
  });

  describe("moving a subtree", () => {
    let sales3: Department;
    let groupA: Department;
    let contact: Contact;
    let teamLead: { authorization: string };

    beforeAll(async () => {
      sales3 = await create("Отдел продаж 3", t.org.departments.sales);
      groupA = await create("Группа А", sales3.id);
      const manager3 = await signedInUser("manager3", "manager", groupA.id);
      teamLead = await signedInUser("lead3", "supervisor", sales3.id);
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/contacts",
        headers: manager3,
        payload: { lastName: "Кузнецов", firstName: "Олег", phones: [{ phone: "+7 916 700-00-03" }] },
      });
      contact = res.json<Contact>();
    });

    const sees = async (headers: { authorization: string }) => {
      const res = await t.app.inject({ url: "/api/v1/contacts", query: { limit: "200" }, headers });
      return res.json<{ items: Contact[] }>().items.some((c) => c.id === contact.id);
    };

    it("moves the department with everything below it and changes who sees its records", async () => {
      expect(await sees(t.as("supervisor"))).toBe(true);
      expect(await sees(teamLead)).toBe(true);

      const res = await patch(sales3.id, { parentId: t.org.departments.callcenter });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ parentId: t.org.departments.callcenter, depth: 2 });
      const callcenterPath = await pathOf(t.org.departments.callcenter);
      expect(await pathOf(sales3.id)).toBe(`${callcenterPath}${sales3.id}/`);
      expect(await pathOf(groupA.id)).toBe(`${callcenterPath}${sales3.id}/${groupA.id}/`);
      const names = (await tree()).map((d) => d.name);
      expect(names.slice(names.indexOf("Колл-центр"), names.indexOf("Маркетинг"))).toEqual([
        "Колл-центр",
        "Отдел продаж 3",
        "Группа А",
      ]);

      // The sales supervisor no longer covers the moved department…
      expect(await sees(t.as("supervisor"))).toBe(false);
      const single = await t.app.inject({
        url: `/api/v1/contacts/${contact.id}`,
        headers: t.as("supervisor"),
      });
      expect(single.statusCode).toBe(403);
      // …while its own supervisor, whose cached session carried the old path, still sees their team.
      expect(await sees(teamLead)).toBe(true);
    });
  });

  it("deletes only a department without users and sub-departments", async () => {
    const { sales, sales1, marketing } = t.org.departments;
    const withChildren = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/departments/${sales}`,
      headers: t.as("admin"),
    });
    expect(withChildren.statusCode).toBe(409);
    expect(withChildren.json()).toMatchObject({
      error: { code: "conflict", message: expect.stringMatching(/sub-departments/) },
    });
    const withUsers = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/departments/${sales1}`,
      headers: t.as("admin"),
    });
    expect(withUsers.statusCode).toBe(409);
    expect(withUsers.json()).toMatchObject({ error: { message: expect.stringMatching(/users/) } });

    const empty = await create("Временный отдел", marketing);
    const del = () =>
      t.app.inject({ method: "DELETE", url: `/api/v1/departments/${empty.id}`, headers: t.as("admin") });
    expect((await del()).statusCode).toBe(204);
    expect((await tree()).some((d) => d.id === empty.id)).toBe(false);
    expect((await del()).statusCode).toBe(404);
  });
});
