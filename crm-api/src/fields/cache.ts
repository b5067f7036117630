import type { FieldDefinition, FieldEntity } from "@okno/contracts";
import type { Db } from "@okno/db";
import type { Knex } from "knex";
import { listDefinitionRows, toFieldDefinition } from "./repo.ts";

/** NOTIFY channel on which instances tell each other that field definitions changed (payload: the entity). */
export const FIELDS_CHANNEL = "okno_fields";

// A bound on staleness should a notice be lost (NOTIFY is not durable: a listener reconnecting misses it).
const TTL_MS = 60_000;

/**
 * Definitions by entity: every write and every form needs them, and they change a few times a year. A
 * change clears the cache of the instance that made it at once and, through NOTIFY, of every other one.
 * The generation counter keeps a load that raced a change from caching what it read before the change.
 */
class FieldCache {
  private entries = new Map<FieldEntity, { loadedAt: number; definitions: FieldDefinition[] }>();
  private generation = 0;

  async get(db: Knex | Knex.Transaction, entity: FieldEntity): Promise<FieldDefinition[]> {
    const hit = this.entries.get(entity);
    if (hit && Date.now() - hit.loadedAt < TTL_MS) {
      return hit.definitions;
    }
    const generation = this.generation;
    const definitions = (await listDefinitionRows(db, entity)).map(toFieldDefinition);
    if (generation === this.generation) {
      this.entries.set(entity, { loadedAt: Date.now(), definitions });
    }
    return definitions;
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}

// One cache per database handle. Keyed by the knex client's config object, which a transaction shares with
// the knex it came from, so loading inside a transaction (as PGlite's single connection requires) and
// outside it reach the same cache.
const caches = new WeakMap<object, FieldCache>();

function cacheOf(db: Knex | Knex.Transaction): FieldCache {
  const key = (db.client as { config: object }).config;
  let cache = caches.get(key);
  if (!cache) {
    cache = new FieldCache();
    caches.set(key, cache);
  }
  return cache;
}

/** An entity's field definitions in form order, hidden ones included. */
export function loadDefinitions(
  db: Knex | Knex.Transaction,
  entity: FieldEntity,
): Promise<FieldDefinition[]> {
  return cacheOf(db).get(db, entity);
}

/** Tells every instance to reload definitions; PostgreSQL delivers it when the transaction commits. */
export async function announceFieldChange(trx: Knex.Transaction, entity: FieldEntity): Promise<void> {
  await trx.raw("select pg_notify(?, ?)", [FIELDS_CHANNEL, entity]);
}

/** Drops this instance's cached definitions now, without waiting for its own notice. */
export function forgetDefinitions(db: Knex): void {
  cacheOf(db).clear();
}

/** Keeps this instance's cache in step with changes made through any instance; resolves to unlisten. */
export function listenForFieldChanges(db: Db): Promise<() => Promise<void>> {
  return db.listen(FIELDS_CHANNEL, () => cacheOf(db.knex).clear());
}
