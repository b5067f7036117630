/** A small seeded PRNG (mulberry32) so the demo company is the same on every machine. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const chance = (p: number): boolean => next() < p;
  return { next, int, pick, chance };
}
export type Random = ReturnType<typeof createRandom>;

const TRANSLIT: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ё: "e",
  ж: "zh",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
};

/** Latin spelling for e-mail addresses ("Соловьёв" → "solovev"). */
export function translit(s: string): string {
  return [...s.toLowerCase()].map((ch) => TRANSLIT[ch] ?? (/[a-z0-9]/.test(ch) ? ch : "")).join("");
}

/** How people write one number: the seed stores each in a different format to exercise normalisation. */
export function writePhone(r: Random, code: string, rest: string): string {
  const d = rest.padStart(7, "0");
  const formats = [
    `8 (${code}) ${d.slice(0, 3)}-${d.slice(3, 5)}-${d.slice(5)}`,
    `+7 ${code} ${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}`,
    `${code}${d}`,
    `8${code}${d}`,
    `+7(${code})${d}`,
  ];
  return r.pick(formats);
}
