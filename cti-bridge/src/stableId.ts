import { createHash } from "node:crypto";

/** Namespaces of the stable event ids, one per adapter so that equal names never collide across PBXs. */
export const EVENT_ID_NAMESPACES = {
  mango: "8c1d3f7e-5a52-4b8e-9a61-0f3c2d4e5b6a",
  genesys: "2b7e9c41-0d6f-4e3a-8b25-6a1c9d8e7f30",
} as const;

/**
 * A name-based UUID, version 5 (RFC 9562 §5.5: SHA-1 over namespace + name). The same fact about the
 * same call always gets the same id, so a webhook Mango retries, or a notification Genesys repeats on
 * two topics, is a no-op for crm-api, which is idempotent by event id (ARCHITECTURE §2).
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
