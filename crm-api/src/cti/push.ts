import type { CallCardContact, CallPush, CallState } from "@okno/contracts";
import { encodeNotice, type UserMessageNotice } from "../realtime/publishToUsers.ts";
import { agentOf, ringingExts, stateOf, type Call } from "./callState.ts";
import type { Attribution, Notified } from "./payload.ts";
import type { CallUser } from "./context.ts";

/** What one user's desktop shows of a call; a user hears again only when this changes. */
interface View {
  state: CallState;
  agentExt: string | null;
  isMine: boolean;
}

export interface PushPlan {
  user: Notified;
  view: View;
  /** The first message to this user, or the one telling them they answered: it carries the card. */
  withCard: boolean;
}

function viewOf(call: Call, user: Notified, queueMemberIds: ReadonlySet<string>): View {
  const state = stateOf(call);
  const agentExt = agentOf(call);
  const isAgent = user.ext !== null && user.ext === agentExt;
  let isMine: boolean;
  switch (state) {
    case "ringing":
      isMine =
        (user.ext !== null && ringingExts(call).includes(user.ext)) ||
        (call.queuedAt !== null && queueMemberIds.has(user.userId));
      break;
    case "answered":
    case "held":
      isMine = isAgent;
      break;
    case "ended":
      // The agent who talked keeps the card for the wrap-up; for everyone else it closes.
      isMine = isAgent && call.firstAnswer !== null;
      break;
  }
  return { state, agentExt, isMine };
}

/** Users the call concerns now: the phones it rings, its queue while it waits, the agent on it. */
function currentTargets(
  call: Call,
  users: readonly CallUser[],
  queueMemberIds: ReadonlySet<string>,
): Notified[] {
  const state = stateOf(call);
  const exts = new Set(ringingExts(call));
  const agentExt = agentOf(call);
  if (state !== "ringing" && agentExt !== null) {
    exts.add(agentExt);
  }
  return users
    .filter(
      (u) =>
        (u.extension !== null && exts.has(u.extension)) ||
        (state === "ringing" && call.queuedAt !== null && queueMemberIds.has(u.userId)),
    )
    .map((u) => ({ userId: u.userId, ext: u.extension }));
}

const sameView = (a: View, b: View) =>
  a.state === b.state && a.agentExt === b.agentExt && a.isMine === b.isMine;

/**
 * Who hears about this change of the call, and with what: a user newly concerned gets the call with its
 * card; one told before gets an update when their view changed (answered elsewhere → the card closes).
 * Returns the plans and everyone told so far.
 */
export function planPushes(
  prev: Call | null,
  next: Call,
  notified: readonly Notified[],
  users: readonly CallUser[],
  queueMemberIds: ReadonlySet<string>,
): { plans: PushPlan[]; notified: Notified[] } {
  const known = new Map(notified.map((n) => [n.userId, n]));
  const plans: PushPlan[] = [];
  for (const user of notified) {
    const view = viewOf(next, user, queueMemberIds);
    const before = prev ? viewOf(prev, user, queueMemberIds) : null;
    if (before && sameView(before, view)) {
      continue;
    }
    const answeredNow = view.isMine && view.state !== "ringing" && before?.state === "ringing";
    plans.push({ user, view, withCard: answeredNow });
  }
  for (const user of currentTargets(next, users, queueMemberIds)) {
    if (!known.has(user.userId)) {
      known.set(user.userId, user);
      plans.push({ user, view: viewOf(next, user, queueMemberIds), withCard: true });
    }
  }
  return { plans, notified: [...known.values()] };
}

export function toCallPush(
  call: Call,
  interactionId: string,
  attribution: Attribution | null,
  view: View,
  contact?: CallCardContact | null,
): CallPush {
  return {
    callId: call.callId,
    interactionId,
    state: view.state,
    direction: call.direction,
    from: call.from,
    to: call.to,
    line: call.line,
    source: attribution?.sourceName ?? null,
    campaign: attribution?.campaignName ?? null,
    agentExt: view.agentExt,
    answeredAt: call.firstAnswer?.at ?? null,
    isMine: view.isMine,
    ...(contact === undefined ? {} : { card: { contact } }),
  };
}

/**
 * One notice per distinct message (users who see the same thing share it). A card too large for
 * NOTIFY loses its history first, then its tasks, then its deals: the caller's name matters most.
 */
export function toNotices(messages: { userId: string; call: CallPush }[]): UserMessageNotice[] {
  const byText = new Map<string, UserMessageNotice>();
  for (const { userId, call } of messages) {
    const fitted = fitCall(call);
    const key = JSON.stringify(fitted);
    const notice = byText.get(key);
    if (notice) {
      notice.userIds.push(userId);
    } else {
      byText.set(key, { userIds: [userId], message: { type: "call", call: fitted } });
    }
  }
  // A queue of hundreds shares one message: its user ids go out in slices that keep the notice small.
  return [...byText.values()].flatMap((n) =>
    chunks(n.userIds, MAX_USERS_PER_NOTICE).map((userIds) => ({ userIds, message: n.message })),
  );
}

const MAX_USERS_PER_NOTICE = 50;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

function fitCall(call: CallPush): CallPush {
  const fits = (c: CallPush) =>
    encodeNotice({
      userIds: Array<string>(MAX_USERS_PER_NOTICE).fill(call.interactionId),
      message: { type: "call", call: c },
    }).fits;
  const contact = call.card?.contact;
  if (fits(call) || !contact || contact.hidden) {
    return call;
  }
  const cuts: (keyof Pick<typeof contact, "interactions" | "tasks" | "deals">)[] = [
    "interactions",
    "tasks",
    "deals",
  ];
  let trimmed = contact;
  for (const list of cuts) {
    trimmed = { ...trimmed, [list]: [] };
    const candidate = { ...call, card: { contact: trimmed } };
    if (fits(candidate)) {
      return candidate;
    }
  }
  return { ...call, card: { contact: trimmed } };
}
