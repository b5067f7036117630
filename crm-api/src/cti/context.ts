import type { CallEvent } from "@okno/contracts";
import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";
import { preparedRaw } from "../prepared.ts";
import { cardSql, type CardData } from "./card.ts";
import { loadDirectory } from "./directory.ts";
import type { CallRow } from "./repo.ts";

export interface KnownContact {
  id: string;
  owner_id: string;
  source_confirmed: boolean;
  company_id: string | null;
}

export interface LineAttribution {
  kind: "static" | "dynamic";
  source_id: string | null;
  source_name: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  /** The website visit that held the dynamic number when the call came. */
  lease: {
    visitor_id: string;
    utm_source: string | null;
    utm_medium: string | null;
    utm_campaign: string | null;
    utm_content: string | null;
    utm_term: string | null;
    keyword: string | null;
    landing_page: string | null;
  } | null;
}

/** A user the call may concern (by extension or queue), with what scope checks need. */
export type CallUser = Principal & { extension: string | null };

/** Who is on the outside of a call and where it came in: what the database says about its numbers. */
export interface PartiesQuery {
  /** The caller's (or callee's) number in E.164, when it is a phone. */
  number: string | null;
  /** The dialled company number, when its attribution is still to be resolved. */
  line: string | null;
  /** The PBX's call-tracking tag, looked up when the line is: a source by utm_source or by name. */
  sourceTag: string | null;
  /** When the call started: a dynamic number's lease must cover it. */
  startedAt: string;
}

export interface Parties {
  contact: KnownContact | null;
  line: LineAttribution | null;
  /** The source the PBX's tag names, if any. */
  tagSource: { id: string; name: string } | null;
}

export interface CallContext extends Parties {
  users: CallUser[];
  queueMemberIds: string[];
  /** The queue's supervisor and the configured default owner, when they are active users. */
  queueSupervisorId: string | null;
  defaultOwnerId: string | null;
  /** Raw `settings` rows under "cti.", by key. */
  settings: Record<string, unknown>;
  /** The oldest active administrator: the owner of last resort. */
  adminId: string | null;
}

// The caller's contact (one probe of the unique contact_phones index, unless the call is already linked
// to one), the line's source and the tag's source. `number` and `contactId` are SQL expressions.
const partiesSql = (number: string, contactId: string) => `
  (select row_to_json(x) from (
     select c.id, c.owner_id, c.source_confirmed,
            (select cc.company_id from contact_companies cc
              where cc.contact_id = c.id order by cc.is_primary desc limit 1) as company_id
       from contacts c
      where c.id = coalesce(${contactId}, (select p.contact_id from contact_phones p where p.phone = ${number}))
  ) x) as contact,
  (select row_to_json(x) from (
     select t.kind, s.id as source_id, s.name as source_name, cp.id as campaign_id, cp.name as campaign_name,
            case when l.id is null then null else json_build_object(
              'visitor_id', l.visitor_id, 'utm_source', l.utm_source, 'utm_medium', l.utm_medium,
              'utm_campaign', l.utm_campaign, 'utm_content', l.utm_content, 'utm_term', l.utm_term,
              'keyword', l.keyword, 'landing_page', l.landing_page) end as lease
       from tracking_numbers t
       left join lateral (select * from tracking_leases tl
                           where tl.tracking_number_id = t.id and tl.expires_at > :startedAt::timestamptz
                             and tl.leased_at <= :startedAt::timestamptz + interval '1 minute'
                           order by tl.leased_at desc limit 1) l on true
       left join lateral (select us.id from sources us where us.utm_source = l.utm_source limit 1) ls on true
       left join lateral (select uc.id from campaigns uc
                           where uc.utm_campaign = l.utm_campaign and uc.source_id = coalesce(ls.id, t.source_id)
                           limit 1) lc on true
       left join sources s on s.id = coalesce(ls.id, t.source_id)
       left join campaigns cp on cp.id = coalesce(lc.id, t.campaign_id)
      where t.phone = :line::text
  ) x) as line,
  (select json_build_object('id', ts.id, 'name', ts.name) from sources ts
    where ts.utm_source = :sourceTag::text or lower(ts.name) = lower(:sourceTag::text)
    order by ts.utm_source = :sourceTag::text desc limit 1) as tag_source`;

interface PartiesRow {
  contact: KnownContact | null;
  line: LineAttribution | null;
  tag_source: { id: string; name: string } | null;
}

const partiesOf = (r: PartiesRow): Parties => ({ contact: r.contact, line: r.line, tagSource: r.tag_source });

/**
 * The first read of a call's transaction, in one round trip (each trip costs both processes a
 * syscall and a wake-up, and at 50 calls a second they were the limit): records the events' ids and
 * returns those not seen before, reads the call's row and, for the number, line and tag the events
 * themselves give, the parties — with the contact's card when the events may ring or answer someone.
 * The row can change what the call's number or line is; context() checks and asks again then.
 */
export interface CallRead {
  fresh: Set<string>;
  row: CallRow | undefined;
  /** What the parties were looked up for, and what was found. */
  asked: PartiesQuery;
  parties: Parties;
  card: CardData | null;
}

interface CallReadRow extends PartiesRow {
  fresh: string[];
  row: CallRow | null;
  number: string | null;
  card: CardData | null;
}

export async function readCall(
  trx: Knex.Transaction,
  events: readonly CallEvent[],
  guess: PartiesQuery,
  withCard: boolean,
): Promise<CallRead> {
  const callId = events[0]!.callId;
  // A call already linked to a contact keeps it; otherwise the number (the events', or the one stored).
  const number = "coalesce(:number::text, (select r.payload->>'number' from r))";
  const contactId = `coalesce((select r.contact_id from r), (select p.contact_id from contact_phones p where p.phone = ${number}))`;
  const sql = `
with ins as (
  insert into cti_events (id, call_id, type, at)
  select * from unnest(:ids::uuid[], :callIds::text[], :types::text[], :ats::timestamptz[])
  on conflict (id) do nothing returning id
), r as (
  select id, call_id, owner_id, contact_id, lead_id, payload from interactions where call_id = :callId::text
)
select (select coalesce(json_agg(ins.id), '[]') from ins) as fresh,
       (select row_to_json(r) from r) as row,
       ${number} as number,
       ${partiesSql(number, "(select r.contact_id from r)")}
       ${withCard ? `, (select row_to_json(k) from (${cardSql(contactId)}) k) as card` : ""}`;
  const result = await preparedRaw<{ rows: CallReadRow[] }>(trx, "cti_read_call", sql, {
    ids: events.map((e) => e.id),
    callIds: events.map((e) => e.callId),
    types: events.map((e) => e.type),
    ats: events.map((e) => e.at),
    callId,
    ...guess,
  });
  const r = result.rows[0]!;
  return {
    fresh: new Set(r.fresh),
    row: r.row ?? undefined,
    asked: { ...guess, number: r.number },
    parties: partiesOf(r),
    card: r.card ?? null,
  };
}

async function lookUpParties(trx: Knex.Transaction, q: PartiesQuery, contactId: string | null) {
  const sql = `select ${partiesSql(":number::text", ":contactId::uuid")}`;
  const result = await preparedRaw<{ rows: PartiesRow[] }>(trx, "cti_parties", sql, { ...q, contactId });
  return partiesOf(result.rows[0]!);
}

/** The first read's parties, when it asked what the merged call needs; null when it must ask again. */
function partiesFromRead(read: CallRead, need: PartiesQuery): Parties | null {
  const { asked, parties } = read;
  // A call linked to a contact keeps it, whatever its number.
  const contactOk = Boolean(read.row?.contact_id) || asked.number === need.number;
  const lineOk = need.line === null || (asked.line === need.line && asked.startedAt === need.startedAt);
  const tagOk = need.sourceTag === null || asked.sourceTag === need.sourceTag;
  if (!contactOk || !lineOk || !tagOk) {
    return null;
  }
  return {
    contact: parties.contact,
    line: need.line === null ? null : parties.line,
    tagSource: need.sourceTag === null ? null : parties.tagSource,
  };
}

/**
 * Everything a call's change needs besides its own row: the parties (from the first read when it
 * asked about the same numbers), and from the directory the users involved, the queue and the settings.
 */
export async function contextOf(
  trx: Knex.Transaction,
  read: CallRead,
  need: PartiesQuery & { exts: readonly string[]; queue: string | null },
): Promise<CallContext> {
  const query = {
    number: need.number,
    line: need.line,
    sourceTag: need.sourceTag,
    startedAt: need.startedAt,
  };
  const parties =
    partiesFromRead(read, query) ?? (await lookUpParties(trx, query, read.row?.contact_id ?? null));
  const directory = await loadDirectory(trx, need.exts);
  const queue = need.queue ? directory.queues.get(need.queue) : undefined;
  const queueMemberIds = queue?.memberIds ?? [];
  const users = new Map<string, CallUser>();
  for (const ext of need.exts) {
    const user = directory.byExt.get(ext);
    if (user) {
      users.set(user.userId, user);
    }
  }
  for (const id of queueMemberIds) {
    const user = directory.byId.get(id);
    if (user) {
      users.set(user.userId, user);
    }
  }
  return {
    ...parties,
    users: [...users.values()],
    queueMemberIds,
    queueSupervisorId: queue?.supervisorId ?? null,
    defaultOwnerId: directory.defaultOwnerId,
    settings: directory.settings,
    adminId: directory.adminId,
  };
}
