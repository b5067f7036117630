import { formatPhone } from "@okno/contracts";

/**
 * What a script's placeholders read: the call card's records as the API shows them (camelCase, custom
 * fields under `fields`), and the agent. Any of them may be missing (an unknown caller has no deal).
 */
export type CardData = Partial<Record<PlaceholderRoot, Record<string, unknown> | null>>;

export const PLACEHOLDER_ROOTS = ["contact", "company", "lead", "deal", "agent"] as const;
export type PlaceholderRoot = (typeof PLACEHOLDER_ROOTS)[number];

/** `{contact.firstName}`, `{deal.amount}`, `{contact.fields.budget}`. */
export const PLACEHOLDER = /\{([a-z]+(?:\.[A-Za-z0-9_]+)+)\}/g;

/** Shown where a value is missing, so the agent sees a gap to fill rather than "undefined". */
export const BLANK = "＿＿＿";

/** Amounts the API gives in kopecks. */
const MONEY_PATHS = new Set(["deal.amount", "lead.amount"]);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const E164 = /^\+\d{10,15}$/;

export type RenderedPart = { text: string } | { placeholder: string; value: string | null };

export interface RenderOptions {
  /** Time zone for date-times; the company's, Moscow by default. */
  timeZone?: string;
}

/** The placeholders a text uses, in order of appearance (duplicates kept once). */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export function isKnownPlaceholder(path: string): boolean {
  const root = path.split(".")[0];
  return (PLACEHOLDER_ROOTS as readonly string[]).includes(root ?? "");
}

function lookup(card: CardData, path: string): unknown {
  let value: unknown = card;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const rubles = new Intl.NumberFormat("ru-RU", { style: "currency", currency: "RUB" });
const numbers = new Intl.NumberFormat("ru-RU");

/** A card value in Russian formats; null when there is nothing to show. */
export function formatValue(path: string, value: unknown, options: RenderOptions = {}): string | null {
  if (value === null || value === undefined || value === "") {
    return null;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      return null;
    }
    return MONEY_PATHS.has(path) ? rubles.format(value / 100) : numbers.format(value);
  }
  if (typeof value === "boolean") {
    return value ? "да" : "нет";
  }
  if (typeof value === "string") {
    return formatString(value, options);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => formatValue(path, v, options)).filter((v) => v !== null);
    return items.length > 0 ? items.join(", ") : null;
  }
  // A file value shows its name; other objects have no sensible text.
  const name = (value as { name?: unknown }).name;
  return typeof name === "string" && name !== "" ? name : null;
}

function formatString(value: string, options: RenderOptions): string {
  if (ISO_DATE.test(value)) {
    const [y, m, d] = value.split("-");
    return `${d}.${m}.${y}`;
  }
  if (ISO_DATETIME.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) {
      return date.toLocaleString("ru-RU", {
        timeZone: options.timeZone ?? "Europe/Moscow",
        day: "2-digit",
        month: "2-digit",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
      });
    }
  }
  return E164.test(value) ? formatPhone(value) : value;
}

/** The text split into literal parts and placeholders with their formatted values (null = missing). */
export function renderParts(text: string, card: CardData, options: RenderOptions = {}): RenderedPart[] {
  const parts: RenderedPart[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) {
      parts.push({ text: text.slice(last, m.index) });
    }
    const path = m[1]!;
    parts.push({ placeholder: path, value: formatValue(path, lookup(card, path), options) });
    last = m.index + m[0].length;
  }
  if (last < text.length) {
    parts.push({ text: text.slice(last) });
  }
  return parts;
}

/** The text with every placeholder filled in, a missing value shown as a visible blank. */
export function renderText(text: string, card: CardData, options: RenderOptions = {}): string {
  return renderParts(text, card, options)
    .map((p) => ("text" in p ? p.text : (p.value ?? BLANK)))
    .join("");
}
