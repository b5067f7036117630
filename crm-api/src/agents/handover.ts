import type { CallCardContact, CallHandover, CallHandoverPush } from "@okno/contracts";
import type { Knex } from "knex";
import { assertRecordInScope } from "../access/scope.ts";
import { auditChange } from "../audit/recordAudit.ts";
import { findPrincipalByUserId } from "../auth/repo.ts";
import type { Principal } from "../auth/principal.ts";
import type { Call } from "../cti/callState.ts";
import { cardFor, loadCardData } from "../cti/card.ts";
import { badRequest, forbidden, notFound } from "../errors.ts";
import { findInteractionRowById, findPrimaryCompanyId, toInteraction } from "../interactions/repo.ts";
import { publishChange } from "../realtime/publishChange.ts";
import { encodeNotice, publishToUsers } from "../realtime/publishToUsers.ts";

export interface CallRowLite {
  id: string;
  owner_id: string;
  contact_id: string | null;
  lead_id: string | null;
  ended_at: Date | null;
  call: Call;
}

export async function findCallByCallId(db: Knex, callId: string): Promise<CallRowLite | undefined> {
  return db("interactions")
    .where({ call_id: callId, channel: "call" })
    .first<CallRowLite | undefined>(
      "id",
      "owner_id",
      "contact_id",
      "lead_id",
      "ended_at",
      db.raw("payload->'call' as call"),
    );
}

/** Extensions that answered the call at some point: who may hand it over or wrap it up as its agent. */
export function answeredExts(call: Call): string[] {
  const exts = [
    call.firstAnswer?.ext,
    call.lastAnswer?.ext,
    ...Object.values(call.legs)
      .filter((l) => l.answeredAt !== null)
      .map((l) => l.agentExt),
  ];
  return [...new Set(exts.filter((e): e is string => typeof e === "string"))];
}

async function findTarget(db: Knex, input: CallHandover): Promise<Principal> {
  const row = await db("users")
    .where("is_active", true)
    .andWhere(input.toUserId ? { id: input.toUserId } : { extension: input.toExtension })
    .first<{ id: string } | undefined>("id");
  const target = row ? await findPrincipalByUserId(db, row.id) : null;
  if (!target) {
    const field = input.toUserId ? "body.toUserId" : "body.toExtension";
    throw badRequest("no such colleague", { [field]: "no active user" });
  }
  return target;
}

/** The card cut to the NOTIFY limit: the history goes first, then tasks, then deals. */
function fitted(handover: CallHandoverPush, userId: string): CallHandoverPush {
  const fits = (h: CallHandoverPush) =>
    encodeNotice({ userIds: [userId], message: { type: "call.handover", handover: h } }).fits;
  let contact = handover.card.contact;
  for (const list of ["interactions", "tasks", "deals"] as const) {
    if (fits({ ...handover, card: { contact } }) || !contact || contact.hidden) {
      break;
    }
    contact = { ...contact, [list]: [] };
  }
  return { ...handover, card: { contact } };
}

/** Files the agent's note on the client's timeline, linked to the call by its payload. */
async function fileNote(
  trx: Knex.Transaction,
  p: Principal,
  target: Principal,
  link: { contactId: string | null; leadId: string | null; callId: string | null },
  note: string,
): Promise<string | null> {
  if (!link.contactId && !link.leadId) {
    return null;
  }
  const companyId = link.contactId ? await findPrimaryCompanyId(trx, link.contactId) : null;
  const [row] = await trx("interactions")
    .insert({
      channel: "note",
      subject: `Передача звонка: ${target.fullName}`.slice(0, 500),
      body: note,
      payload: JSON.stringify({ kind: "handover", callId: link.callId, toUserId: target.userId }),
      contact_id: link.contactId,
      company_id: companyId,
      lead_id: link.leadId,
      owner_id: p.userId,
      created_by: p.userId,
    })
    .returning<{ id: string }[]>("id");
  const id = row!.id;
  await publishChange(trx, { entity: "interactions", id, action: "created", ownerIds: [p.userId] });
  await auditChange(trx, p, "interactions", null, toInteraction((await findInteractionRowById(trx, id))!));
  return id;
}

/**
 * Warm transfer: the colleague's desktop gets the client's card (cut to their scope) and the first
 * agent's note, and the note goes on the client's timeline. Only an agent on the call may hand it over.
 */
export async function handOver(db: Knex, p: Principal, input: CallHandover) {
  const target = await findTarget(db, input);
  if (target.userId === p.userId) {
    throw badRequest("you cannot hand a call to yourself", { "body.toUserId": "is you" });
  }
  const call = input.callId ? await findCallByCallId(db, input.callId) : undefined;
  if (input.callId && !call) {
    throw notFound("call");
  }
  if (call && (!p.extension || !answeredExts(call.call).includes(p.extension))) {
    throw forbidden("only an agent on the call may hand it over");
  }
  if (input.contactId) {
    await assertRecordInScope(db, p, "contacts", "contacts", input.contactId, notFound("contact"));
  }
  const contactId = input.contactId ?? call?.contact_id ?? null;
  const data = contactId ? await loadCardData(db, contactId, input.callId ?? "") : null;
  const contact: CallCardContact | null = data ? cardFor(target, data) : null;
  return db.transaction(async (trx) => {
    const link = { contactId, leadId: call?.lead_id ?? null, callId: input.callId ?? null };
    const noteInteractionId = await fileNote(trx, p, target, link, input.note);
    const handover = fitted(
      {
        callId: input.callId ?? null,
        interactionId: call?.id ?? null,
        from: { userId: p.userId, fullName: p.fullName, extension: p.extension },
        note: input.note.slice(0, 1500),
        card: { contact },
        at: new Date().toISOString(),
      },
      target.userId,
    );
    await publishToUsers(trx, [{ userIds: [target.userId], message: { type: "call.handover", handover } }]);
    return { toUserId: target.userId, noteInteractionId };
  });
}
