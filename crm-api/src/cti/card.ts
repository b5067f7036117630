import type { CallCardContact } from "@okno/contracts";
import type { Knex } from "knex";
import { canSee } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { iso } from "../cursor.ts";
import { preparedRaw } from "../prepared.ts";

type Owned = { owner_id: string; owner_path: string | null };

/** Everything any viewer's card may show, loaded once per call; each viewer gets the part in their scope. */
export interface CardData {
  id: string;
  full_name: string;
  owner_id: string;
  owner_name: string;
  owner_path: string | null;
  source_confirmed: boolean;
  source_name: string | null;
  phones: string[] | null;
  company: { id: string; name: string } | null;
  deals: (Owned & { id: string; title: string; amount: number; stage_name: string; pipeline_name: string })[];
  tasks: (Owned & { id: string; type: string; title: string; due_at: string | null; is_overdue: boolean })[];
  interactions: {
    id: string;
    channel: string;
    direction: string | null;
    occurred_at: string;
    result: string | null;
    subject: string | null;
    duration_sec: number | null;
  }[];
}

/** Items a card lists; a few more are read so that the viewer's scope can filter and still fill it. */
const SHOWN = 5;
const READ = 20;

/**
 * The card of the contact whose id `contactId` (an SQL expression) gives: one query, or a part of the
 * call's first read (context.ts). Texts are cut short: a card travels through NOTIFY, which takes
 * under 8000 bytes.
 */
export const cardSql = (contactId: string) => `
select c.id, left(c.full_name, 200) as full_name, c.owner_id, o.full_name as owner_name, od.path as owner_path,
       c.source_confirmed, s.name as source_name,
       (select json_agg(p.phone order by p.position) from contact_phones p where p.contact_id = c.id) as phones,
       (select json_build_object('id', co.id, 'name', left(co.name, 150))
          from contact_companies cc join companies co on co.id = cc.company_id
         where cc.contact_id = c.id order by cc.is_primary desc, co.name limit 1) as company,
       (select coalesce(json_agg(x), '[]') from (
          select d.id, left(d.title, 100) as title, d.amount, left(st.name, 60) as stage_name,
                 left(pl.name, 60) as pipeline_name, d.owner_id, dd.path as owner_path
            from deals d join stages st on st.id = d.stage_id join pipelines pl on pl.id = d.pipeline_id
            join users du on du.id = d.owner_id join departments dd on dd.id = du.department_id
           where d.contact_id = c.id and st.kind = 'open'
           order by d.created_at desc, d.id desc limit ${READ}) x) as deals,
       (select coalesce(json_agg(x), '[]') from (
          select t.id, t.type, left(t.title, 100) as title, t.due_at, coalesce(t.due_at < now(), false) as is_overdue,
                 t.owner_id, td.path as owner_path
            from tasks t join users tu on tu.id = t.owner_id join departments td on td.id = tu.department_id
           where t.contact_id = c.id and t.status = 'open'
           order by t.due_at asc nulls last, t.id limit ${READ}) x) as tasks,
       (select coalesce(json_agg(x), '[]') from (
          select i.id, i.channel, i.direction, i.occurred_at, left(i.result, 60) as result,
                 left(i.subject, 100) as subject, i.duration_sec
            from interactions i
           where i.contact_id = c.id and i.call_id is distinct from :callId::text
           order by i.occurred_at desc, i.id desc limit ${SHOWN}) x) as interactions
  from contacts c
  join users o on o.id = c.owner_id join departments od on od.id = o.department_id
  left join sources s on s.id = c.source_id
 where c.id = ${contactId}`;

const CARD_BY_ID = cardSql(":contactId::uuid");

/** The card data of the call's contact, without the call itself in its history. */
export async function loadCardData(
  db: Knex | Knex.Transaction,
  contactId: string,
  callId: string,
): Promise<CardData | null> {
  const result = await preparedRaw<{ rows: CardData[] }>(db, "cti_card", CARD_BY_ID, { contactId, callId });
  return result.rows[0] ?? null;
}

const ownerOf = (r: Owned) => ({ userId: r.owner_id, departmentPath: r.owner_path });

/** The card as one viewer may see it: hidden outside their contacts scope, deals and tasks by theirs. */
export function cardFor(viewer: Principal, data: CardData): CallCardContact {
  if (!canSee(viewer, "contacts", ownerOf(data))) {
    return { hidden: true, ownerName: data.owner_name };
  }
  return {
    hidden: false,
    id: data.id,
    fullName: data.full_name,
    phones: (data.phones ?? []).slice(0, SHOWN),
    ownerId: data.owner_id,
    ownerName: data.owner_name,
    isSourceConfirmed: data.source_confirmed,
    sourceName: data.source_name,
    company: data.company,
    deals: data.deals
      .filter((d) => canSee(viewer, "deals", ownerOf(d)))
      .slice(0, SHOWN)
      .map((d) => ({
        id: d.id,
        title: d.title,
        amount: Number(d.amount),
        stageName: d.stage_name,
        pipelineName: d.pipeline_name,
      })),
    tasks: data.tasks
      .filter((t) => canSee(viewer, "tasks", ownerOf(t)))
      .slice(0, SHOWN)
      .map((t) => ({
        id: t.id,
        type: t.type,
        title: t.title,
        dueAt: t.due_at ? iso(t.due_at) : null,
        isOverdue: t.is_overdue,
      })),
    // Seeing the contact grants its timeline (interactions/service.ts, listTimeline).
    interactions: data.interactions.map((i) => ({
      id: i.id,
      channel: i.channel,
      direction: i.direction,
      occurredAt: iso(i.occurred_at),
      result: i.result,
      subject: i.subject,
      durationSec: i.duration_sec,
    })),
  };
}
