import {
  ContactLookup,
  DealPage,
  InteractionPage,
  TaskPage,
  type CallCardContact,
  type Contact,
} from "@okno/contracts";
import { api } from "../api.ts";
import { findStage, loadPipelines } from "../deals/pipelines.ts";

type KnownCardContact = Extract<CallCardContact, { hidden: false }>;
export type CardExtras = Pick<KnownCardContact, "deals" | "tasks" | "interactions">;

const CARD_LIST_SIZE = 5;

/**
 * Who is calling, for a card the SIP INVITE popped (no CTI push to carry the card): the screen-pop
 * lookup, shaped like the push's card so one component shows both. Deals, tasks and interactions come
 * separately (loadCardExtras) so the name shows as soon as the lookup answers.
 */
export async function lookupCardContact(number: string): Promise<CallCardContact | null> {
  const found = await api("GET", `/contacts/lookup?phone=${encodeURIComponent(number)}`, {
    schema: ContactLookup,
    quiet: true,
  });
  if (found.hidden) {
    return { hidden: true, ownerName: found.ownerName ?? "" };
  }
  return found.contact ? toCardContact(found.contact) : null;
}

/** A contact record in the card's shape; its deals, tasks and interactions are loaded separately. */
export function toCardContact(c: Contact): KnownCardContact {
  return {
    hidden: false,
    id: c.id,
    fullName: c.fullName,
    phones: c.phones.map((p) => p.phone),
    ownerId: c.ownerId,
    ownerName: "",
    isSourceConfirmed: true,
    sourceName: null,
    company: c.companies[0] ?? null,
    deals: [],
    tasks: [],
    interactions: [],
  };
}

/** Open deals, open tasks and the last interactions of a contact, fetched in parallel. */
export async function loadCardExtras(contactId: string): Promise<CardExtras> {
  const id = encodeURIComponent(contactId);
  const [deals, tasks, timeline, pipelines] = await Promise.all([
    api("GET", `/deals?contactId=${id}&limit=50`, { schema: DealPage, quiet: true }),
    api("GET", `/tasks?contactId=${id}&status=open&sort=dueAt&limit=${CARD_LIST_SIZE}`, {
      schema: TaskPage,
      quiet: true,
    }),
    api("GET", `/contacts/${id}/timeline?limit=${CARD_LIST_SIZE}`, { schema: InteractionPage, quiet: true }),
    loadPipelines().catch(() => []),
  ]);
  return {
    deals: deals.items
      .filter((d) => d.closedAt === null)
      .slice(0, CARD_LIST_SIZE)
      .map((d) => {
        const where = findStage(pipelines, d.stageId);
        return {
          id: d.id,
          title: d.title,
          amount: d.amount,
          stageName: where?.stage.name ?? "",
          pipelineName: where?.pipeline.name ?? "",
        };
      }),
    tasks: tasks.items.map((t) => ({
      id: t.id,
      type: t.type,
      title: t.title,
      dueAt: t.dueAt,
      isOverdue: t.isOverdue,
    })),
    interactions: timeline.items.map((i) => ({
      id: i.id,
      channel: i.channel,
      direction: i.direction,
      occurredAt: i.occurredAt,
      result: i.result,
      subject: i.subject,
      durationSec: i.durationSec,
    })),
  };
}
