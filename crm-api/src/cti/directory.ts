import { Permissions, RoleCode } from "@okno/contracts";
import type { Db } from "@okno/db";
import type { Knex } from "knex";
import { AUTH_CHANNEL } from "../auth/plugin.ts";
import type { CallUser } from "./context.ts";

/** NOTIFY channel on which instances tell each other that queues, CTI settings or users changed. */
export const DIRECTORY_CHANNEL = "okno_cti_directory";

// A bound on staleness should a notice be lost (NOTIFY is not durable: a listener reconnecting misses it).
const TTL_MS = 60_000;
// An extension nobody has may be a user created behind the API's back (a seed, a script): look again,
// but at most this often, so a call from an unknown extension cannot turn every event into a reload.
const MISS_RELOAD_MS = 1_000;

/**
 * The call centre as the CTI sees it: active users by extension and id, queues, CTI settings and the
 * owners of last resort. Every call event needs it and it changes a few times a day, so it is read once
 * and kept, not rebuilt with joins in each call's transaction (bench:cti: that was a tenth of the work).
 */
export interface Directory {
  byExt: ReadonlyMap<string, CallUser>;
  byId: ReadonlyMap<string, CallUser>;
  queues: ReadonlyMap<string, { supervisorId: string | null; memberIds: string[] }>;
  /** Raw `settings` rows under "cti.", by key. */
  settings: Record<string, unknown>;
  /** The configured default owner, when an active user. */
  defaultOwnerId: string | null;
  /** The oldest active administrator. */
  adminId: string | null;
}

const DIRECTORY_SQL = `
select
  (select coalesce(json_agg(x), '[]') from (
     select u.id, u.login, u.full_name, u.role_code, u.department_id, d.path as department_path,
            u.extension, r.permissions
       from users u join departments d on d.id = u.department_id join roles r on r.code = u.role_code
      where u.is_active) x) as users,
  (select coalesce(json_agg(x), '[]') from (
     select q.name, q.supervisor_id,
            coalesce((select json_agg(m.user_id) from cti_queue_members m where m.queue = q.name), '[]') as member_ids
       from cti_queues q) x) as queues,
  (select coalesce(json_object_agg(st.key, st.value), '{}') from settings st where st.key like 'cti.%') as settings,
  (select a.id from users a where a.role_code = 'admin' and a.is_active order by a.created_at, a.id limit 1) as admin_id`;

interface DirectoryRow {
  users: {
    id: string;
    login: string;
    full_name: string;
    role_code: string;
    department_id: string;
    department_path: string;
    extension: string | null;
    permissions: unknown;
  }[];
  queues: { name: string; supervisor_id: string | null; member_ids: string[] }[];
  settings: Record<string, unknown>;
  admin_id: string | null;
}

async function readDirectory(db: Knex | Knex.Transaction): Promise<Directory> {
  const row = (await db.raw<{ rows: DirectoryRow[] }>(DIRECTORY_SQL)).rows[0]!;
  const users: CallUser[] = row.users.map((u) => ({
    userId: u.id,
    login: u.login,
    fullName: u.full_name,
    role: RoleCode.parse(u.role_code),
    departmentId: u.department_id,
    departmentPath: u.department_path,
    extension: u.extension,
    permissions: Permissions.parse(u.permissions),
    via: "cti",
  }));
  const byId = new Map(users.map((u) => [u.userId, u]));
  const active = (id: string | null) => (id !== null && byId.has(id) ? id : null);
  const defaultOwner = row.settings["cti.defaultOwnerId"];
  return {
    byExt: new Map(users.filter((u) => u.extension !== null).map((u) => [u.extension!, u])),
    byId,
    queues: new Map(
      row.queues.map((q) => [q.name, { supervisorId: active(q.supervisor_id), memberIds: q.member_ids }]),
    ),
    settings: row.settings,
    defaultOwnerId: typeof defaultOwner === "string" ? active(defaultOwner) : null,
    adminId: row.admin_id,
  };
}

class DirectoryCache {
  private entry: { loadedAt: number; directory: Directory } | null = null;
  private generation = 0;

  /** The directory; read again when stale, or when `exts` name an extension it lacks. */
  async get(db: Knex | Knex.Transaction, exts: readonly string[]): Promise<Directory> {
    const hit = this.entry;
    const age = hit ? Date.now() - hit.loadedAt : Infinity;
    const missing = hit !== null && exts.some((ext) => !hit.directory.byExt.has(ext));
    if (hit && age < TTL_MS && !(missing && age >= MISS_RELOAD_MS)) {
      return hit.directory;
    }
    // A load that raced a change must not cache what it read before the change.
    const generation = this.generation;
    const directory = await readDirectory(db);
    if (generation === this.generation) {
      this.entry = { loadedAt: Date.now(), directory };
    }
    return directory;
  }

  clear(): void {
    this.generation += 1;
    this.entry = null;
  }
}

// One cache per database handle, keyed like the field definitions' (fields/cache.ts): a transaction
// shares its knex's client config.
const caches = new WeakMap<object, DirectoryCache>();

function cacheOf(db: Knex | Knex.Transaction): DirectoryCache {
  const key = (db.client as { config: object }).config;
  let cache = caches.get(key);
  if (!cache) {
    cache = new DirectoryCache();
    caches.set(key, cache);
  }
  return cache;
}

/** Drops this instance's directory now (users, roles or departments changed: auth/service.ts). */
export function forgetDirectory(db: Knex | Knex.Transaction): void {
  cacheOf(db).clear();
}

export function loadDirectory(db: Knex | Knex.Transaction, exts: readonly string[]): Promise<Directory> {
  return cacheOf(db).get(db, exts);
}

/** Tells every instance, this one at once, to read the directory again. Call it after the change commits. */
export async function announceDirectoryChange(db: Knex): Promise<void> {
  cacheOf(db).clear();
  await db.raw("select pg_notify(?, '')", [DIRECTORY_CHANNEL]);
}

/**
 * Keeps this instance's directory in step with every instance's changes: queues and settings announce
 * themselves here; users, roles and departments through the sign-in cache's channel, which says the same.
 */
export async function listenForDirectoryChanges(db: Db): Promise<() => Promise<void>> {
  const clear = () => cacheOf(db.knex).clear();
  const stops = [await db.listen(DIRECTORY_CHANNEL, clear), await db.listen(AUTH_CHANNEL, clear)];
  return async () => {
    for (const stop of stops) {
      await stop();
    }
  };
}
