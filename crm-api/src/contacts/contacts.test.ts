import type { Contact } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact } from "../test/factories.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";

describe("contacts", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("stores several phones in E.164 and e-mails in lower case", async () => {
    const c = await buildContact(t, "manager1", {
      lastName: "Смирнова",
      firstName: "Анна",
      middleName: "Сергеевна",
      phones: [{ phone: "8 (912) 345-67-01" }, { phone: "+7 495 123 45 01", kind: "work" }],
      emails: [{ email: "Anna.Smirnova@Example.RU" }],
    });
    expect(c.fullName).toBe("Смирнова Анна Сергеевна");
    expect(c.phones).toEqual([
      { phone: "+79123456701", kind: "mobile" },
      { phone: "+74951234501", kind: "work" },
    ]);
    expect(c.emails).toEqual([{ email: "anna.smirnova@example.ru", kind: "work" }]);
    expect(c.ownerId).toBe(t.org.users.manager1.id);
  });

  describe("caller lookup", () => {
    let anna: Contact;
    beforeAll(async () => {
      anna = await buildContact(t, "agent1", { firstName: "Ольга", phones: [{ phone: "+7 912 345 67 89" }] });
    });

    it.each(["8 (912) 345-67-89", "+7 912 345 67 89", "9123456789", "89123456789", "+79123456789"])(
      "finds the contact by %s",
      async (phone) => {
        const res = await t.app.inject({
          url: "/api/v1/contacts/lookup",
          query: { phone },
          headers: t.as("agent1"),
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ phone: "+79123456789", hidden: false, contact: { id: anna.id } });
      },
    );

    it("returns no contact for an unknown number", async () => {
      const res = await t.app.inject({
        url: "/api/v1/contacts/lookup",
        query: { phone: "+7 999 000-00-01" },
        headers: t.as("agent1"),
      });
      expect(res.json()).toEqual({ phone: "+79990000001", contact: null, hidden: false, ownerName: null });
    });

    it("tells a user outside the scope whose client it is, without the card", async () => {
      const res = await t.app.inject({
        url: "/api/v1/contacts/lookup",
        query: { phone: "89123456789" },
        headers: t.as("agent2"),
      });
      expect(res.json()).toEqual({
        phone: "+79123456789",
        contact: null,
        hidden: true,
        ownerName: "Тест agent1",
      });
    });

    it("answers 400 naming the field for a number that is not a phone", async () => {
      const res = await t.app.inject({
        url: "/api/v1/contacts/lookup",
        query: { phone: "abc" },
        headers: t.as("agent1"),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: { code: "invalid_request", fields: { "querystring.phone": "not a valid phone number" } },
      });
    });
  });

  describe("validation", () => {
    it.each([
      [{ firstName: "А", phones: [{ phone: "12" }] }, "body.phones.0.phone"],
      [{ firstName: 42 }, "body.firstName"],
      [{ firstName: "А", emails: [{ email: "not-an-email" }] }, "body.emails.0.email"],
      [{ firstName: "А", nickname: "x" }, "body"],
      [{ firstName: "А", birthday: "31.12.1990" }, "body.birthday"],
    ])("rejects %j naming %s", async (payload, field) => {
      const before = await t.db.knex("contacts").count<{ n: number }[]>("* as n");
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/contacts",
        headers: t.as("manager1"),
        payload,
      });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { code: string; fields: Record<string, string> } }>();
      expect(body.error.code).toBe("invalid_request");
      expect(Object.keys(body.error.fields)).toContain(field);
      const after = await t.db.knex("contacts").count<{ n: number }[]>("* as n");
      expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
    });

    it("refuses a number that already belongs to another contact, writing nothing", async () => {
      const first = await buildContact(t, "manager1");
      const phone = first.phones[0]!.phone;
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/contacts",
        headers: t.as("manager1"),
        payload: { firstName: "Дубль", phones: [{ phone: phone.replace("+7", "8") }] },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({
        error: { code: "conflict", fields: { "body.phones.0.phone": expect.stringContaining(first.id) } },
      });
      expect(await t.db.knex("contacts").where("first_name", "Дубль").first()).toBeUndefined();
    });

    it.each([
      ["garbage", "not base64 JSON"],
      [Buffer.from(JSON.stringify(["not-a-date", "not-a-uuid"])).toString("base64url"), "forged values"],
    ])("answers 400 for a bad cursor (%s: %s)", async (cursor) => {
      const res = await t.app.inject({ url: "/api/v1/contacts", query: { cursor }, headers: t.as("admin") });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: "invalid_request" } });
    });

    it("answers 400 for a malformed id and 404 for an unknown one", async () => {
      const bad = await t.app.inject({ url: "/api/v1/contacts/not-a-uuid", headers: t.as("admin") });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: { fields: { "params.id": expect.any(String) } } });
      const missing = await t.app.inject({
        url: "/api/v1/contacts/00000000-0000-4000-8000-000000000000",
        headers: t.as("admin"),
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ error: { code: "not_found" } });
    });
  });

  it("updates fields and replaces the phone list", async () => {
    const c = await buildContact(t, "manager1");
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/contacts/${c.id}`,
      headers: t.as("manager1"),
      payload: { position: "Главный инженер", phones: [{ phone: "8 900 111-22-33", kind: "work" }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      position: "Главный инженер",
      phones: [{ phone: "+79001112233", kind: "work" }],
    });
  });

  it("deletes a contact with its phones", async () => {
    const c = await buildContact(t, "manager1");
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/contacts/${c.id}`,
      headers: t.as("manager1"),
    });
    expect(del.statusCode).toBe(204);
    expect(await t.db.knex("contact_phones").where("contact_id", c.id).first()).toBeUndefined();
  });
});
