import type { ImportEntity, ImportItem, OnDuplicate } from "@okno/contracts";
import { dedupKeys, type Draft, type FieldError, type Normalized } from "./drafts.ts";

/** An existing record that owns a key. */
export interface ExistingRecord {
  id: string;
  /** See DedupKey.guard. */
  guard: string | null;
  /** Whether the importing user may see (and so update) it. */
  inScope: boolean;
}

/** Existing records by dedup key, oldest first. */
export type ExistingIndex = Map<string, ExistingRecord[]>;

export interface RowToPlan {
  row: number;
  normalized: Normalized<Draft>;
  /** The responsible user named in the row, already resolved; null means the importing user. */
  ownerId: string | null;
  /** Why the named responsible user cannot be used. */
  ownerError?: FieldError;
}

export type PlannedRow =
  | { row: number; outcome: "create"; draft: Draft; ownerId: string | null }
  | { row: number; outcome: "update"; draft: Draft; ownerId: string | null; recordId: string; reason: string }
  | { row: number; outcome: "skip"; reason: string; duplicateOfRow: number | null; recordId: string | null }
  | { row: number; outcome: "error"; errors: FieldError[] };

const KEY_LABELS: Record<string, string> = {
  phone: "phone",
  email: "e-mail",
  inn: "ИНН",
  name: "name",
  sku: "артикул",
  ext: "1C key",
};

const RECORD_NAMES: Record<ImportEntity, string> = {
  contacts: "contact",
  companies: "company",
  products: "product",
};

function describeKey(key: string): string {
  const [kind = "", ...rest] = key.split(":");
  return `${KEY_LABELS[kind] ?? kind} ${rest.join(":")}`;
}

const compatible = (a: string | null, b: string | null) => a === null || b === null || a === b;

/**
 * Decides every row: error, skip, update or create. Pure: the same rows and the same existing records give
 * the same plan, which is why a dry run reports exactly what the real run then does. A row repeating an
 * earlier row of the file is skipped as that row's duplicate whatever `onDuplicate` says; a row matching
 * an existing record updates it or is skipped; one record is updated by at most one row.
 */
export function planRows(
  entity: ImportEntity,
  rows: RowToPlan[],
  existing: ExistingIndex,
  onDuplicate: OnDuplicate,
): PlannedRow[] {
  const seen = new Map<string, { row: number; guard: string | null }[]>();
  const claimed = new Map<string, number>();
  const what = RECORD_NAMES[entity];
  return rows.map((r): PlannedRow => {
    if (!r.normalized.ok || r.ownerError) {
      const errors = [
        ...(r.normalized.ok ? [] : r.normalized.errors),
        ...(r.ownerError ? [r.ownerError] : []),
      ];
      return { row: r.row, outcome: "error", errors };
    }
    const draft = r.normalized.draft;
    const keys = dedupKeys(entity, draft);
    const planned = decide();
    for (const k of keys) {
      seen.set(k.key, [...(seen.get(k.key) ?? []), { row: r.row, guard: k.guard }]);
    }
    if (planned.outcome !== "error" && planned.outcome !== "create" && planned.recordId) {
      claimed.set(planned.recordId, r.row);
    }
    return planned;

    function decide(): PlannedRow {
      for (const k of keys) {
        const earlier = seen.get(k.key)?.find((c) => compatible(c.guard, k.guard));
        if (earlier) {
          const reason = `duplicate of row ${earlier.row} (same ${describeKey(k.key)})`;
          return { row: r.row, outcome: "skip", reason, duplicateOfRow: earlier.row, recordId: null };
        }
      }
      for (const k of keys) {
        const record = existing.get(k.key)?.find((c) => compatible(c.guard, k.guard));
        if (!record) {
          continue;
        }
        const byRow = claimed.get(record.id);
        if (byRow !== undefined) {
          const reason = `duplicate of row ${byRow} (both match ${what} ${record.id})`;
          return { row: r.row, outcome: "skip", reason, duplicateOfRow: byRow, recordId: record.id };
        }
        if (!record.inScope) {
          const reason = `a ${what} outside your scope has ${describeKey(k.key)}`;
          return { row: r.row, outcome: "skip", reason, duplicateOfRow: null, recordId: null };
        }
        const reason = `${what} ${record.id} has ${describeKey(k.key)}`;
        return onDuplicate === "update"
          ? { row: r.row, outcome: "update", draft, ownerId: r.ownerId, recordId: record.id, reason }
          : {
              row: r.row,
              outcome: "skip",
              reason: `already exists: ${reason}`,
              duplicateOfRow: null,
              recordId: record.id,
            };
      }
      return { row: r.row, outcome: "create", draft, ownerId: r.ownerId };
    }
  });
}

/** The report line of a row; created rows have none (the count says enough). */
export function toItem(p: PlannedRow): ImportItem | null {
  switch (p.outcome) {
    case "create":
      return null;
    case "update":
      return {
        row: p.row,
        outcome: "updated",
        field: null,
        reason: p.reason,
        duplicateOfRow: null,
        recordId: p.recordId,
      };
    case "skip":
      return {
        row: p.row,
        outcome: "skipped",
        field: null,
        reason: p.reason,
        duplicateOfRow: p.duplicateOfRow,
        recordId: p.recordId,
      };
    case "error":
      return {
        row: p.row,
        outcome: "error",
        field: p.errors[0]?.field ?? null,
        reason: p.errors.map((e) => `${e.field}: ${e.reason}`).join("; "),
        duplicateOfRow: null,
        recordId: null,
      };
  }
}

/** Report items kept in the run's record: errors first when there are more than `cap`, then in row order. */
export function capItems(items: ImportItem[], cap: number): { items: ImportItem[]; truncated: boolean } {
  if (items.length <= cap) {
    return { items, truncated: false };
  }
  const rank = (i: ImportItem) => (i.outcome === "error" ? 0 : 1);
  const kept = [...items].sort((a, b) => rank(a) - rank(b) || a.row - b.row).slice(0, cap);
  return { items: kept.sort((a, b) => a.row - b.row), truncated: true };
}
