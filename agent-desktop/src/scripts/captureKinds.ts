import type { FieldDefinition, FieldOption, FieldType } from "@okno/contracts";
import type { CaptureTarget } from "@okno/scripts-kb";

/** How the panel asks for a capture's value: the input that fits the field it writes. */
export type CaptureKind =
  "text" | "longText" | "number" | "money" | "date" | "datetime" | "boolean" | "enum" | "multiEnum";

export interface CaptureInputSpec {
  kind: CaptureKind;
  /** The field's choices (enum fields). */
  options: FieldOption[];
  /** The field's name on forms, when a definition gives one. */
  label: string | null;
}

const STANDARD: Record<string, CaptureKind> = {
  "contact.birthday": "date",
  "contact.note": "longText",
  "company.note": "longText",
  "company.address": "longText",
  "lead.amount": "money",
  "lead.note": "longText",
  "deal.amount": "money",
  "deal.expectedCloseDate": "date",
  "deal.note": "longText",
};

const BY_TYPE: Record<FieldType, CaptureKind> = {
  string: "text",
  text: "longText",
  number: "number",
  money: "money",
  date: "date",
  datetime: "datetime",
  boolean: "boolean",
  enum: "enum",
  "multi-enum": "multiEnum",
  user: "text",
  phone: "text",
  email: "text",
  url: "text",
  file: "text",
};

/** The input for a target; a custom field without a (loaded) definition is asked for as text. */
export function captureInputSpec(
  target: CaptureTarget,
  definitions: readonly FieldDefinition[],
): CaptureInputSpec {
  if (!target.field.startsWith("fields.")) {
    return { kind: STANDARD[`${target.entity}.${target.field}`] ?? "text", options: [], label: null };
  }
  const key = target.field.slice("fields.".length);
  const definition = definitions.find((d) => d.key === key);
  return definition
    ? { kind: BY_TYPE[definition.type], options: definition.options, label: definition.label }
    : { kind: "text", options: [], label: null };
}

/** The value a capture posts for what the input holds (money in kopecks, a date-time in ISO 8601). */
export function captureValueOf(
  kind: CaptureKind,
  raw: string | string[] | boolean,
): string | number | boolean | string[] | null {
  if (Array.isArray(raw) || typeof raw === "boolean") {
    return raw;
  }
  const text = raw.trim();
  if (text === "") {
    return null;
  }
  switch (kind) {
    case "number":
    case "money": {
      const n = Number(text.replace(/\s/g, "").replace(",", "."));
      if (!Number.isFinite(n)) {
        return text;
      }
      return kind === "money" ? Math.round(n * 100) : n;
    }
    case "datetime": {
      const d = new Date(text);
      return Number.isNaN(d.getTime()) ? text : d.toISOString();
    }
    case "text":
    case "longText":
    case "date":
    case "boolean":
    case "enum":
    case "multiEnum":
      return text;
  }
}
