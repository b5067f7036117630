import type { DuplicateReason } from "@okno/contracts";

/**
 * How strongly each signal alone says "same record". One number belongs to one contact, so a number
 * known elsewhere is strong evidence; a company's main line shared with a person is weaker (a receptionist).
 * Branches share an ИНН but differ in КПП, so an ИНН without both КПП is a little less certain.
 */
export const WEIGHT = {
  /** The number itself is the record's (only the live check meets this: contacts never share one). */
  phone: 0.9,
  email: 0.8,
  phoneOfLead: 0.8,
  phoneOfCompany: 0.6,
  innAndKpp: 0.95,
  innOnly: 0.85,
  companyName: 0.6,
  /** Times the name similarity (1 for equal normalised names). */
  personName: 0.7,
} as const;

/** pg_trgm similarity from which two names at one company count as one person. */
export const NAME_SIMILARITY = 0.6;

/** One piece of evidence that a record duplicates another. */
export interface Signal {
  id: string;
  reason: DuplicateReason;
  weight: number;
}

/**
 * Independent signals combine like probabilities: 1 − Π(1 − w), keeping the strongest weight per reason
 * (two shared e-mails are not twice the evidence). The scan computes the same in SQL (scan.ts).
 */
export function combineScore(weights: Iterable<number>): number {
  let miss = 1;
  for (const w of weights) {
    miss *= 1 - w;
  }
  return Math.round((1 - miss) * 1000) / 1000;
}

export interface Scored {
  id: string;
  score: number;
  reasons: DuplicateReason[];
}

/** Groups signals by record: reasons sorted, score combined; best first. */
export function scoreSignals(signals: Signal[]): Scored[] {
  const byId = new Map<string, Map<DuplicateReason, number>>();
  for (const s of signals) {
    const reasons = byId.get(s.id) ?? new Map<DuplicateReason, number>();
    reasons.set(s.reason, Math.max(reasons.get(s.reason) ?? 0, s.weight));
    byId.set(s.id, reasons);
  }
  return [...byId]
    .map(([id, reasons]) => ({
      id,
      score: combineScore(reasons.values()),
      reasons: [...reasons.keys()].sort(),
    }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
