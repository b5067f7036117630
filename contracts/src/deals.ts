import { z } from "zod";
import { Id, Kopecks, PageQuery, Text, page } from "./common.ts";
import { FieldSort, FieldValuesInput, withFieldFilters } from "./fields.ts";

/** Deals are in roubles for now; the column exists so other currencies need no migration. */
export const Currency = z.literal("RUB");

const dealFields = {
  title: Text(300),
  /** Defaults to the stage's pipeline, or to the default pipeline. */
  pipelineId: Id.optional(),
  /** Must belong to the pipeline; defaults to the pipeline's first stage. */
  stageId: Id.optional(),
  amount: Kopecks.optional(),
  currency: Currency.optional(),
  companyId: Id.nullable().optional(),
  contactId: Id.nullable().optional(),
  sourceId: Id.nullable().optional(),
  /** Responsible user; defaults to the creator. */
  ownerId: Id.optional(),
  expectedCloseDate: z.iso.date().nullable().optional(),
  note: z.string().max(10_000).nullable().optional(),
  /** Custom field values `{ key: value }`; fields of another pipeline are refused; in an update, given keys replace, null removes, others stay. */
  fields: FieldValuesInput.optional(),
};

export const DealCreate = z.strictObject(dealFields);
export type DealCreate = z.infer<typeof DealCreate>;
export type DealCreateInput = z.input<typeof DealCreate>;

/** PATCH: a new pipeline without a stage moves the deal to that pipeline's first stage. */
export const DealUpdate = z.strictObject({ ...dealFields, title: Text(300).optional() });
export type DealUpdate = z.infer<typeof DealUpdate>;

export const Deal = z.object({
  id: Id,
  title: z.string(),
  pipelineId: Id,
  stageId: Id,
  amount: Kopecks,
  currency: Currency,
  companyId: Id.nullable(),
  contactId: Id.nullable(),
  /** The lead this deal was converted from. */
  leadId: Id.nullable(),
  sourceId: Id.nullable(),
  ownerId: Id,
  expectedCloseDate: z.iso.date().nullable(),
  /** When the deal entered its current stage. */
  stageChangedAt: z.iso.datetime({ offset: true }),
  /** When the deal reached a won or lost stage; null while it is open. */
  closedAt: z.iso.datetime({ offset: true }).nullable(),
  note: z.string().nullable(),
  /** Custom field values by key (see GET /fields?entity=deals). */
  fields: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Deal = z.infer<typeof Deal>;

export const DealSort = z.enum(["createdAt", "-createdAt", "updatedAt", "-updatedAt", "amount", "-amount"]);

export const DealListQuery = withFieldFilters(
  PageQuery.extend({
    /** Words of the title. */
    q: z.string().trim().min(1).max(200).optional(),
    pipelineId: Id.optional(),
    stageId: Id.optional(),
    ownerId: Id.optional(),
    companyId: Id.optional(),
    contactId: Id.optional(),
    sort: DealSort.or(FieldSort).default("-createdAt"),
  }).strict(),
);

export const DealPage = page(Deal);
