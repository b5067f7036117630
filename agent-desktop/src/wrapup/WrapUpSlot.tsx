import { lazy, Suspense } from "react";
import type { Card } from "../calls/applyEvent.ts";

// The form (with the deal fields) loads when the first answered call ends, not with the app.
const WrapUpPanel = lazy(() => import("./WrapUpPanel.tsx").then((m) => ({ default: m.WrapUpPanel })));

/** A call this agent answered has ended and has a timeline entry: time to record its outcome. */
export function needsWrapUp(card: Card): boolean {
  return card.state === "ended" && card.answeredAt !== null && card.interactionId !== null;
}

export function WrapUpSlot({ card }: { card: Card }) {
  if (!needsWrapUp(card)) {
    return null;
  }
  return (
    <Suspense fallback={null}>
      <WrapUpPanel card={card} />
    </Suspense>
  );
}
