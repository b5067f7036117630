import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { z } from "zod";

/** Region used for numbers written without a country code: Russian customers write "8 (912) …" or "912…". */
export const DEFAULT_PHONE_REGION: CountryCode = "RU";

/**
 * Normalises a phone number as people write it into E.164 ("+79123456789").
 * "8 (912) 345-67-89", "+7 912 345 67 89" and "9123456789" are one number.
 * Returns null when the text is not a possible phone number.
 */
export function normalizePhone(input: string, region: CountryCode = DEFAULT_PHONE_REGION): string | null {
  const text = input.trim();
  if (text.length === 0 || text.length > 40) {
    return null;
  }
  // Russian trunk prefix: "8 912 …" is "+7 912 …"; libphonenumber knows this for RU, but an 11-digit
  // "89123456789" written without separators is also common in 1C exports, so handle it explicitly.
  const digits = text.replace(/\D/g, "");
  const candidate =
    region === "RU" && /^8\d{10}$/.test(digits) && !text.startsWith("+") ? `+7${digits.slice(1)}` : text;
  const parsed = parsePhoneNumberFromString(candidate, region);
  if (!parsed?.isValid()) {
    return null;
  }
  return parsed.number;
}

/** Formats an E.164 number for a Russian reader: "+7 912 345-67-89". */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatInternational() : e164;
}

/** Digits of a search fragment ("345-67" → "34567"), for substring search over stored E.164 numbers. */
export function phoneDigits(input: string): string {
  return input.replace(/\D/g, "");
}

/** A phone as written by a person, normalised to E.164; rejects what is not a phone. */
export const PhoneInput = z.string().transform((value, ctx) => {
  const e164 = normalizePhone(value);
  if (e164 === null) {
    ctx.addIssue({ code: "custom", message: "not a valid phone number" });
    return z.NEVER;
  }
  return e164;
});
