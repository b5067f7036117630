import { randomUUID } from "node:crypto";
import { normalizePhone } from "@okno/contracts";
import type { Knex } from "knex";
import { enterAcw } from "../agents/acw.ts";
import type { UserMessageNotice } from "../realtime/publishToUsers.ts";
import { agentOf, resultOf, talkSecOf, waitSecOf, type Call } from "./callState.ts";
import { cardFor, loadCardData } from "./card.ts";
import type { Attribution, CallPayload } from "./payload.ts";
import { createCallerContact, createCallerLead, ensureCallback, handOverCreated } from "./people.ts";
import { planPushes, toCallPush, toNotices, type PushPlan } from "./push.ts";
import {
  contextOf,
  type CallContext,
  type CallRead,
  type KnownContact,
  type LineAttribution,
} from "./context.ts";
import { lockKeys, saveCall, type CallRow } from "./repo.ts";
import { ctiSettingsFrom } from "./settings.ts";

/** The outside party of a call in E.164: the caller inbound, the callee outbound; none for internal calls. */
export function numberOf(call: Call): string | null {
  const party = call.direction === "in" ? call.from : call.direction === "out" ? call.to : null;
  return party ? normalizePhone(party) : null;
}

/** The company number dialled; a PBX that does not report the DID separately has it as `to`. */
export function lineOf(call: Call): string | null {
  const line = call.line ?? (call.direction === "in" ? call.to : null);
  return line ? normalizePhone(line) : null;
}

function extsOf(call: Call, prev: CallPayload | undefined): string[] {
  const exts = [
    ...call.rang.map((r) => r.ext),
    call.firstAnswer?.ext,
    call.lastAnswer?.ext,
    ...Object.values(call.legs).map((l) => l.agentExt),
    ...(prev?.notified ?? []).map((n) => n.ext),
    ...(call.direction === "internal" ? [call.from, call.to] : []),
  ];
  return [...new Set(exts.filter((e): e is string => typeof e === "string"))];
}

/** The line's source (a static number's, or its lease's UTM); failing that, the PBX's own tag. */
function attributionFrom(
  line: LineAttribution | null,
  tagSource: { id: string; name: string } | null,
): Attribution {
  const lease = line?.lease ?? null;
  const source = line?.source_id ? { id: line.source_id, name: line.source_name } : tagSource;
  return {
    sourceId: source?.id ?? null,
    sourceName: source?.name ?? null,
    campaignId: line?.campaign_id ?? null,
    campaignName: line?.campaign_name ?? null,
    utm: lease && {
      visitorId: lease.visitor_id,
      utmSource: lease.utm_source,
      utmMedium: lease.utm_medium,
      utmCampaign: lease.utm_campaign,
      utmContent: lease.utm_content,
      utmTerm: lease.utm_term,
      keyword: lease.keyword,
      landingPage: lease.landing_page,
    },
  };
}

/** Owners of a call's records, most specific first; the last resort is the oldest administrator. */
function ownerPicker(ctx: CallContext, call: Call) {
  const userOf = (ext: string | null | undefined) =>
    ext ? (ctx.users.find((u) => u.extension === ext)?.userId ?? null) : null;
  const lastRung =
    [...call.rang]
      .reverse()
      .map((r) => userOf(r.ext))
      .find((id) => id !== null) ?? null;
  const fallback = () => {
    const id = ctx.queueSupervisorId ?? ctx.defaultOwnerId ?? ctx.adminId;
    if (!id) {
      throw new Error("no active administrator to own the call");
    }
    return id;
  };
  const answering = call.firstAnswer ? userOf(agentOf(call)) : null;
  return { answering, lastRung, fallback };
}

type Owners = ReturnType<typeof ownerPicker>;

interface CallParts {
  trx: Knex.Transaction;
  read: CallRead;
  row: CallRow | undefined;
  call: Call;
  number: string | null;
  ctx: CallContext;
  attribution: Attribution | null;
  owners: Owners;
}

/** Everything one call's new events lead to, in the call's transaction (batch.ts). */
export async function applyCall(trx: Knex.Transaction, read: CallRead, call: Call): Promise<void> {
  const { row } = read;
  const prev = row?.payload;
  const number = numberOf(call);
  const line = prev?.attribution ? null : lineOf(call);
  const ctx = await contextOf(trx, read, {
    number,
    line,
    sourceTag: line ? call.sourceTag : null,
    startedAt: call.startedAt,
    exts: extsOf(call, prev),
    queue: call.queue,
  });
  const attribution = prev?.attribution ?? (line ? attributionFrom(ctx.line, ctx.tagSource) : null);
  const parts: CallParts = { trx, read, row, call, number, ctx, attribution, owners: ownerPicker(ctx, call) };
  const { contact, created } = await settleCaller(parts);
  const callbackTaskId = await settleCallback(parts, contact, created);

  // An outgoing call is the dialling agent's even when nobody picks up; an incoming one, until
  // answered, is the caller's owner's.
  const { owners } = parts;
  const dialler = call.direction === "out" ? owners.lastRung : null;
  const ownerId = owners.answering ?? dialler ?? contact?.owner_id ?? owners.lastRung ?? owners.fallback();
  const queueMembers = new Set(ctx.queueMemberIds);
  const { plans, notified } = planPushes(
    prev?.call ?? null,
    call,
    prev?.notified ?? [],
    ctx.users,
    queueMembers,
  );
  // A new call's id is chosen here: its pushes carry it and leave with the row, in one statement.
  const interactionId = row?.id ?? randomUUID();
  const columns = {
    call_id: call.callId,
    direction: call.direction,
    occurred_at: call.startedAt,
    answered_at: call.firstAnswer?.at ?? null,
    ended_at: call.endedAt,
    duration_sec: talkSecOf(call),
    wait_sec: waitSecOf(call),
    result: resultOf(call),
    payload: { call, number, attribution, notified, created, callbackTaskId },
    contact_id: contact?.id ?? null,
    company_id: contact?.company_id ?? null,
    lead_id: created?.leadId ?? row?.lead_id ?? null,
    owner_id: ownerId,
    source_id: attribution?.sourceId ?? null,
    campaign_id: attribution?.campaignId ?? null,
  };
  const change = {
    entity: "interactions" as const,
    id: interactionId,
    action: row ? ("updated" as const) : ("created" as const),
    ownerIds: row ? [row.owner_id, ownerId] : [ownerId],
  };
  const notices = await callNotices(parts, plans, interactionId, contact);
  const { wrapped } = await saveCall(trx, interactionId, columns, change, notices);
  // The agent who took the call goes into after-call work when it ends (agents/acw.ts), unless the
  // wrap-up was saved while the call lasted.
  if (owners.answering && call.endedAt && !prev?.call.endedAt && !wrapped) {
    const { acwSeconds } = ctiSettingsFrom(ctx.settings);
    await enterAcw(trx, { userId: owners.answering, interactionId, acwSeconds });
  }
}

/**
 * The caller's contact: found by number, or created for an unknown inbound number (with a lead when
 * the setting says so) under a provisional owner, whom the answering agent replaces.
 */
async function settleCaller(
  p: CallParts,
): Promise<{ contact: KnownContact | null; created: CallPayload["created"] }> {
  const { trx, call, number, ctx, attribution, owners } = p;
  let contact = ctx.contact;
  let created = p.row?.payload.created ?? null;
  if (!contact && !created && call.direction === "in" && number) {
    const ownerId = owners.lastRung ?? owners.fallback();
    const contactId = await createCallerContact(trx, { number, ownerId, attribution });
    const leadId = ctiSettingsFrom(ctx.settings).createLeadForUnknown
      ? await createCallerLead(trx, { number, contactId, ownerId, attribution })
      : null;
    created = { contactId, leadId, ownerId };
    contact = { id: contactId, owner_id: ownerId, source_confirmed: false, company_id: null };
  }
  if (created && owners.answering && owners.answering !== created.ownerId) {
    await handOverCreated(trx, created, owners.answering);
    if (contact?.id === created.contactId && contact.owner_id === created.ownerId) {
      contact = { ...contact, owner_id: owners.answering };
    }
    created = { ...created, ownerId: owners.answering };
  }
  return { contact, created };
}

/** A missed or abandoned inbound call gets one callback task (see ensureCallback); returns its id. */
async function settleCallback(
  p: CallParts,
  contact: KnownContact | null,
  created: CallPayload["created"],
): Promise<string | null> {
  const { trx, row, call, number, owners } = p;
  const done = row?.payload.callbackTaskId ?? null;
  const result = resultOf(call);
  if (done || !number || call.direction !== "in" || (result !== "missed" && result !== "abandoned")) {
    return done;
  }
  await lockKeys(trx, [`callback:${number}`]);
  return ensureCallback(trx, {
    number,
    ownerId: contact?.owner_id ?? owners.lastRung ?? owners.fallback(),
    contactId: contact?.id ?? null,
    leadId: created?.leadId ?? row?.lead_id ?? null,
    callId: call.callId,
  });
}

/** The planned messages; the card is read once, then cut to each viewer's scope. */
async function callNotices(
  p: CallParts,
  plans: PushPlan[],
  interactionId: string,
  contact: KnownContact | null,
): Promise<UserMessageNotice[]> {
  if (plans.length === 0) {
    return [];
  }
  const needsCard = plans.some((plan) => plan.withCard);
  // The first read brought the card when the events could ring or answer someone; a contact created or
  // handed over since needs it read again.
  const read = p.read.card;
  const fresh = read && contact && read.id === contact.id && read.owner_id === contact.owner_id;
  const card =
    needsCard && contact ? (fresh ? read : await loadCardData(p.trx, contact.id, p.call.callId)) : null;
  const messages = plans.map((plan) => {
    const viewer = p.ctx.users.find((u) => u.userId === plan.user.userId);
    const contactCard = !plan.withCard ? undefined : card && viewer ? cardFor(viewer, card) : null;
    return {
      userId: plan.user.userId,
      call: toCallPush(p.call, interactionId, p.attribution, plan.view, contactCard),
    };
  });
  return toNotices(messages);
}
