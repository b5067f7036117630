import type { WrapUp } from "@okno/contracts";
import dayjs from "dayjs";

export type NextKind = "none" | "task" | "callback" | "deal";

/** What the form holds, as the inputs give it (strings; amount in roubles). */
export interface WrapUpValues {
  result: string;
  /** The source picked in the list; null = the call's own source (or none known). */
  sourceId: string | null;
  sourceConfirmed: boolean;
  note: string;
  nextKind: NextKind;
  nextTitle: string;
  /** `YYYY-MM-DD` and `HH:mm` in the device's time zone. */
  date: string;
  time: string;
  pipelineId: string | null;
  stageId: string | null;
  /** Roubles, as typed; the API takes kopecks. */
  amount: number | null;
}

/** A callback defaults to an hour from now, on the minute. */
export function defaultDue(now: number): { date: string; time: string } {
  const due = dayjs(now).add(1, "hour").startOf("minute");
  return { date: due.format("YYYY-MM-DD"), time: due.format("HH:mm") };
}

/** The local date and time as an instant with an offset, as the API wants it; undefined if unset or invalid. */
export function toInstant(date: string, time: string): string | undefined {
  const at = dayjs(`${date}T${time || "00:00"}`);
  return date && at.isValid() ? at.toISOString() : undefined;
}

/**
 * The POST /interactions/:id/wrap-up body: only what the agent filled in. The source goes as `sourceId`
 * only when the agent picked a different one than the call's; confirming sets `sourceConfirmed`.
 */
export function wrapUpBody(values: WrapUpValues, callSourceId: string | null): WrapUp {
  const body: WrapUp = { result: values.result.trim() };
  if (values.sourceId && values.sourceId !== callSourceId) {
    body.sourceId = values.sourceId;
  }
  if (values.sourceConfirmed) {
    body.sourceConfirmed = true;
  }
  if (values.note.trim()) {
    body.note = values.note.trim();
  }
  const title = values.nextTitle.trim() || undefined;
  switch (values.nextKind) {
    case "none":
      break;
    case "task":
    case "callback":
      body.next = { kind: values.nextKind, title, dueAt: toInstant(values.date, values.time) };
      break;
    case "deal":
      body.next = {
        kind: "deal",
        title,
        pipelineId: values.pipelineId ?? undefined,
        stageId: values.stageId ?? undefined,
        amount: values.amount === null ? undefined : Math.round(values.amount * 100),
      };
      break;
  }
  return body;
}
