import { completeInn, normalizePhone } from "@okno/contracts";
import type { Knex } from "knex";
import {
  CITIES,
  COMPANY_KINDS,
  COMPANY_WORDS,
  FATHERS,
  FEMALE_FIRST,
  MALE_FIRST,
  SURNAMES,
  feminineSurname,
  patronymic,
} from "./names.ts";
import { translit, writePhone, type Random } from "./random.ts";

export interface DemoCustomers {
  companies: { id: string; ownerId: string }[];
  contacts: { id: string; ownerId: string; companyId: string | null; phone: string }[];
}

const daysAgo = (r: Random, max: number) => new Date(Date.now() - r.int(0, max * 24 * 3600) * 1000);

/** Companies with valid ИНН/КПП and contacts with phones written in every common format. */
export async function seedDemoCustomers(
  db: Knex,
  r: Random,
  owners: { managers: string[]; agents: string[] },
  sources: string[],
  counts: { companies: number; contacts: number },
): Promise<DemoCustomers> {
  const companyRows = Array.from({ length: counts.companies }, (_, i) => {
    const kind = r.pick(COMPANY_KINDS);
    const [city, code] = r.pick(CITIES);
    const isIp = kind === "ИП";
    const inn = isIp
      ? completeInn(`77${String(10_000_000 + i * 7919).slice(-8)}`)
      : completeInn(`77${String(1_000_000 + i * 7919).slice(-7)}`);
    const name = isIp
      ? `ИП ${r.pick(SURNAMES)} ${r.pick(MALE_FIRST)[0]}. ${r.pick(FATHERS)[0]}.`
      : `${kind} «${COMPANY_WORDS[i % COMPANY_WORDS.length]}${i >= COMPANY_WORDS.length ? ` ${city}` : ""}»`;
    const created = daysAgo(r, 400);
    return {
      name,
      inn,
      kpp: isIp ? null : `${inn.slice(0, 4)}01001`,
      phone: normalizePhone(writePhone(r, code, String(r.int(2_000_000, 9_999_999)))),
      email: `info@${translit(COMPANY_WORDS[i % COMPANY_WORDS.length]!).slice(0, 12)}${i}.ru`,
      address: `г. ${city}, ул. ${r.pick(["Ленина", "Мира", "Садовая", "Заводская", "Центральная"])}, д. ${r.int(1, 120)}`,
      owner_id: r.pick(owners.managers),
      source_id: r.pick(sources),
      created_at: created,
      updated_at: created,
    };
  });
  const companies = await db("companies")
    .insert(companyRows)
    .returning<{ id: string; owner_id: string }[]>(["id", "owner_id"]);

  const contacts: DemoCustomers["contacts"] = [];
  const contactRows = [];
  const phoneRows: { contact_id: string; phone: string; kind: string; position: number }[] = [];
  const emailRows: { contact_id: string; email: string; kind: string; position: number }[] = [];
  const linkRows: { contact_id: string; company_id: string; is_primary: boolean; position: string | null }[] =
    [];
  for (let i = 0; i < counts.contacts; i++) {
    const female = r.chance(0.5);
    const surname = r.pick(SURNAMES);
    const id = crypto.randomUUID();
    const company = r.chance(0.6) ? companies[r.int(0, companies.length - 1)] : undefined;
    const ownerId =
      company && r.chance(0.8) ? company.owner_id : r.pick([...owners.managers, ...owners.agents]);
    const created = daysAgo(r, 365);
    contactRows.push({
      id,
      last_name: female ? feminineSurname(surname) : surname,
      first_name: female ? r.pick(FEMALE_FIRST) : r.pick(MALE_FIRST),
      middle_name: r.chance(0.85) ? patronymic(r.pick(FATHERS), female) : null,
      position: company
        ? r.pick(["Директор", "Менеджер по закупкам", "Главный инженер", "Бухгалтер", "Дизайнер"])
        : null,
      owner_id: ownerId,
      source_id: r.chance(0.7) ? r.pick(sources) : null,
      created_at: created,
      updated_at: created,
    });
    // Unique mobile numbers: operator code + serial, written the way a person would type them.
    const mobile = normalizePhone(
      writePhone(r, r.pick(["903", "905", "912", "916", "926", "985"]), String(1_000_000 + i * 31)),
    )!;
    phoneRows.push({ contact_id: id, phone: mobile, kind: "mobile", position: 0 });
    if (r.chance(0.5)) {
      const [, code] = r.pick(CITIES);
      const work = normalizePhone(writePhone(r, code, String(2_000_000 + i * 17)));
      if (work) {
        phoneRows.push({ contact_id: id, phone: work, kind: "work", position: 1 });
      }
    }
    if (r.chance(0.6)) {
      const last = contactRows.at(-1)!;
      emailRows.push({
        contact_id: id,
        email: `${translit(last.first_name)}.${translit(last.last_name)}${i}@${r.pick(["mail.ru", "yandex.ru", "gmail.com", "bk.ru"])}`,
        kind: company ? "work" : "personal",
        position: 0,
      });
    }
    if (company) {
      linkRows.push({ contact_id: id, company_id: company.id, is_primary: true, position: null });
    }
    contacts.push({ id, ownerId, companyId: company?.id ?? null, phone: mobile });
  }
  await db.batchInsert("contacts", contactRows, 500);
  await db.batchInsert("contact_phones", phoneRows, 500);
  await db.batchInsert("contact_emails", emailRows, 500);
  await db.batchInsert(
    "contact_companies",
    linkRows.map(({ position: _p, ...row }) => row),
    500,
  );
  return { companies: companies.map((c) => ({ id: c.id, ownerId: c.owner_id })), contacts };
}
