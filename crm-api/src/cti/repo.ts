import { Permissions, RoleCode, type CallEvent, type InteractionDirection } from "@okno/contracts";
import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";
import type { CallPayload } from "./payload.ts";

type Db = Knex | Knex.Transaction;

/** Records the batch's event ids; returns those not seen before (the rest are redeliveries). */
export async function insertNewEvents(db: Db, events: readonly CallEvent[]): Promise<Set<string>> {
  const rows = events.map((e) => ({ id: e.id, call_id: e.callId, type: e.type, at: e.at }));
  const inserted = await db("cti_events")
    .insert(rows)
    .onConflict("id")
    .ignore()
    .returning<{ id: string }[]>("id");
  return new Set(inserted.map((r) => r.id));
}

/**
 * Serialises work on the same calls and numbers across requests and instances until the transaction
 * ends (a retried batch racing its first attempt, two calls from one unknown number). Keys are
 * locked in one sorted order, so two transactions cannot deadlock on them.
 */
export async function lockKeys(db: Knex.Transaction, keys: readonly string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length > 0) {
    await db.raw(
      `select pg_advisory_xact_lock(hashtextextended(k, 7305)) from unnest(?::text[]) with ordinality as u(k, n) order by n`,
      [sorted],
    );
  }
}

export interface CallRow {
  id: string;
  call_id: string;
  owner_id: string;
  contact_id: string | null;
  lead_id: string | null;
  payload: CallPayload;
}

/** The interactions of these calls, if they exist yet. */
export async function findCallRows(db: Db, callIds: readonly string[]): Promise<Map<string, CallRow>> {
  const rows = await db("interactions")
    .whereIn("call_id", callIds)
    .select<CallRow[]>("id", "call_id", "owner_id", "contact_id", "lead_id", "payload");
  return new Map(rows.map((r) => [r.call_id, r]));
}

export interface ContextQuery {
  /** The caller's (or callee's) number in E.164, when it is a phone. */
  number: string | null;
  /** The contact the call is already linked to; wins over the number. */
  contactId: string | null;
  /** The dialled company number, when its attribution is still to be resolved. */
  line: string | null;
  /** The PBX's call-tracking tag, looked up when the line is: a source by utm_source or by name. */
  sourceTag: string | null;
  /** When the call started: a dynamic number's lease must cover it. */
  startedAt: string;
  exts: readonly string[];
  queue: string | null;
}

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

export interface CallContext {
  contact: KnownContact | null;
  line: LineAttribution | null;
  /** The source the PBX's tag names, if any. */
  tagSource: { id: string; name: string } | null;
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

// Everything one call needs besides its own row, in one round trip: the caller's contact (one probe of
// the unique contact_phones index), the line's source, the users involved, the queue and the settings.
const CONTEXT_SQL = `
select
  (select row_to_json(x) from (
     select c.id, c.owner_id, c.source_confirmed,
            (select cc.company_id from contact_companies cc
              where cc.contact_id = c.id order by cc.is_primary desc limit 1) as company_id
       from contacts c
      where c.id = coalesce(:contactId::uuid, (select p.contact_id from contact_phones p where p.phone = :number::text))
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
    order by ts.utm_source = :sourceTag::text desc limit 1) as tag_source,
  (select coalesce(json_agg(x), '[]') from (
     select u.id, u.login, u.full_name, u.role_code, u.department_id, d.path as department_path,
            u.extension, r.permissions
       from users u join departments d on d.id = u.department_id join roles r on r.code = u.role_code
      where u.is_active and (u.extension = any(:exts::text[])
            or u.id in (select m.user_id from cti_queue_members m where m.queue = :queue::text))
  ) x) as users,
  (select coalesce(json_agg(m.user_id), '[]') from cti_queue_members m where m.queue = :queue::text) as queue_member_ids,
  (select q.supervisor_id from cti_queues q join users qs on qs.id = q.supervisor_id and qs.is_active
    where q.name = :queue::text) as queue_supervisor_id,
  (select du.id from users du join settings ds on ds.key = 'cti.defaultOwnerId' and ds.value #>> '{}' = du.id::text
    where du.is_active) as default_owner_id,
  (select coalesce(json_object_agg(st.key, st.value), '{}') from settings st where st.key like 'cti.%') as settings,
  (select a.id from users a where a.role_code = 'admin' and a.is_active order by a.created_at, a.id limit 1) as admin_id
`;

interface ContextRow {
  contact: KnownContact | null;
  line: LineAttribution | null;
  tag_source: { id: string; name: string } | null;
  users: (Omit<CallUser, "userId" | "fullName" | "role" | "departmentId" | "departmentPath" | "via"> & {
    id: string;
    full_name: string;
    role_code: string;
    department_id: string;
    department_path: string;
  })[];
  queue_member_ids: string[];
  queue_supervisor_id: string | null;
  default_owner_id: string | null;
  settings: Record<string, unknown>;
  admin_id: string | null;
}

export async function loadCallContext(db: Db, q: ContextQuery): Promise<CallContext> {
  const result = await db.raw<{ rows: ContextRow[] }>(CONTEXT_SQL, { ...q, exts: [...q.exts] });
  const row = result.rows[0]!;
  return {
    contact: row.contact,
    line: row.line,
    tagSource: row.tag_source,
    users: row.users.map((u) => ({
      userId: u.id,
      login: u.login,
      fullName: u.full_name,
      role: RoleCode.parse(u.role_code),
      departmentId: u.department_id,
      departmentPath: u.department_path,
      extension: u.extension,
      permissions: Permissions.parse(u.permissions),
      via: "cti",
    })),
    queueMemberIds: row.queue_member_ids,
    queueSupervisorId: row.queue_supervisor_id,
    defaultOwnerId: row.default_owner_id,
    settings: row.settings,
    adminId: row.admin_id,
  };
}

export interface CallColumns {
  call_id: string;
  direction: InteractionDirection | null;
  occurred_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_sec: number | null;
  wait_sec: number | null;
  result: string | null;
  payload: CallPayload;
  contact_id: string | null;
  company_id: string | null;
  lead_id: string | null;
  owner_id: string;
  source_id: string | null;
  campaign_id: string | null;
}

/** Writes the call's interaction (one per call id); returns its id. */
export async function upsertCallInteraction(db: Knex.Transaction, c: CallColumns): Promise<string> {
  const row = { ...c, channel: "call", payload: JSON.stringify(c.payload) };
  const [saved] = await db("interactions")
    .insert(row)
    .onConflict("call_id")
    // A source the agent corrected in the wrap-up (agents/wrapUp.ts) outlives the call's later events.
    .merge({
      ...row,
      source_id: db.raw(
        "case when interactions.wrapped_up_at is null then excluded.source_id else interactions.source_id end",
      ),
      updated_at: db.fn.now(),
    })
    .returning<{ id: string }[]>("id");
  return saved!.id;
}

/** Forgets applied event ids older than `days`; see the cti_events migration for why that is safe. */
export async function deleteOldEvents(db: Knex, days: number): Promise<number> {
  return db("cti_events")
    .where("received_at", "<", db.raw("now() - make_interval(days => ?)", [days]))
    .delete();
}
