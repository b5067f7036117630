import { AgentState, AgentStateResult, type AgentStatePush, type AgentStatePut } from "@okno/contracts";
import { create } from "zustand";
import { api } from "../api.ts";
import { useAuth } from "../auth/authStore.ts";

interface AgentStore {
  /** The signed-in user's state; null until GET /agents/me/state answers. */
  current: AgentState | null;
  /** The PBX refused or missed the last change made here (the state stands anyway); null otherwise. */
  pbxError: string | null;
  busy: boolean;
  load: () => Promise<void>;
  /** PUT /agents/me/state; the server's answer replaces the state (its `since` is the truth). */
  change: (put: AgentStatePut) => Promise<void>;
  /** The state after a wrap-up ended the after-call work. */
  set: (state: AgentState) => void;
}

export const useAgentState = create<AgentStore>()((set) => ({
  current: null,
  pbxError: null,
  busy: false,
  async load() {
    const current = await api("GET", "/agents/me/state", { schema: AgentState, quiet: true });
    set({ current });
  },
  async change(put) {
    set({ busy: true });
    try {
      const result = await api("PUT", "/agents/me/state", { body: put, schema: AgentStateResult });
      const { pbx, ...current } = result;
      set({ current, pbxError: pbx && !pbx.applied ? (pbx.error ?? "") : null });
    } finally {
      set({ busy: false });
    }
  },
  set: (current) => set({ current, pbxError: null }),
}));

type PushListener = (push: AgentStatePush) => void;
const listeners = new Set<PushListener>();

/** The supervisor board hears every `agent.state` push while it is open, without this module knowing it. */
export function onAgentPush(listener: PushListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * An `agent.state` push: the user's own state changed elsewhere (another tab, the tray, the ACW timeout)
 * or, for a supervisor, an agent's. An older push than the state shown is ignored.
 */
export function receiveAgentPush(push: AgentStatePush): void {
  const me = useAuth.getState().me;
  const { current } = useAgentState.getState();
  if (me && push.userId === me.id && !(current && Date.parse(push.since) < Date.parse(current.since))) {
    const { userId, state, reason, note, since } = push;
    const sameState = current?.state === state && current.reason === reason;
    useAgentState.setState((s) => ({
      current: { userId, state, reason, note, since },
      pbxError: sameState ? s.pbxError : null,
    }));
  }
  for (const listener of listeners) {
    listener(push);
  }
}
