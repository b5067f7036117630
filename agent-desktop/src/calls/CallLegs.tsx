import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useAgentNames } from "./agentNames.ts";
import { TRANSFER_NS } from "./transferI18n.ts";

type Transfer = "blind" | "attended";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const textOf = (v: unknown): string | null => (typeof v === "string" ? v : null);

/**
 * Agents who talked on the call, in the order they took it (several after a transfer), read from the
 * call's `payload.call` (crm-api's merged call, cti/callState.ts); anything else shows nothing.
 */
export function talkedExtensions(payload: unknown): { extensions: string[]; transfer: Transfer | null } {
  const call = isRecord(payload) && isRecord(payload.call) ? payload.call : null;
  const legs = call && isRecord(call.legs) ? Object.values(call.legs).filter(isRecord) : [];
  const answered = legs
    .map((leg) => ({ ext: textOf(leg.agentExt), at: textOf(leg.answeredAt) }))
    .filter((leg): leg is { ext: string; at: string } => leg.ext !== null && leg.at !== null)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const transfers = call && Array.isArray(call.transfers) ? call.transfers.filter(isRecord) : [];
  const kind = transfers.at(-1)?.kind;
  return {
    extensions: [...new Set(answered.map((leg) => leg.ext))],
    transfer: kind === "blind" || kind === "attended" ? kind : null,
  };
}

/** «Разговаривали: Смирнова Анна Павловна (101) → Никитин Артём Олегович (102) · перевод с консультацией». */
export function CallLegs({ payload }: { payload: unknown }) {
  const { t } = useTranslation(TRANSFER_NS);
  const { extensions, transfer } = talkedExtensions(payload);
  const names = useAgentNames(extensions);
  if (extensions.length === 0) {
    return null;
  }
  const agents = extensions.map((ext) => (names[ext] ? `${names[ext]} (${ext})` : ext)).join(" → ");
  return (
    <Text size="xs" c="dimmed" data-testid="call-agents">
      {t("agents")}: {agents}
      {transfer && extensions.length > 1 ? ` · ${t(`transfer.${transfer}`)}` : ""}
    </Text>
  );
}
