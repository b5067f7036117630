import type { FastifyInstance } from "fastify";
import { AppError } from "./errors.ts";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Per-user limit on writes (requests per minute), checked after authentication so the key is the user, not
 * the address: an office behind one NAT shares an IP, and a runaway script with one token cannot flood the
 * database. Counters live in each instance's memory, so with N instances the effective limit is up to N×.
 */
export function registerWriteRateLimit(app: FastifyInstance, perMinute: number): void {
  const check = app.createRateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `write:${req.principalOrNull?.userId ?? req.ip}`,
  });
  app.addHook("preHandler", async (req, reply) => {
    if (!WRITE_METHODS.has(req.method) || !req.principalOrNull) {
      return;
    }
    const limit = await check(req);
    if (!limit.isAllowed && limit.isExceeded) {
      void reply.header("retry-after", String(limit.ttlInSeconds));
      throw new AppError(429, "rate_limited", `too many changes: at most ${perMinute} per minute`);
    }
  });
}
