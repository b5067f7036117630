import {
  DEFAULT_PERMISSIONS,
  type AgentBoardItem,
  type BoardCall,
  type CallLogItem,
  type Me,
} from "@okno/contracts";

export const AGENT_ID = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
export const CONTACT_ID = "0b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e";
export const INTERACTION_ID = "7d5b6c1e-2a7f-4c1e-9f5e-2d1b3c4a5e6f";

/** The demo company's supervisor, extension 200. */
export function buildSupervisor(overrides: Partial<Me> = {}): Me {
  return {
    id: "5e5e5e5e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    login: "supervisor",
    fullName: "Смирнова Ольга",
    role: "supervisor",
    departmentId: "6f6f6f6f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    extension: "200",
    permissions: DEFAULT_PERMISSIONS.supervisor,
    ...overrides,
  };
}

/** An answered inbound call from a known client with a recording; override what differs. */
export function buildCallLogItem(overrides: Partial<CallLogItem> = {}): CallLogItem {
  return {
    id: INTERACTION_ID,
    callId: "ast1:1700000000.12",
    direction: "in",
    number: "+74951234567",
    occurredAt: "2026-03-05T14:30:00+03:00",
    answeredAt: "2026-03-05T14:30:12+03:00",
    endedAt: "2026-03-05T14:33:17+03:00",
    durationSec: 185,
    waitSec: 12,
    result: "completed",
    disposition: "Записан на замер",
    wrappedUpAt: "2026-03-05T14:34:00+03:00",
    agent: { id: AGENT_ID, fullName: "Петрова Анна", extension: "101" },
    contact: { id: CONTACT_ID, fullName: "Иванова Мария Петровна" },
    sourceId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    sourceName: "Яндекс.Директ",
    campaignName: "Контекст — кухни",
    hasRecording: true,
    ...overrides,
  };
}

export function buildBoardCall(overrides: Partial<BoardCall> = {}): BoardCall {
  return {
    callId: "ast1:1700000000.12",
    interactionId: INTERACTION_ID,
    state: "answered",
    direction: "in",
    party: "+79123456789",
    startedAt: "2026-03-05T10:00:00Z",
    answeredAt: "2026-03-05T10:00:10Z",
    ...overrides,
  };
}

/** An available agent with no call; override what differs. */
export function buildBoardItem(overrides: Partial<AgentBoardItem> = {}): AgentBoardItem {
  return {
    userId: AGENT_ID,
    fullName: "Петрова Анна",
    extension: "101",
    departmentId: "6f6f6f6f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    state: "available",
    reason: null,
    note: null,
    since: "2026-03-05T09:55:00Z",
    calls: [],
    answeredToday: 7,
    missedToday: 1,
    ...overrides,
  };
}
