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

/** Caller identification: one indexed probe of the unique E.164 number. */
export function findContactRowByPhone(db: Knex, e164: string): Promise<ContactRow | undefined> {
  return selectContacts(db)
    .whereIn("c.id", db("contact_phones").where("phone", e164).select("contact_id"))
    .first();
}

/**
 * Applies a free-text query: digits search phone numbers by fragment (and ИНН of linked companies when
 * it is 10 or 12 digits), text with "@" searches e-mails, anything else matches every word in the name.
 */
export function whereMatches(q: Knex.QueryBuilder, db: Knex, text: string): Knex.QueryBuilder {
  const digits = phoneDigits(text);
  if (/^[\d\s()+\-.]+$/.test(text) && digits.length >= 3) {
    // People type Russian numbers with the trunk prefix 8; stored numbers are +7…
    const fragments = [digits];
    if (digits.startsWith("8") && digits.length >= 4) {
      fragments.push(`7${digits.slice(1)}`);
    }
    return q.where((w) => {
      void w.whereIn(
        "c.id",
        db("contact_phones")
          .where((p) => {
            for (const f of fragments) {
              void p.orWhere("phone", "like", `%${f}%`);
            }
          })
          .select("contact_id"),
      );
      if (digits.length === 10 || digits.length === 12) {
        void w.orWhereIn(
          "c.id",
          db("contact_companies as cc")
            .join("companies as co", "co.id", "cc.company_id")
            .where("co.inn", digits)
            .select("cc.contact_id"),
        );
      }
    });
  }
  if (text.includes("@")) {
    return q.whereIn(
      "c.id",
      db("contact_emails")
        .where("email", "like", `${escapeLike(text.toLowerCase())}%`)
        .select("contact_id"),
    );
  }
  const words = text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  for (const word of words) {
    q.whereRaw("lower(c.full_name) like ?", [`%${escapeLike(word)}%`]);
  }
  return q;
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

export async function replacePhones(
  db: Knex.Transaction,
  contactId: string,
  phones: NonNullable<ContactCreate["phones"]>,
): Promise<void> {
  await db("contact_phones").where("contact_id", contactId).delete();
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
): Promise<void> {
  await db("contact_emails").where("contact_id", contactId).delete();
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
): Promise<void> {
  await db("contact_companies").where("contact_id", contactId).delete();
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
