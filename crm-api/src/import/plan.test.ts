import { describe, expect, it } from "vitest";
import type { ContactDraft, CompanyDraft } from "./drafts.ts";
import { capItems, planRows, type ExistingIndex, type RowToPlan } from "./plan.ts";

const contact = (phones: string[], emails: string[] = []): ContactDraft => ({
  lastName: "Иванов",
  firstName: "Иван",
  middleName: null,
  position: null,
  birthday: null,
  note: null,
  phones,
  emails,
  company: null,
  owner: null,
});

const row = (n: number, draft: ContactDraft | CompanyDraft): RowToPlan => ({
  row: n,
  normalized: { ok: true, draft },
  ownerId: null,
});

describe("planRows", () => {
  it("skips a repeat of an earlier row, naming it, whatever onDuplicate says", () => {
    const plan = planRows(
      "contacts",
      [
        row(2, contact(["+79120000001"])),
        row(3, contact(["+79120000002"], ["a@b.ru"])),
        row(4, contact([], ["a@b.ru"])),
      ],
      new Map(),
      "update",
    );
    expect(plan.map((p) => p.outcome)).toEqual(["create", "create", "skip"]);
    expect(plan[2]).toMatchObject({ duplicateOfRow: 3, reason: "duplicate of row 3 (same e-mail a@b.ru)" });
  });

  it("matches existing records by phone before e-mail, and updates or skips by the option", () => {
    const existing: ExistingIndex = new Map([
      ["phone:+79120000001", [{ id: "c-phone", guard: null, inScope: true }]],
      ["email:a@b.ru", [{ id: "c-email", guard: null, inScope: true }]],
    ]);
    const rows = [row(2, contact(["+79120000001"], ["a@b.ru"]))];
    expect(planRows("contacts", rows, existing, "skip")[0]).toMatchObject({
      outcome: "skip",
      recordId: "c-phone",
    });
    expect(planRows("contacts", rows, existing, "update")[0]).toMatchObject({
      outcome: "update",
      recordId: "c-phone",
    });
  });

  it("never updates a record outside the importer's scope, and updates one record once", () => {
    const existing: ExistingIndex = new Map([
      ["phone:+79120000001", [{ id: "hidden", guard: null, inScope: false }]],
      ["phone:+79120000002", [{ id: "mine", guard: null, inScope: true }]],
      ["email:x@y.ru", [{ id: "mine", guard: null, inScope: true }]],
    ]);
    const plan = planRows(
      "contacts",
      [row(2, contact(["+79120000001"])), row(3, contact(["+79120000002"])), row(4, contact([], ["x@y.ru"]))],
      existing,
      "update",
    );
    expect(plan.map((p) => p.outcome)).toEqual(["skip", "update", "skip"]);
    expect(plan[0]).toMatchObject({ recordId: null });
    expect(plan[2]).toMatchObject({ duplicateOfRow: 3 });
  });

  it("tells apart two companies of one name by their ИНН", () => {
    const company = (inn: string | null): CompanyDraft => ({
      name: "ООО «Ромашка»",
      inn,
      kpp: null,
      ogrn: null,
      phone: null,
      email: null,
      website: null,
      address: null,
      note: null,
      externalId: null,
      owner: null,
    });
    const plan = planRows(
      "companies",
      [row(2, company("7707083893")), row(3, company("7728168971")), row(4, company(null))],
      new Map(),
      "skip",
    );
    expect(plan.map((p) => p.outcome)).toEqual(["create", "create", "skip"]);
  });

  it("reports errors with the field of the first problem", () => {
    const plan = planRows(
      "contacts",
      [
        {
          row: 7,
          normalized: { ok: false, errors: [{ field: "phone", reason: "«1» is not a phone number" }] },
          ownerId: null,
        },
      ],
      new Map(),
      "skip",
    );
    expect(plan[0]).toEqual({
      row: 7,
      outcome: "error",
      errors: [{ field: "phone", reason: "«1» is not a phone number" }],
    });
  });
});

describe("capItems", () => {
  it("keeps errors first when the report is too long", () => {
    const item = (row: number, outcome: "error" | "skipped") => ({
      row,
      outcome,
      field: null,
      reason: "",
      duplicateOfRow: null,
      recordId: null,
    });
    const { items, truncated } = capItems(
      [item(2, "skipped"), item(3, "error"), item(4, "skipped"), item(5, "error")],
      3,
    );
    expect(truncated).toBe(true);
    expect(items.map((i) => i.row)).toEqual([2, 3, 5]);
  });
});
