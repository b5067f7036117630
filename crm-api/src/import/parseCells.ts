import { isValidInn, isValidKpp, isValidOgrn, normalizePhone, type VatRate } from "@okno/contracts";
import { z } from "zod";

/** A cell as the file gives it: XLSX keeps numbers, dates and booleans; CSV gives text. */
export type CellValue = string | number | boolean | Date | null;

/** A value read from a cell, or why it could not be read (shown to the user next to the row number). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Shown in reasons: the user sees what the cell held, cut short. */
export function quote(text: string): string {
  return `«${text.length > 40 ? `${text.slice(0, 40)}…` : text}»`;
}

/** The cell as trimmed text; numbers without exponent or float noise, dates as YYYY-MM-DD. */
export function cellText(value: CellValue): string {
  if (value === null) {
    return "";
  }
  if (value instanceof Date) {
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === "number") {
    return Number.isInteger(value) ? value.toFixed(0) : String(Number(value.toFixed(10)));
  }
  return String(value)
    .replace(/[\u00a0\u202f]/g, " ")
    .trim();
}

// Patronymic endings (Иванович, Сергеевна, Ильич, Фоминична; Оглы/Кызы are written as separate words).
const PATRONYMIC = /(вич|вна|ична|инична|ич)$/i;

/**
 * Splits «ФИО» into last, first and middle name. Russian order is Фамилия Имя Отчество; «Иван Иванович
 * Петров» (Имя Отчество Фамилия) is recognised by the patronymic in the middle. One word is a first name;
 * initials «Иванов И.И.» become «И.» and «И.». Words after the third stay with the patronymic («… оглы»).
 */
export function splitFullName(text: string): {
  lastName: string | null;
  firstName: string;
  middleName: string | null;
} {
  const words = text
    .replace(/(\p{Lu}\.)(?=\p{Lu}\.)/gu, "$1 ")
    .split(/\s+/)
    .filter(Boolean);
  if (words.length <= 1) {
    return { lastName: null, firstName: words[0] ?? "", middleName: null };
  }
  if (words.length === 2) {
    return { lastName: words[0]!, firstName: words[1]!, middleName: null };
  }
  const [a, b, c, ...rest] = words as [string, string, string, ...string[]];
  if (rest.length === 0 && PATRONYMIC.test(b) && !PATRONYMIC.test(c) && b.length > 3) {
    return { lastName: c, firstName: a, middleName: b };
  }
  return { lastName: a, firstName: b, middleName: [c, ...rest].join(" ") };
}

/**
 * Every phone number in a cell: «8 912 345-67-89, +7 495 123-45-67», one per line, or separated by «;»
 * or «/». A number XLSX stored as a number (79123456789) is read as its digits. An extension («доб. 12»)
 * is dropped: the contact's number is the line. Any piece that is not a phone number fails the cell.
 */
export function parsePhones(value: CellValue): Parsed<string[]> {
  const text = cellText(value);
  const phones: string[] = [];
  for (const raw of text.split(/[,;/\n]+/)) {
    const piece = raw.replace(/\s*(доб\.?|доп\.?|ext\.?|вн\.?)\s*\d+\s*$/i, "").trim();
    if (piece === "") {
      continue;
    }
    const e164 = normalizePhone(piece);
    if (e164 === null) {
      return fail(`${quote(piece)} is not a phone number`);
    }
    if (!phones.includes(e164)) {
      phones.push(e164);
    }
  }
  return ok(phones);
}

const Email = z.email();

/** Every e-mail in a cell (separated by commas, semicolons or spaces), in lower case. */
export function parseEmails(value: CellValue): Parsed<string[]> {
  const emails: string[] = [];
  for (const piece of cellText(value).split(/[,;\s]+/)) {
    if (piece === "") {
      continue;
    }
    const email = piece.toLowerCase().replace(/^mailto:/, "");
    if (email.length > 254 || !Email.safeParse(email).success) {
      return fail(`${quote(piece)} is not an e-mail address`);
    }
    if (!emails.includes(email)) {
      emails.push(email);
    }
  }
  return ok(emails);
}

/**
 * Digits of a code that may have lost its leading zero: Excel stores ИНН 0123456789 (Адыгея) as the number
 * 123456789 unless the column is text.
 */
function codeDigits(value: CellValue, lengths: number[]): string {
  const digits = cellText(value).replace(/[\s-]/g, "");
  if (typeof value === "number") {
    const target = lengths.find((n) => n === digits.length + 1);
    return target ? `0${digits}` : digits;
  }
  return digits;
}

/** ИНН of 10 (organisation) or 12 (entrepreneur) digits with valid checksums; empty is null. */
export function parseInn(value: CellValue): Parsed<string | null> {
  const inn = codeDigits(value, [10, 12]);
  if (inn === "") {
    return ok(null);
  }
  return isValidInn(inn) ? ok(inn) : fail(`${quote(inn)} is not a valid ИНН (10 or 12 digits, checksum)`);
}

export function parseKpp(value: CellValue): Parsed<string | null> {
  const kpp = codeDigits(value, [9]).toUpperCase();
  if (kpp === "") {
    return ok(null);
  }
  return isValidKpp(kpp) ? ok(kpp) : fail(`${quote(kpp)} is not a valid КПП (9 characters)`);
}

export function parseOgrn(value: CellValue): Parsed<string | null> {
  const ogrn = codeDigits(value, []);
  if (ogrn === "") {
    return ok(null);
  }
  return isValidOgrn(ogrn) ? ok(ogrn) : fail(`${quote(ogrn)} is not a valid ОГРН`);
}

/**
 * A price in kopecks: «1 234,50», «1234.5», «1 234 руб.», «1,234.50», «1.234,50», or a number cell.
 * A lone separator followed by 1–2 digits is the decimal point; groups of three are thousands.
 */
export function parsePrice(value: CellValue): Parsed<number | null> {
  if (typeof value === "number") {
    return value >= 0 && Number.isFinite(value)
      ? ok(Math.round(value * 100))
      : fail(`${value} is not a price`);
  }
  const raw = cellText(value);
  const text = raw
    .toLowerCase()
    .replace(/(руб(\.|лей|ля|ль)?|р\.|₽|rub)/g, "")
    .replace(/\s+/g, "");
  if (text === "") {
    return ok(null);
  }
  let normalized: string | null = null;
  if (/^\d+([.,]\d{1,2})?$/.test(text)) {
    normalized = text.replace(",", ".");
  } else if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(text)) {
    normalized = text.replace(/,/g, "");
  } else if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(text)) {
    normalized = text.replace(/\./g, "").replace(",", ".");
  }
  if (normalized === null) {
    return fail(`${quote(raw)} is not a price`);
  }
  const [rubles, kopecks = ""] = normalized.split(".");
  const result = Number(rubles) * 100 + Number(kopecks.padEnd(2, "0"));
  return Number.isSafeInteger(result) ? ok(result) : fail(`${quote(raw)} is too large`);
}

/** «20%», «20», «0,2» (a percent-formatted cell), «10 %», «без НДС» (null), «0%». */
export function parseVatRate(value: CellValue): Parsed<VatRate | null> {
  const text = cellText(value).toLowerCase().replace(/\s+/g, "");
  if (text === "" || text === "безндс" || text === "нет" || text === "-") {
    return ok(null);
  }
  let n = Number(text.replace("%", "").replace(",", "."));
  if (!text.includes("%") && n > 0 && n < 1) {
    n = Math.round(n * 100);
  }
  return n === 0 || n === 10 || n === 20
    ? ok(n)
    : fail(`${quote(cellText(value))} is not a VAT rate (0, 10, 20 or «без НДС»)`);
}

const TRUE = new Set(["да", "true", "1", "yes", "y", "д", "+", "активен", "активный"]);
const FALSE = new Set(["нет", "false", "0", "no", "n", "н", "-", "неактивен", "архив"]);

export function parseBool(value: CellValue): Parsed<boolean | null> {
  if (typeof value === "boolean") {
    return ok(value);
  }
  const text = cellText(value).toLowerCase();
  if (text === "") {
    return ok(null);
  }
  if (TRUE.has(text)) {
    return ok(true);
  }
  return FALSE.has(text) ? ok(false) : fail(`${quote(text)} is not yes or no`);
}

/** A calendar day: a date cell, «31.12.1990» or «1990-12-31» (a two-digit year is refused: its century is a guess). */
export function parseDay(value: CellValue): Parsed<string | null> {
  if (value instanceof Date) {
    return ok(value.toISOString().slice(0, 10));
  }
  const text = cellText(value);
  if (text === "") {
    return ok(null);
  }
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [y, m, d] = ru ? [ru[3], ru[2], ru[1]] : isoMatch ? [isoMatch[1], isoMatch[2], isoMatch[3]] : [];
  const day = `${y}-${m?.padStart(2, "0")}-${d?.padStart(2, "0")}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  if (!y || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    return fail(`${quote(text)} is not a date (ДД.ММ.ГГГГ)`);
  }
  return ok(day);
}

/** Text cut to what the column holds; empty is null. */
export function parseText(value: CellValue, max: number): Parsed<string | null> {
  const text = cellText(value);
  if (text === "") {
    return ok(null);
  }
  return text.length <= max ? ok(text) : fail(`longer than ${max} characters`);
}
