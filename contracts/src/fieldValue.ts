import { z } from "zod";
import { Id } from "./common.ts";
import { normalizePhone } from "./phone.ts";

/** The kinds of value a custom field holds, and how each is stored in a record's `fields` jsonb. */
export const FieldType = z.enum([
  /** One line of text, at most 500 characters. */
  "string",
  /** Free text, at most 10,000 characters. */
  "text",
  /** Any finite number (JSON number). */
  "number",
  /** Integer kopecks. */
  "money",
  /** Calendar day "YYYY-MM-DD". */
  "date",
  /** An instant; written in ISO 8601 with an offset, stored in UTC ("2026-11-23T09:30:00.000Z"). */
  "datetime",
  "boolean",
  /** One of the options' values. */
  "enum",
  /** Several of the options' values, stored in the options' order. */
  "multi-enum",
  /** Id of an active user. */
  "user",
  /** E.164. */
  "phone",
  /** Lower case. */
  "email",
  /** http or https only. */
  "url",
  /** `{ fileId, name }` of a file uploaded through POST /files. */
  "file",
]);
export type FieldType = z.infer<typeof FieldType>;

/** A choice of an enum or multi-enum field: `value` is what records store and filters match, `label` is shown. */
export const FieldOption = z.strictObject({
  value: z.string().trim().min(1).max(100),
  label: z.string().trim().min(1).max(200),
});
export type FieldOption = z.infer<typeof FieldOption>;

/** The value of a `file` field: a reference to an uploaded file and the name to show. */
export const FileValue = z.strictObject({ fileId: Id, name: z.string().trim().min(1).max(255) });
export type FileValue = z.infer<typeof FileValue>;

/** `value: undefined` means "no value": null, an empty string or an empty list. */
export type FieldValueResult = { ok: true; value: unknown } | { ok: false; reason: string };

const MAX_STRING = 500;
const MAX_TEXT = 10_000;
const MAX_NUMBER = 1e15;
const IsoDate = z.iso.date();
const IsoDateTime = z.iso.datetime({ offset: true });
const Email = z.email().max(254);

const ok = (value: unknown): FieldValueResult => ({ ok: true, value });
const fail = (reason: string): FieldValueResult => ({ ok: false, reason });

function choices(options: readonly FieldOption[]): string {
  const values = options.map((o) => o.value);
  return values.length > 20 ? `${values.slice(0, 20).join(", ")}, …` : values.join(", ");
}

function text(value: unknown, max: number): FieldValueResult {
  if (typeof value !== "string") {
    return fail("must be text");
  }
  const trimmed = value.trim();
  return trimmed.length > max ? fail(`must be at most ${max} characters`) : ok(trimmed);
}

function url(value: unknown): FieldValueResult {
  const bad = fail("must be an http or https URL");
  if (typeof value !== "string" || value.length > 2000) {
    return bad;
  }
  try {
    const parsed = new URL(value.trim());
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname
      ? ok(parsed.href)
      : bad;
  } catch {
    return bad;
  }
}

function multiEnum(value: unknown, options: readonly FieldOption[]): FieldValueResult {
  if (!Array.isArray(value) || value.length > options.length * 2 + 10) {
    return fail(`must be a list of: ${choices(options)}`);
  }
  const given = new Set<unknown>(value);
  for (const v of given) {
    if (!options.some((o) => o.value === v)) {
      return fail(`must be one of: ${choices(options)}`);
    }
  }
  // The options' order, without repeats: one set of choices has one stored form, so equality filters match.
  const picked = options.filter((o) => given.has(o.value)).map((o) => o.value);
  return ok(picked.length > 0 ? picked : undefined);
}

function fromEnum(value: unknown, options: readonly FieldOption[]): FieldValueResult {
  return options.some((o) => o.value === value) ? ok(value) : fail(`must be one of: ${choices(options)}`);
}

function phone(value: unknown): FieldValueResult {
  const e164 = typeof value === "string" ? normalizePhone(value) : null;
  return e164 ? ok(e164) : fail("not a valid phone number");
}

function email(value: unknown): FieldValueResult {
  const parsed = Email.safeParse(typeof value === "string" ? value.trim() : value);
  return parsed.success ? ok(parsed.data.toLowerCase()) : fail("not a valid e-mail address");
}

type Normalizer = (value: unknown, options: readonly FieldOption[]) => FieldValueResult;

/** One normaliser per type: a new type that lacks one does not compile. */
const NORMALIZERS: Record<FieldType, Normalizer> = {
  string: (v) => text(v, MAX_STRING),
  text: (v) => text(v, MAX_TEXT),
  number: (v) =>
    typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= MAX_NUMBER
      ? ok(v)
      : fail("must be a number"),
  money: (v) => (Number.isSafeInteger(v) ? ok(v) : fail("must be a whole number of kopecks")),
  date: (v) => (IsoDate.safeParse(v).success ? ok(v) : fail("must be a date YYYY-MM-DD")),
  // Stored in UTC with milliseconds: fixed width, so stored values sort and compare as text.
  datetime: (v) =>
    IsoDateTime.safeParse(v).success
      ? ok(new Date(v as string).toISOString())
      : fail("must be a date and time in ISO 8601 with an offset"),
  boolean: (v) => (typeof v === "boolean" ? ok(v) : fail("must be true or false")),
  enum: fromEnum,
  "multi-enum": multiEnum,
  user: (v) => (Id.safeParse(v).success ? ok(v) : fail("must be a user id")),
  phone,
  email,
  url,
  file: (v) => {
    const parsed = FileValue.safeParse(v);
    return parsed.success ? ok(parsed.data) : fail("must be { fileId, name } of an uploaded file");
  },
};

/**
 * Checks one value against its field's type and returns it in stored form (trimmed text, E.164 phone,
 * lower-case e-mail, UTC datetime…). Null, "" and [] all mean "no value". References to users and files
 * are only checked for shape here: whether they exist is the server's business.
 */
export function normalizeFieldValue(
  field: { type: FieldType; options: readonly FieldOption[] },
  value: unknown,
): FieldValueResult {
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) {
    return ok(undefined);
  }
  return NORMALIZERS[field.type](value, field.options);
}
