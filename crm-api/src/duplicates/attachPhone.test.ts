import type { Contact, PhoneAttachResult } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact, buildInteraction, buildTask, uniquePhone } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

/** "+79161234567" as a person dictates it: "8 (916) 123-45-67". */
const spoken = (e164: string) =>
  `8 (${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8, 10)}-${e164.slice(10)}`;

describe("attach a number to an existing contact", () => {
  let t: TestApp;
  let client: Contact;
  const attach = (login: TestLogin, contactId: string, phone: string) =>
    t.app.inject({
      method: "POST",
      url: `/api/v1/contacts/${contactId}/phones/attach`,
      headers: t.as(login),
      payload: { phone },
    });
  const auditOf = (id: string) =>
    t.db
      .knex("audit_log")
      .where({ entity: "contacts", record_id: id })
      .whereIn("action", ["merge", "update"]);

  /** What a call from an unknown number leaves behind: a contact with only that number, and the call. */
  const autoCreated = async (phone: string, login: TestLogin = "manager1") => {
    const contact = await buildContact(t, login, { lastName: null, firstName: phone, phones: [{ phone }] });
    await buildInteraction(t, login, { contactId: contact.id, body: "Входящий звонок" });
    return contact;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  beforeAll(async () => {
    client = await buildContact(t, "manager1", { lastName: "Сидоров", firstName: "Алексей" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("merges a contact that has nothing but the number into the chosen one", async () => {
    const phone = uniquePhone();
    const caller = await autoCreated(phone);
    const res = await attach("manager1", client.id, spoken(phone));
    expect(res.statusCode).toBe(200);
    const body = res.json<PhoneAttachResult>();
    expect(body.mergedId).toBe(caller.id);
    expect(body.contact.phones.map((p) => p.phone)).toEqual([client.phones[0]!.phone, phone]);
    expect(await t.db.knex("contacts").where("id", caller.id)).toEqual([]);
    expect(await t.db.knex("interactions").where("contact_id", client.id).pluck("body")).toEqual([
      "Входящий звонок",
    ]);
    const [entry] = await auditOf(client.id).where("action", "merge");
    expect(entry.meta).toMatchObject({ attachedPhone: phone, mergedIds: [caller.id] });
  });

  it("moves only the number when its contact has more (another number, a task)", async () => {
    const [phone, kept] = [uniquePhone(), uniquePhone()];
    const holder = await buildContact(t, "manager1", { phones: [{ phone }, { phone: kept }] });
    const busy = await autoCreated(uniquePhone());
    await buildTask(t, "manager1", { contactId: busy.id });

    const res = await attach("manager1", client.id, phone);
    expect(res.json<PhoneAttachResult>()).toMatchObject({ mergedId: null });
    expect(res.json<PhoneAttachResult>().contact.phones.map((p) => p.phone)).toContain(phone);
    const left = await t.app.inject({ url: `/api/v1/contacts/${holder.id}`, headers: t.as("manager1") });
    expect(left.json<Contact>().phones.map((p) => p.phone)).toEqual([kept]);
    const [onHolder] = await auditOf(holder.id).where("action", "update");
    expect(onHolder.meta).toEqual({ detachedPhone: phone, to: client.id });
    expect(onHolder.changes.phones.after).toEqual([{ phone: kept, kind: "mobile" }]);
    const [onClient] = await auditOf(client.id).whereRaw("meta->>'attachedPhone' = ?", [phone]);
    expect(onClient.action).toBe("update");

    const withTask = await attach("manager1", client.id, busy.phones[0]!.phone);
    expect(withTask.json<PhoneAttachResult>().mergedId).toBeNull();
    expect(await t.db.knex("contacts").where("id", busy.id).pluck("id")).toEqual([busy.id]);
  });

  it("adds a number nobody has, and does nothing for the contact's own number", async () => {
    const phone = uniquePhone();
    const added = await attach("manager1", client.id, phone);
    expect(added.json<PhoneAttachResult>().contact.phones.map((p) => p.phone)).toContain(phone);
    const again = await attach("manager1", client.id, phone);
    expect(again.statusCode).toBe(200);
    expect(again.json<PhoneAttachResult>().contact.phones.filter((p) => p.phone === phone)).toHaveLength(1);
  });

  it("refuses (403) when either contact is outside the user's scope, and moves nothing", async () => {
    const phone = uniquePhone();
    const theirs = await autoCreated(phone, "manager2");
    expect((await attach("manager1", client.id, phone)).statusCode).toBe(403);
    expect(await t.db.knex("contact_phones").where("phone", phone).pluck("contact_id")).toEqual([theirs.id]);
    expect((await attach("manager2", client.id, phone)).statusCode).toBe(403);
  });

  it("answers 400 naming the field for something that is not a phone number", async () => {
    const res = await attach("manager1", client.id, "позвоните мне");
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { fields: { "body.phone": expect.any(String) } } });
  });
});
