import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import { IceServer, type SipCredentials } from "@okno/contracts";
import type { Knex } from "knex";
import { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import type { Config } from "../config.ts";
import { AppError, conflict } from "../errors.ts";

/** Ephemeral SIP credentials last this long; the desktop fetches new ones before they run out. */
export const EPHEMERAL_TTL_SEC = 12 * 3600;

/**
 * Kamailio auth_ephemeral (default `username_format=1`): the username is `<unix expiry>:<extension>`
 * and the password base64(HMAC-SHA1(secret, username)), so Kamailio checks it with the shared secret
 * alone and no SIP password is stored anywhere.
 */
export function ephemeralCredentials(secret: string, extension: string, nowMs = Date.now()) {
  const expiry = Math.floor(nowMs / 1000) + EPHEMERAL_TTL_SEC;
  const username = `${expiry}:${extension}`;
  const password = createHmac("sha1", secret).update(username).digest("base64");
  return { username, password, expiresAt: new Date(expiry * 1000).toISOString() };
}

/** `SIP_ICE_SERVERS`: a JSON array of RTCIceServer, or comma-separated URLs (`stun:stun.example.ru:3478`). */
export function parseIceServers(text: string | undefined): z.infer<typeof IceServer>[] {
  if (!text) {
    return [];
  }
  if (text.trim().startsWith("[")) {
    return z.array(IceServer).parse(JSON.parse(text));
  }
  return text
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u.length > 0)
    .map((urls) => ({ urls }));
}

const SEALED = "enc:v1:";
const keyOf = (secretKey: string) => createHash("sha256").update(secretKey).digest();

/**
 * A SIP password as stored: AES-256-GCM under `SIP_SECRET_KEY` when one is configured, otherwise as
 * given (the column is never listed, and the database is the system of record either way).
 */
export function sealSecret(plain: string, secretKey: string | undefined): string {
  if (!secretKey) {
    return plain;
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secretKey), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${SEALED}${[iv, cipher.getAuthTag(), data].map((b) => b.toString("base64url")).join(":")}`;
}

export function openSecret(stored: string, secretKey: string | undefined): string {
  if (!stored.startsWith(SEALED)) {
    return stored;
  }
  if (!secretKey) {
    throw conflict("the stored SIP password is encrypted, but SIP_SECRET_KEY is not set on this server");
  }
  const [iv, tag, data] = stored
    .slice(SEALED.length)
    .split(":")
    .map((p) => Buffer.from(p, "base64url"));
  const decipher = createDecipheriv("aes-256-gcm", keyOf(secretKey), iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(data!), decipher.final()]).toString("utf8");
}

/** What the softphone of this user registers with; 409 when SIP is not set up, 404 without an extension. */
export async function sipCredentialsFor(db: Knex, config: Config, p: Principal): Promise<SipCredentials> {
  const { wsUrl, domain, ephemeralSecret, secretKey } = config.sip;
  if (!wsUrl || !domain) {
    throw conflict("SIP is not configured on this server (SIP_WS_URL and SIP_DOMAIN)");
  }
  const user = await db("users")
    .where("id", p.userId)
    .first<{ extension: string | null; sip_secret: string | null }>("extension", "sip_secret");
  if (!user?.extension) {
    throw new AppError(404, "not_found", "you have no SIP extension; ask an administrator to give you one");
  }
  const base = {
    wsUri: wsUrl,
    domain,
    extension: user.extension,
    displayName: p.fullName,
    iceServers: parseIceServers(config.sip.iceServers),
  };
  if (ephemeralSecret) {
    const e = ephemeralCredentials(ephemeralSecret, user.extension);
    return { ...base, authorizationUsername: e.username, password: e.password, expiresAt: e.expiresAt };
  }
  if (!user.sip_secret) {
    throw conflict("no SIP password is set for you; ask an administrator");
  }
  const password = openSecret(user.sip_secret, secretKey);
  return { ...base, authorizationUsername: user.extension, password, expiresAt: null };
}
