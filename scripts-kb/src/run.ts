import { z } from "zod";
import { CaptureEntity, NodeId, Outcome, type ScriptGraph, type ScriptNode } from "./script.ts";

/**
 * The pure runner, shared by the desktop (the agent walks the script) and crm-api (it replays the posted
 * answers to check them). `start` and `step` never throw: a bad input leaves the state as it was, with
 * `error` saying why.
 *
 *   start ──► waiting ──step(ok)──► waiting … ──► ended(outcome)
 *                │  ▲
 *                └──┘ step(bad input): same node, error set
 *   broken: the script itself cannot run (missing start, a loop of jumps); only unvalidated scripts get here
 */

/** What a capture writes; null skips an optional capture. */
export const CaptureValue = z.union([
  z.string().max(2000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(200)).max(50),
  z.null(),
]);
export type CaptureValue = z.infer<typeof CaptureValue>;

/** One agent action, naming the node it answers so a stale click cannot land on the wrong node. */
export const RunInput = z.discriminatedUnion("kind", [
  /** Done with a `say` node. */
  z.strictObject({ kind: z.literal("next"), nodeId: NodeId }),
  z.strictObject({ kind: z.literal("answer"), nodeId: NodeId, answerId: NodeId }),
  z.strictObject({ kind: z.literal("capture"), nodeId: NodeId, value: CaptureValue }),
]);
export type RunInput = z.infer<typeof RunInput>;

export const Capture = z.object({
  nodeId: z.string(),
  entity: CaptureEntity,
  field: z.string(),
  value: CaptureValue,
});
export type Capture = z.infer<typeof Capture>;

export const RunErrorCode = z.enum([
  "invalid_input",
  "not_waiting",
  "wrong_node",
  "unknown_answer",
  "value_required",
  "broken_script",
]);
export type RunErrorCode = z.infer<typeof RunErrorCode>;

export const RunState = z.object({
  status: z.enum(["waiting", "ended", "broken"]),
  /** The node waiting for input, or the end reached; null only when broken before any node. */
  current: z.string().nullable(),
  /** Every node visited, in order, jumps and the end included. */
  path: z.array(z.string()),
  /** The accepted inputs, in order: replaying them from the start gives this state again. */
  answers: z.array(RunInput),
  captures: z.array(Capture),
  outcome: Outcome.nullable(),
  /** Why the last input was refused (cleared by the next accepted one). */
  error: z.object({ code: RunErrorCode, message: z.string() }).nullable(),
});
export type RunState = z.infer<typeof RunState>;

const indexes = new WeakMap<ScriptGraph, Map<string, ScriptNode>>();

function nodesOf(script: ScriptGraph): Map<string, ScriptNode> {
  let index = indexes.get(script);
  if (!index) {
    index = new Map(script.nodes.map((n) => [n.id, n]));
    indexes.set(script, index);
  }
  return index;
}

const withError = (state: RunState, code: RunErrorCode, message: string): RunState => ({
  ...state,
  error: { code, message },
});

/** Moves onto `id`, following jumps, and settles: waiting at an input node or ended. */
function arrive(script: ScriptGraph, state: RunState, id: string): RunState {
  const nodes = nodesOf(script);
  const path = [...state.path];
  let current = id;
  // A valid script has no cycle of jumps alone (it could never reach an end); the bound keeps an
  // unvalidated one from spinning.
  for (let hops = 0; hops <= script.nodes.length; hops++) {
    const node = nodes.get(current);
    if (!node) {
      return {
        ...state,
        status: "broken",
        path,
        error: { code: "broken_script", message: `no node «${current}»` },
      };
    }
    path.push(node.id);
    if (node.type === "jump") {
      current = node.target;
      continue;
    }
    if (node.type === "end") {
      return { ...state, status: "ended", current: node.id, path, outcome: node.outcome, error: null };
    }
    return { ...state, status: "waiting", current: node.id, path, error: null };
  }
  return {
    ...state,
    status: "broken",
    path,
    error: { code: "broken_script", message: "jumps loop for ever" },
  };
}

/** The run at the script's start (after any jumps from it). */
export function start(script: ScriptGraph): RunState {
  const empty: RunState = {
    status: "waiting",
    current: null,
    path: [],
    answers: [],
    captures: [],
    outcome: null,
    error: null,
  };
  try {
    return arrive(script, empty, script.start);
  } catch {
    // Only a value that is not a script at all gets here (the type says it cannot).
    return { ...empty, status: "broken", error: { code: "broken_script", message: "not a script" } };
  }
}

/** The next state after one agent input; a refused input returns the same state with `error` set. */
export function step(script: ScriptGraph, state: RunState, rawInput: unknown): RunState {
  const parsed = RunInput.safeParse(rawInput);
  if (!parsed.success) {
    return withError(state, "invalid_input", parsed.error.issues[0]?.message ?? "invalid input");
  }
  const input = parsed.data;
  if (state.status !== "waiting" || state.current === null) {
    return withError(state, "not_waiting", `the run is ${state.status}`);
  }
  const node = nodesOf(script).get(state.current);
  if (!node) {
    return withError(state, "broken_script", `no node «${state.current}»`);
  }
  if (input.nodeId !== node.id) {
    return withError(state, "wrong_node", `the run is at «${node.id}», not «${input.nodeId}»`);
  }
  const accepted = { ...state, answers: [...state.answers, input] };
  if (node.type === "say" && input.kind === "next") {
    return arrive(script, accepted, node.next);
  }
  if (node.type === "question" && input.kind === "answer") {
    const answer = node.answers.find((a) => a.id === input.answerId);
    return answer
      ? arrive(script, accepted, answer.next)
      : withError(state, "unknown_answer", `«${node.id}» has no answer «${input.answerId}»`);
  }
  if (node.type === "capture" && input.kind === "capture") {
    const isEmpty =
      input.value === null || input.value === "" || (Array.isArray(input.value) && input.value.length === 0);
    if (isEmpty && !node.isOptional) {
      return withError(state, "value_required", `«${node.id}» needs a value`);
    }
    const captures = isEmpty
      ? state.captures
      : [...state.captures, { nodeId: node.id, ...node.target, value: input.value }];
    return arrive(script, { ...accepted, captures }, node.next);
  }
  return withError(
    state,
    "invalid_input",
    `«${node.id}» is a ${node.type} node and takes no «${input.kind}»`,
  );
}

/** Replays inputs from the start; stops at the first refused one (its error stays in the state). */
export function replay(script: ScriptGraph, inputs: readonly unknown[]): RunState {
  let state = start(script);
  for (const input of inputs) {
    state = step(script, state, input);
    if (state.error) {
      return state;
    }
  }
  return state;
}

/** The node the run waits at (or ended on), for the screen. */
export function currentNode(script: ScriptGraph, state: RunState): ScriptNode | null {
  return state.current === null ? null : (nodesOf(script).get(state.current) ?? null);
}

/** The last value captured for each target: what applying the run writes. */
export function finalCaptures(captures: readonly Capture[]): Capture[] {
  const byTarget = new Map<string, Capture>();
  for (const c of captures) {
    byTarget.delete(`${c.entity}:${c.field}`);
    byTarget.set(`${c.entity}:${c.field}`, c);
  }
  return [...byTarget.values()];
}
