import {
  DIRECTED_CHANNELS,
  type Interaction,
  type InteractionChannel,
  type InteractionCreate,
} from "@okno/contracts";
import type { Knex } from "knex";
import { assertCanAssign, assertRecordInScope } from "../access/scope.ts";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { badRequest, notFound } from "../errors.ts";
import { pageBy } from "../listing.ts";
import { publishChange } from "../realtime/publishChange.ts";
import { assertLinksVisible } from "../access/links.ts";
import {
  TIMELINE_PARENTS,
  findInteractionRowById,
  findPrimaryCompanyId,
  insertInteraction,
  newestFirst,
  selectInteractions,
  toInteraction,
  type InteractionRow,
  type TimelineParent,
} from "./repo.ts";

/** Rules a manual entry must follow beyond its schema, as `fields` for a 400. */
export function interactionProblems(input: InteractionCreate): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!input.contactId && !input.companyId && !input.dealId && !input.leadId) {
    fields.body = "link a contact, company, deal or lead";
  }
  if (input.channel === "note" && !input.body?.trim()) {
    fields["body.body"] = "required for notes";
  }
  if (DIRECTED_CHANNELS.includes(input.channel) && !input.direction) {
    fields["body.direction"] = `required for ${input.channel}`;
  }
  if (input.endedAt && Date.parse(input.endedAt) < Date.parse(input.occurredAt ?? new Date().toISOString())) {
    fields["body.endedAt"] = "must not be before occurredAt";
  }
  return fields;
}

/** Seconds between start and end when the author gave both but no duration. */
function durationOf(input: InteractionCreate): number | null {
  if (input.durationSec !== undefined) {
    return input.durationSec;
  }
  if (input.occurredAt && input.endedAt) {
    return Math.round((Date.parse(input.endedAt) - Date.parse(input.occurredAt)) / 1000);
  }
  return null;
}

export async function createInteraction(
  db: Knex,
  p: Principal,
  input: InteractionCreate,
): Promise<Interaction> {
  const fields = interactionProblems(input);
  if (Object.keys(fields).length > 0) {
    throw badRequest(Object.values(fields).join("; "), fields);
  }
  const ownerId = input.ownerId ?? p.userId;
  await assertCanAssign(db, p, "interactions", ownerId);
  await assertLinksVisible(db, p, input);
  return db.transaction(async (trx) => {
    // A conversation with a company's employee belongs on the company's timeline as well.
    const companyId =
      input.companyId ?? (input.contactId ? await findPrimaryCompanyId(trx, input.contactId) : null);
    const id = await insertInteraction(trx, {
      channel: input.channel,
      direction: input.direction ?? null,
      occurred_at: input.occurredAt ?? trx.fn.now(),
      ended_at: input.endedAt ?? null,
      duration_sec: durationOf(input),
      result: input.result || null,
      subject: input.subject || null,
      body: input.body ?? null,
      contact_id: input.contactId ?? null,
      company_id: companyId,
      deal_id: input.dealId ?? null,
      lead_id: input.leadId ?? null,
      owner_id: ownerId,
      created_by: p.userId,
    });
    await publishChange(trx, { entity: "interactions", id, action: "created", ownerIds: [ownerId] });
    const interaction = toInteraction((await findInteractionRowById(trx, id))!);
    await auditChange(trx, p, "interactions", null, interaction);
    return interaction;
  });
}

/**
 * A record's timeline: every interaction linked to it, whoever handled it. Seeing the record is what
 * grants its history; the interactions scope governs only the cross-record journal.
 */
export async function listTimeline(
  db: Knex,
  p: Principal,
  parent: TimelineParent,
  id: string,
  q: { channel?: InteractionChannel | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: Interaction[]; nextCursor: string | null }> {
  const { column, noun } = TIMELINE_PARENTS[parent];
  await assertRecordInScope(db, p, parent, parent, id, notFound(noun));
  const query = selectInteractions(db).where(column, id);
  if (q.channel) {
    query.where("i.channel", q.channel);
  }
  const page = await pageBy<InteractionRow>(query, "i.id", newestFirst, q.limit, q.cursor);
  return { items: page.rows.map(toInteraction), nextCursor: page.nextCursor };
}
