import { z } from "zod";
import { Id } from "./common.ts";

/** What a spreadsheet can be imported into. */
export const ImportEntity = z.enum(["contacts", "companies", "products"]);
export type ImportEntity = z.infer<typeof ImportEntity>;

/** A row that matches an existing record (or an earlier row): leave the record alone, or fill it in. */
export const OnDuplicate = z.enum(["skip", "update"]);
export type OnDuplicate = z.infer<typeof OnDuplicate>;

/**
 * The fields a column can feed, per entity. `phone` and `email` may come from several columns (and hold
 * several values in one cell); `owner` names the responsible user by login or full name.
 */
export const IMPORT_FIELDS = {
  contacts: [
    "fullName",
    "lastName",
    "firstName",
    "middleName",
    "phone",
    "email",
    "company",
    "inn",
    "position",
    "birthday",
    "note",
    "owner",
  ],
  companies: [
    "name",
    "inn",
    "kpp",
    "ogrn",
    "phone",
    "email",
    "website",
    "address",
    "note",
    "externalId",
    "owner",
  ],
  products: ["name", "sku", "unit", "price", "vatRate", "externalId", "isActive"],
} as const satisfies Record<ImportEntity, readonly string[]>;
export type ImportField<E extends ImportEntity = ImportEntity> = (typeof IMPORT_FIELDS)[E][number];

/** In a mapping, the column is read by nobody. */
export const IGNORE_COLUMN = "ignore";

const bool = z.enum(["true", "false"]).transform((v) => v === "true");

/** `mapping` travels in the query string as JSON: { "column header": "field" | "ignore" }. */
const MappingJson = z
  .string()
  .max(10_000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON object { column header: field }" });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().max(200), z.string().max(50)));

/** POST /imports: the body is the file itself (XLSX or CSV); everything else is in the query. */
export const ImportQuery = z.strictObject({
  entity: ImportEntity,
  /** Check and report without writing anything. */
  dryRun: bool.default(false),
  onDuplicate: OnDuplicate.default("skip"),
  mapping: MappingJson.optional(),
  /** The original file name, for the report and the audit log. */
  fileName: z.string().trim().min(1).max(255).optional(),
  /** Administrators only: import on behalf of this user (login); their scope and name go on the records. */
  as: z.string().trim().min(1).max(100).optional(),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

/**
 * ```
 *  queued ──► running ──► done
 *                 └─────► failed (the file could not be read, or a batch failed: earlier batches stay)
 * ```
 */
export const ImportStatus = z.enum(["queued", "running", "done", "failed"]);
export type ImportStatus = z.infer<typeof ImportStatus>;

export const ImportOutcome = z.enum(["created", "updated", "skipped", "error"]);
export type ImportOutcome = z.infer<typeof ImportOutcome>;

/** What happened to one row; rows are numbered as the spreadsheet shows them (the header is row 1). */
export const ImportItem = z.object({
  row: z.number().int(),
  outcome: ImportOutcome,
  /** The field at fault for an error ("phone", "inn"…). */
  field: z.string().nullable(),
  reason: z.string(),
  /** Skipped as a repeat of this earlier row of the same file. */
  duplicateOfRow: z.number().int().nullable(),
  /** The existing record the row matched (skipped or updated). */
  recordId: Id.nullable(),
});
export type ImportItem = z.infer<typeof ImportItem>;

/** How one column of the file was read: the field it feeds, or null when nobody reads it. */
export const ImportColumn = z.object({ header: z.string(), field: z.string().nullable() });
export type ImportColumn = z.infer<typeof ImportColumn>;

export const ImportRun = z.object({
  id: Id,
  entity: ImportEntity,
  fileName: z.string(),
  dryRun: z.boolean(),
  onDuplicate: OnDuplicate,
  status: ImportStatus,
  /** Data rows in the file (blank rows are not counted). */
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  errors: z.number().int(),
  columns: z.array(ImportColumn),
  /** Every row that was not simply created (errors first when capped), in row order. */
  items: z.array(ImportItem),
  /** More rows deserved an item than the report keeps. */
  itemsTruncated: z.boolean(),
  /** Why a failed run failed. */
  failure: z.string().nullable(),
  userId: Id,
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ImportRun = z.infer<typeof ImportRun>;

export const ExportFormat = z.enum(["xlsx", "csv"]);
export type ExportFormat = z.infer<typeof ExportFormat>;

/**
 * An export takes a list's query (filters and sort; paging is ignored: the export pages through everything
 * itself) plus `format`. The list query is parsed as it is, so its own rules (strictness, custom-field
 * filters) apply unchanged and a bad filter is reported under its own name.
 */
export function exportQuery<T extends z.ZodType>(listQuery: T) {
  return z.looseObject({ format: ExportFormat.default("xlsx") }).transform((query, ctx) => {
    const { format, ...rest } = query;
    const list = listQuery.safeParse(rest);
    if (!list.success) {
      for (const issue of list.error.issues) {
        ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
      }
      return z.NEVER;
    }
    return { format, list: list.data };
  });
}
