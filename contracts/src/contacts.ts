import { z } from "zod";
import { Id, PageQuery, Text, page } from "./common.ts";
import { FieldSort, FieldValuesInput, withFieldFilters } from "./fields.ts";
import { PhoneInput } from "./phone.ts";

export const PhoneKind = z.enum(["mobile", "work", "home", "fax", "other"]);
export const EmailKind = z.enum(["work", "personal", "other"]);

export const ContactPhoneInput = z.strictObject({ phone: PhoneInput, kind: PhoneKind.default("mobile") });
export const ContactEmailInput = z.strictObject({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  kind: EmailKind.default("work"),
});

const contactFields = {
  lastName: z.string().trim().max(100).nullable().optional(),
  firstName: Text(100),
  middleName: z.string().trim().max(100).nullable().optional(),
  position: z.string().trim().max(200).nullable().optional(),
  birthday: z.iso.date().nullable().optional(),
  note: z.string().max(10_000).nullable().optional(),
  /** Responsible user; defaults to the creator. */
  ownerId: Id.optional(),
  sourceId: Id.nullable().optional(),
  /** Companies the contact works at; the first is the primary one. */
  companyIds: z.array(Id).max(20).optional(),
  phones: z.array(ContactPhoneInput).max(20).optional(),
  emails: z.array(ContactEmailInput).max(20).optional(),
  /** Custom field values `{ key: value }`; in an update, given keys replace, null removes, others stay. */
  fields: FieldValuesInput.optional(),
};

export const ContactCreate = z.strictObject(contactFields);
export type ContactCreate = z.infer<typeof ContactCreate>;
/** What a client sends (before defaults and normalisation). */
export type ContactCreateInput = z.input<typeof ContactCreate>;

/** PATCH: every field optional; `phones`/`emails`/`companyIds`, when given, replace the whole list. */
export const ContactUpdate = z.strictObject({ ...contactFields, firstName: Text(100).optional() });
export type ContactUpdate = z.infer<typeof ContactUpdate>;

export const Contact = z.object({
  id: Id,
  lastName: z.string().nullable(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  fullName: z.string(),
  position: z.string().nullable(),
  birthday: z.string().nullable(),
  note: z.string().nullable(),
  ownerId: Id,
  sourceId: Id.nullable(),
  phones: z.array(z.object({ phone: z.string(), kind: PhoneKind })),
  emails: z.array(z.object({ email: z.string(), kind: EmailKind })),
  companies: z.array(z.object({ id: Id, name: z.string() })),
  /** Custom field values by key (see GET /fields?entity=contacts). */
  fields: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Contact = z.infer<typeof Contact>;

export const ContactSort = z.enum(["name", "-name", "createdAt", "-createdAt", "updatedAt", "-updatedAt"]);

export const ContactListQuery = withFieldFilters(
  PageQuery.extend({
    /** Name, phone fragment (any format), e-mail, or a company ИНН. */
    q: z.string().trim().min(1).max(200).optional(),
    ownerId: Id.optional(),
    companyId: Id.optional(),
    sourceId: Id.optional(),
    createdFrom: z.iso.datetime({ offset: true }).optional(),
    createdTo: z.iso.datetime({ offset: true }).optional(),
    sort: ContactSort.or(FieldSort).default("-createdAt"),
  }).strict(),
);

export const ContactPage = page(Contact);

/**
 * Caller identification. `contact` is null both when the number is unknown and when it belongs to a
 * contact the user may not see; in the latter case `hidden` is true and `ownerName` says whose client it is,
 * so an agent can route the call to the responsible manager.
 */
export const ContactLookup = z.object({
  phone: z.string(),
  contact: Contact.nullable(),
  hidden: z.boolean(),
  ownerName: z.string().nullable(),
});
export type ContactLookup = z.infer<typeof ContactLookup>;
