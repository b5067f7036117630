import type { Knex } from "knex";

/** Mobile codes 900–999 except 930, part of which libphonenumber rejects (checked with normalizePhone). */
export const MOBILE_CODES: number[] = Array.from({ length: 100 }, (_, i) => 900 + i).filter((c) => c !== 930);
const SPACE = MOBILE_CODES.length * 10_000_000;

/**
 * The seed's phone number for an integer expression `j`, in SQL: a valid Russian mobile in E.164 drawn
 * from a hash of j, so its digits are as evenly spread as real numbers are (which fragment search needs).
 * Two j can hash to the same number; the seed skips such a repeat (about 0.1% of numbers at 1M contacts).
 */
export function seedPhoneSql(j: string): string {
  const x = `((hashint8((${j})::bigint) % ${SPACE} + ${SPACE}) % ${SPACE})`;
  return `'+7' || (array[${MOBILE_CODES.join(",")}])[1 + ${x} / 10000000] || lpad((${x} % 10000000)::text, 7, '0')`;
}

/** A random valid Russian mobile number in E.164. */
export function randomMobile(random: () => number): string {
  const code = MOBILE_CODES[Math.floor(random() * MOBILE_CODES.length)]!;
  return `+7${code}${String(Math.floor(random() * 10_000_000)).padStart(7, "0")}`;
}

/**
 * `count` existing numbers in random order, the same on every run over the same seed (TABLESAMPLE …
 * REPEATABLE and a seeded shuffle): a lookup benchmark must not walk the index in order.
 */
export async function sampleExistingPhones(
  knex: Knex,
  count: number,
  random: () => number,
): Promise<string[]> {
  const [total] = await knex("contact_phones").count<{ n: number | string }[]>({ n: "*" });
  const percent = Math.min(100, ((count * 1.3) / Math.max(1, Number(total?.n))) * 100);
  const { rows } = await knex.raw<{ rows: { phone: string }[] }>(
    "select phone from contact_phones tablesample bernoulli (?) repeatable (42) order by phone",
    [percent],
  );
  if (rows.length === 0) {
    throw new Error("the benchmark database has no phone numbers");
  }
  const phones = Array.from({ length: count }, (_, i) => rows[i % rows.length]!.phone);
  for (let i = phones.length - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1));
    [phones[i], phones[k]] = [phones[k]!, phones[i]!];
  }
  return phones;
}

/** `count` distinct random numbers that no contact has: for creates and for "unknown caller" lookups. */
export async function freshPhones(knex: Knex, count: number, random: () => number): Promise<string[]> {
  const fresh = new Set<string>();
  while (fresh.size < count) {
    const batch = new Set<string>();
    while (batch.size < Math.min(5000, count - fresh.size)) {
      const p = randomMobile(random);
      if (!fresh.has(p)) {
        batch.add(p);
      }
    }
    const taken = new Set(
      await knex("contact_phones")
        .whereIn("phone", [...batch])
        .pluck<string[]>("phone"),
    );
    batch.forEach((p) => !taken.has(p) && fresh.add(p));
  }
  return [...fresh];
}

/** How people type the same number: with the trunk prefix 8, with +7 and spaces, or the bare ten digits. */
export function writtenAsPerson(e164: string, variant: number): string {
  const d = e164.slice(2);
  const [code, a, b, c] = [d.slice(0, 3), d.slice(3, 6), d.slice(6, 8), d.slice(8, 10)];
  switch (variant % 3) {
    case 0:
      return `8 (${code}) ${a}-${b}-${c}`;
    case 1:
      return `+7 ${code} ${a} ${b} ${c}`;
    default:
      return d;
  }
}
