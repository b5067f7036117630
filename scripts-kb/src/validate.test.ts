import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { start } from "./run.ts";
import type { ScriptGraph } from "./script.ts";
import { validScript } from "./scriptArbitrary.ts";
import { validateScript, type ScriptProblem } from "./validate.ts";

const problemsOf = (input: unknown): ScriptProblem[] => {
  const result = validateScript(input);
  return result.ok ? [] : result.problems;
};

const base: ScriptGraph = {
  start: "hello",
  nodes: [
    { id: "hello", type: "say", text: "Добрый день, {contact.firstName}!", next: "ask" },
    {
      id: "ask",
      type: "question",
      text: "Вам удобно говорить?",
      answers: [
        { id: "yes", label: "Да", next: "done" },
        { id: "no", label: "Нет", next: "later" },
      ],
    },
    { id: "done", type: "end", outcome: "success" },
    { id: "later", type: "end", outcome: "callback" },
  ],
};

const withNodes = (nodes: unknown[]) => ({ ...base, nodes: [...base.nodes, ...nodes] });

describe("validateScript", () => {
  it("accepts a well-formed script", () => {
    expect(validateScript(base)).toEqual({ ok: true, script: base });
  });

  it("names the node whose link leads nowhere", () => {
    const script = {
      ...base,
      nodes: base.nodes.map((n) => (n.id === "hello" ? { ...n, next: "nowhere" } : n)),
    };
    expect(problemsOf(script)).toContainEqual(
      expect.objectContaining({
        nodeId: "hello",
        reason: "dangling_link",
        message: expect.stringContaining("nowhere"),
      }),
    );
  });

  it("names a node no path from the start reaches", () => {
    const orphan = { id: "orphan", type: "say", text: "Никто сюда не придёт", next: "done" };
    expect(problemsOf(withNodes([orphan]))).toEqual([
      expect.objectContaining({ nodeId: "orphan", reason: "unreachable" }),
    ]);
  });

  it("names every node of a loop that has no exit", () => {
    const script: ScriptGraph = {
      start: "a",
      nodes: [
        { id: "a", type: "say", text: "Раз", next: "b" },
        { id: "b", type: "question", text: "Два?", answers: [{ id: "again", label: "Ещё", next: "a" }] },
        { id: "end", type: "end", outcome: "other" },
      ],
    };
    const problems = problemsOf(script);
    expect(
      problems
        .filter((p) => p.reason === "no_exit")
        .map((p) => p.nodeId)
        .sort(),
    ).toEqual(["a", "b"]);
    expect(problems).toContainEqual(expect.objectContaining({ nodeId: "end", reason: "unreachable" }));
  });

  it("accepts a loop that has an exit", () => {
    const script = {
      ...base,
      nodes: base.nodes.map((n) =>
        n.type === "question"
          ? { ...n, answers: [...n.answers, { id: "repeat", label: "Повторите", next: "hello" }] }
          : n,
      ),
    };
    expect(validateScript(script).ok).toBe(true);
  });

  it("names duplicate nodes, duplicate answers, a missing start and unknown placeholders", () => {
    const script = {
      start: "ghost",
      nodes: [
        { id: "a", type: "say", text: "{client.name}", next: "q" },
        { id: "a", type: "end", outcome: "success" },
        {
          id: "q",
          type: "question",
          text: "?",
          answers: [
            { id: "x", label: "1", next: "a" },
            { id: "x", label: "2", next: "a" },
          ],
        },
      ],
    };
    const reasons = problemsOf(script).map((p) => [p.nodeId, p.reason]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ["a", "duplicate_node"],
        [null, "missing_start"],
        ["q", "duplicate_answer"],
        ["a", "unknown_placeholder"],
      ]),
    );
  });

  it("names the node with a bad shape and the field at fault", () => {
    const problems = problemsOf(
      withNodes([
        {
          id: "cap",
          type: "capture",
          text: "ИНН?",
          target: { entity: "contact", field: "passwordHash" },
          next: "done",
        },
        { id: "odd", type: "shout", text: "!" },
      ]),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        nodeId: "cap",
        reason: "invalid_shape",
        message: expect.stringContaining("target.field"),
      }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ nodeId: "odd", reason: "invalid_shape" }));
  });

  it("never throws on arbitrary input, and whatever it accepts can start", () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = validateScript(input);
        if (result.ok) {
          expect(start(result.script).status).not.toBe("broken");
        }
      }),
    );
  });

  it("rejects a generated script with one node removed, naming a node, unless nothing pointed at it", () => {
    fc.assert(
      fc.property(validScript, fc.nat(), (script, i) => {
        const removed = script.nodes[i % script.nodes.length]!;
        const nodes = script.nodes.filter((n) => n !== removed);
        const result = validateScript({ ...script, nodes });
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) {
            expect(p.nodeId !== null || p.reason === "missing_start" || p.reason === "invalid_shape").toBe(
              true,
            );
          }
        } else {
          expect(start(result.script).status).not.toBe("broken");
        }
      }),
    );
  });
});
