import type { Knex } from "knex";
import { NAME_SIMILARITY, WEIGHT } from "./score.ts";

// The same rules as the live probes (probes.ts), applied to every record at once: each signal is one
// set-based join (hash or merge joins over the indexed columns) instead of a probe per record, which on
// 1M contacts would be millions of round trips. Rows are (a, b, reason, weight), a and b in any order.

const CONTACT_SIGNALS = `
  select e1.contact_id as a, e2.contact_id as b, 'email' as reason, ?::float8 as weight
  from contact_emails e1
  join contact_emails e2 on lower(e2.email) = lower(e1.email) and e2.contact_id > e1.contact_id
  union all
  -- a person's own number is the main line of a company another contact works at (not their own company)
  select p.contact_id, cc.contact_id, 'phone', ?::float8
  from contact_phones p
  join companies co on co.phone = p.phone
  join contact_companies cc on cc.company_id = co.id and cc.contact_id <> p.contact_id
  where not exists (select 1 from contact_companies own
                    where own.contact_id = p.contact_id and own.company_id = co.id)
  union all
  -- a lead that belongs to another contact came from this contact's number
  select p.contact_id, l.contact_id, 'phone', ?::float8
  from contact_phones p
  join leads l on l.phone = p.phone and l.contact_id <> p.contact_id
  union all
  -- similar names, but only at the same company: namesakes elsewhere are different people. Each member's
  -- name and key are computed once (materialized), then compared pairwise within the company.
  select a, b, 'name', ?::float8 * sim from (
    with members as materialized (
      select k.company_id, c.id, lower(c.full_name) as name, okno_person_key(c.full_name) as name_key
      from contact_companies k join contacts c on c.id = k.contact_id)
    select m1.id as a, m2.id as b,
           greatest(similarity(m1.name, m2.name), case when m1.name_key = m2.name_key then 1 else 0 end) as sim
    from members m1
    join members m2 on m2.company_id = m1.company_id and m2.id > m1.id
    where similarity(m1.name, m2.name) >= ? or m1.name_key = m2.name_key) named`;

const COMPANY_SIGNALS = `
  select c1.id as a, c2.id as b, 'inn' as reason,
         case when c1.kpp is not null and c2.kpp is not null then ?::float8 else ?::float8 end as weight
  from companies c1
  join companies c2 on c2.inn = c1.inn and c2.id > c1.id
  where c1.kpp is null or c2.kpp is null or c1.kpp = c2.kpp
  union all
  select c1.id, c2.id, 'name', ?::float8
  from companies c1
  join companies c2 on okno_company_key(c2.name) = okno_company_key(c1.name) and c2.id > c1.id
  where okno_company_key(c1.name) <> ''
    and not (c1.inn is not null and c2.inn is not null
             and (c1.inn <> c2.inn or (c1.kpp is not null and c2.kpp is not null and c1.kpp <> c2.kpp)))`;

/**
 * Upserts every pair the signals find (strongest weight per reason, combined as 1 − Π(1 − w), see
 * score.ts), keeping a dismissed pair dismissed, then drops the undismissed pairs this scan did not find.
 */
async function storePairs(
  trx: Knex.Transaction,
  entity: "contacts" | "companies",
  signals: string,
  bindings: number[],
): Promise<number> {
  const [a, b] = entity === "contacts" ? ["contact_a_id", "contact_b_id"] : ["company_a_id", "company_b_id"];
  await trx.raw(
    `with signals as (${signals}),
     best as (
       select least(a, b) as a, greatest(a, b) as b, reason, max(weight) as weight
       from signals group by 1, 2, 3),
     pairs as (
       select a, b, array_agg(reason order by reason) as reasons,
              round((1 - exp(sum(ln(1 - weight))))::numeric, 3) as score
       from best group by a, b)
     insert into duplicate_pairs (entity, ${a}, ${b}, score, reasons, seen_at)
     select ?, a, b, score, reasons, now() from pairs
     on conflict (entity, a_id, b_id)
       do update set score = excluded.score, reasons = excluded.reasons, seen_at = excluded.seen_at`,
    [...bindings, entity],
  );
  await trx("duplicate_pairs")
    .where("entity", entity)
    .whereNull("dismissed_at")
    .andWhere("seen_at", "<", trx.fn.now())
    .delete();
  const [row] = await trx("duplicate_pairs")
    .where("entity", entity)
    .whereNull("dismissed_at")
    .count<{ n: number | string }[]>({ n: "*" });
  return Number(row?.n ?? 0);
}

/**
 * The nightly job: recomputes every candidate pair in one transaction (a full pass of a few joins; the
 * pairs a user has dismissed stay dismissed). Returns how many open (undismissed) pairs each entity has.
 */
export async function scanDuplicates(db: Knex): Promise<{ contacts: number; companies: number }> {
  return db.transaction(async (trx) => ({
    contacts: await storePairs(trx, "contacts", CONTACT_SIGNALS, [
      WEIGHT.email,
      WEIGHT.phoneOfCompany,
      WEIGHT.phoneOfLead,
      WEIGHT.personName,
      NAME_SIMILARITY,
    ]),
    companies: await storePairs(trx, "companies", COMPANY_SIGNALS, [
      WEIGHT.innAndKpp,
      WEIGHT.innOnly,
      WEIGHT.companyName,
    ]),
  }));
}
