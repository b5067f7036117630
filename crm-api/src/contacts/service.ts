import type { Contact, ContactCreate, ContactUpdate } from "@okno/contracts";
import type { Knex } from "knex";
import { assertCanAssign, assertRecordInScope, whereInScope } from "../access/scope.ts";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { mergeFieldValues, resolveFieldValues } from "../fields/values.ts";
import { publishChange } from "../realtime/publishChange.ts";
import {
  deleteContact,
  findContactRowById,
  findTakenPhones,
  insertContact,
  replaceCompanies,
  replaceEmails,
  replacePhones,
  toContact,
  updateContactColumns,
} from "./repo.ts";

const contactNotFound = () => notFound("contact");

/** Rejects a body that lists one number twice or takes a number that is another contact's. */
async function assertPhonesFree(
  db: Knex | Knex.Transaction,
  phones: { phone: string }[],
  contactId?: string,
): Promise<void> {
  const seen = new Map<string, number>();
  phones.forEach((p, i) => {
    const first = seen.get(p.phone);
    if (first !== undefined) {
      throw badRequest("the same phone number is listed twice", {
        [`body.phones.${i}.phone`]: `same number as phones.${first}`,
      });
    }
    seen.set(p.phone, i);
  });
  const taken = await findTakenPhones(db, [...seen.keys()], contactId);
  if (taken.length > 0) {
    const fields = Object.fromEntries(
      taken.map((t) => [
        `body.phones.${seen.get(t.phone)}.phone`,
        `${t.phone} belongs to contact ${t.contact_id}`,
      ]),
    );
    throw conflict("a phone number already belongs to another contact", fields);
  }
}

/** Companies linked to a contact must exist and be visible to the user linking them. */
async function assertCompaniesVisible(
  db: Knex | Knex.Transaction,
  p: Principal,
  ids: string[],
): Promise<void> {
  if (ids.length === 0) {
    return;
  }
  const unique = [...new Set(ids)];
  const q = db("companies as co").whereIn("co.id", unique);
  const found = (await whereInScope(q, db as Knex, p, "companies", "co.owner_id").pluck("co.id")) as string[];
  const missing = unique.filter((id) => !found.includes(id));
  if (missing.length > 0) {
    const fields = Object.fromEntries(
      missing.map((id) => [`body.companyIds.${ids.indexOf(id)}`, "no such company in your scope"]),
    );
    throw badRequest("unknown company", fields);
  }
}

export async function createContact(db: Knex, p: Principal, input: ContactCreate): Promise<Contact> {
  const ownerId = input.ownerId ?? p.userId;
  await assertCanAssign(db, p, "contacts", ownerId);
  await assertPhonesFree(db, input.phones ?? []);
  await assertCompaniesVisible(db, p, input.companyIds ?? []);
  return db.transaction(async (trx) => {
    const fields = await resolveFieldValues(trx, "contacts", input.fields, { mode: "create" });
    const id = await insertContact(trx, { ...input, fields, ownerId, createdBy: p.userId });
    await replacePhones(trx, id, input.phones ?? [], { isNew: true });
    await replaceEmails(trx, id, input.emails ?? [], { isNew: true });
    await replaceCompanies(trx, id, [...new Set(input.companyIds ?? [])], { isNew: true });
    await publishChange(trx, { entity: "contacts", id, action: "created", ownerIds: [ownerId] });
    const contact = toContact((await findContactRowById(trx, id))!);
    await auditChange(trx, p, "contacts", null, contact);
    return contact;
  });
}

export async function getContact(db: Knex, p: Principal, id: string): Promise<Contact> {
  await assertRecordInScope(db, p, "contacts", "contacts", id, contactNotFound());
  return toContact((await findContactRowById(db, id))!);
}

export async function updateContact(
  db: Knex,
  p: Principal,
  id: string,
  input: ContactUpdate,
): Promise<Contact> {
  await assertRecordInScope(db, p, "contacts", "contacts", id, contactNotFound());
  if (input.ownerId) {
    await assertCanAssign(db, p, "contacts", input.ownerId);
  }
  if (input.phones) {
    await assertPhonesFree(db, input.phones, id);
  }
  if (input.companyIds) {
    await assertCompaniesVisible(db, p, input.companyIds);
  }
  return db.transaction(async (trx) => {
    const before = await trx("contacts").where("id", id).forUpdate().first<{ owner_id: string }>("owner_id");
    if (!before) {
      throw contactNotFound();
    }
    const old = toContact((await findContactRowById(trx, id))!);
    const fields = await mergeFieldValues(trx, "contacts", id, input.fields);
    await updateContactColumns(trx, id, { ...input, fields });
    if (input.phones) {
      await replacePhones(trx, id, input.phones);
    }
    if (input.emails) {
      await replaceEmails(trx, id, input.emails);
    }
    if (input.companyIds) {
      await replaceCompanies(trx, id, [...new Set(input.companyIds)]);
    }
    const ownerIds = [before.owner_id, input.ownerId ?? before.owner_id];
    await publishChange(trx, { entity: "contacts", id, action: "updated", ownerIds });
    const contact = toContact((await findContactRowById(trx, id))!);
    await auditChange(trx, p, "contacts", old, contact);
    return contact;
  });
}

export async function removeContact(db: Knex, p: Principal, id: string): Promise<void> {
  await assertRecordInScope(db, p, "contacts", "contacts", id, contactNotFound());
  await db.transaction(async (trx) => {
    const row = await findContactRowById(trx, id);
    await deleteContact(trx, id);
    await publishChange(trx, {
      entity: "contacts",
      id,
      action: "deleted",
      ownerIds: row ? [row.owner_id] : [],
    });
    // The last values stay readable in the audit after the record is gone.
    await auditChange(trx, p, "contacts", row ? toContact(row) : null, null);
  });
}
