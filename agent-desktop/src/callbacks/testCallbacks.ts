import type { MissedCall, Task, TaskReminderPush } from "@okno/contracts";
import { fireEvent, type BoundFunctions, type queries } from "@testing-library/react";

export const CONTACT_ID = "0b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e";
export const TASK_ID = "6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e";
const AGENT_ID = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

/** A missed call as GET /calls/missed returns it: nobody has called back yet; override what differs. */
export function buildMissedCall(overrides: Partial<MissedCall> = {}): MissedCall {
  return {
    id: "7d5b6c1e-2a7f-4c1e-9f5e-2d1b3c4a5e6f",
    callId: "ast1:1700000000.12",
    direction: "in",
    number: "+79123456789",
    occurredAt: "2026-03-05T10:00:00+03:00",
    answeredAt: null,
    endedAt: "2026-03-05T10:00:47+03:00",
    durationSec: null,
    waitSec: 47,
    result: "missed",
    disposition: null,
    wrappedUpAt: null,
    agent: { id: AGENT_ID, fullName: "Петров Иван", extension: "101" },
    contact: { id: CONTACT_ID, fullName: "Иванова Мария Петровна" },
    sourceId: null,
    sourceName: null,
    campaignName: null,
    hasRecording: false,
    calledBack: null,
    callbackTaskId: TASK_ID,
    ...overrides,
  };
}

export function buildTask(overrides: Partial<Task> = {}): Task {
  return {
    id: TASK_ID,
    type: "callback",
    title: "Перезвонить: Иванова Мария Петровна",
    description: "Уточнить размеры кухни",
    status: "open",
    dueAt: "2026-03-05T14:30:00+03:00",
    remindAt: "2026-03-05T14:30:00+03:00",
    completedAt: null,
    isOverdue: false,
    phone: "+79123456789",
    ownerId: AGENT_ID,
    ownerName: "Петров Иван",
    contactId: CONTACT_ID,
    companyId: null,
    dealId: null,
    leadId: null,
    createdBy: AGENT_ID,
    createdAt: "2026-03-05T10:05:00+03:00",
    updatedAt: "2026-03-05T10:05:00+03:00",
    ...overrides,
  };
}

/** A `task.reminder` push for a callback to a contact in the user's scope. */
export function buildReminder(task: Partial<Task> = {}): TaskReminderPush {
  return {
    task: buildTask(task),
    contact: {
      hidden: false,
      id: CONTACT_ID,
      fullName: "Иванова Мария Петровна",
      phones: ["+79123456789", "+74951234567"],
    },
  };
}

/** Types a time of day into DueFields' 24-hour picker (hours and minutes are separate fields). */
export function typeDueTime(
  scope: Pick<BoundFunctions<typeof queries>, "getByLabelText">,
  time: string,
): void {
  const [hours = "", minutes = ""] = time.split(":");
  fireEvent.change(scope.getByLabelText("Часы"), { target: { value: hours } });
  fireEvent.change(scope.getByLabelText("Минуты"), { target: { value: minutes } });
}
