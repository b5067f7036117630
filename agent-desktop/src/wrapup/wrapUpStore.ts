import { create } from "zustand";

interface WrapUpStore {
  /** The saved outcome per call card key: the card shows it instead of the form. */
  saved: Record<string, string>;
  markSaved: (key: string, result: string) => void;
}

export const useWrapUps = create<WrapUpStore>()((set) => ({
  saved: {},
  markSaved: (key, result) => set((s) => ({ saved: { ...s.saved, [key]: result } })),
}));
