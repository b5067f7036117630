import { lazy, Suspense } from "react";
import type { Card } from "../calls/applyEvent.ts";

// The panel (runner, Markdown, inputs) loads with the first call rather than with the desktop, which keeps
// the agent view's first bundle small; the card is usable before it arrives.
const ScriptPanel = lazy(() => import("./ScriptPanel.tsx").then((m) => ({ default: m.ScriptPanel })));

export interface CallScriptProps {
  card: Card;
}

/** The mount point in the call card: the script panel of this call and the knowledge base beside it. */
export function CallScript({ card }: CallScriptProps) {
  return (
    <Suspense fallback={null}>
      <ScriptPanel card={card} />
    </Suspense>
  );
}
