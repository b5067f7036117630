import { createHash, timingSafeEqual } from "node:crypto";

/*
 * Mango VPBX API v1.9 §2.4.3–2.4.4 (telephony.md §1.1): every request, ours and Mango's webhooks alike,
 * is an application/x-www-form-urlencoded body with `vpbx_api_key`, `sign` and `json`, where
 * sign = hex(sha256(vpbx_api_key + json + vpbx_api_salt)). Plain SHA-256 over the concatenation, not HMAC.
 */

/** The three form fields of a signed Mango request, as received (after form decoding, nothing else). */
export type MangoForm = { apiKey: string; sign: string; json: string };

export function signMango(apiKey: string, json: string, apiSalt: string): string {
  return createHash("sha256")
    .update(apiKey + json + apiSalt, "utf8")
    .digest("hex");
}

/** Compares two strings in time independent of where they differ (and of their content when lengths differ). */
export function isSameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

export type SignCheck = "ok" | "bad_key" | "bad_sign";

/**
 * Checks a webhook over the RAW `json` field exactly as received: re-serialising the parsed JSON would
 * change spacing, key order or escapes and break valid signatures (research note §1.1). The sign is
 * hex; Mango's case is not documented, so it is compared lower-cased.
 */
export function checkMangoSign(form: MangoForm, apiKey: string, apiSalt: string): SignCheck {
  const isKeyOk = isSameSecret(form.apiKey, apiKey);
  const isSignOk = isSameSecret(form.sign.toLowerCase(), signMango(form.apiKey, form.json, apiSalt));
  if (!isKeyOk) {
    return "bad_key";
  }
  return isSignOk ? "ok" : "bad_sign";
}

/** Reads the three fields from a form body; null when one is missing or repeated. */
export function readMangoForm(body: string): MangoForm | null {
  const params = new URLSearchParams(body);
  const one = (name: string) => {
    const values = params.getAll(name);
    return values.length === 1 ? values[0] : undefined;
  };
  const apiKey = one("vpbx_api_key");
  const sign = one("sign");
  const json = one("json");
  return apiKey === undefined || sign === undefined || json === undefined ? null : { apiKey, sign, json };
}

/** A signed form body for a request to Mango: `json` is compact (PDF §2.4.4: no added spaces or newlines). */
export function encodeMangoForm(payload: unknown, apiKey: string, apiSalt: string): string {
  const json = JSON.stringify(payload);
  return new URLSearchParams({
    vpbx_api_key: apiKey,
    sign: signMango(apiKey, json, apiSalt),
    json,
  }).toString();
}
