import type { Company, Contact } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildCompany,
  buildContact,
  buildDeal,
  buildInteraction,
  buildLead,
  buildPipeline,
  buildTask,
  uniqueInn,
  uniquePhone,
} from "../test/factories.ts";
import { CHANGES_CHANNEL } from "../realtime/publishChange.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";
import { scanDuplicates } from "./scan.ts";

/**
 * Every (table, column) with a foreign key to `table`, straight from information_schema: a table added
 * later is checked without changing this test.
 */
async function referencingColumns(t: TestApp, table: string): Promise<{ table: string; column: string }[]> {
  const result = await t.db.knex.raw<{ rows: { table: string; column: string }[] }>(
    `select kcu.table_name as "table", kcu.column_name as "column"
     from information_schema.table_constraints tc
     join information_schema.key_column_usage kcu
       on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
     join information_schema.constraint_column_usage ccu
       on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
     where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = ? and ccu.column_name = 'id'`,
    [table],
  );
  return result.rows;
}

/** Rows anywhere that still point at these ids, as "table.column: n". */
async function orphans(t: TestApp, table: string, ids: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const ref of await referencingColumns(t, table)) {
    const [row] = await t.db.knex(ref.table).whereIn(ref.column, ids).count<{ n: string }[]>("* as n");
    if (Number(row!.n) > 0) {
      found.push(`${ref.table}.${ref.column}: ${row!.n}`);
    }
  }
  return found;
}

async function mergeAuditOf(t: TestApp, entity: string, id: string) {
  return t.db
    .knex("audit_log")
    .where({ entity, record_id: id, action: "merge" })
    .select<
      { changes: Record<string, { before: unknown; after: unknown }>; meta: Record<string, unknown> }[]
    >("changes", "meta");
}

describe("merge", () => {
  let t: TestApp;
  const post = (login: TestLogin, url: string, payload: object) =>
    t.app.inject({ method: "POST", url: `/api/v1${url}`, headers: t.as(login), payload });

  beforeAll(async () => {
    t = await startTestApp();
    await buildPipeline(t, { isDefault: true });
  });
  afterAll(async () => {
    await t.close();
  });

  describe("contacts", () => {
    let survivor: Contact, first: Contact, second: Contact;
    const phones = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    let merged: Contact;
    const notices: string[] = [];

    beforeAll(async () => {
      const [k1, k2, k3] = await Promise.all(
        [1, 2, 3].map((n) => buildCompany(t, "manager1", { name: `ООО «Альфа-${n}»` })),
      );
      survivor = await buildContact(t, "manager1", {
        lastName: "Петров",
        firstName: "Пётр",
        position: "Закупщик",
        phones: [{ phone: phones[0]! }],
        emails: [{ email: "petrov@alfa.ru" }],
        companyIds: [k1!.id],
      });
      first = await buildContact(t, "manager1", {
        lastName: "Петров",
        firstName: "Пётр",
        middleName: "Петрович",
        birthday: "1980-05-01",
        phones: [{ phone: phones[1]! }, { phone: phones[2]!, kind: "work" }],
        emails: [{ email: "Petrov@Alfa.ru" }, { email: "p.petrov@gmail.com", kind: "personal" }],
        companyIds: [k2!.id, k1!.id],
      });
      second = await buildContact(t, "manager1", {
        firstName: "Пётр",
        note: "Просит звонить после 18:00",
        phones: [{ phone: phones[3]! }],
        companyIds: [k3!.id],
      });
      await t.db
        .knex("contacts")
        .where("id", first.id)
        .update({ fields: JSON.stringify({ discount: 5 }) });
      await t.db
        .knex("contacts")
        .where("id", survivor.id)
        .update({ fields: JSON.stringify({ vip: true }) });
      await buildDeal(t, "manager1", { contactId: first.id });
      await buildLead(t, "manager1", { contactId: second.id });
      await buildTask(t, "manager1", { contactId: first.id });
      await buildInteraction(t, "manager1", { contactId: first.id });
      await buildInteraction(t, "manager1", { contactId: second.id });
      await scanDuplicates(t.db.knex);
      expect(
        await t.db.knex("duplicate_pairs").where("contact_b_id", first.id).orWhere("contact_a_id", first.id),
      ).not.toEqual([]);

      const unlisten = await t.db.listen(CHANGES_CHANNEL, (payload) => {
        const { id, action } = JSON.parse(payload) as { id: string; action: string };
        notices.push(`${action} ${id}`);
      });
      const res = await post("manager1", "/contacts/merge", {
        survivorId: survivor.id,
        mergedIds: [first.id, second.id],
        pick: { middleName: first.id, note: second.id },
      });
      expect(res.statusCode).toBe(200);
      merged = res.json<Contact>();
      // NOTIFY reaches the listening connection a moment after the commit.
      for (let i = 0; i < 50 && notices.length < 3; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await unlisten();
    });

    it("gives the survivor every phone and e-mail, once, in order", () => {
      expect(merged.phones.map((p) => p.phone)).toEqual(phones);
      expect(merged.emails).toEqual([
        { email: "petrov@alfa.ru", kind: "work" },
        { email: "p.petrov@gmail.com", kind: "personal" },
      ]);
    });

    it("takes picked values, keeps its own, fills its gaps, and unites custom fields", () => {
      expect(merged).toMatchObject({
        fullName: "Петров Пётр Петрович",
        position: "Закупщик",
        birthday: "1980-05-01",
        note: "Просит звонить после 18:00",
        fields: { vip: true, discount: 5 },
      });
    });

    it("links the survivor to every company once, keeping its primary one", () => {
      expect(merged.companies.map((c) => c.name)).toEqual([
        "ООО «Альфа-1»",
        "ООО «Альфа-2»",
        "ООО «Альфа-3»",
      ]);
    });

    it("moves deals, leads, tasks and the timeline to the survivor", async () => {
      const counts = async (table: string) =>
        Number(
          (await t.db.knex(table).where("contact_id", survivor.id).count<{ n: string }[]>("* as n"))[0]!.n,
        );
      expect([
        await counts("deals"),
        await counts("leads"),
        await counts("tasks"),
        await counts("interactions"),
      ]).toEqual([1, 1, 1, 2]);
    });

    it("leaves no row anywhere pointing at the merged contacts", async () => {
      const refs = (await referencingColumns(t, "contacts")).map((r) => r.table);
      expect(refs).toEqual(
        expect.arrayContaining([
          "contact_phones",
          "deals",
          "leads",
          "tasks",
          "interactions",
          "duplicate_pairs",
        ]),
      );
      expect(await orphans(t, "contacts", [first.id, second.id])).toEqual([]);
      expect(await t.db.knex("contacts").whereIn("id", [first.id, second.id])).toEqual([]);
      const gone = await t.app.inject({ url: `/api/v1/contacts/${first.id}`, headers: t.as("manager1") });
      expect(gone.statusCode).toBe(404);
    });

    it("announces the survivor as updated and each merged contact as deleted", () => {
      expect(notices.sort()).toEqual(
        [`updated ${survivor.id}`, `deleted ${first.id}`, `deleted ${second.id}`].sort(),
      );
    });

    it("writes one audit entry on the survivor that tells the whole story", async () => {
      const entries = await mergeAuditOf(t, "contacts", survivor.id);
      expect(entries).toHaveLength(1);
      const { changes, meta } = entries[0]!;
      expect(changes.middleName).toEqual({ before: null, after: "Петрович" });
      expect(meta.mergedIds).toEqual([first.id, second.id]);
      const [firstBefore] = meta.merged as Contact[];
      expect(firstBefore).toMatchObject({ id: first.id, birthday: "1980-05-01", fields: { discount: 5 } });
      expect(firstBefore!.phones.map((p) => p.phone)).toEqual([phones[1], phones[2]]);
      expect(meta.pick).toEqual({ middleName: first.id, note: second.id });
      expect(meta.moved).toMatchObject({ "deals.contact_id": 1, "contact_phones.contact_id": 3 });
    });
  });

  describe("refusals", () => {
    let mine: Contact, alsoMine: Contact, theirs: Contact;
    beforeAll(async () => {
      mine = await buildContact(t, "manager1", { firstName: "Ольга" });
      alsoMine = await buildContact(t, "manager1", { firstName: "Ольга" });
      theirs = await buildContact(t, "manager2", { firstName: "Ольга" });
    });

    it("refuses a survivor that is also merged, and a pick from an uninvolved record (400)", async () => {
      const self = await post("manager1", "/contacts/merge", { survivorId: mine.id, mergedIds: [mine.id] });
      expect(self.statusCode).toBe(400);
      expect(self.json()).toMatchObject({ error: { fields: { "body.mergedIds.0": expect.any(String) } } });
      const pick = await post("manager1", "/contacts/merge", {
        survivorId: mine.id,
        mergedIds: [alsoMine.id],
        pick: { lastName: theirs.id },
      });
      expect(pick.json()).toMatchObject({ error: { fields: { "body.pick.lastName": expect.any(String) } } });
      const field = await post("manager1", "/contacts/merge", {
        survivorId: mine.id,
        mergedIds: [alsoMine.id],
        pick: { password: alsoMine.id },
      });
      expect(field.statusCode).toBe(400);
    });

    it("refuses with 403 when one record is outside the user's scope, and changes nothing", async () => {
      const res = await post("manager1", "/contacts/merge", {
        survivorId: mine.id,
        mergedIds: [alsoMine.id, theirs.id],
      });
      expect(res.statusCode).toBe(403);
      expect(await t.db.knex("contacts").whereIn("id", [alsoMine.id, theirs.id]).pluck("id")).toHaveLength(2);
      const asAgent = await post("agent1", "/contacts/merge", {
        survivorId: mine.id,
        mergedIds: [alsoMine.id],
      });
      expect(asAgent.statusCode).toBe(403);
    });

    it("answers 404 for a record that does not exist", async () => {
      const res = await post("manager1", "/contacts/merge", {
        survivorId: mine.id,
        mergedIds: [crypto.randomUUID()],
      });
      expect(res.statusCode).toBe(404);
    });
  });

  describe("companies", () => {
    let survivor: Company, other: Company, both: Contact, onlyOther: Contact, merged: Company;
    beforeAll(async () => {
      const inn = uniqueInn();
      survivor = await buildCompany(t, "manager1", { name: "ООО «Гамма»", inn, kpp: "770101001" });
      other = await buildCompany(t, "manager1", {
        name: "Гамма",
        inn,
        externalId: "1c-gamma",
        phone: "+74957770011",
      });
      both = await buildContact(t, "manager1", { companyIds: [other.id, survivor.id] });
      onlyOther = await buildContact(t, "manager1", { companyIds: [other.id] });
      await buildDeal(t, "manager1", { companyId: other.id });
      await buildLead(t, "manager1", { companyId: other.id });
      const res = await post("manager1", "/companies/merge", {
        survivorId: survivor.id,
        mergedIds: [other.id],
        pick: { externalId: other.id },
      });
      expect(res.statusCode).toBe(200);
      merged = res.json<Company>();
    });

    it("keeps the survivor's values, takes the picked 1C key and fills the phone", () => {
      expect(merged).toMatchObject({
        name: "ООО «Гамма»",
        kpp: "770101001",
        externalId: "1c-gamma",
        phone: "+74957770011",
      });
    });

    it("moves contacts (one link each), deals and leads, and leaves no orphans", async () => {
      const links = await t.db
        .knex("contact_companies")
        .whereIn("contact_id", [both.id, onlyOther.id])
        .select("contact_id", "company_id");
      expect(links).toHaveLength(2);
      expect(links.every((l: { company_id: string }) => l.company_id === survivor.id)).toBe(true);
      expect(await t.db.knex("deals").where("company_id", survivor.id).pluck("id")).toHaveLength(1);
      expect(await orphans(t, "companies", [other.id])).toEqual([]);
      const [entry] = await mergeAuditOf(t, "companies", survivor.id);
      expect(entry!.meta).toMatchObject({ mergedIds: [other.id], merged: [{ id: other.id, name: "Гамма" }] });
    });
  });
});
