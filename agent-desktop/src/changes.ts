import type { ScopedEntity } from "@okno/contracts";
import { create } from "zustand";

/**
 * A counter per entity, bumped by `entity.changed` pushes: a list that reads its entity's counter
 * refetches when someone else changes a record it may show.
 */
interface ChangesState {
  versions: Partial<Record<ScopedEntity, number>>;
  bump: (entity: ScopedEntity) => void;
}

export const useChanges = create<ChangesState>()((set) => ({
  versions: {},
  bump: (entity) => set((s) => ({ versions: { ...s.versions, [entity]: (s.versions[entity] ?? 0) + 1 } })),
}));
