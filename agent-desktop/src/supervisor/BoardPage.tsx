import { Alert, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { onAgentPush } from "../agent/agentStore.ts";
import { useNow } from "../agent/useNow.ts";
import { useAuth } from "../auth/authStore.ts";
import { useChanges } from "../changes.ts";
import { AgentBoardRow } from "./AgentBoardRow.tsx";
import { useBoard } from "./boardStore.ts";
import { canSupervise } from "./canSupervise.ts";
import { SUPERVISOR_NS } from "./i18n.ts";

/**
 * Calls change many times a second on a busy line: the board refetches at most this often. crm-api
 * sends `call` messages only to the agents on a call (cti/push.ts), so a supervisor learns of the calls
 * of their agents through `entity.changed` for interactions.
 */
const REFRESH_AFTER_MS = 500;

/** /supervisor/board: the lazy entry of the live agents' board. */
export function BoardPage() {
  const { t } = useTranslation(SUPERVISOR_NS);
  const me = useAuth((s) => s.me);
  if (!canSupervise(me)) {
    return <Alert color="gray">{t("noAccess")}</Alert>;
  }
  return <Board />;
}

function Board() {
  const { t } = useTranslation(SUPERVISOR_NS);
  const { items, isLoading } = useBoard();
  const now = useNow();
  useLiveBoard();

  return (
    <Stack>
      <Title order={2}>{t("board.title")}</Title>
      <Table.ScrollContainer minWidth={960}>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("board.agent")}</Table.Th>
              <Table.Th>{t("board.state")}</Table.Th>
              <Table.Th>{t("board.inState")}</Table.Th>
              <Table.Th>{t("board.today")}</Table.Th>
              <Table.Th>{t("board.calls")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((agent) => (
              <AgentBoardRow key={agent.userId} agent={agent} now={now} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {isLoading ? <Loader size="sm" /> : null}
      {!isLoading && items.length === 0 ? <Text c="dimmed">{t("board.empty")}</Text> : null}
    </Stack>
  );
}

/** Loads the board, applies `agent.state` pushes while it is open, and refetches when calls change. */
function useLiveBoard(): void {
  const interactions = useChanges((s) => s.versions.interactions ?? 0);
  const seen = useRef(interactions);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    void useBoard.getState().load();
    const stop = onAgentPush((push) => useBoard.getState().receive(push));
    return () => {
      stop();
      clearTimeout(pending.current);
      pending.current = undefined;
    };
  }, []);

  // Throttled, not debounced: changes that never pause still refresh the board every REFRESH_AFTER_MS.
  useEffect(() => {
    if (interactions === seen.current || pending.current !== undefined) {
      return;
    }
    seen.current = interactions;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      void useBoard.getState().load();
    }, REFRESH_AFTER_MS);
  }, [interactions]);
}
