import { createHash, randomBytes } from "node:crypto";

/** A new opaque token: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What the database keeps instead of the token: a stolen table yields no usable session. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
