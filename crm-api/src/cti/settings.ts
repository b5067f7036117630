import { CtiSettings, type CtiQueue, type CtiQueuePut, type CtiSettingsUpdate } from "@okno/contracts";
import type { Knex } from "knex";

/** Each setting is one row of `settings`, under this key. */
const KEYS = {
  createLeadForUnknown: "cti.createLeadForUnknown",
  defaultOwnerId: "cti.defaultOwnerId",
  callTrackingKeys: "cti.callTrackingKeys",
  leaseMinutes: "cti.leaseMinutes",
  acwSeconds: "cti.acwSeconds",
} as const satisfies Record<keyof CtiSettings, string>;

export const DEFAULT_CTI_SETTINGS: CtiSettings = {
  createLeadForUnknown: false,
  defaultOwnerId: null,
  callTrackingKeys: [],
  leaseMinutes: 30,
  acwSeconds: 60,
};

/**
 * Settings from raw `settings` rows (key → JSON). A value that no longer fits its schema (edited by
 * hand in the database) falls back to the default rather than breaking every call.
 */
export function ctiSettingsFrom(rows: Record<string, unknown>): CtiSettings {
  const settings: Record<string, unknown> = { ...DEFAULT_CTI_SETTINGS };
  for (const key of Object.keys(KEYS) as (keyof CtiSettings)[]) {
    const parsed = CtiSettings.shape[key].safeParse(rows[KEYS[key]]);
    if (parsed.success) {
      settings[key] = parsed.data;
    }
  }
  return settings as CtiSettings;
}

export async function readCtiSettings(db: Knex | Knex.Transaction): Promise<CtiSettings> {
  const rows = await db("settings").where("key", "like", "cti.%").select<{ key: string; value: unknown }[]>();
  return ctiSettingsFrom(Object.fromEntries(rows.map((r) => [r.key, r.value])));
}

export async function writeCtiSettings(db: Knex.Transaction, update: CtiSettingsUpdate): Promise<void> {
  for (const [field, value] of Object.entries(update) as [keyof CtiSettings, unknown][]) {
    if (value === undefined) {
      continue;
    }
    await db("settings")
      .insert({ key: KEYS[field], value: JSON.stringify(value) })
      .onConflict("key")
      .merge({ value: JSON.stringify(value), updated_at: db.fn.now() });
  }
}

export async function listQueues(db: Knex): Promise<CtiQueue[]> {
  const rows = await db("cti_queues as q")
    .select(
      "q.name",
      "q.supervisor_id",
      db.raw(`coalesce((select json_agg(m.user_id order by m.user_id) from cti_queue_members m
                         where m.queue = q.name), '[]') as member_ids`),
    )
    .orderBy("q.name")
    .then((r: { name: string; supervisor_id: string | null; member_ids: string[] }[]) => r);
  return rows.map((r) => ({ name: r.name, supervisorId: r.supervisor_id, memberIds: r.member_ids }));
}

/** Creates or replaces a queue with its whole member list. */
export async function putQueue(db: Knex.Transaction, name: string, input: CtiQueuePut): Promise<void> {
  await db("cti_queues")
    .insert({ name, supervisor_id: input.supervisorId })
    .onConflict("name")
    .merge({ supervisor_id: input.supervisorId, updated_at: db.fn.now() });
  await db("cti_queue_members").where("queue", name).delete();
  const members = [...new Set(input.memberIds)];
  if (members.length > 0) {
    await db("cti_queue_members").insert(members.map((user_id) => ({ queue: name, user_id })));
  }
}

export async function deleteQueue(db: Knex, name: string): Promise<number> {
  return db("cti_queues").where("name", name).delete();
}
