import type { FastifyBaseLogger } from "fastify";
import type { Knex } from "knex";
import { deleteOldEvents } from "./repo.ts";
import { deleteOldLeases } from "./tracking.ts";

/** How long event ids are remembered: longer than any bridge outage its spool would replay. */
const EVENT_DAYS = 7;
const LEASE_DAYS = 90;

/**
 * Keeps cti_events and tracking_leases small: every instance deletes old rows once an hour (deleting
 * what another instance already deleted costs nothing). Returns a stop function.
 */
export function startPruning(db: Knex, log: FastifyBaseLogger, intervalMs = 3600_000): () => void {
  const prune = async () => {
    try {
      const events = await deleteOldEvents(db, EVENT_DAYS);
      const leases = await deleteOldLeases(db, LEASE_DAYS);
      if (events + leases > 0) {
        log.info({ events, leases }, "old cti rows pruned");
      }
    } catch (err) {
      log.error({ err }, "cti pruning failed");
    }
  };
  const timer = setInterval(() => void prune(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
