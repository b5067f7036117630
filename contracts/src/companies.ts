import { z } from "zod";
import { Id, PageQuery, Text, page } from "./common.ts";
import { FieldSort, FieldValuesInput, withFieldFilters } from "./fields.ts";
import { InnInput, KppInput } from "./inn.ts";
import { PhoneInput } from "./phone.ts";

/**
 * ОГРН (13 digits) or ОГРНИП (15 digits): the last digit is the number formed by the others mod 11
 * (mod 13 for ОГРНИП), mod 10 (приказ ФНС о ЕГРЮЛ/ЕГРИП).
 */
export function isValidOgrn(ogrn: string): boolean {
  if (!/^\d{13}$|^\d{15}$/.test(ogrn)) {
    return false;
  }
  const body = BigInt(ogrn.slice(0, -1));
  const modulus = ogrn.length === 13 ? 11n : 13n;
  return String((body % modulus) % 10n) === ogrn.at(-1);
}

export const OgrnInput = z
  .string()
  .trim()
  .refine(isValidOgrn, { message: "ОГРН must be 13 (or 15 for ОГРНИП) digits with a valid check digit" });

/** An e-mail as people type it, stored in lower case. */
export const EmailInput = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());

const companyFields = {
  name: Text(300),
  inn: InnInput.nullable().optional(),
  kpp: KppInput.nullable().optional(),
  ogrn: OgrnInput.nullable().optional(),
  /** 1C Ref_Key of the counterparty (Справочник.Контрагенты); unique. */
  externalId: z.string().trim().min(1).max(100).nullable().optional(),
  phone: PhoneInput.nullable().optional(),
  email: EmailInput.nullable().optional(),
  website: z.string().trim().max(500).nullable().optional(),
  address: z.string().trim().max(1000).nullable().optional(),
  note: z.string().max(10_000).nullable().optional(),
  /** Responsible user; defaults to the creator. */
  ownerId: Id.optional(),
  sourceId: Id.nullable().optional(),
  /** Custom field values `{ key: value }`; in an update, given keys replace, null removes, others stay. */
  fields: FieldValuesInput.optional(),
};

export const CompanyCreate = z.strictObject(companyFields);
export type CompanyCreate = z.infer<typeof CompanyCreate>;
/** What a client sends (before normalisation). */
export type CompanyCreateInput = z.input<typeof CompanyCreate>;

/** PATCH: every field optional; null clears an optional field. */
export const CompanyUpdate = z.strictObject({ ...companyFields, name: Text(300).optional() });
export type CompanyUpdate = z.infer<typeof CompanyUpdate>;

export const Company = z.object({
  id: Id,
  name: z.string(),
  inn: z.string().nullable(),
  kpp: z.string().nullable(),
  ogrn: z.string().nullable(),
  externalId: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  address: z.string().nullable(),
  note: z.string().nullable(),
  ownerId: Id,
  sourceId: Id.nullable(),
  /** Custom field values by key (see GET /fields?entity=companies). */
  fields: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Company = z.infer<typeof Company>;

export const CompanySort = z.enum(["name", "-name", "createdAt", "-createdAt", "updatedAt", "-updatedAt"]);

export const CompanyListQuery = withFieldFilters(
  PageQuery.extend({
    /** Words of the name, or an exact ИНН when the query is 10 or 12 digits. */
    q: z.string().trim().min(1).max(200).optional(),
    ownerId: Id.optional(),
    inn: z
      .string()
      .trim()
      .regex(/^\d{10}$|^\d{12}$/, "ИНН is 10 or 12 digits")
      .optional(),
    sort: CompanySort.or(FieldSort).default("name"),
  }).strict(),
);

export const CompanyPage = page(Company);

/** A company's contacts: plain paging, ordered by name. */
export const CompanyContactsQuery = PageQuery.strict();
