import { createHash } from "node:crypto";
import { completeInn } from "@okno/contracts";
import type { Knex } from "knex";
import {
  COMPANY_FORMS,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  EMAIL_DOMAINS,
  FEMALE_NAMES,
  INN_REGIONS,
  MALE_NAMES,
  PATRONYMICS,
  POSITIONS,
  SURNAMES,
} from "./names.ts";
import { seedPhoneSql } from "./phones.ts";
import { note, progress } from "./progress.ts";

// The seed is generated inside the database (generate_series), batch by batch, each batch one transaction.
// Every choice comes from hashint4 of the contact's number, so a re-seed produces the same people.

/** Tables the seed fills; their secondary indexes are built after the bulk load (see deferIndexes). */
const SEEDED_TABLES = ["companies", "contacts", "contact_phones", "contact_emails", "contact_companies"];

/** Deterministic ids: the n-th contact or company has the same id in SQL and in JavaScript. */
// An md5 with the version nibble set to 4 and the variant nibble to 8: a valid RFC 9562 v4 UUID, which
// the API's response schema insists on.
const uuidSql = (key: string) =>
  `overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid`;
const contactIdSql = (i: string) => uuidSql(`'okno-bench-contact-' || ${i}`);
const companyIdSql = (k: string) => uuidSql(`'okno-bench-company-' || ${k}`);
function companyId(k: number): string {
  const h = createHash("md5").update(`okno-bench-company-${k}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
}

const lit = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`;

/** Per-row pseudo-random numbers h0…h9 ≥ 0 and the gender, for contacts i in [from, to]. */
const rowsSql = `select i, (hashint4(i * 16) & 1) = 1 as female,
  ${Array.from({ length: 10 }, (_, k) => `hashint4(i * 16 + ${k})::bigint + 2147483648 as h${k}`).join(", ")}
  from generate_series(?::int, ?::int) as i`;

function contactsSql(total: number, ownerIds: string[]): string {
  const n = (arr: unknown[]) => arr.length;
  // Creation times spread evenly over the three years before the benchmark date, newest last.
  const createdAt = `timestamptz '2026-11-23 09:00:00+03' - make_interval(secs => (${total} - i) * ${94_608_000 / total})`;
  return `insert into contacts (id, last_name, first_name, middle_name, position, birthday, owner_id,
      created_by, created_at, updated_at)
    select ${contactIdSql("i")},
      (${lit(SURNAMES.map((s) => s[0]))})[1 + h1 % ${n(SURNAMES)}] || case when female then 'а' else '' end,
      case when female then (${lit(FEMALE_NAMES)})[1 + h2 % ${n(FEMALE_NAMES)}]
        else (${lit(MALE_NAMES)})[1 + h2 % ${n(MALE_NAMES)}] end,
      case when h3 % 10 = 0 then null
        when female then (${lit(PATRONYMICS.map((p) => p[1]))})[1 + h3 / 10 % ${n(PATRONYMICS)}]
        else (${lit(PATRONYMICS.map((p) => p[0]))})[1 + h3 / 10 % ${n(PATRONYMICS)}] end,
      case when h4 % 10 < 3 then (${lit(POSITIONS)})[1 + h4 / 10 % ${n(POSITIONS)}] end,
      case when h5 % 4 = 0 then date '1960-01-01' + (h5 / 4 % 15000)::int end,
      owner, owner, ${createdAt}, ${createdAt}
    from (select *, (${lit(ownerIds)}::uuid[])[1 + h6 % ${n(ownerIds)}] as owner from (${rowsSql}) r) g`;
}

/**
 * One phone per contact (j = i) and a second one for every even contact (j = N + i/2): 1.5 on average.
 * A number that another contact already has is skipped, as the unique index demands.
 */
function phonesSql(total: number): string {
  return `insert into contact_phones (contact_id, phone, kind, position)
    select ${contactIdSql("i")}, ${seedPhoneSql("j")}, kind, pos from (
      select i, i as j, 'mobile' as kind, 0 as pos from generate_series(?::int, ?::int) as i
      union all
      select i, ${total} + i / 2, case when i % 4 = 0 then 'work' else 'mobile' end, 1
        from generate_series(?::int, ?::int) as i where i % 2 = 0) p
    on conflict (phone) do nothing`;
}

/** 40% of contacts have an e-mail: ivanova.123456@mail.ru. */
const emailsSql = `insert into contact_emails (contact_id, email, kind, position)
  select ${contactIdSql("i")},
    (${lit(SURNAMES.map((s) => s[1]))})[1 + h1 % ${SURNAMES.length}] || case when female then 'a' else '' end
      || '.' || i || '@' || (${lit(EMAIL_DOMAINS)})[1 + h7 / 5 % ${EMAIL_DOMAINS.length}],
    case when h7 % 5 = 0 then 'personal' else 'work' end, 0
  from (${rowsSql}) g where h7 % 5 < 2`;

/** 30% of contacts work at one of the companies. */
const linksSql = (companies: number) => `insert into contact_companies (contact_id, company_id, is_primary)
  select ${contactIdSql("i")}, ${companyIdSql(`1 + h8 / 10 % ${companies}`)}, true
  from (${rowsSql}) g where h8 % 10 < 3`;

/** Companies with valid ИНН/КПП, built in JavaScript so the ИНН checksum is the product's own. */
export async function seedCompanies(knex: Knex, count: number, ownerIds: string[]): Promise<void> {
  const bar = progress("seeding companies", count);
  for (let from = 1; from <= count; from += 1000) {
    const rows = [];
    for (let k = from; k < Math.min(from + 1000, count + 1); k++) {
      const inn = completeInn(`${INN_REGIONS[k % INN_REGIONS.length]}${String(k).padStart(7, "0")}`);
      const word = COMPANY_WORDS[k % COMPANY_WORDS.length]!;
      const suffix = COMPANY_SUFFIXES[Math.floor(k / COMPANY_WORDS.length) % COMPANY_SUFFIXES.length]!;
      const form = COMPANY_FORMS[k % COMPANY_FORMS.length]!;
      const owner = ownerIds[k % ownerIds.length]!;
      rows.push({
        id: companyId(k),
        name: `${form} «${word}${suffix}-${k}»`,
        inn,
        kpp: `${inn.slice(0, 4)}01001`,
        owner_id: owner,
        created_by: owner,
      });
    }
    await knex("companies").insert(rows);
    bar.update(from - 1 + rows.length);
  }
  bar.done();
}

/** Contacts 1..total with their phones, e-mails and company links, in batches of `batch` contacts. */
export async function seedContacts(
  knex: Knex,
  total: number,
  companies: number,
  ownerIds: string[],
  batch: number,
): Promise<void> {
  const insertContacts = contactsSql(total, ownerIds);
  const insertPhones = phonesSql(total);
  const bar = progress("seeding contacts ", total);
  for (let from = 1; from <= total; from += batch) {
    const to = Math.min(from + batch - 1, total);
    await knex.transaction(async (trx) => {
      await trx.raw(insertContacts, [from, to]);
      await trx.raw(insertPhones, [from, to, from, to]);
      await trx.raw(emailsSql, [from, to]);
      if (companies > 0) {
        await trx.raw(linksSql(companies), [from, to]);
      }
    });
    bar.update(to);
  }
  bar.done();
}

/**
 * Runs a bulk load with the seeded tables' secondary indexes dropped, then rebuilds exactly the same
 * indexes (their definitions are read from pg_indexes first) and analyses the tables: building a GIN
 * trigram index once is many times faster than maintaining it row by row. Primary keys, unique
 * constraints and foreign keys stay in place throughout, so the load is checked like production writes.
 */
export async function deferIndexes(knex: Knex, load: () => Promise<void>): Promise<void> {
  const { rows } = await knex.raw<{ rows: { indexname: string; indexdef: string }[] }>(
    `select indexname, indexdef from pg_indexes i
      where schemaname = 'public' and tablename = any(${lit(SEEDED_TABLES)})
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
  );
  for (const r of rows) {
    await knex.raw(`drop index "${r.indexname}"`);
  }
  await load();
  for (const r of rows) {
    const started = performance.now();
    await knex.transaction(async (trx) => {
      await trx.raw("set local maintenance_work_mem = '256MB'");
      await trx.raw(r.indexdef);
    });
    note(`built index ${r.indexname} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const table of SEEDED_TABLES) {
    await knex.raw(`vacuum analyze ${table}`);
  }
}
