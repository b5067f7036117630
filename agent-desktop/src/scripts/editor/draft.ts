import type { ScriptGraph, ScriptNode } from "@okno/scripts-kb";

/**
 * Editing a draft: plain functions from one graph to the next. A draft may be unfinished (empty texts,
 * links to deleted steps): validate.ts says what is wrong and the server refuses to publish it, but the
 * editor keeps it as typed so nothing the supervisor wrote is lost.
 */
export type NodeType = ScriptNode["type"];
export const NODE_TYPES: readonly NodeType[] = ["say", "question", "capture", "jump", "end"];

/** Whatever the server holds as a draft, as a graph the editor can show (unknown shapes start empty). */
export function graphOfDraft(draft: Record<string, unknown>): ScriptGraph {
  const nodes = Array.isArray(draft.nodes) ? (draft.nodes as ScriptNode[]) : [];
  return { start: typeof draft.start === "string" ? draft.start : (nodes[0]?.id ?? ""), nodes };
}

/** `base`, or `base_2`, `base_3`… whichever no node has yet. */
export function uniqueId(nodes: readonly ScriptNode[], base: string): string {
  const taken = new Set(nodes.map((n) => n.id));
  let id = base;
  for (let i = 2; taken.has(id); i++) {
    id = `${base}_${i}`;
  }
  return id;
}

/** A node of `type` that keeps what `from` had in common (id, title, text, where it led). */
export function nodeOfType(type: NodeType, id: string, from?: Partial<ScriptNode>): ScriptNode {
  const title = from?.title;
  const text = from && "text" in from && typeof from.text === "string" ? from.text : "";
  const next = from && "next" in from && typeof from.next === "string" ? from.next : "";
  const common = {
    id,
    ...(title ? { title } : {}),
    ...(from?.articleIds ? { articleIds: from.articleIds } : {}),
  };
  switch (type) {
    case "say":
      return { ...common, type, text, next };
    case "question":
      return { ...common, type, text, answers: [{ id: "a1", label: "", next }] };
    case "capture":
      return { ...common, type, text, target: { entity: "contact", field: "note" }, next };
    case "jump":
      return { ...common, type, target: next };
    case "end":
      return { ...common, type, outcome: "success", ...(text ? { text } : {}) };
  }
}

/** Appends a step; a first step becomes the start. */
export function addNode(graph: ScriptGraph, type: NodeType): ScriptGraph {
  const node = nodeOfType(type, uniqueId(graph.nodes, type));
  return { start: graph.start || node.id, nodes: [...graph.nodes, node] };
}

export function replaceNode(graph: ScriptGraph, index: number, node: ScriptNode): ScriptGraph {
  const before = graph.nodes[index];
  const nodes = graph.nodes.map((n, i) => (i === index ? node : n));
  // Renaming the start step keeps it the start.
  return { start: before && graph.start === before.id ? node.id : graph.start, nodes };
}

export function moveNode(graph: ScriptGraph, index: number, delta: -1 | 1): ScriptGraph {
  const to = index + delta;
  if (to < 0 || to >= graph.nodes.length) {
    return graph;
  }
  const nodes = [...graph.nodes];
  [nodes[index], nodes[to]] = [nodes[to]!, nodes[index]!];
  return { ...graph, nodes };
}

/** Deletes a step; links to it stay and show as problems, so the supervisor sees what to re-link. */
export function removeNode(graph: ScriptGraph, index: number): ScriptGraph {
  const nodes = graph.nodes.filter((_, i) => i !== index);
  const removed = graph.nodes[index];
  return { start: removed && removed.id === graph.start ? (nodes[0]?.id ?? "") : graph.start, nodes };
}
