import type { CallCardContact, CallPush } from "@okno/contracts";

/** A `call` push as crm-api sends it for a ringing inbound call from a known client; override what differs. */
export function buildPush(overrides: Partial<CallPush> = {}): CallPush {
  return {
    callId: "ast1:1700000000.12",
    interactionId: "7d5b6c1e-2a7f-4c1e-9f5e-2d1b3c4a5e6f",
    state: "ringing",
    direction: "in",
    from: "+79123456789",
    to: "101",
    line: "+74957654321",
    source: "Яндекс.Директ",
    campaign: "Контекст — кухни",
    agentExt: "101",
    answeredAt: null,
    isMine: true,
    card: { contact: buildCardContact() },
    ...overrides,
  };
}

export function buildCardContact(
  overrides: Partial<Extract<CallCardContact, { hidden: false }>> = {},
): Extract<CallCardContact, { hidden: false }> {
  return {
    hidden: false,
    id: "0b8f3e0a-5d8c-4a7b-9d0e-1f2a3b4c5d6e",
    fullName: "Иванова Мария Петровна",
    phones: ["+79123456789", "+74951234567"],
    ownerId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    ownerName: "Петров Иван",
    isSourceConfirmed: true,
    sourceName: "Яндекс.Директ",
    company: { id: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", name: "ООО «Кухни Плюс»" },
    deals: [
      {
        id: "3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b",
        title: "Кухня на заказ",
        amount: 45_000_000,
        stageName: "Замер",
        pipelineName: "Продажи",
      },
    ],
    tasks: [
      {
        id: "4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b8c",
        type: "callback",
        title: "Перезвонить по замеру",
        dueAt: "2026-03-05T11:30:00+03:00",
        isOverdue: true,
      },
    ],
    interactions: [
      {
        id: "5a6b7c8d-9e0f-4a1b-8c3d-4e5f6a7b8c9d",
        channel: "call",
        direction: "in",
        occurredAt: "2026-03-01T10:00:00+03:00",
        result: "договорились о замере",
        subject: null,
        durationSec: 184,
      },
    ],
    ...overrides,
  };
}
