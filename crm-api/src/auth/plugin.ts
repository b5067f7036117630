import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Db } from "@okno/db";
import { forbidden, unauthorized } from "../errors.ts";
import type { PrincipalCache } from "./cache.ts";
import type { Principal } from "./principal.ts";
import { findPrincipalByToken } from "./repo.ts";
import { hashToken } from "./tokens.ts";

export const SESSION_COOKIE = "okno_session";
/** NOTIFY channel on which instances tell each other to forget cached principals. */
export const AUTH_CHANNEL = "okno_auth";
/** AUTH_CHANNEL payload after a change that may touch anyone (a role's permissions, a department move). */
export const EVICT_ALL = "all";

declare module "fastify" {
  interface FastifyRequest {
    principalOrNull: Principal | null;
  }
  interface FastifyContextConfig {
    /** Route needs no authentication (login, health, webhooks with their own signatures). */
    public?: boolean;
  }
}

/** The token a request carries: `Authorization: Bearer …` first, then the session cookie. */
export function requestToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) {
    return header.slice(7).trim() || undefined;
  }
  return req.cookies[SESSION_COOKIE];
}

/** The authenticated principal; routes that are not public can rely on it. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principalOrNull) {
    throw unauthorized();
  }
  return req.principalOrNull;
}

export function requireAdmin(req: FastifyRequest): Principal {
  const p = principalOf(req);
  if (!p.permissions.canAdminister) {
    throw forbidden("administrator rights required");
  }
  return p;
}

export async function resolvePrincipal(
  db: Db,
  cache: PrincipalCache,
  token: string,
): Promise<Principal | null> {
  const tokenHash = hashToken(token);
  const cached = cache.get(tokenHash);
  if (cached) {
    return cached;
  }
  const principal = await findPrincipalByToken(db.knex, tokenHash);
  if (principal) {
    cache.set(tokenHash, principal);
  }
  return principal;
}

/** Authenticates every request; non-public routes get 401 without a valid session or token. */
export async function registerAuth(app: FastifyInstance, db: Db, cache: PrincipalCache): Promise<void> {
  app.decorateRequest("principalOrNull", null);
  app.addHook("onRequest", async (req) => {
    const url = req.routeOptions.url;
    // Unmatched routes fall through to the 404 handler; the OpenAPI UI and document are public.
    if (req.routeOptions.config.public || url === undefined || url.startsWith("/docs")) {
      return;
    }
    const token = requestToken(req);
    if (!token) {
      throw unauthorized();
    }
    const principal = await resolvePrincipal(db, cache, token);
    if (!principal) {
      throw unauthorized("session expired or token revoked");
    }
    // A per-request copy: the cached principal is shared between requests, the address is not.
    req.principalOrNull = { ...principal, ip: req.ip };
  });
  await db.listen(AUTH_CHANNEL, (payload) => {
    if (payload === EVICT_ALL) {
      cache.clear();
    } else if (payload.startsWith("user:")) {
      cache.evictUser(payload.slice(5));
    } else {
      cache.evictToken(payload);
    }
  });
}
