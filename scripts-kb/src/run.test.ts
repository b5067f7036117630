import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finalCaptures, replay, start, step, type RunInput, type RunState } from "./run.ts";
import { linksOf, type ScriptGraph, type ScriptNode } from "./script.ts";
import { distancesToEnd, validScript } from "./scriptArbitrary.ts";
import { validateScript } from "./validate.ts";

/** An input for the current node chosen by a seed: right or wrong kind, right or wrong answer, junk. */
function inputFor(script: ScriptGraph, state: RunState, seed: number, junk: unknown): unknown {
  const node = script.nodes.find((n) => n.id === state.current);
  const nodeId = seed % 7 === 0 ? "elsewhere" : (state.current ?? "none");
  switch (seed % 5) {
    case 0:
      return { kind: "next", nodeId };
    case 1:
      return {
        kind: "answer",
        nodeId,
        answerId:
          node?.type === "question" ? (node.answers[seed % (node.answers.length + 1)]?.id ?? "zz") : "a0",
      };
    case 2:
      return { kind: "capture", nodeId, value: [null, "", "дорого", 12, ["a"]][seed % 5] };
    case 3:
      return junk;
    default:
      return { kind: "next", nodeId, extra: true };
  }
}

/** The input that moves the run one link closer to an end. */
function towardsEnd(script: ScriptGraph, dist: Map<string, number>, node: ScriptNode): RunInput {
  const closer = (to: string) => (dist.get(to) ?? Infinity) < (dist.get(node.id) ?? Infinity);
  switch (node.type) {
    case "say":
      return { kind: "next", nodeId: node.id };
    case "capture":
      return { kind: "capture", nodeId: node.id, value: "значение" };
    case "question":
      return { kind: "answer", nodeId: node.id, answerId: node.answers.find((a) => closer(a.next))!.id };
    case "jump":
    case "end":
      throw new Error(`the run never waits at a ${node.type} node`);
  }
}

function assertSettled(script: ScriptGraph, state: RunState): void {
  const node = script.nodes.find((n) => n.id === state.current);
  expect(node).toBeDefined();
  if (state.status === "ended") {
    expect(node!.type).toBe("end");
    expect(state.outcome).toBe(node!.type === "end" ? node!.outcome : null);
  } else {
    expect(state.status).toBe("waiting");
    expect(["say", "question", "capture"]).toContain(node!.type);
  }
}

describe("script runner (property-based)", () => {
  it("accepts every generated script (the generator makes only valid ones)", () => {
    fc.assert(fc.property(validScript, (script) => validateScript(script).ok));
  });

  it("never throws and always waits at an input node or has ended, whatever the agent sends", () => {
    fc.assert(
      fc.property(
        validScript,
        fc.array(fc.tuple(fc.nat(), fc.anything()), { maxLength: 40 }),
        (script, inputs) => {
          let state = start(script);
          assertSettled(script, state);
          for (const [seed, junk] of inputs) {
            const before = state;
            state = step(script, state, inputFor(script, state, seed, junk));
            assertSettled(script, state);
            if (state.error) {
              // A refused input changes nothing but the error.
              expect({ ...state, error: null }).toEqual({ ...before, error: null });
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("can reach an end from wherever the agent got to", () => {
    fc.assert(
      fc.property(
        validScript,
        fc.array(fc.tuple(fc.nat(), fc.anything()), { maxLength: 20 }),
        (script, inputs) => {
          let state = start(script);
          for (const [seed, junk] of inputs) {
            state = step(script, state, inputFor(script, state, seed, junk));
          }
          const dist = distancesToEnd(script);
          for (let i = 0; i <= script.nodes.length && state.status === "waiting"; i++) {
            const node = script.nodes.find((n) => n.id === state.current)!;
            state = step(script, state, towardsEnd(script, dist, node));
            expect(state.error).toBeNull();
          }
          expect(state.status).toBe("ended");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives the same state when the accepted answers are replayed (what crm-api checks)", () => {
    fc.assert(
      fc.property(
        validScript,
        fc.array(fc.tuple(fc.nat(), fc.anything()), { maxLength: 30 }),
        (script, inputs) => {
          let state = start(script);
          for (const [seed, junk] of inputs) {
            state = step(script, state, inputFor(script, state, seed, junk));
          }
          expect(replay(script, state.answers)).toEqual({ ...state, error: null });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("records a path in which each node links to the next", () => {
    fc.assert(
      fc.property(validScript, fc.array(fc.nat(), { maxLength: 30 }), (script, seeds) => {
        let state = start(script);
        for (const seed of seeds) {
          state = step(script, state, inputFor(script, state, seed, null));
        }
        const byId = new Map(script.nodes.map((n) => [n.id, n]));
        expect(state.path[0]).toBe(script.start);
        for (let i = 1; i < state.path.length; i++) {
          const links = linksOf(byId.get(state.path[i - 1]!)!).map((l) => l.to);
          expect(links).toContain(state.path[i]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

const objections: ScriptGraph = {
  start: "hello",
  nodes: [
    { id: "hello", type: "say", text: "Здравствуйте, {contact.firstName}!", next: "ask" },
    {
      id: "ask",
      type: "question",
      text: "Что смущает?",
      answers: [
        { id: "price", label: "Дорого", next: "budget" },
        { id: "think", label: "Подумаю", next: "ask" },
        { id: "bye", label: "Не интересно", next: "lost" },
      ],
    },
    {
      id: "budget",
      type: "capture",
      text: "Какой бюджет?",
      target: { entity: "contact", field: "fields.budget" },
      next: "won",
    },
    { id: "won", type: "end", outcome: "success" },
    { id: "lost", type: "end", outcome: "refused" },
  ],
};

describe("script runner", () => {
  it("walks the path, records answers and captures, and ends with the outcome", () => {
    const state = replay(objections, [
      { kind: "next", nodeId: "hello" },
      { kind: "answer", nodeId: "ask", answerId: "think" },
      { kind: "answer", nodeId: "ask", answerId: "price" },
      { kind: "capture", nodeId: "budget", value: "300 000" },
    ]);
    expect(state).toMatchObject({
      status: "ended",
      current: "won",
      outcome: "success",
      path: ["hello", "ask", "ask", "budget", "won"],
      captures: [{ nodeId: "budget", entity: "contact", field: "fields.budget", value: "300 000" }],
      error: null,
    });
    expect(state.answers).toHaveLength(4);
  });

  it("refuses an answer the question does not have, and one for another node, staying put", () => {
    const atAsk = step(objections, start(objections), { kind: "next", nodeId: "hello" });
    const unknown = step(objections, atAsk, { kind: "answer", nodeId: "ask", answerId: "maybe" });
    expect(unknown.error?.code).toBe("unknown_answer");
    expect(unknown.current).toBe("ask");
    const stale = step(objections, atAsk, { kind: "next", nodeId: "hello" });
    expect(stale.error?.code).toBe("wrong_node");
  });

  it("asks for a value at a required capture and accepts none at an optional one", () => {
    const toBudget = replay(objections, [
      { kind: "next", nodeId: "hello" },
      { kind: "answer", nodeId: "ask", answerId: "price" },
    ]);
    expect(step(objections, toBudget, { kind: "capture", nodeId: "budget", value: "" }).error?.code).toBe(
      "value_required",
    );
    const optional: ScriptGraph = {
      ...objections,
      nodes: objections.nodes.map((n) => (n.id === "budget" ? { ...n, isOptional: true } : n)),
    };
    const skipped = step(optional, toBudget, { kind: "capture", nodeId: "budget", value: null });
    expect(skipped).toMatchObject({ status: "ended", captures: [] });
  });

  it("refuses input after the end", () => {
    const ended = replay(objections, [
      { kind: "next", nodeId: "hello" },
      { kind: "answer", nodeId: "ask", answerId: "bye" },
    ]);
    expect(ended.outcome).toBe("refused");
    expect(step(objections, ended, { kind: "next", nodeId: "lost" }).error?.code).toBe("not_waiting");
  });

  it("reports a broken run instead of throwing on a script that was never validated", () => {
    const loop: ScriptGraph = {
      start: "a",
      nodes: [
        { id: "a", type: "jump", target: "b" },
        { id: "b", type: "jump", target: "a" },
      ],
    };
    expect(start(loop)).toMatchObject({ status: "broken", error: { code: "broken_script" } });
    expect(start({ start: "x", nodes: [] }).status).toBe("broken");
    expect(start(null as unknown as ScriptGraph).status).toBe("broken");
  });

  it("keeps the last value captured for each field", () => {
    const c = (value: string) => ({ nodeId: "n", entity: "contact" as const, field: "fields.budget", value });
    expect(finalCaptures([c("1"), { ...c("x"), field: "note" }, c("2")]).map((x) => x.value)).toEqual([
      "x",
      "2",
    ]);
  });
});
