import { Id, ServerMessage } from "@okno/contracts";
import type { Knex } from "knex";
import { z } from "zod";
import { preparedRaw } from "../prepared.ts";

/** NOTIFY channel of messages addressed to particular users (a call ringing them), on any instance. */
export const USER_MESSAGES_CHANNEL = "okno_user_messages";

/** What travels through NOTIFY; the hub parses it like any input from outside the process. */
export const UserMessageNotice = z.object({ userIds: z.array(Id).min(1), message: ServerMessage });
export type UserMessageNotice = z.infer<typeof UserMessageNotice>;

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
export const MAX_NOTICE_BYTES = 7900;

/** The notice as it would be sent, and whether it fits in one NOTIFY. */
export function encodeNotice(notice: UserMessageNotice): { text: string; fits: boolean } {
  const text = JSON.stringify(notice);
  return { text, fits: Buffer.byteLength(text, "utf8") <= MAX_NOTICE_BYTES };
}

/**
 * Sends each message to its users' sockets on every crm-api instance, all in one statement. Inside a
 * transaction the messages leave on commit (and never, on rollback), like publishChange. A notice
 * that does not fit throws: callers shrink their messages first (see encodeNotice).
 */
export async function publishToUsers(
  db: Knex | Knex.Transaction,
  notices: readonly UserMessageNotice[],
): Promise<void> {
  if (notices.length === 0) {
    return;
  }
  await preparedRaw(db, "publish_to_users", `select ${USER_NOTICES_SQL}`, [
    USER_MESSAGES_CHANNEL,
    noticeTexts(notices),
  ]);
}

/** The notices as NOTIFY payloads; one that does not fit throws. */
export function noticeTexts(notices: readonly UserMessageNotice[]): string[] {
  return notices.map((n) => {
    const { text, fits } = encodeNotice(n);
    if (!fits) {
      throw new Error(`a ${n.message.type} notice is too large for NOTIFY`);
    }
    return text;
  });
}

/** An SQL expression that sends the texts (second binding) on the channel (first binding), in order. */
export const USER_NOTICES_SQL = `(select count(*) from (
  select pg_notify(?, t) from unnest(?::text[]) with ordinality as m(t, n) order by n) sent)`;
