import { ChangeAction, Id, ScopedEntity } from "@okno/contracts";
import type { Knex } from "knex";
import { z } from "zod";
import { preparedRaw } from "../prepared.ts";
import {
  noticeTexts,
  USER_MESSAGES_CHANNEL,
  USER_NOTICES_SQL,
  type UserMessageNotice,
} from "./publishToUsers.ts";

/** NOTIFY channel on which every instance hears about changed records. */
export const CHANGES_CHANNEL = "okno_changes";

export interface EntityChange {
  entity: ScopedEntity;
  id: string;
  action: ChangeAction;
  /** Responsible users before and after the change: whoever could see either version is told. */
  ownerIds: string[];
}

/**
 * What travels through NOTIFY: the change plus each owner's department path, so listeners need no query.
 * Listeners parse it with this schema: a notice is input from outside the process like any other.
 */
export const ChangeNotice = z.object({
  entity: ScopedEntity,
  id: Id,
  action: ChangeAction,
  /** `now()` of the transaction, as PostgreSQL writes a timestamptz in JSON (offset, microseconds). */
  at: z.iso.datetime({ offset: true }),
  owners: z.array(z.object({ userId: Id, departmentPath: z.string().nullable() })),
});
export type ChangeNotice = z.infer<typeof ChangeNotice>;

const CHANGE_SQL = `pg_notify(?, json_build_object(
  'entity', ?::text, 'id', ?::text, 'action', ?::text, 'at', now(),
  'owners', coalesce((select json_agg(json_build_object('userId', u.id, 'departmentPath', d.path))
                      from users u join departments d on d.id = u.department_id
                      where u.id = any(?::uuid[])), '[]'::json))::text)`;

/**
 * Announces a change to every crm-api instance. Call it with the transaction that made the change:
 * PostgreSQL delivers NOTIFY only on commit, so a rolled-back change is never announced. Messages
 * for particular users that go with the change (a call's pushes) can ride in the same statement.
 */
export async function publishChange(
  db: Knex | Knex.Transaction,
  change: EntityChange,
  toUsers: readonly UserMessageNotice[] = [],
): Promise<void> {
  const { sql, bindings } = publishingSql(change, toUsers);
  await preparedRaw(
    db,
    toUsers.length === 0 ? "publish_change" : "publish_change_users",
    `select ${sql}`,
    bindings,
  );
}

/**
 * What publishChange sends, as select-list expressions with their positional bindings, for a statement
 * that also writes the change (cti/repo.ts): one round trip instead of two.
 */
export function publishingSql(
  change: EntityChange,
  toUsers: readonly UserMessageNotice[],
): { sql: string; bindings: Knex.RawBinding[] } {
  const bindings = [CHANGES_CHANNEL, change.entity, change.id, change.action, [...new Set(change.ownerIds)]];
  if (toUsers.length === 0) {
    return { sql: CHANGE_SQL, bindings };
  }
  return {
    sql: `${CHANGE_SQL}, ${USER_NOTICES_SQL}`,
    bindings: [...bindings, USER_MESSAGES_CHANNEL, noticeTexts(toUsers)],
  };
}
