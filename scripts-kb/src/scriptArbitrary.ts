import fc from "fast-check";
import { linksOf, type ScriptGraph, type ScriptNode } from "./script.ts";

/**
 * Valid scripts for property tests. A spine n0 → n1 → … → end guarantees that every node is reachable and
 * can finish; questions add answers to any node (loops back, skips ahead) and to extra end nodes.
 */
export const validScript: fc.Arbitrary<ScriptGraph> = fc
  .record({
    kinds: fc.array(fc.constantFrom("say", "question", "capture", "jump"), { minLength: 0, maxLength: 10 }),
    extraEnds: fc.integer({ min: 0, max: 3 }),
    seeds: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    startJump: fc.boolean(),
  })
  .map(({ kinds, extraEnds, seeds, startJump }) => {
    const spine = kinds.length;
    const ends = Array.from({ length: 1 + extraEnds }, (_, i) => `end${i}`);
    const questions = kinds.flatMap((k, i) => (k === "question" ? [i] : []));
    const all = [...kinds.map((_, i) => `n${i}`), ...(questions.length > 0 ? ends : ends.slice(0, 1))];
    let s = 0;
    const pick = <T>(xs: readonly T[]): T => xs[seeds[s++ % seeds.length]! % xs.length]!;
    const forward = (i: number) => (i + 1 < spine ? `n${i + 1}` : "end0");
    const nodes: ScriptNode[] = kinds.map((kind, i): ScriptNode => {
      const id = `n${i}`;
      switch (kind) {
        case "say":
          return { id, type: "say", text: `Скажите {contact.firstName} ${i}`, next: forward(i) };
        case "jump":
          return { id, type: "jump", target: forward(i) };
        case "capture":
          return {
            id,
            type: "capture",
            text: "Бюджет?",
            target: { entity: pick(["contact", "deal"] as const), field: "fields.budget" },
            isOptional: pick([true, false]),
            options: pick([undefined, ["дорого", "дёшево"]]),
            next: forward(i),
          };
        case "question": {
          const extra = Array.from({ length: 1 + (seeds[i]! % 3) }, (_, a) => ({
            id: `a${a + 1}`,
            label: `Ответ ${a + 1}`,
            next: pick(all),
          }));
          return {
            id,
            type: "question",
            text: "Вопрос?",
            answers: [{ id: "a0", label: "Дальше", next: forward(i) }, ...extra],
          };
        }
        default:
          throw new Error(`unknown kind ${String(kind)}`);
      }
    });
    const usedEnds = all.filter((id) => id.startsWith("end"));
    const endNodes: ScriptNode[] = usedEnds.map((id, i) => ({
      id,
      type: "end",
      outcome: pick(["success", "callback", "refused", "not_target", "other"] as const),
      ...(i === 0 ? { text: "Спасибо за звонок!" } : {}),
    }));
    // Extra ends no answer leads to would be unreachable: keep only the linked ones.
    const linked = new Set(nodes.flatMap((n) => linksOf(n).map((l) => l.to)));
    const reachableEnds = endNodes.filter((e) => e.id === "end0" || linked.has(e.id));
    const body = [...nodes, ...reachableEnds];
    if (startJump) {
      return {
        start: "entry",
        nodes: [{ id: "entry", type: "jump" as const, target: body[0]!.id }, ...body],
      };
    }
    return { start: body[0]!.id, nodes: body };
  });

/** Distances to the nearest end along links: the guided walk takes a link that gets closer. */
export function distancesToEnd(script: ScriptGraph): Map<string, number> {
  const dist = new Map<string, number>(script.nodes.filter((n) => n.type === "end").map((n) => [n.id, 0]));
  for (let changed = true; changed;) {
    changed = false;
    for (const node of script.nodes) {
      const best = Math.min(...linksOf(node).map((l) => (dist.get(l.to) ?? Infinity) + 1));
      if (best < (dist.get(node.id) ?? Infinity)) {
        dist.set(node.id, best);
        changed = true;
      }
    }
  }
  return dist;
}
