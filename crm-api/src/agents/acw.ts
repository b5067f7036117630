import { Id } from "@okno/contracts";
import type { Knex } from "knex";
import { z } from "zod";
import { enqueue } from "../jobs/queue.ts";
import type { JobHandler } from "../jobs/worker.ts";
import { setAgentState } from "./state.ts";

/** Job kind that ends one agent's after-call work when its time is up. */
export const ACW_END_JOB = "agent.acwEnd";

const AcwEndPayload = z.object({ userId: Id, since: z.iso.datetime({ offset: true }) });

/**
 * An answered call of this agent ended: after-call work starts, and a durable job ends it after
 * `acwSeconds` unless the wrap-up is saved first. Not for a paused agent (their pause stands), nor when
 * acw is switched off (0 s). The caller skips a call already wrapped up while it lasted (cti/service.ts).
 */
export async function enterAcw(
  trx: Knex.Transaction,
  input: { userId: string; interactionId: string; acwSeconds: number },
): Promise<void> {
  if (input.acwSeconds <= 0) {
    return;
  }
  const { after, changed } = await setAgentState(trx, {
    userId: input.userId,
    state: "acw",
    cause: "call",
    interactionId: input.interactionId,
    onlyFrom: ["available", "acw", "offline"],
  });
  if (!changed) {
    return;
  }
  const runAt = new Date(Date.parse(after.since) + input.acwSeconds * 1000);
  await enqueue(trx, ACW_END_JOB, { userId: input.userId, since: after.since }, { runAt });
}

/** The acw timeout: back to available, unless the agent has moved on since (wrap-up, pause, a new acw). */
export const endAcwJob: JobHandler = async (payload, { db }) => {
  const { userId, since } = AcwEndPayload.parse(payload);
  // setAgentState locks the user's row first, as the CTI path does: the two never deadlock.
  await db.transaction((trx) =>
    setAgentState(trx, { userId, state: "available", cause: "timeout", onlyFrom: ["acw"], onlySince: since }),
  );
};

/** Ends the agent's acw when a wrap-up is saved; returns the state after, or null when it did not change. */
export async function endAcwOnWrapUp(trx: Knex.Transaction, userId: string, interactionId: string) {
  const { after, changed } = await setAgentState(trx, {
    userId,
    state: "available",
    cause: "wrap-up",
    interactionId,
    onlyFrom: ["acw"],
  });
  return changed ? after : null;
}
