import { z } from "zod";
import { Id, Kopecks, PageQuery, Text, page } from "./common.ts";
import { EmailInput } from "./companies.ts";
import { FieldSort, FieldValuesInput, withFieldFilters } from "./fields.ts";
import { Deal } from "./deals.ts";
import { InnInput } from "./inn.ts";
import { PhoneInput } from "./phone.ts";

export const LeadStatus = z.enum(["new", "in_progress", "converted", "junk"]);
export type LeadStatus = z.infer<typeof LeadStatus>;

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

const leadFields = {
  title: Text(300),
  /** "converted" is set only by POST /leads/:id/convert, never written directly. */
  status: LeadStatus.exclude(["converted"]).optional(),
  /** What the lead says about the person and the organisation before a contact or company exists. */
  contactName: optionalText(200),
  companyName: optionalText(300),
  companyInn: InnInput.nullable().optional(),
  phone: PhoneInput.nullable().optional(),
  email: EmailInput.nullable().optional(),
  amount: Kopecks.nullable().optional(),
  note: z.string().max(10_000).nullable().optional(),
  contactId: Id.nullable().optional(),
  companyId: Id.nullable().optional(),
  sourceId: Id.nullable().optional(),
  campaignId: Id.nullable().optional(),
  utmSource: optionalText(500),
  utmMedium: optionalText(500),
  utmCampaign: optionalText(500),
  utmContent: optionalText(500),
  utmTerm: optionalText(500),
  /** Responsible user; defaults to the creator. */
  ownerId: Id.optional(),
  /** Custom field values `{ key: value }`; in an update, given keys replace, null removes, others stay. */
  fields: FieldValuesInput.optional(),
};

export const LeadCreate = z.strictObject(leadFields);
export type LeadCreate = z.infer<typeof LeadCreate>;
export type LeadCreateInput = z.input<typeof LeadCreate>;

export const LeadUpdate = z.strictObject({ ...leadFields, title: Text(300).optional() });
export type LeadUpdate = z.infer<typeof LeadUpdate>;

export const Lead = z.object({
  id: Id,
  title: z.string(),
  status: LeadStatus,
  contactName: z.string().nullable(),
  companyName: z.string().nullable(),
  companyInn: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  amount: z.number().int().nullable(),
  note: z.string().nullable(),
  contactId: Id.nullable(),
  companyId: Id.nullable(),
  sourceId: Id.nullable(),
  campaignId: Id.nullable(),
  utmSource: z.string().nullable(),
  utmMedium: z.string().nullable(),
  utmCampaign: z.string().nullable(),
  utmContent: z.string().nullable(),
  utmTerm: z.string().nullable(),
  ownerId: Id,
  /** Set when the lead is converted. */
  dealId: Id.nullable(),
  convertedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Custom field values by key (see GET /fields?entity=leads). */
  fields: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Lead = z.infer<typeof Lead>;

export const LeadSort = z.enum(["createdAt", "-createdAt", "updatedAt", "-updatedAt"]);

export const LeadListQuery = withFieldFilters(
  PageQuery.extend({
    /** Words of the title, contact or company name; or a phone fragment in any format. */
    q: z.string().trim().min(1).max(200).optional(),
    status: LeadStatus.optional(),
    ownerId: Id.optional(),
    sourceId: Id.optional(),
    campaignId: Id.optional(),
    sort: LeadSort.or(FieldSort).default("-createdAt"),
  }).strict(),
);

export const LeadPage = page(Lead);

/** Conversion options; the deal goes to the default pipeline's first stage unless told otherwise. */
export const LeadConvert = z.strictObject({
  pipelineId: Id.optional(),
  stageId: Id.optional(),
  /** Deal title; defaults to the lead's title. */
  title: Text(300).optional(),
  /** Deal amount in kopecks; defaults to the lead's amount. */
  amount: Kopecks.optional(),
});
export type LeadConvert = z.infer<typeof LeadConvert>;

export const LeadConversion = z.object({
  deal: Deal,
  contactId: Id.nullable(),
  companyId: Id.nullable(),
  /** Whether the contact (or company) was created by the conversion rather than found. */
  createdContact: z.boolean(),
  createdCompany: z.boolean(),
});
export type LeadConversion = z.infer<typeof LeadConversion>;
