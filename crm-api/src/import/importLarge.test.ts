import { randomUUID } from "node:crypto";
import type { ImportRun } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../test/testApp.ts";
import { XLSX_TYPE } from "./readFile.ts";
import { buildSampleContacts, sampleXlsx, type SampleContacts } from "./sampleContacts.ts";
import { runImport } from "./testImports.ts";

// The brief's acceptance case: 11,000 rows, exactly 5% duplicates (inside the file and of stored contacts)
// and 2% broken rows. The dry run must name exactly those rows and write nothing; the real run imports
// the rest, each new contact audited as an import with its file and row.
describe("importing an 11,000-row customer list", () => {
  let t: TestApp;
  let sample: SampleContacts;
  let file: Buffer;
  const existingIds = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp();
    sample = buildSampleContacts(11_000);
    file = await sampleXlsx(sample);
    const manager = t.org.users.manager1.id;
    const rows = sample.existing.map((c) => ({ ...c, id: randomUUID() }));
    await t.db
      .knex("contacts")
      .insert(
        rows.map((c) => ({ id: c.id, last_name: c.lastName, first_name: c.firstName, owner_id: manager })),
      );
    await t.db.knex("contact_phones").insert(rows.map((c) => ({ contact_id: c.id, phone: c.phone })));
    rows.forEach((c) => existingIds.set(c.phone, c.id));
  }, 120_000);
  afterAll(() => t.close());

  const countContacts = async () =>
    Number((await t.db.knex("contacts").count<{ n: string }[]>({ n: "*" }))[0]!.n);

  it("reports exactly the duplicate and broken rows in a dry run, and writes nothing", async () => {
    expect(sample.expected).toHaveLength(550 + 220);
    const before = await countContacts();
    const run = await runImport(t, "manager1", file, XLSX_TYPE, {
      entity: "contacts",
      dryRun: "true",
      fileName: "clients.xlsx",
    });

    expect(run).toMatchObject({
      status: "done",
      dryRun: true,
      total: 11_000,
      created: 10_230,
      skipped: 550,
      errors: 220,
    });
    expect(run.items).toHaveLength(770);
    const byRow = new Map(run.items.map((i) => [i.row, i]));
    for (const e of sample.expected) {
      const item = byRow.get(e.row);
      expect(item, `row ${e.row}`).toBeDefined();
      expect(item!.outcome).toBe(e.outcome);
      if (e.field) {
        expect(item!.field, `row ${e.row}: ${item!.reason}`).toBe(e.field);
      }
      if (e.duplicateOfRow) {
        expect(item!.duplicateOfRow).toBe(e.duplicateOfRow);
      }
      if (e.existingPhone) {
        expect(item!.recordId).toBe(existingIds.get(e.existingPhone));
      }
    }
    expect(run.columns.map((c) => c.field)).toEqual([
      "fullName",
      "phone",
      "email",
      "company",
      "inn",
      "position",
    ]);
    expect(await countContacts()).toBe(before);
    const audited = await t.db.knex("audit_log").where("via", "import").count<{ n: string }[]>({ n: "*" });
    expect(Number(audited[0]!.n)).toBe(0);
  }, 120_000);

  it("imports the rest in the background, reporting progress, and audits every new contact as an import", async () => {
    const before = await countContacts();
    const progress: number[] = [];
    const run: ImportRun = await runImport(
      t,
      "manager1",
      file,
      XLSX_TYPE,
      { entity: "contacts", fileName: "clients.xlsx" },
      (r) => progress.push(r.processed),
    );

    expect(run).toMatchObject({
      status: "done",
      dryRun: false,
      created: 10_230,
      skipped: 550,
      errors: 220,
      processed: 11_000,
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(await countContacts()).toBe(before + 10_230);
    const audited = await t.db
      .knex("audit_log")
      .where({ via: "import", entity: "contacts", action: "create", user_id: t.org.users.manager1.id })
      .count<{ n: string }[]>({ n: "*" });
    expect(Number(audited[0]!.n)).toBe(10_230);

    // Row 2 is the first data row and always a clean one: its contact carries what the file said.
    const first = await t.app.inject({
      method: "GET",
      url: `/api/v1/contacts/lookup?phone=${encodeURIComponent(String(sample.rows[0]![1]))}`,
      headers: t.as("manager1"),
    });
    const contact = first.json<{ contact: { id: string; fullName: string; companies: { name: string }[] } }>()
      .contact;
    expect(contact.fullName).toBe(sample.rows[0]![0]);
    expect(contact.companies).toEqual([expect.objectContaining({ name: "ООО «Уют-0»" })]);
    const entry = await t.db.knex("audit_log").where({ entity: "contacts", record_id: contact.id }).first();
    expect(entry.meta).toEqual({ file: "clients.xlsx", row: 2, importId: run.id });
    expect(entry.changes.firstName).toEqual({ before: null, after: contact.fullName.split(" ")[1] });
  }, 180_000);

  it("skips every row when the same file is imported again", async () => {
    const run = await runImport(t, "manager1", file, XLSX_TYPE, { entity: "contacts", dryRun: "true" });
    expect(run).toMatchObject({ created: 0, skipped: 10_780, errors: 220 });
  }, 120_000);
});
