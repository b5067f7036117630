import { z } from "zod";

// ИНН checksums, as defined by the Federal Tax Service (приказ ФНС ММВ-7-6/435@):
// a weighted sum of the digits mod 11 mod 10 must equal the check digit(s).
const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function checkDigit(digits: number[], weights: number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + w * (digits[i] ?? 0), 0);
  return (sum % 11) % 10;
}

/** True for a 10-digit (organisation) or 12-digit (individual entrepreneur) ИНН with valid checksums. */
export function isValidInn(inn: string): boolean {
  if (!/^\d{10}$|^\d{12}$/.test(inn)) {
    return false;
  }
  const d = [...inn].map(Number);
  if (d.length === 10) {
    return checkDigit(d, W10) === d[9];
  }
  return checkDigit(d, W11) === d[10] && checkDigit(d, W12) === d[11];
}

/** КПП: 4 digits (tax office), 2 characters (reason: digits or Latin capitals), 3 digits. */
export function isValidKpp(kpp: string): boolean {
  return /^\d{4}[\dA-Z]{2}\d{3}$/.test(kpp);
}

/** Builds a valid ИНН from its first 9 (or 10) digits: used by seeds and tests. */
export function completeInn(prefix: string): string {
  const d = [...prefix].map(Number);
  if (d.length === 9) {
    return prefix + String(checkDigit(d, W10));
  }
  if (d.length === 10) {
    const c11 = checkDigit(d, W11);
    return prefix + String(c11) + String(checkDigit([...d, c11], W12));
  }
  throw new Error("completeInn takes 9 or 10 digits");
}

export const InnInput = z
  .string()
  .trim()
  .refine(isValidInn, { message: "ИНН must be 10 or 12 digits with a valid checksum" });

export const KppInput = z
  .string()
  .trim()
  .refine(isValidKpp, { message: "КПП must be 9 characters: 4 digits, 2 digits or capitals, 3 digits" });
