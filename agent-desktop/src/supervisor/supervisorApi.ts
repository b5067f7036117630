import {
  AgentBoard,
  CallCommandResponse,
  CallLogPage,
  Recording,
  UserPage,
  type AgentBoardItem,
  type SuperviseRequest,
  type UserSummary,
} from "@okno/contracts";
import { api } from "../api.ts";
import { toCallLogQuery, type CallFilters } from "./callFilters.ts";

export const CALL_PAGE_SIZE = 50;

export function fetchCallPage(
  filters: CallFilters,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<ReturnType<typeof CallLogPage.parse>> {
  const query = toCallLogQuery(filters, CALL_PAGE_SIZE, cursor);
  return api("GET", `/calls?${query.toString()}`, { schema: CallLogPage, signal });
}

/** A page of 200 users covers most companies; a larger one is read to the end, at most this many pages. */
const MAX_USER_PAGES = 10;

/** Active colleagues by name, for the agent filter (everyone may list them: users/routes.ts). */
export async function fetchActiveUsers(signal: AbortSignal): Promise<UserSummary[]> {
  const users: UserSummary[] = [];
  let cursor: string | null = null;
  for (let pageNo = 0; pageNo < MAX_USER_PAGES; pageNo += 1) {
    const query = new URLSearchParams({ active: "true", limit: "200" });
    if (cursor) {
      query.set("cursor", cursor);
    }
    const page = await api("GET", `/users?${query.toString()}`, { schema: UserPage, quiet: true, signal });
    users.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) {
      break;
    }
  }
  return users;
}

/** The recording's description; quiet: the player shows a 403 or 404 in its own words. */
export function fetchRecording(interactionId: string, signal: AbortSignal): Promise<Recording> {
  return api("GET", `/interactions/${encodeURIComponent(interactionId)}/recording`, {
    schema: Recording,
    quiet: true,
    signal,
  });
}

export async function fetchBoard(signal?: AbortSignal): Promise<AgentBoardItem[]> {
  const board = await api("GET", "/agents/board", { schema: AgentBoard, signal });
  return board.items;
}

/** Rings the supervisor's phone into the call; quiet: the board tells the outcome in its own notice. */
export function superviseCall(callId: string, mode: SuperviseRequest["mode"]): Promise<CallCommandResponse> {
  return api("POST", `/calls/${encodeURIComponent(callId)}/supervise`, {
    body: { mode } satisfies SuperviseRequest,
    schema: CallCommandResponse,
    quiet: true,
  });
}
