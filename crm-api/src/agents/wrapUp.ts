import type { WrapUp, WrapUpResult } from "@okno/contracts";
import type { Knex } from "knex";
import { canSee } from "../access/scope.ts";
import { recordAudit, actorOf } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { iso } from "../cursor.ts";
import { agentOf, type Call } from "../cti/callState.ts";
import { createDeal } from "../deals/service.ts";
import { AppError, badRequest, conflict, forbidden, notFound } from "../errors.ts";
import { publishChange } from "../realtime/publishChange.ts";
import { createTask } from "../tasks/service.ts";
import { endAcwOnWrapUp } from "./acw.ts";
import { answeredExts } from "./handover.ts";
import { watchesAgents } from "./state.ts";

interface CallInteraction {
  id: string;
  channel: string;
  owner_id: string;
  owner_path: string;
  contact_id: string | null;
  lead_id: string | null;
  source_id: string | null;
  number: string | null;
  call: Call | null;
}

async function loadCall(db: Knex, id: string): Promise<CallInteraction> {
  const row = await db("interactions as i")
    .join("users as u", "u.id", "i.owner_id")
    .join("departments as d", "d.id", "u.department_id")
    .where("i.id", id)
    .first<CallInteraction | undefined>(
      "i.id",
      "i.channel",
      "i.owner_id",
      "d.path as owner_path",
      "i.contact_id",
      "i.lead_id",
      "i.source_id",
      db.raw("i.payload->>'number' as number"),
      db.raw("i.payload->'call' as call"),
    );
  if (!row) {
    throw notFound("interaction");
  }
  if (row.channel !== "call" || !row.call) {
    throw conflict("only a call from the PBX can be wrapped up");
  }
  return row;
}

/** The agent who took the call, or a supervisor who sees it. */
function assertMayWrapUp(p: Principal, row: CallInteraction): void {
  const isAgent = p.extension !== null && answeredExts(row.call!).includes(p.extension);
  const owner = { userId: row.owner_id, departmentPath: row.owner_path };
  if (isAgent || row.owner_id === p.userId || (watchesAgents(p) && canSee(p, "interactions", owner))) {
    return;
  }
  throw forbidden("only the agent of the call or their supervisor may wrap it up");
}

async function assertInput(db: Knex, row: CallInteraction, input: WrapUp): Promise<void> {
  const fields: Record<string, string> = {};
  const next = input.next;
  if (next && next.kind !== "deal" && !next.dueAt) {
    fields["body.next.dueAt"] = `required for a ${next.kind}`;
  }
  if (next?.kind === "callback" && !row.number) {
    fields["body.next.kind"] = "the call has no outside number to call back";
  }
  if ((input.sourceId || input.sourceConfirmed) && !row.contact_id) {
    fields[input.sourceId ? "body.sourceId" : "body.sourceConfirmed"] = "the call has no contact";
  }
  if (input.sourceId && !(await db("sources").where("id", input.sourceId).first("id"))) {
    fields["body.sourceId"] = "no such source";
  }
  if (Object.keys(fields).length > 0) {
    throw badRequest(Object.values(fields).join("; "), fields);
  }
}

/** Errors of the task and deal services name `body.x`; here the same fields sit under `body.next`. */
async function underNext<T>(make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (err) {
    if (err instanceof AppError && err.fields) {
      const fields = Object.fromEntries(
        Object.entries(err.fields).map(([k, v]) => [k.replace(/^body\./, "body.next."), v]),
      );
      throw new AppError(err.status, err.code, err.message, fields);
    }
    throw err;
  }
}

/** How long before a callback's due time its reminder rings. */
const CALLBACK_REMIND_MS = 5 * 60_000;

async function createNext(trx: Knex.Transaction, p: Principal, row: CallInteraction, input: WrapUp) {
  const next = input.next;
  if (!next) {
    return null;
  }
  const links = { contactId: row.contact_id, leadId: row.lead_id, ownerId: row.owner_id };
  if (next.kind === "deal") {
    const deal = await underNext(() =>
      createDeal(trx, p, {
        title: next.title ?? "Сделка по звонку",
        pipelineId: next.pipelineId,
        stageId: next.stageId,
        amount: next.amount,
        contactId: row.contact_id,
        sourceId: input.sourceId ?? row.source_id,
        ownerId: row.owner_id,
      }),
    );
    return { kind: next.kind, id: deal.id };
  }
  const dueAt = next.dueAt!;
  const remindAt = new Date(Math.max(Date.now(), Date.parse(dueAt) - CALLBACK_REMIND_MS));
  const task = await underNext(() =>
    createTask(trx, p, {
      ...links,
      type: next.kind === "callback" ? "callback" : "task",
      title: next.title ?? (next.kind === "callback" ? "Перезвонить клиенту" : "Задача по звонку"),
      status: "open",
      dueAt,
      ...(next.kind === "callback" ? { phone: row.number, remindAt: remindAt.toISOString() } : {}),
    }),
  );
  return { kind: next.kind, id: task.id };
}

/** The contact's source: set to what the agent learned, and marked as checked by a person. */
async function confirmSource(trx: Knex.Transaction, p: Principal, contactId: string, input: WrapUp) {
  if (!input.sourceId && !input.sourceConfirmed) {
    return;
  }
  const before = await trx("contacts")
    .where("id", contactId)
    .forUpdate()
    .first<{ owner_id: string; source_id: string | null; source_confirmed: boolean }>(
      "owner_id",
      "source_id",
      "source_confirmed",
    );
  const after = { source_id: input.sourceId ?? before.source_id, source_confirmed: true };
  await trx("contacts")
    .where("id", contactId)
    .update({ ...after, updated_at: trx.fn.now() });
  await publishChange(trx, {
    entity: "contacts",
    id: contactId,
    action: "updated",
    ownerIds: [before.owner_id],
  });
  await recordAudit(trx, actorOf(p), {
    entity: "contacts",
    recordId: contactId,
    action: "update",
    before: { sourceId: before.source_id, isSourceConfirmed: before.source_confirmed },
    after: { sourceId: after.source_id, isSourceConfirmed: true },
    meta: { reason: "call wrap-up" },
  });
}

/**
 * Saves the agent's outcome of a call in one transaction: the call's disposition, note and source, the
 * contact's confirmed source, the next step (task, callback with a reminder, or deal), and the end of
 * the agent's after-call work.
 */
export async function wrapUpCall(db: Knex, p: Principal, id: string, input: WrapUp): Promise<WrapUpResult> {
  const row = await loadCall(db, id);
  assertMayWrapUp(p, row);
  await assertInput(db, row, input);
  return db.transaction(async (trx) => {
    const [saved] = await trx("interactions")
      .where("id", id)
      .update({
        disposition: input.result,
        ...(input.note ? { body: input.note } : {}),
        ...(input.sourceId ? { source_id: input.sourceId } : {}),
        wrapped_up_at: trx.fn.now(),
        wrapped_up_by: p.userId,
        updated_at: trx.fn.now(),
      })
      .returning<{ wrapped_up_at: Date }[]>("wrapped_up_at");
    await publishChange(trx, { entity: "interactions", id, action: "updated", ownerIds: [row.owner_id] });
    await recordAudit(trx, actorOf(p), {
      entity: "interactions",
      recordId: id,
      action: "update",
      after: { disposition: input.result, body: input.note ?? null, sourceId: input.sourceId ?? null },
      meta: { reason: "call wrap-up" },
    });
    if (row.contact_id) {
      await confirmSource(trx, p, row.contact_id, input);
    }
    const next = await createNext(trx, p, row, input);
    const agentExt = agentOf(row.call!);
    const agent = agentExt
      ? await trx("users").where("extension", agentExt).first<{ id: string } | undefined>("id")
      : undefined;
    const agentState = await endAcwOnWrapUp(trx, agent?.id ?? row.owner_id, id);
    return {
      interactionId: id,
      result: input.result,
      wrappedUpAt: iso(saved!.wrapped_up_at),
      next,
      agentState,
    };
  });
}
