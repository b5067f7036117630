import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Constant-time comparison of a presented secret with the expected one: both are hashed first, so the
 * time taken says nothing about the lengths or where they first differ. (crm-api has its own copy:
 * the two services never import each other.)
 */
export function isSameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The bearer token of an `Authorization` header, if any. */
export function bearerOf(header: string | undefined): string | undefined {
  return header?.startsWith("Bearer ") ? header.slice(7).trim() || undefined : undefined;
}
