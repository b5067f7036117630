import type { Contact, Deal, LeadConversion, LeadConvert } from "@okno/contracts";
import type { Knex } from "knex";
import { assertRecordInScope } from "../access/scope.ts";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { findCompanyIdByInnOrName, findCompanyRowById, insertCompany, toCompany } from "../companies/repo.ts";
import {
  findContactRowById,
  insertContact,
  replaceEmails,
  replacePhones,
  toContact,
} from "../contacts/repo.ts";
import { insertDealIn } from "../deals/service.ts";
import { conflict } from "../errors.ts";
import { publishChange, type EntityChange } from "../realtime/publishChange.ts";
import {
  findContactOwnerByEmail,
  findContactOwnerByPhone,
  findLeadRowById,
  findOwner,
  linkContactToCompany,
  selectLeads,
  toLead,
  updateLeadColumns,
  type LeadRow,
} from "./repo.ts";
import { leadNotFound } from "./service.ts";

/** A found or created record; `ownerId` is who hears about changes to it. */
interface Resolved {
  id: string;
  ownerId: string;
  created: boolean;
}

/** "Иванов Иван Петрович" is Фамилия Имя Отчество; any other shape is kept whole as the first name. */
export function splitPersonName(name: string): { lastName?: string; firstName: string; middleName?: string } {
  const words = name.trim().split(/\s+/);
  if (words.length === 3) {
    return { lastName: words[0]!, firstName: words[1]!, middleName: words[2]! };
  }
  return { firstName: name.trim() };
}

/**
 * The lead's company: the one it already points at, else one with its ИНН, else one with its name
 * (ignoring case), else a new one owned by the lead's owner. Matching is over all companies, not only the
 * user's scope: one legal entity must stay one record, whoever manages it.
 */
async function resolveCompany(
  trx: Knex.Transaction,
  lead: LeadRow,
  createdBy: string,
): Promise<Resolved | null> {
  const existingId =
    lead.company_id ?? (await findCompanyIdByInnOrName(trx, lead.company_inn, lead.company_name));
  if (existingId) {
    const row = await findOwner(trx, "companies", existingId);
    return { id: existingId, ownerId: row!.owner_id, created: false };
  }
  if (!lead.company_inn && !lead.company_name) {
    return null;
  }
  const id = await insertCompany(trx, {
    name: lead.company_name ?? `Организация (ИНН ${lead.company_inn})`,
    inn: lead.company_inn,
    sourceId: lead.source_id,
    ownerId: lead.owner_id,
    createdBy,
  });
  return { id, ownerId: lead.owner_id, created: true };
}

/**
 * The lead's contact: the one it already points at, else the owner of its phone number, else of its
 * e-mail, else a new contact (owned by the lead's owner) with that name, phone and e-mail.
 */
async function resolveContact(
  trx: Knex.Transaction,
  lead: LeadRow,
  createdBy: string,
): Promise<Resolved | null> {
  const existing =
    (lead.contact_id ? await findOwner(trx, "contacts", lead.contact_id) : undefined) ??
    (lead.phone ? await findContactOwnerByPhone(trx, lead.phone) : undefined) ??
    (lead.email ? await findContactOwnerByEmail(trx, lead.email) : undefined);
  if (existing) {
    return { id: existing.id, ownerId: existing.owner_id, created: false };
  }
  const name = lead.contact_name ?? lead.phone ?? lead.email;
  if (!name) {
    return null;
  }
  const id = await insertContact(trx, {
    ...splitPersonName(name),
    sourceId: lead.source_id,
    ownerId: lead.owner_id,
    createdBy,
  });
  await replacePhones(trx, id, lead.phone ? [{ phone: lead.phone, kind: "mobile" }] : [], { isNew: true });
  await replaceEmails(trx, id, lead.email ? [{ email: lead.email, kind: "work" }] : [], { isNew: true });
  return { id, ownerId: lead.owner_id, created: true };
}

/** created for a new record, updated for an existing one that gained a link, nothing otherwise. */
function changeOf(entity: "contacts" | "companies", r: Resolved | null, linked: boolean): EntityChange[] {
  if (!r || (!r.created && !linked)) {
    return [];
  }
  return [{ entity, id: r.id, action: r.created ? "created" : "updated", ownerIds: [r.ownerId] }];
}

async function readContact(trx: Knex.Transaction, id: string): Promise<Contact> {
  return toContact((await findContactRowById(trx, id))!);
}

/**
 * Audit rows for a conversion: each record it created (marked with the lead), the existing contact it
 * linked to the company (`contactBefore` is then the contact before the link), and the lead itself.
 */
async function auditConversion(
  trx: Knex.Transaction,
  p: Principal,
  lead: LeadRow,
  made: { company: Resolved | null; contact: Resolved | null; contactBefore: Contact | null; deal: Deal },
): Promise<void> {
  const meta = { leadId: lead.id };
  if (made.company?.created) {
    const company = toCompany((await findCompanyRowById(trx, made.company.id))!);
    await auditChange(trx, p, "companies", null, company, meta);
  }
  if (made.contact && (made.contact.created || made.contactBefore)) {
    const after = await readContact(trx, made.contact.id);
    await auditChange(trx, p, "contacts", made.contactBefore, after, meta);
  }
  await auditChange(trx, p, "deals", null, made.deal, meta);
  await auditChange(trx, p, "leads", toLead(lead), toLead((await findLeadRowById(trx, lead.id))!));
}

/**
 * Lead → deal in one transaction: company and contact found or created and linked, the deal created in
 * the requested (or default) stage, the lead marked converted. Any failure, a bad stage included, leaves
 * nothing behind. The lead row is locked first, so two simultaneous conversions yield one deal and a 409.
 */
export async function convertLead(
  db: Knex,
  p: Principal,
  id: string,
  input: LeadConvert,
): Promise<LeadConversion> {
  await assertRecordInScope(db, p, "leads", "leads", id, leadNotFound());
  return db.transaction(async (trx) => {
    const lead = await selectLeads(trx).where("l.id", id).forUpdate().first<LeadRow | undefined>();
    if (!lead) {
      throw leadNotFound();
    }
    if (lead.status === "converted") {
      throw conflict(`the lead is already converted (deal ${lead.deal_id ?? "deleted"})`);
    }
    const company = await resolveCompany(trx, lead, p.userId);
    const contact = await resolveContact(trx, lead, p.userId);
    const contactBefore = company && contact && !contact.created ? await readContact(trx, contact.id) : null;
    const linked = company && contact ? await linkContactToCompany(trx, contact.id, company.id) : false;
    const deal = await insertDealIn(trx, {
      title: input.title ?? lead.title,
      amount: input.amount ?? lead.amount ?? 0,
      pipelineId: input.pipelineId,
      stageId: input.stageId,
      companyId: company?.id ?? null,
      contactId: contact?.id ?? null,
      sourceId: lead.source_id,
      ownerId: lead.owner_id,
      createdBy: p.userId,
      leadId: lead.id,
    });
    await updateLeadColumns(trx, id, {
      status: "converted",
      converted_at: trx.fn.now(),
      deal_id: deal.id,
      contact_id: contact?.id ?? null,
      company_id: company?.id ?? null,
    });
    const changes: EntityChange[] = [
      ...changeOf("companies", company, linked),
      ...changeOf("contacts", contact, linked),
      { entity: "deals", id: deal.id, action: "created", ownerIds: [lead.owner_id] },
      { entity: "leads", id, action: "updated", ownerIds: [lead.owner_id] },
    ];
    for (const change of changes) {
      await publishChange(trx, change);
    }
    await auditConversion(trx, p, lead, {
      company,
      contact,
      contactBefore: linked ? contactBefore : null,
      deal,
    });
    return {
      deal,
      contactId: contact?.id ?? null,
      companyId: company?.id ?? null,
      createdContact: contact?.created ?? false,
      createdCompany: company?.created ?? false,
    };
  });
}
