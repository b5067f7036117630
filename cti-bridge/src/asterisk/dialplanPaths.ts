import { matchesExten, splitTopLevel, type DialplanContext, type DialplanStep } from "./asteriskConf.ts";

/*
 * The ways a call can run through a dialplan from one extension: every path follows Goto, both branches
 * of GotoIf, and Gosub … Return, and ends at Hangup, at the end of an extension, at a loop, or at a jump
 * whose destination is only known at run time (`Goto(from-trunk,${TO_NUMBER},1)`).
 */

type Dialplan = ReadonlyMap<string, DialplanContext>;
type Frame = { context: string; exten: string; index: number };
type Walker = { frame: Frame; calls: Frame[]; trail: DialplanStep[]; seen: Set<string> };

const ENDS_CALL = new Set(["Hangup", "Congestion", "Busy"]);
const MAX_PATHS = 500;

/** The steps of the extension a dialled `exten` runs in a context (exact name first, then patterns). */
export function stepsOf(dialplan: Dialplan, context: string, exten: string): DialplanStep[] {
  const ctx = dialplan.get(context);
  if (!ctx) {
    return [];
  }
  const own = ctx.steps.filter((s) => s.exten === exten && s.priority !== "hint");
  if (own.length > 0) {
    return own;
  }
  const pattern = ctx.steps.find((s) => s.priority !== "hint" && matchesExten(s.exten, exten))?.exten;
  if (pattern !== undefined) {
    return ctx.steps.filter((s) => s.exten === pattern && s.priority !== "hint");
  }
  for (const included of ctx.includes) {
    const steps = stepsOf(dialplan, included, exten);
    if (steps.length > 0) {
      return steps;
    }
  }
  return [];
}

/** Goto/Gosub arguments → a frame; null when the destination is computed at run time. */
export function destinationOf(dialplan: Dialplan, args: readonly string[], from: Frame): Frame | null {
  const [context, exten, priority] =
    args.length >= 3
      ? [args[0]!, args[1]!, args[2]!]
      : args.length === 2
        ? [from.context, args[0]!, args[1]!]
        : [from.context, from.exten, args[0] ?? "1"];
  if ([context, exten, priority].some((part) => part.includes("$"))) {
    return null;
  }
  const steps = stepsOf(dialplan, context, exten);
  const target = priority.replace(/\(.*\)$/, "");
  const index = /^\d+$/.test(target) ? Number(target) - 1 : steps.findIndex((s) => s.label === target);
  return { context, exten, index };
}

/** GotoIf(cond?dest1:dest2) → [dest1, dest2] as argument lists; an empty branch falls through. */
function branchesOf(step: DialplanStep): (string[] | null)[] {
  const [, branches = ""] = splitTopLevel(step.args.join(","), "?");
  const [isTrue = "", isFalse = ""] = splitTopLevel(branches, ":");
  return [isTrue, isFalse].map((b) => (b === "" ? null : splitTopLevel(b, ",")));
}

function advance(w: Walker, frame: Frame | null, step: DialplanStep): Walker | null {
  return frame ? { frame, calls: w.calls, trail: [...w.trail, step], seen: w.seen } : null;
}

/** Next walkers after one step, or [] when the path ends here. */
function nextOf(dialplan: Dialplan, w: Walker, step: DialplanStep): Walker[] {
  const here = w.frame;
  const next = { ...here, index: here.index + 1 };
  switch (step.app) {
    case "Goto":
      return [advance(w, destinationOf(dialplan, step.args, here), step)].filter((x) => x !== null);
    case "GotoIf":
      return branchesOf(step)
        .map((args) => advance(w, args ? destinationOf(dialplan, args, here) : next, step))
        .filter((x) => x !== null);
    case "Gosub": {
      const target = destinationOf(dialplan, step.args, here);
      return target
        ? [{ frame: target, calls: [...w.calls, next], trail: [...w.trail, step], seen: w.seen }]
        : [];
    }
    case "Return": {
      const back = w.calls.at(-1);
      return back
        ? [{ frame: back, calls: w.calls.slice(0, -1), trail: [...w.trail, step], seen: w.seen }]
        : [];
    }
    default:
      return ENDS_CALL.has(step.app) ? [] : [advance(w, next, step)!];
  }
}

/** Every path from an extension, each as the steps it runs in order (at most MAX_PATHS). */
export function pathsFrom(dialplan: Dialplan, context: string, exten: string): DialplanStep[][] {
  const paths: DialplanStep[][] = [];
  const todo: Walker[] = [{ frame: { context, exten, index: 0 }, calls: [], trail: [], seen: new Set() }];
  while (todo.length > 0 && paths.length < MAX_PATHS) {
    const w = todo.pop()!;
    const step = stepsOf(dialplan, w.frame.context, w.frame.exten)[w.frame.index];
    const key = `${w.frame.context}|${w.frame.exten}|${w.frame.index}|${w.calls.length}`;
    if (!step || w.seen.has(key)) {
      paths.push(w.trail);
      continue;
    }
    const seen = new Set(w.seen).add(key);
    const nexts = nextOf(dialplan, { ...w, seen }, step);
    if (nexts.length === 0) {
      paths.push([...w.trail, step]);
    }
    todo.push(...nexts);
  }
  return paths;
}
