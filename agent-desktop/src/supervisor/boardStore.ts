import type { AgentBoardItem, AgentStatePush } from "@okno/contracts";
import { create } from "zustand";
import { applyAgentPush, mergeBoard } from "./applyBoard.ts";
import { fetchBoard } from "./supervisorApi.ts";

interface BoardStore {
  items: AgentBoardItem[];
  /** Until the first GET /agents/board answers. */
  isLoading: boolean;
  /** GET /agents/board; an answer overtaken by a later load is dropped. */
  load: () => Promise<void>;
  /** An `agent.state` push: applied at once, or a reload for an agent the board does not list yet. */
  receive: (push: AgentStatePush) => void;
}

let generation = 0;

export const useBoard = create<BoardStore>()((set, get) => ({
  items: [],
  isLoading: true,
  async load() {
    generation += 1;
    const mine = generation;
    try {
      const loaded = await fetchBoard();
      if (mine === generation) {
        set((s) => ({ items: mergeBoard(s.items, loaded), isLoading: false }));
      }
    } catch {
      // api() has shown the error; the board keeps what it showed.
      if (mine === generation) {
        set({ isLoading: false });
      }
    }
  },
  receive(push) {
    const { items, isKnown } = applyAgentPush(get().items, push);
    if (isKnown) {
      set({ items });
    } else if (!get().isLoading && push.extension !== null) {
      // The board lists only agents with an extension: anyone else would be reloaded for nothing.
      void get().load();
    }
  },
}));
