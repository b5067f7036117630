import { z } from "zod";
import { Id, PageQuery, page } from "./common.ts";
import { Company, EmailInput } from "./companies.ts";
import { Contact } from "./contacts.ts";
import { InnInput, KppInput } from "./inn.ts";
import { PhoneInput } from "./phone.ts";

/** Why two records look like one: a shared number, e-mail, ИНН, or a (near) identical name. */
export const DuplicateReason = z.enum(["phone", "email", "inn", "name"]);
export type DuplicateReason = z.infer<typeof DuplicateReason>;

const match = {
  /** 0..1: how sure we are that the two records are one person or organisation. */
  score: z.number().min(0).max(1),
  reasons: z.array(DuplicateReason),
};

const pair = <T extends z.ZodType>(record: T) =>
  z.object({
    id: Id,
    ...match,
    a: record,
    b: record,
    /** When a scan first found the pair. */
    foundAt: z.iso.datetime({ offset: true }),
  });

/** A pair stored by the nightly scan, for the "possible duplicates" lists. */
export const ContactDuplicatePair = pair(Contact);
export type ContactDuplicatePair = z.infer<typeof ContactDuplicatePair>;
export const CompanyDuplicatePair = pair(Company);
export type CompanyDuplicatePair = z.infer<typeof CompanyDuplicatePair>;
export const ContactDuplicatePairPage = page(ContactDuplicatePair);
export const CompanyDuplicatePairPage = page(CompanyDuplicatePair);
/** Pairs come best first (score, then newest id). */
export const DuplicatePairQuery = PageQuery.strict();

/** GET /contacts/:id/duplicates: live candidates for one contact, best first. */
export const ContactCandidates = z.object({
  items: z.array(z.object({ contact: Contact, ...match })),
});
export type ContactCandidates = z.infer<typeof ContactCandidates>;

/**
 * GET /duplicates/check: what a new record would duplicate, before it is created. The phone may be
 * written in any format. `companyId` with `name` also looks for similar names among that company's contacts
 * (namesakes at other companies are not duplicates).
 */
export const DuplicateCheckQuery = z.strictObject({
  phone: PhoneInput.optional(),
  email: EmailInput.optional(),
  inn: InnInput.optional(),
  kpp: KppInput.optional(),
  name: z.string().trim().min(1).max(300).optional(),
  companyId: Id.optional(),
});
export type DuplicateCheckQuery = z.infer<typeof DuplicateCheckQuery>;

export const DuplicateCheck = z.object({
  contacts: z.array(z.object({ contact: Contact, ...match })),
  companies: z.array(z.object({ company: Company, ...match })),
  /** Matches outside the user's scope: only that they exist and whose they are. */
  hidden: z.array(
    z.object({ entity: z.enum(["contacts", "companies"]), reasons: match.reasons, ownerName: z.string() }),
  ),
});
export type DuplicateCheck = z.infer<typeof DuplicateCheck>;

/** Keys of the custom `fields` object are picked one by one as "fields.<key>". */
const CUSTOM_FIELD_KEY = /^fields\.[A-Za-z0-9_-]{1,64}$/;

export const CONTACT_MERGE_FIELDS = [
  "lastName",
  "firstName",
  "middleName",
  "position",
  "birthday",
  "note",
  "ownerId",
  "sourceId",
] as const;

export const COMPANY_MERGE_FIELDS = [
  "name",
  "inn",
  "kpp",
  "ogrn",
  "externalId",
  "phone",
  "email",
  "website",
  "address",
  "note",
  "ownerId",
  "sourceId",
] as const;

const mergeBody = (fields: readonly string[]) =>
  z.strictObject({
    survivorId: Id,
    /** The records that disappear into the survivor. */
    mergedIds: z.array(Id).min(1).max(20),
    /**
     * Which record each field's value comes from: `{ "lastName": "<id>", "fields.inn": "<id>" }`. A field not
     * picked keeps the survivor's value, or the first merged record's when the survivor has none.
     */
    pick: z
      .record(
        z.string().refine((k) => fields.includes(k) || CUSTOM_FIELD_KEY.test(k), "not a mergeable field"),
        Id,
      )
      .optional(),
  });

export const ContactMerge = mergeBody(CONTACT_MERGE_FIELDS);
export type ContactMerge = z.infer<typeof ContactMerge>;
export const CompanyMerge = mergeBody(COMPANY_MERGE_FIELDS);
export type CompanyMerge = z.infer<typeof CompanyMerge>;

/** POST /contacts/:id/phones/attach: the number in any format. */
export const PhoneAttach = z.strictObject({ phone: PhoneInput });

export const PhoneAttachResult = z.object({
  contact: Contact,
  /** The contact that held the number and had nothing else, merged into this one; null if it stayed. */
  mergedId: Id.nullable(),
});
export type PhoneAttachResult = z.infer<typeof PhoneAttachResult>;
