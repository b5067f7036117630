import type { Contact, PhoneAttachResult } from "@okno/contracts";
import type { Knex } from "knex";
import { assertRecordInScope } from "../access/scope.ts";
import { actorOf, recordAudit } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { findContactRowById, toContact } from "../contacts/repo.ts";
import { notFound } from "../errors.ts";
import { publishChange } from "../realtime/publishChange.ts";
import { mergeContactsIn } from "./merge.ts";
import { referencesTo } from "./references.ts";

/** What may reference a contact that still counts as "nothing else": the timeline moves, pairs are derived. */
const MOVABLE = new Set(["interactions", "duplicate_pairs"]);

const present = async (trx: Knex.Transaction, id: string): Promise<Contact> =>
  toContact((await findContactRowById(trx, id))!);

/**
 * Whether the contact is only this number (what a call from an unknown number creates): no other phones,
 * e-mails, companies, deals, leads, tasks or anything else that references it (from the catalog, so a
 * future table counts too), and no details typed into the card; its calls can move.
 */
async function isOnlyThisNumber(trx: Knex.Transaction, contactId: string, phone: string): Promise<boolean> {
  const card = await trx("contacts")
    .where("id", contactId)
    .first<{ position: string | null; birthday: string | null; note: string | null; fields: object }>(
      "position",
      "birthday",
      "note",
      "fields",
    );
  if (card.position || card.birthday || card.note || Object.keys(card.fields).length > 0) {
    return false;
  }
  for (const ref of await referencesTo(trx, "contacts")) {
    if (MOVABLE.has(ref.table)) {
      continue;
    }
    const q = trx(ref.table).where(ref.column, contactId);
    if (ref.table === "contact_phones") {
      q.whereNot("phone", phone);
    }
    if (await q.first(trx.raw("1 as found"))) {
      return false;
    }
  }
  return true;
}

/** Moves (or, for an unknown number, adds) the phone to the target, last in its list; audits both cards. */
async function movePhone(
  trx: Knex.Transaction,
  p: Principal,
  targetId: string,
  holderId: string | null,
  phone: string,
): Promise<Contact> {
  const ids = holderId ? [targetId, holderId] : [targetId];
  const before = await Promise.all(ids.map((id) => present(trx, id)));
  const next = await trx("contact_phones")
    .where("contact_id", targetId)
    .first<{ n: number }>(trx.raw("coalesce(max(position) + 1, 0) as n"));
  if (holderId) {
    await trx("contact_phones").where("phone", phone).update({ contact_id: targetId, position: next.n });
  } else {
    await trx("contact_phones").insert({ contact_id: targetId, phone, position: next.n });
  }
  const after = await Promise.all(ids.map((id) => present(trx, id)));
  for (const [i, id] of ids.entries()) {
    const meta =
      id === targetId ? { attachedPhone: phone, from: holderId } : { detachedPhone: phone, to: targetId };
    await recordAudit(trx, actorOf(p), {
      entity: "contacts",
      recordId: id,
      action: "update",
      before: before[i]!,
      after: after[i]!,
      meta,
    });
    await publishChange(trx, { entity: "contacts", id, action: "updated", ownerIds: [after[i]!.ownerId] });
  }
  return after[0]!;
}

/**
 * POST /contacts/:id/phones/attach: "this number is that client". The contact holding the number (often
 * created by a call from it) is merged into the chosen one when it has nothing else; otherwise only the
 * number moves. The user must see both contacts.
 */
export async function attachPhone(
  db: Knex,
  p: Principal,
  targetId: string,
  phone: string,
): Promise<PhoneAttachResult> {
  return db.transaction(async (trx) => {
    await trx("contacts").where("id", targetId).forUpdate().first("id");
    await assertRecordInScope(trx, p, "contacts", "contacts", targetId, notFound("contact"));
    const holder = await trx("contact_phones")
      .where("phone", phone)
      .forUpdate()
      .first<{ contact_id: string } | undefined>("contact_id");
    if (holder?.contact_id === targetId) {
      return { contact: await present(trx, targetId), mergedId: null };
    }
    if (holder) {
      await assertRecordInScope(trx, p, "contacts", "contacts", holder.contact_id, notFound("contact"));
    }
    if (holder && (await isOnlyThisNumber(trx, holder.contact_id, phone))) {
      const meta = { attachedPhone: phone };
      await mergeContactsIn(trx, p, { survivorId: targetId, mergedIds: [holder.contact_id] }, meta);
      return { contact: await present(trx, targetId), mergedId: holder.contact_id };
    }
    return { contact: await movePhone(trx, p, targetId, holder?.contact_id ?? null, phone), mergedId: null };
  });
}
