import type { Contact, ContactCreate, ContactUpdate } from "@okno/contracts";
import { phoneDigits } from "@okno/contracts";
import type { Knex } from "knex";
import { escapeLike } from "../listing.ts";
import { iso } from "../cursor.ts";

export interface ContactRow {
  id: string;
  last_name: string | null;
  first_name: string;
  middle_name: string | null;
  full_name: string;
  position: string | null;
  birthday: string | null;
  note: string | null;
  owner_id: string;
  source_id: string | null;
  created_at: Date;
  updated_at: Date;
  phones: Contact["phones"] | null;
  emails: Contact["emails"] | null;
  companies: Contact["companies"] | null;
  fields: Record<string, unknown>;
  owner_name: string;
  owner_path: string;
}

/**
 * Contacts with their phones, e-mails, companies and owner in one statement: the aggregates are
 * correlated sub-selects, so a page or a caller lookup is a single round trip.
 */
export function selectContacts(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  return db("contacts as c")
    .join("users as o", "o.id", "c.owner_id")
    .join("departments as od", "od.id", "o.department_id")
    .select(
      "c.id",
      "c.last_name",
      "c.first_name",
      "c.middle_name",
      "c.full_name",
      "c.position",
      "c.birthday",
      "c.note",
      "c.owner_id",
      "c.source_id",
      "c.fields",
      "c.created_at",
      "c.updated_at",
      "o.full_name as owner_name",
      "od.path as owner_path",
      db.raw(`(select json_agg(json_build_object('phone', p.phone, 'kind', p.kind) order by p.position)
               from contact_phones p where p.contact_id = c.id) as phones`),
      db.raw(`(select json_agg(json_build_object('email', e.email, 'kind', e.kind) order by e.position)
               from contact_emails e where e.contact_id = c.id) as emails`),
      db.raw(`(select json_agg(json_build_object('id', co.id, 'name', co.name) order by cc.is_primary desc, co.name)
               from contact_companies cc join companies co on co.id = cc.company_id
               where cc.contact_id = c.id) as companies`),
    );
}

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    lastName: row.last_name,
    firstName: row.first_name,
    middleName: row.middle_name,
    fullName: row.full_name,
    position: row.position,
    birthday: row.birthday,
    note: row.note,
    ownerId: row.owner_id,
    sourceId: row.source_id,
    phones: row.phones ?? [],
    emails: row.emails ?? [],
    companies: row.companies ?? [],
    fields: row.fields,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function findContactRowById(db: Knex | Knex.Transaction, id: string): Promise<ContactRow | undefined> {
  return selectContacts(db).where("c.id", id).first();
}

/**
 * Caller identification: one indexed probe of the unique E.164 number. A named statement on PostgreSQL, so
 * each pooled connection plans it once (planning this statement costs more than running it); PGlite, which
 * ignores the name, prepares every query anyway.
 */
export function findContactRowByPhone(db: Knex, e164: string): Promise<ContactRow | undefined> {
  return selectContacts(db)
    .whereIn("c.id", db("contact_phones").where("phone", e164).select("contact_id"))
    .options({ name: "okno_contact_by_phone" })
    .first();
}

/**
 * Applies a free-text query. Digits search phone numbers: typed from the start ("8 916 12", "+7 916") as a
 * prefix on the E.164 index, otherwise ("4567") as a fragment through the trigram index; 10 or 12 digits also
 * match the ИНН of linked companies. Text with "@" searches e-mails by prefix, Latin text e-mails and names,
 * anything else every word of the name.
 */
export function whereMatches(q: Knex.QueryBuilder, db: Knex, text: string): Knex.QueryBuilder {
  const digits = phoneDigits(text);
  if (/^[\d\s()+\-.]+$/.test(text) && digits.length >= 3) {
    const ids = [phoneMatches(db, text.trim(), digits)];
    if (digits.length === 10 || digits.length === 12) {
      ids.push(
        db("contact_companies as cc")
          .join("companies as co", "co.id", "cc.company_id")
          .where("co.inn", digits)
          .select("cc.contact_id"),
      );
    }
    // One IN over a UNION ALL: PostgreSQL plans "IN a OR IN b" as a scan of every contact.
    return q.whereIn("c.id", ids.length === 1 ? ids[0]! : db.unionAll(ids, true));
  }
  const emailPrefix = db("contact_emails")
    .where("email", "like", `${escapeLike(text.toLowerCase())}%`)
    .select("contact_id");
  if (text.includes("@")) {
    return q.whereIn("c.id", emailPrefix);
  }
  const words = text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  const nameMatches = (w: Knex.QueryBuilder) => {
    for (const word of words) {
      void w.whereRaw("lower(c.full_name) like ?", [`%${escapeLike(word)}%`]);
    }
  };
  if (/^[a-z0-9._+-]+$/i.test(text)) {
    // "ivanova" is more often the start of an e-mail than a name typed in Latin letters: try both.
    return q.where((w) => {
      void w.whereIn("c.id", emailPrefix).orWhere(nameMatches);
    });
  }
  nameMatches(q);
  return q;
}

/** Contact ids whose numbers match what was typed (see whereMatches). */
function phoneMatches(db: Knex, text: string, digits: string): Knex.QueryBuilder {
  const phones = db("contact_phones").select("contact_id");
  const fromStart = text.startsWith("+") || (/^[78]/.test(digits) && digits.length >= 4);
  if (fromStart) {
    // "8 916 12" and "+7 916 12" are the start of +7916…: the Russian trunk prefix 8 is the country code.
    const prefix = text.startsWith("+") ? `+${digits}` : `+7${digits.slice(1)}`;
    return phones.where("phone", "like", `${prefix}%`);
  }
  return phones.where("phone", "like", `%${digits}%`);
}

/** Which of these numbers already belong to a contact other than `exceptContactId`. */
export function findTakenPhones(
  db: Knex | Knex.Transaction,
  phones: string[],
  exceptContactId?: string,
): Promise<{ phone: string; contact_id: string }[]> {
  const q = db("contact_phones").whereIn("phone", phones).select("phone", "contact_id");
  return exceptContactId ? q.whereNot("contact_id", exceptContactId) : q;
}

type ContactColumns = Omit<ContactCreate, "phones" | "emails" | "companyIds">;

function toColumns(input: Partial<ContactColumns>): Record<string, unknown> {
  const map: Record<string, unknown> = {
    last_name: input.lastName,
    first_name: input.firstName,
    middle_name: input.middleName,
    position: input.position,
    birthday: input.birthday,
    note: input.note,
    owner_id: input.ownerId,
    source_id: input.sourceId,
    // Validated and merged by the service (fields/values.ts): the complete new set.
    fields: input.fields === undefined ? undefined : JSON.stringify(input.fields),
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

export async function insertContact(
  db: Knex.Transaction,
  input: ContactColumns & { ownerId: string; createdBy: string },
): Promise<string> {
  const [row] = await db("contacts")
    .insert({ ...toColumns(input), created_by: input.createdBy })
    .returning<{ id: string }[]>("id");
  return row!.id;
}

export async function updateContactColumns(
  db: Knex.Transaction,
  id: string,
  input: ContactUpdate,
): Promise<void> {
  await db("contacts")
    .where("id", id)
    .update({ ...toColumns(input), updated_at: db.fn.now() });
}

/** Replaces a contact's numbers; `isNew` skips the delete a just-inserted contact does not need. */
export async function replacePhones(
  db: Knex.Transaction,
  contactId: string,
  phones: NonNullable<ContactCreate["phones"]>,
  { isNew = false }: { isNew?: boolean } = {},
): Promise<void> {
  if (!isNew) {
    await db("contact_phones").where("contact_id", contactId).delete();
  }
  if (phones.length > 0) {
    await db("contact_phones").insert(
      phones.map((p, position) => ({ contact_id: contactId, phone: p.phone, kind: p.kind, position })),
    );
  }
}

export async function replaceEmails(
  db: Knex.Transaction,
  contactId: string,
  emails: NonNullable<ContactCreate["emails"]>,
  { isNew = false }: { isNew?: boolean } = {},
): Promise<void> {
  if (!isNew) {
    await db("contact_emails").where("contact_id", contactId).delete();
  }
  if (emails.length > 0) {
    await db("contact_emails").insert(
      emails.map((e, position) => ({ contact_id: contactId, email: e.email, kind: e.kind, position })),
    );
  }
}

export async function replaceCompanies(
  db: Knex.Transaction,
  contactId: string,
  companyIds: string[],
  { isNew = false }: { isNew?: boolean } = {},
): Promise<void> {
  if (!isNew) {
    await db("contact_companies").where("contact_id", contactId).delete();
  }
  if (companyIds.length > 0) {
    await db("contact_companies").insert(
      companyIds.map((companyId, i) => ({
        contact_id: contactId,
        company_id: companyId,
        is_primary: i === 0,
      })),
    );
  }
}

export async function deleteContact(db: Knex | Knex.Transaction, id: string): Promise<void> {
  await db("contacts").where("id", id).delete();
}
