import type { AgentBoardItem, AgentStatePush } from "@okno/contracts";

/** Whether `a` happened after `b` (ISO instants with any offset). */
const isLater = (a: string, b: string) => Date.parse(a) > Date.parse(b);

/**
 * An `agent.state` push on the board: the agent's state and timer change at once. A push older than
 * the state shown is ignored (pushes and GET /agents/board may cross). `isKnown` is false for an agent
 * the board does not list yet (new extension, moved into the department): the caller reloads the board.
 */
export function applyAgentPush(
  items: readonly AgentBoardItem[],
  push: AgentStatePush,
): { items: AgentBoardItem[]; isKnown: boolean } {
  const index = items.findIndex((a) => a.userId === push.userId);
  const current = items[index];
  if (!current) {
    return { items: [...items], isKnown: false };
  }
  if (isLater(current.since, push.since)) {
    return { items: [...items], isKnown: true };
  }
  const next = [...items];
  next[index] = {
    ...current,
    state: push.state,
    reason: push.reason,
    note: push.note,
    since: push.since,
    fullName: push.fullName,
    extension: push.extension,
  };
  return { items: next, isKnown: true };
}

/**
 * A fresh GET /agents/board over the board shown: its calls and counts win, but an agent's state that a
 * push made newer than the answer (it was computed before the push) is kept.
 */
export function mergeBoard(
  shown: readonly AgentBoardItem[],
  loaded: readonly AgentBoardItem[],
): AgentBoardItem[] {
  const byId = new Map(shown.map((a) => [a.userId, a]));
  return loaded.map((fresh) => {
    const old = byId.get(fresh.userId);
    if (!old || !isLater(old.since, fresh.since)) {
      return fresh;
    }
    const { state, reason, note, since } = old;
    return { ...fresh, state, reason, note, since };
  });
}
