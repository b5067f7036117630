import { formatPhone } from "@okno/contracts";
import type { Knex } from "knex";
import { recordAudit, type AuditActor } from "../audit/recordAudit.ts";
import { publishChange } from "../realtime/publishChange.ts";
import type { Attribution } from "./payload.ts";

/** Records the CTI creates or changes on its own: audited as the bridge, not as a user. */
const CTI_ACTOR: AuditActor = { userId: null, via: "cti", ip: null };

/** The first name of a contact created from an unknown number, until an agent learns the real one. */
export const UNKNOWN_CALLER_NAME = "Новый клиент";

/** Russian mobile numbers are +79…; anything else a caller rings from is most likely a desk phone. */
const phoneKindOf = (e164: string) => (e164.startsWith("+79") ? "mobile" : "work");

/**
 * Creates the contact of an unknown caller: «Новый клиент» with the number, the line's source, and
 * "source to be confirmed" set so someone checks it. Two statements would be two round trips; the
 * phone goes in with the contact through a data-modifying CTE.
 */
export async function createCallerContact(
  trx: Knex.Transaction,
  input: { number: string; ownerId: string; attribution: Attribution | null },
): Promise<string> {
  const sourceId = input.attribution?.sourceId ?? null;
  const result = await trx.raw<{ rows: { contact_id: string }[] }>(
    `with c as (insert into contacts (first_name, owner_id, source_id, source_confirmed)
                values (?, ?, ?, false) returning id)
     insert into contact_phones (contact_id, phone, kind) select id, ?, ? from c returning contact_id`,
    [UNKNOWN_CALLER_NAME, input.ownerId, sourceId, input.number, phoneKindOf(input.number)],
  );
  const id = result.rows[0]!.contact_id;
  await publishChange(trx, { entity: "contacts", id, action: "created", ownerIds: [input.ownerId] });
  await recordAudit(trx, CTI_ACTOR, {
    entity: "contacts",
    recordId: id,
    action: "create",
    after: { firstName: UNKNOWN_CALLER_NAME, phones: [input.number], ownerId: input.ownerId, sourceId },
    meta: { reason: "unknown caller" },
  });
  return id;
}

/** The lead «Входящий звонок +7 …» for an unknown caller, with the call's source and UTM marks. */
export async function createCallerLead(
  trx: Knex.Transaction,
  input: { number: string; contactId: string; ownerId: string; attribution: Attribution | null },
): Promise<string> {
  const a = input.attribution;
  const columns = {
    title: `Входящий звонок ${formatPhone(input.number)}`,
    phone: input.number,
    contact_id: input.contactId,
    owner_id: input.ownerId,
    source_id: a?.sourceId ?? null,
    campaign_id: a?.campaignId ?? null,
    utm_source: a?.utm?.utmSource ?? null,
    utm_medium: a?.utm?.utmMedium ?? null,
    utm_campaign: a?.utm?.utmCampaign ?? null,
    utm_content: a?.utm?.utmContent ?? null,
    utm_term: a?.utm?.utmTerm ?? null,
  };
  const [row] = await trx("leads").insert(columns).returning<{ id: string }[]>("id");
  const id = row!.id;
  await publishChange(trx, { entity: "leads", id, action: "created", ownerIds: [input.ownerId] });
  await recordAudit(trx, CTI_ACTOR, {
    entity: "leads",
    recordId: id,
    action: "create",
    after: { title: columns.title, phone: input.number, contactId: input.contactId, ownerId: input.ownerId },
    meta: { reason: "unknown caller" },
  });
  return id;
}

/**
 * An automatically created contact (and lead) went to a provisional owner while the call rang; the agent
 * who answers takes them, unless someone has already changed the owner or confirmed the source.
 */
export async function handOverCreated(
  trx: Knex.Transaction,
  created: { contactId: string; leadId: string | null; ownerId: string },
  newOwnerId: string,
): Promise<void> {
  const targets = [
    { entity: "contacts" as const, id: created.contactId, extra: { source_confirmed: false } },
    ...(created.leadId ? [{ entity: "leads" as const, id: created.leadId, extra: { status: "new" } }] : []),
  ];
  for (const t of targets) {
    const changed = await trx(t.entity)
      .where({ id: t.id, owner_id: created.ownerId, ...t.extra })
      .update({ owner_id: newOwnerId, updated_at: trx.fn.now() });
    if (changed > 0) {
      await publishChange(trx, {
        entity: t.entity,
        id: t.id,
        action: "updated",
        ownerIds: [created.ownerId, newOwnerId],
      });
      await recordAudit(trx, CTI_ACTOR, {
        entity: t.entity,
        recordId: t.id,
        action: "update",
        before: { ownerId: created.ownerId },
        after: { ownerId: newOwnerId },
        meta: { reason: "answered the call" },
      });
    }
  }
}

export interface CallbackInput {
  number: string;
  ownerId: string;
  contactId: string | null;
  leadId: string | null;
  callId: string;
}

/**
 * A callback task for a missed call («Перезвонить +7 …», due in 15 minutes), unless one for the number
 * is still open: a client who rang five times needs one call back, not five. Returns the task's id.
 */
export async function ensureCallback(trx: Knex.Transaction, input: CallbackInput): Promise<string> {
  const open = await trx("tasks")
    .where({ type: "callback", status: "open", phone: input.number })
    .first<{ id: string } | undefined>("id");
  if (open) {
    return open.id;
  }
  const title = `Перезвонить ${formatPhone(input.number)}`;
  const [row] = await trx("tasks")
    .insert({
      type: "callback",
      title,
      description: "Пропущенный звонок",
      phone: input.number,
      due_at: trx.raw("now() + interval '15 minutes'"),
      owner_id: input.ownerId,
      contact_id: input.contactId,
      lead_id: input.leadId,
    })
    .returning<{ id: string }[]>("id");
  const id = row!.id;
  await publishChange(trx, { entity: "tasks", id, action: "created", ownerIds: [input.ownerId] });
  await recordAudit(trx, CTI_ACTOR, {
    entity: "tasks",
    recordId: id,
    action: "create",
    after: {
      type: "callback",
      title,
      phone: input.number,
      ownerId: input.ownerId,
      contactId: input.contactId,
    },
    meta: { reason: "missed call", callId: input.callId },
  });
  return id;
}
