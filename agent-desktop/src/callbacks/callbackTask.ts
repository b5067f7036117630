import type { Task, TaskCreateInput, TaskUpdate } from "@okno/contracts";
import { toInstant } from "../wrapup/wrapUpBody.ts";

/** What the agent fills in to schedule a call back. */
export interface CallbackDraft {
  /** E.164, one of the caller's numbers. */
  phone: string;
  /** `YYYY-MM-DD` and `HH:mm`, device time. */
  date: string;
  time: string;
  note: string;
}

/** Who is to be called back: the card's contact when known. */
export interface CallbackTarget {
  contactId: string | null;
  title: string;
}

export type DueProblem = "required" | "inPast";

/** Why the due time cannot be used, or null. A minute's grace: the agent may pick "now". */
export function dueProblem(draft: Pick<CallbackDraft, "date" | "time">, now: number): DueProblem | null {
  const dueAt = toInstant(draft.date, draft.time);
  if (!dueAt || !draft.time) {
    return "required";
  }
  return Date.parse(dueAt) < now - 60_000 ? "inPast" : null;
}

/**
 * POST /tasks: a callback task for the contact, owned by the agent (the default), which reminds them at the
 * due time itself: the client was promised a call then, not earlier.
 */
export function callbackTaskBody(draft: CallbackDraft, target: CallbackTarget): TaskCreateInput {
  const dueAt = toInstant(draft.date, draft.time);
  if (!dueAt) {
    throw new Error("callbackTaskBody: no due time (check dueProblem first)");
  }
  const note = draft.note.trim();
  return {
    type: "callback",
    title: target.title,
    description: note || null,
    dueAt,
    remindAt: dueAt,
    phone: draft.phone,
    contactId: target.contactId,
  };
}

export const SNOOZE_MINUTES = 10;

/**
 * PATCH /tasks/:id for «Отложить»: remind again in ten minutes. crm-api refuses a reminder after the due
 * time, so a callback already due moves with it (the client is called ten minutes later than planned).
 */
export function snoozePatch(task: Pick<Task, "dueAt">, now: number): Pick<TaskUpdate, "remindAt" | "dueAt"> {
  const remindAt = new Date(now + SNOOZE_MINUTES * 60_000).toISOString();
  if (task.dueAt && Date.parse(task.dueAt) < Date.parse(remindAt)) {
    return { remindAt, dueAt: remindAt };
  }
  return { remindAt };
}
