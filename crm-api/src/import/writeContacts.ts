import { randomUUID } from "node:crypto";
import type { Contact } from "@okno/contracts";
import type { Knex } from "knex";
import { canSee } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { selectContacts, toContact, type ContactRow } from "../contacts/repo.ts";
import { companyRefKey, resolveCompanies } from "./companyLinks.ts";
import type { ContactDraft } from "./drafts.ts";
import type { ExistingIndex } from "./plan.ts";
import { auditImported, inChunks, recordset, type WriteContext } from "./writeContext.ts";

export interface ContactCreateItem {
  row: number;
  draft: ContactDraft;
  ownerId: string;
}

export interface ContactUpdateItem extends ContactCreateItem {
  recordId: string;
}

const CHUNK = 5000;

/** Existing contacts by phone, then by e-mail: what rows of the file may duplicate. */
export async function findExistingContacts(
  db: Knex,
  p: Principal,
  drafts: ContactDraft[],
): Promise<ExistingIndex> {
  const index: ExistingIndex = new Map();
  type Hit = { value: string; id: string; owner_id: string; path: string };
  const add = (prefix: string, hits: Hit[]) => {
    for (const h of hits) {
      const inScope = canSee(p, "contacts", { userId: h.owner_id, departmentPath: h.path });
      const key = `${prefix}:${h.value}`;
      index.set(key, [...(index.get(key) ?? []), { id: h.id, guard: null, inScope }]);
    }
  };
  const lookup = (table: string, column: string) => (values: string[]) =>
    db(`${table} as x`)
      .join("contacts as c", "c.id", "x.contact_id")
      .join("users as u", "u.id", "c.owner_id")
      .join("departments as d", "d.id", "u.department_id")
      .whereIn(`x.${column}`, values)
      .orderBy([{ column: "c.created_at" }, { column: "c.id" }])
      .select<Hit[]>(`x.${column} as value`, "c.id", "c.owner_id", "d.path");
  const phones = [...new Set(drafts.flatMap((d) => d.phones))];
  const emails = [...new Set(drafts.flatMap((d) => d.emails))];
  add("phone", await inChunks(phones, CHUNK, lookup("contact_phones", "phone")));
  add("email", await inChunks(emails, CHUNK, lookup("contact_emails", "email")));
  return index;
}

// Russian mobile numbers are +79…; anything else is most likely an office line.
const phoneKind = (e164: string) => (e164.startsWith("+79") ? "mobile" : "work");

async function loadContacts(trx: Knex.Transaction, ids: string[]): Promise<Map<string, Contact>> {
  const rows = (await selectContacts(trx).whereIn("c.id", ids)) as ContactRow[];
  return new Map(rows.map((r) => [r.id, toContact(r)]));
}

async function companyIdsFor(
  trx: Knex.Transaction,
  ctx: WriteContext,
  items: ContactCreateItem[],
): Promise<(string | null)[]> {
  const wanted = items.flatMap((i) =>
    i.draft.company ? [{ ref: i.draft.company, ownerId: i.ownerId, row: i.row }] : [],
  );
  const ids = wanted.length > 0 ? await resolveCompanies(trx, ctx, wanted) : new Map<string, string>();
  return items.map((i) => (i.draft.company ? (ids.get(companyRefKey(i.draft.company)) ?? null) : null));
}

/** Phones, e-mails and company links of a batch, in three multi-row inserts. */
async function insertDetails(
  trx: Knex.Transaction,
  details: {
    contactId: string;
    phones: string[];
    emails: string[];
    companyId: string | null;
    phoneStart: number;
    emailStart: number;
    primary: boolean;
  }[],
): Promise<void> {
  const phones = details.flatMap((d) =>
    d.phones.map((phone, i) => ({
      contact_id: d.contactId,
      phone,
      kind: phoneKind(phone),
      position: d.phoneStart + i,
    })),
  );
  const emails = details.flatMap((d) =>
    d.emails.map((email, i) => ({
      contact_id: d.contactId,
      email,
      kind: "work",
      position: d.emailStart + i,
    })),
  );
  const links = details.flatMap((d) =>
    d.companyId ? [{ contact_id: d.contactId, company_id: d.companyId, is_primary: d.primary }] : [],
  );
  // The plan gave every number to one row; a number taken since (a call created a contact) stays its owner's.
  for (let i = 0; i < phones.length; i += 2000) {
    await trx("contact_phones")
      .insert(phones.slice(i, i + 2000))
      .onConflict("phone")
      .ignore();
  }
  for (let i = 0; i < emails.length; i += 2000) {
    await trx("contact_emails").insert(emails.slice(i, i + 2000));
  }
  for (let i = 0; i < links.length; i += 2000) {
    await trx("contact_companies")
      .insert(links.slice(i, i + 2000))
      .onConflict(["contact_id", "company_id"])
      .ignore();
  }
}

/** Creates a batch of contacts: one insert per table, then one audit insert for all of them. */
export async function createContacts(
  trx: Knex.Transaction,
  ctx: WriteContext,
  items: ContactCreateItem[],
): Promise<void> {
  const companyIds = await companyIdsFor(trx, ctx, items);
  const ids = items.map(() => randomUUID());
  await trx("contacts").insert(
    items.map((item, i) => ({
      id: ids[i],
      last_name: item.draft.lastName,
      first_name: item.draft.firstName,
      middle_name: item.draft.middleName,
      position: item.draft.position,
      birthday: item.draft.birthday,
      note: item.draft.note,
      owner_id: item.ownerId,
      created_by: ctx.principal.userId,
    })),
  );
  await insertDetails(
    trx,
    items.map((item, i) => ({
      contactId: ids[i]!,
      phones: item.draft.phones,
      emails: item.draft.emails,
      companyId: companyIds[i] ?? null,
      phoneStart: 0,
      emailStart: 0,
      primary: true,
    })),
  );
  const after = await loadContacts(trx, ids);
  const changes = items.map((item, i) => ({
    recordId: ids[i]!,
    row: item.row,
    before: null,
    after: after.get(ids[i]!)!,
  }));
  await auditImported(trx, ctx, "contacts", changes);
}

/**
 * Fills existing contacts in from the file: names, position, birthday and note the file gives replace the
 * stored ones, an owner named in the file takes over, and new phones, e-mails and the company are added.
 * Nothing is removed: an import never loses what people typed into the CRM.
 */
export async function updateContacts(
  trx: Knex.Transaction,
  ctx: WriteContext,
  items: ContactUpdateItem[],
): Promise<void> {
  const ids = items.map((i) => i.recordId);
  const before = await loadContacts(trx, ids);
  const companyIds = await companyIdsFor(trx, ctx, items);
  await trx.raw(
    `update contacts as c set
       last_name = coalesce(v.last_name, c.last_name), first_name = coalesce(v.first_name, c.first_name),
       middle_name = coalesce(v.middle_name, c.middle_name), position = coalesce(v.position, c.position),
       birthday = coalesce(v.birthday, c.birthday), note = coalesce(v.note, c.note),
       owner_id = coalesce(v.owner_id, c.owner_id), updated_at = now()
     from jsonb_to_recordset(?::jsonb) as v(id uuid, last_name text, first_name text, middle_name text,
       position text, birthday date, note text, owner_id uuid)
     where c.id = v.id`,
    [
      recordset(
        items.map((i) => ({
          id: i.recordId,
          last_name: i.draft.lastName,
          first_name: i.draft.firstName,
          middle_name: i.draft.middleName,
          position: i.draft.position,
          birthday: i.draft.birthday,
          note: i.draft.note,
          owner_id: i.draft.owner ? i.ownerId : null,
        })),
      ),
    ],
  );
  await insertDetails(
    trx,
    items.map((item, i) => {
      const old = before.get(item.recordId)!;
      return {
        contactId: item.recordId,
        phones: item.draft.phones.filter((p) => !old.phones.some((o) => o.phone === p)),
        emails: item.draft.emails.filter((e) => !old.emails.some((o) => o.email === e)),
        companyId: companyIds[i] ?? null,
        phoneStart: old.phones.length,
        emailStart: old.emails.length,
        primary: old.companies.length === 0,
      };
    }),
  );
  const after = await loadContacts(trx, ids);
  const changes = items.map((i) => ({
    recordId: i.recordId,
    row: i.row,
    before: before.get(i.recordId)!,
    after: after.get(i.recordId)!,
  }));
  await auditImported(trx, ctx, "contacts", changes);
}
