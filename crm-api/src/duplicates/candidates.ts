import type { ContactCandidates, DuplicateCheck, DuplicateCheckQuery } from "@okno/contracts";
import type { Knex } from "knex";
import { assertRecordInScope, canSee } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { selectCompanies, toCompany, type CompanyRow } from "../companies/repo.ts";
import { selectContacts, toContact, type ContactRow } from "../contacts/repo.ts";
import { notFound } from "../errors.ts";
import {
  companiesByEmail,
  companiesByInn,
  companiesByName,
  companiesByPhone,
  contactsAtCompaniesWithPhones,
  contactsByEmails,
  contactsHoldingPhones,
  contactsNamedLike,
  contactsOfLeadsWithPhones,
  holdersOfCompanyPhones,
} from "./probes.ts";
import { WEIGHT, scoreSignals, type Scored, type Signal } from "./score.ts";

type OwnedCompanyRow = CompanyRow & { owner_name: string; owner_path: string };

const idsOf = (scored: Scored[]) => scored.map((s) => s.id);

function loadContacts(db: Knex, ids: string[]): Promise<ContactRow[]> {
  return ids.length === 0 ? Promise.resolve([]) : selectContacts(db).whereIn("c.id", ids);
}

function loadCompanies(db: Knex, ids: string[]): Promise<OwnedCompanyRow[]> {
  if (ids.length === 0) {
    return Promise.resolve([]);
  }
  return selectCompanies(db)
    .join("users as o", "o.id", "co.owner_id")
    .join("departments as od", "od.id", "o.department_id")
    .select("o.full_name as owner_name", "od.path as owner_path")
    .whereIn("co.id", ids);
}

/** What one contact has that another could share: its numbers, e-mails, companies, their numbers, leads. */
async function contactSignals(db: Knex, id: string): Promise<Signal[]> {
  const phones = (await db("contact_phones").where("contact_id", id).pluck("phone")) as string[];
  const emails = (await db("contact_emails").where("contact_id", id).pluck("email")) as string[];
  const companyIds = (await db("contact_companies").where("contact_id", id).pluck("company_id")) as string[];
  const leadPhones = (await db("leads")
    .where("contact_id", id)
    .whereNotNull("phone")
    .pluck("phone")) as string[];
  const person = await db("contacts").where("id", id).first<{ full_name: string }>("full_name");
  return [
    ...(await contactsByEmails(db, emails, id)),
    ...(await contactsAtCompaniesWithPhones(db, phones, companyIds, id)),
    ...(await contactsOfLeadsWithPhones(db, phones, id)),
    ...(await contactsNamedLike(db, person.full_name, companyIds, id)),
    // The other direction: numbers of this contact's leads and companies that someone else holds.
    ...(await contactsHoldingPhones(db, leadPhones, id, WEIGHT.phoneOfLead)),
    ...(await holdersOfCompanyPhones(db, companyIds, id)),
  ];
}

/** Ids paired with `id` in a pair a user has dismissed: they are not shown again. */
async function dismissedPartners(
  db: Knex,
  entity: "contacts" | "companies",
  id: string,
): Promise<Set<string>> {
  const rows = await db("duplicate_pairs")
    .where("entity", entity)
    .whereNotNull("dismissed_at")
    .andWhere((q) => {
      void q.where("a_id", id).orWhere("b_id", id);
    })
    .select<{ a_id: string; b_id: string }[]>("a_id", "b_id");
  return new Set(rows.map((r) => (r.a_id === id ? r.b_id : r.a_id)));
}

/** GET /contacts/:id/duplicates: live candidates in the user's scope, best first. */
export async function findContactCandidates(db: Knex, p: Principal, id: string): Promise<ContactCandidates> {
  await assertRecordInScope(db, p, "contacts", "contacts", id, notFound("contact"));
  const dismissed = await dismissedPartners(db, "contacts", id);
  const scored = scoreSignals(await contactSignals(db, id)).filter((s) => !dismissed.has(s.id));
  const loaded = await loadContacts(db, idsOf(scored));
  const rows = new Map(loaded.map((r) => [r.id, r]));
  const items = scored.flatMap(({ id: candidateId, score, reasons }) => {
    const row = rows.get(candidateId);
    const visible = row && canSee(p, "contacts", { userId: row.owner_id, departmentPath: row.owner_path });
    return visible ? [{ contact: toContact(row), score, reasons }] : [];
  });
  return { items };
}

async function checkSignals(
  db: Knex,
  q: DuplicateCheckQuery,
): Promise<{ contacts: Signal[]; companies: Signal[] }> {
  const contacts: Signal[] = [];
  const companies: Signal[] = [];
  if (q.phone) {
    contacts.push(...(await contactsHoldingPhones(db, [q.phone])));
    contacts.push(...(await contactsOfLeadsWithPhones(db, [q.phone])));
    companies.push(...(await companiesByPhone(db, q.phone)));
  }
  if (q.email) {
    contacts.push(...(await contactsByEmails(db, [q.email])));
    companies.push(...(await companiesByEmail(db, q.email)));
  }
  if (q.inn) {
    companies.push(...(await companiesByInn(db, q.inn, q.kpp)));
  }
  if (q.name) {
    companies.push(...(await companiesByName(db, q.name, q.inn, q.kpp)));
    if (q.companyId) {
      contacts.push(...(await contactsNamedLike(db, q.name, [q.companyId])));
    }
  }
  return { contacts, companies };
}

/**
 * GET /duplicates/check: records that a new one would duplicate. Those in scope come in full; for the
 * others only that they exist and whose they are, so the user can ask the responsible colleague.
 */
export async function checkDuplicates(
  db: Knex,
  p: Principal,
  q: DuplicateCheckQuery,
): Promise<DuplicateCheck> {
  const found = await checkSignals(db, q);
  const result: DuplicateCheck = { contacts: [], companies: [], hidden: [] };
  const place = <Row extends { id: string; owner_id: string; owner_path: string; owner_name: string }>(
    entity: "contacts" | "companies",
    scored: Scored[],
    rows: Row[],
    show: (row: Row, s: Scored) => void,
  ) => {
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const s of scored) {
      const row = byId.get(s.id);
      if (row && canSee(p, entity, { userId: row.owner_id, departmentPath: row.owner_path })) {
        show(row, s);
      } else if (row) {
        result.hidden.push({ entity, reasons: s.reasons, ownerName: row.owner_name });
      }
    }
  };
  const contacts = scoreSignals(found.contacts);
  const companies = scoreSignals(found.companies);
  const contactRows = await loadContacts(db, idsOf(contacts));
  place("contacts", contacts, contactRows, (row, s) =>
    result.contacts.push({ contact: toContact(row), score: s.score, reasons: s.reasons }),
  );
  const companyRows = await loadCompanies(db, idsOf(companies));
  place("companies", companies, companyRows, (row, s) =>
    result.companies.push({ company: toCompany(row), score: s.score, reasons: s.reasons }),
  );
  return result;
}
