import { createHmac } from "node:crypto";

/**
 * Kamailio auth_ephemeral credentials (username_format 1): `<unix expiry>:<user>` and
 * base64(HMAC-SHA1(secret, username)). crm-api issues the same for agents; the test makes its own for
 * the external caller, who has no crm-api account.
 */
export function ephemeralCredentials(
  secret: string,
  user: string,
  ttlSeconds = 3600,
): { username: string; password: string } {
  const username = `${Math.floor(Date.now() / 1000) + ttlSeconds}:${user}`;
  return { username, password: createHmac("sha1", secret).update(username).digest("base64") };
}
