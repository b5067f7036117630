import type { ImportColumn, ImportEntity, VatRate } from "@okno/contracts";
import {
  cellText,
  parseBool,
  parseDay,
  parseEmails,
  parseInn,
  parseKpp,
  parseOgrn,
  parsePhones,
  parsePrice,
  parseText,
  parseVatRate,
  splitFullName,
  type CellValue,
  type Parsed,
} from "./parseCells.ts";

/** Why a row cannot be imported: the field at fault and the reason, as the report shows them. */
export interface FieldError {
  field: string;
  reason: string;
}

export type Normalized<D> = { ok: true; draft: D } | { ok: false; errors: FieldError[] };

export interface ContactDraft {
  lastName: string | null;
  firstName: string;
  middleName: string | null;
  position: string | null;
  birthday: string | null;
  note: string | null;
  phones: string[];
  emails: string[];
  /** The company the person works at, by name and/or ИНН; linked (or created) when written. */
  company: { name: string | null; inn: string | null } | null;
  /** Login or full name of the responsible user, as the file writes it. */
  owner: string | null;
}

export interface CompanyDraft {
  name: string;
  inn: string | null;
  kpp: string | null;
  ogrn: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  address: string | null;
  note: string | null;
  externalId: string | null;
  owner: string | null;
}

export interface ProductDraft {
  name: string;
  sku: string | null;
  unit: string | null;
  price: number | null;
  vatRate: VatRate | null;
  externalId: string | null;
  isActive: boolean | null;
}

export type Draft = ContactDraft | CompanyDraft | ProductDraft;

/** The values of one row by field: the first non-empty cell, or every cell of a multi-value field. */
class RowCells {
  readonly errors: FieldError[] = [];
  private readonly byField = new Map<string, CellValue[]>();

  constructor(columns: ImportColumn[], cells: CellValue[]) {
    columns.forEach((c, i) => {
      const value = cells[i] ?? null;
      if (c.field && cellText(value) !== "") {
        this.byField.set(c.field, [...(this.byField.get(c.field) ?? []), value]);
      }
    });
  }

  cell(field: string): CellValue {
    return this.byField.get(field)?.[0] ?? null;
  }

  cells(field: string): CellValue[] {
    return this.byField.get(field) ?? [];
  }

  /** The parsed value, or `fallback` with the reason noted against the field. */
  take<T>(field: string, parsed: Parsed<T>, fallback: T): T {
    if (parsed.ok) {
      return parsed.value;
    }
    this.errors.push({ field, reason: parsed.reason });
    return fallback;
  }

  text(field: string, max: number): string | null {
    return this.take(field, parseText(this.cell(field), max), null);
  }

  /** Every value of a list field across all its columns, each cell parsed by `parse`. */
  list(field: string, parse: (v: CellValue) => Parsed<string[]>): string[] {
    const values = this.cells(field).flatMap((v) => this.take(field, parse(v), []));
    return [...new Set(values)];
  }

  result<D>(draft: D): Normalized<D> {
    return this.errors.length > 0 ? { ok: false, errors: this.errors } : { ok: true, draft };
  }
}

export function normalizeContact(columns: ImportColumn[], cells: CellValue[]): Normalized<ContactDraft> {
  const r = new RowCells(columns, cells);
  const split = splitFullName(cellText(r.cell("fullName")));
  const lastName = r.text("lastName", 100) ?? split.lastName;
  const firstName = r.text("firstName", 100) ?? (split.firstName || null);
  const middleName = r.text("middleName", 100) ?? split.middleName;
  if (!firstName) {
    r.errors.push({ field: "firstName", reason: "the name is empty" });
  }
  const companyName = r.text("company", 300);
  const inn = r.take("inn", parseInn(r.cell("inn")), null);
  return r.result({
    lastName: lastName?.slice(0, 100) ?? null,
    firstName: (firstName ?? "").slice(0, 100),
    middleName: middleName?.slice(0, 100) ?? null,
    position: r.text("position", 200),
    birthday: r.take("birthday", parseDay(r.cell("birthday")), null),
    note: r.text("note", 10_000),
    phones: r.list("phone", parsePhones).slice(0, 20),
    emails: r.list("email", parseEmails).slice(0, 20),
    company: companyName || inn ? { name: companyName, inn } : null,
    owner: r.text("owner", 200),
  });
}

export function normalizeCompany(columns: ImportColumn[], cells: CellValue[]): Normalized<CompanyDraft> {
  const r = new RowCells(columns, cells);
  const name = r.text("name", 300);
  if (!name) {
    r.errors.push({ field: "name", reason: "the name is empty" });
  }
  return r.result({
    name: name ?? "",
    inn: r.take("inn", parseInn(r.cell("inn")), null),
    kpp: r.take("kpp", parseKpp(r.cell("kpp")), null),
    ogrn: r.take("ogrn", parseOgrn(r.cell("ogrn")), null),
    phone: r.list("phone", parsePhones)[0] ?? null,
    email: r.list("email", parseEmails)[0] ?? null,
    website: r.text("website", 500),
    address: r.text("address", 1000),
    note: r.text("note", 10_000),
    externalId: r.text("externalId", 100),
    owner: r.text("owner", 200),
  });
}

export function normalizeProduct(columns: ImportColumn[], cells: CellValue[]): Normalized<ProductDraft> {
  const r = new RowCells(columns, cells);
  const name = r.text("name", 500);
  if (!name) {
    r.errors.push({ field: "name", reason: "the name is empty" });
  }
  return r.result({
    name: name ?? "",
    sku: r.text("sku", 100),
    unit: r.text("unit", 20),
    price: r.take("price", parsePrice(r.cell("price")), null),
    vatRate: r.take("vatRate", parseVatRate(r.cell("vatRate")), null),
    externalId: r.text("externalId", 100),
    isActive: r.take("isActive", parseBool(r.cell("isActive")), null),
  });
}

export const NORMALIZERS: Record<
  ImportEntity,
  (columns: ImportColumn[], cells: CellValue[]) => Normalized<Draft>
> = {
  contacts: normalizeContact,
  companies: normalizeCompany,
  products: normalizeProduct,
};

/**
 * What identifies a record, strongest first: a row matching an earlier row or an existing record on any
 * key is its duplicate. `guard` keeps a weak key from joining two records a strong key tells apart
 * (two companies of one name but different ИНН are two companies).
 */
export interface DedupKey {
  key: string;
  guard: string | null;
}

export function dedupKeys(entity: ImportEntity, draft: Draft): DedupKey[] {
  switch (entity) {
    case "contacts": {
      const d = draft as ContactDraft;
      return [
        ...d.phones.map((p) => ({ key: `phone:${p}`, guard: null })),
        ...d.emails.map((e) => ({ key: `email:${e}`, guard: null })),
      ];
    }
    case "companies": {
      const d = draft as CompanyDraft;
      const byName = { key: `name:${d.name.toLowerCase()}`, guard: d.inn };
      return [
        ...(d.inn ? [{ key: `inn:${d.inn}`, guard: null }] : []),
        byName,
        ...(d.externalId ? [{ key: `ext:${d.externalId}`, guard: null }] : []),
      ];
    }
    case "products": {
      const d = draft as ProductDraft;
      return [
        ...(d.sku ? [{ key: `sku:${d.sku}`, guard: null }] : []),
        ...(d.externalId ? [{ key: `ext:${d.externalId}`, guard: null }] : []),
      ];
    }
  }
}
