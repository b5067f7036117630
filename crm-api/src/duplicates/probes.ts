import type { Knex } from "knex";
import { NAME_SIMILARITY, WEIGHT, type Signal } from "./score.ts";

// Live probes: each is one indexed query for the values of one record (or of a record about to be
// created), answering which other records share them. The nightly scan applies the same rules to every
// record at once (scan.ts). `exceptId` leaves out the record being examined.

type Db = Knex | Knex.Transaction;

const signals = (ids: string[], reason: Signal["reason"], weight: number): Signal[] =>
  ids.map((id) => ({ id, reason, weight }));

/** Contacts that hold one of these numbers themselves. */
export async function contactsHoldingPhones(
  db: Db,
  phones: string[],
  exceptId?: string,
  weight: number = WEIGHT.phone,
): Promise<Signal[]> {
  if (phones.length === 0) {
    return [];
  }
  const q = db("contact_phones").whereIn("phone", phones);
  const ids = (await (exceptId ? q.whereNot("contact_id", exceptId) : q)
    .distinct()
    .pluck("contact_id")) as string[];
  return signals(ids, "phone", weight);
}

/** Contacts holding the main line of one of these companies while not working there themselves. */
export async function holdersOfCompanyPhones(
  db: Db,
  companyIds: string[],
  exceptId: string,
): Promise<Signal[]> {
  if (companyIds.length === 0) {
    return [];
  }
  const ids = (await db("contact_phones as p")
    .join("companies as co", "co.phone", "p.phone")
    .whereIn("co.id", companyIds)
    .whereNot("p.contact_id", exceptId)
    .whereNotExists(
      db("contact_companies as own").whereRaw("own.contact_id = p.contact_id and own.company_id = co.id"),
    )
    .distinct()
    .pluck("p.contact_id")) as string[];
  return signals(ids, "phone", WEIGHT.phoneOfCompany);
}

/**
 * Contacts working at a company whose main line is one of these numbers, unless the number's holder works
 * there too (then it is simply the company's number on a colleague's card).
 */
export async function contactsAtCompaniesWithPhones(
  db: Db,
  phones: string[],
  holderCompanyIds: string[],
  exceptId?: string,
): Promise<Signal[]> {
  if (phones.length === 0) {
    return [];
  }
  const q = db("companies as co")
    .join("contact_companies as cc", "cc.company_id", "co.id")
    .whereIn("co.phone", phones)
    .whereNotIn("co.id", holderCompanyIds);
  const ids = (await (exceptId ? q.whereNot("cc.contact_id", exceptId) : q)
    .distinct()
    .pluck("cc.contact_id")) as string[];
  return signals(ids, "phone", WEIGHT.phoneOfCompany);
}

/** Contacts whose leads came from one of these numbers. */
export async function contactsOfLeadsWithPhones(
  db: Db,
  phones: string[],
  exceptId?: string,
): Promise<Signal[]> {
  if (phones.length === 0) {
    return [];
  }
  const q = db("leads").whereIn("phone", phones).whereNotNull("contact_id");
  const ids = (await (exceptId ? q.whereNot("contact_id", exceptId) : q)
    .distinct()
    .pluck("contact_id")) as string[];
  return signals(ids, "phone", WEIGHT.phoneOfLead);
}

/** Contacts with one of these e-mails, compared without case. */
export async function contactsByEmails(db: Db, emails: string[], exceptId?: string): Promise<Signal[]> {
  if (emails.length === 0) {
    return [];
  }
  const q = db("contact_emails").whereRaw("lower(email) = any(?::text[])", [
    emails.map((e) => e.toLowerCase()),
  ]);
  const ids = (await (exceptId ? q.whereNot("contact_id", exceptId) : q)
    .distinct()
    .pluck("contact_id")) as string[];
  return signals(ids, "email", WEIGHT.email);
}

/**
 * Contacts of these companies whose name is like this one: trigram similarity (the `%` operator narrows
 * through the trigram index, the similarity bound decides) or the same words in another order.
 */
export async function contactsNamedLike(
  db: Db,
  name: string,
  companyIds: string[],
  exceptId?: string,
): Promise<Signal[]> {
  if (companyIds.length === 0 || name.trim() === "") {
    return [];
  }
  const q = db("contacts as c")
    .whereIn("c.id", db("contact_companies").whereIn("company_id", companyIds).select("contact_id"))
    .whereRaw(
      `((lower(c.full_name) % lower(?) and similarity(lower(c.full_name), lower(?)) >= ?)
        or okno_person_key(c.full_name) = okno_person_key(?))`,
      [name, name, NAME_SIMILARITY, name],
    );
  if (exceptId) {
    q.whereNot("c.id", exceptId);
  }
  const rows = await q.select<{ id: string; sim: number }[]>(
    "c.id",
    db.raw(
      `greatest(similarity(lower(c.full_name), lower(?)),
                case when okno_person_key(c.full_name) = okno_person_key(?) then 1 else 0 end) as sim`,
      [name, name],
    ),
  );
  return rows.map((r) => ({ id: r.id, reason: "name", weight: WEIGHT.personName * Number(r.sim) }));
}

/** Companies whose main line is this number. */
export async function companiesByPhone(db: Db, phone: string): Promise<Signal[]> {
  return signals(
    (await db("companies").where("phone", phone).pluck("id")) as string[],
    "phone",
    WEIGHT.phone,
  );
}

export async function companiesByEmail(db: Db, email: string): Promise<Signal[]> {
  const ids = (await db("companies")
    .whereRaw("lower(email) = ?", [email.toLowerCase()])
    .pluck("id")) as string[];
  return signals(ids, "email", WEIGHT.email);
}

/** Companies with this ИНН, unless both have a КПП and they differ (a branch is not a duplicate). */
export async function companiesByInn(db: Db, inn: string, kpp: string | undefined): Promise<Signal[]> {
  const rows = await db("companies")
    .where("inn", inn)
    .select<{ id: string; kpp: string | null }[]>("id", "kpp");
  return rows
    .filter((r) => !kpp || !r.kpp || r.kpp === kpp)
    .map((r) => ({ id: r.id, reason: "inn", weight: kpp && r.kpp ? WEIGHT.innAndKpp : WEIGHT.innOnly }));
}

/**
 * Companies whose name is the same once case, quotes and the legal form (ООО, АО…) are dropped, except
 * those a different ИНН (or the same ИНН with another КПП) shows to be another organisation.
 */
export async function companiesByName(
  db: Db,
  name: string,
  inn?: string | null,
  kpp?: string | null,
): Promise<Signal[]> {
  const rows = await db("companies")
    .whereRaw("okno_company_key(name) = okno_company_key(?)", [name])
    .whereRaw("okno_company_key(?) <> ''", [name])
    .select<{ id: string; inn: string | null; kpp: string | null }[]>("id", "inn", "kpp");
  const distinct = (r: { inn: string | null; kpp: string | null }) =>
    Boolean(inn && r.inn && (inn !== r.inn || (kpp && r.kpp && kpp !== r.kpp)));
  return signals(
    rows.filter((r) => !distinct(r)).map((r) => r.id),
    "name",
    WEIGHT.companyName,
  );
}
