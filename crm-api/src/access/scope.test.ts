import { DEFAULT_PERMISSIONS, type Contact } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

/** Whose contacts exist in this file: one each, created by the owner. */
const OWNERS = ["manager1", "manager2", "agent1", "agent2"] as const;
type Owner = (typeof OWNERS)[number];

/**
 * What each role sees under the default matrix (docs/permissions.md). The supervisor heads «Продажи»,
 * whose subtree holds both sales departments but not the call centre.
 */
const EXPECTED: [TestLogin, readonly Owner[]][] = [
  ["agent1", ["agent1"]],
  ["agent2", ["agent2"]],
  ["manager1", ["manager1"]],
  ["manager2", ["manager2"]],
  ["supervisor", ["manager1", "manager2"]],
  ["admin", OWNERS],
  ["marketer", DEFAULT_PERMISSIONS.marketer.scopes.contacts === "all" ? OWNERS : []],
];

describe("record scope of contacts by role", () => {
  let t: TestApp;
  const byOwner = {} as Record<Owner, Contact>;
  beforeAll(async () => {
    t = await startTestApp();
    const people: Record<Owner, [string, string]> = {
      manager1: ["Орлов", "Андрей"],
      manager2: ["Лебедева", "Ирина"],
      agent1: ["Зайцев", "Павел"],
      agent2: ["Морозова", "Дарья"],
    };
    for (const owner of OWNERS) {
      const [lastName, firstName] = people[owner];
      byOwner[owner] = await buildContact(t, owner, { lastName, firstName, note: "исходная заметка" });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const listed = async (login: TestLogin) => {
    const res = await t.app.inject({
      url: "/api/v1/contacts",
      query: { limit: "200" },
      headers: t.as(login),
    });
    expect(res.statusCode).toBe(200);
    return res
      .json<{ items: Contact[] }>()
      .items.map((c) => c.id)
      .sort();
  };
  const idsOf = (owners: readonly Owner[]) => owners.map((o) => byOwner[o].id).sort();

  it.each(EXPECTED)("%s lists exactly the contacts of %j", async (login, owners) => {
    expect(await listed(login)).toEqual(idsOf(owners));
  });

  it.each(EXPECTED)("%s opens every contact it lists", async (login, owners) => {
    for (const owner of owners) {
      const res = await t.app.inject({ url: `/api/v1/contacts/${byOwner[owner].id}`, headers: t.as(login) });
      expect(res.statusCode).toBe(200);
    }
  });

  const outside = EXPECTED.flatMap(([login, owners]) =>
    OWNERS.filter((o) => !owners.includes(o)).map((owner) => [login, owner] as const),
  );

  it.each(outside)("%s gets 403 reading, changing or deleting the contact of %s", async (login, owner) => {
    const url = `/api/v1/contacts/${byOwner[owner].id}`;
    const requests = [
      { method: "GET" as const, url },
      { method: "PATCH" as const, url, payload: { note: `изменено: ${login}` } },
      { method: "DELETE" as const, url },
    ];
    for (const r of requests) {
      const res = await t.app.inject({ ...r, headers: t.as(login) });
      expect(res.statusCode, `${r.method} ${login} → ${owner}`).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: "forbidden" } });
    }
    const row = await t.db.knex("contacts").where("id", byOwner[owner].id).first("note");
    expect(row).toEqual({ note: "исходная заметка" });
  });

  it("shows a caller outside the scope as hidden with the owner's name", async () => {
    const res = await t.app.inject({
      url: "/api/v1/contacts/lookup",
      query: { phone: byOwner.manager1.phones[0]!.phone },
      headers: t.as("agent1"),
    });
    expect(res.json()).toEqual({
      phone: byOwner.manager1.phones[0]!.phone,
      contact: null,
      hidden: true,
      ownerName: "Тест manager1",
    });
  });

  describe("assignment", () => {
    it("does not let an agent hand a contact to another user", async () => {
      const own = await buildContact(t, "agent1", { lastName: "Никитин", firstName: "Роман" });
      const moved = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/contacts/${own.id}`,
        headers: t.as("agent1"),
        payload: { ownerId: t.org.users.agent2.id },
      });
      expect(moved.statusCode).toBe(403);
      expect(moved.json()).toMatchObject({ error: { code: "forbidden" } });
      expect(await t.db.knex("contacts").where("id", own.id).first("owner_id")).toEqual({
        owner_id: t.org.users.agent1.id,
      });
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/contacts",
        headers: t.as("agent1"),
        payload: { firstName: "Чужой", ownerId: t.org.users.agent2.id },
      });
      expect(created.statusCode).toBe(403);
      expect(await t.db.knex("contacts").where("first_name", "Чужой").first()).toBeUndefined();
    });

    it("lets a supervisor reassign within the department subtree but not outside it", async () => {
      const c = await buildContact(t, "manager1", { lastName: "Фёдоров", firstName: "Глеб" });
      const patch = (ownerId: string) =>
        t.app.inject({
          method: "PATCH",
          url: `/api/v1/contacts/${c.id}`,
          headers: t.as("supervisor"),
          payload: { ownerId },
        });
      const inside = await patch(t.org.users.manager2.id);
      expect(inside.statusCode).toBe(200);
      expect(inside.json()).toMatchObject({ ownerId: t.org.users.manager2.id });
      const outsideRes = await patch(t.org.users.agent1.id);
      expect(outsideRes.statusCode).toBe(403);
      expect(await listed("manager2")).toContain(c.id);
    });
  });
});
