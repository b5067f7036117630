import { useDebouncedValue } from "@mantine/hooks";
import { MissedCallPage, type MissedCall } from "@okno/contracts";
import { useEffect, useState } from "react";
import { api } from "../api.ts";
import { useCalls } from "../calls/callStore.ts";
import { useChanges } from "../changes.ts";

export type MissedFilter = "pending" | "done" | "all";

const PAGE_SIZE = 50;

interface PageRequest {
  filter: MissedFilter;
  limit: number;
  /** Continues after a previous page. */
  cursor?: string | null;
  /** The badge keeps quiet about a failure; the page shows it. */
  quiet?: boolean;
  signal?: AbortSignal;
}

/** GET /calls/missed for one filter, newest first. */
export function fetchMissedPage({ filter, limit, cursor, quiet, signal }: PageRequest) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (filter !== "all") {
    params.set("status", filter);
  }
  if (cursor) {
    params.set("cursor", cursor);
  }
  return api("GET", `/calls/missed?${params}`, { schema: MissedCallPage, signal, quiet });
}

/**
 * A number that changes when the missed list may have changed: a call ended here, or crm-api says a call
 * or a task changed (a call back ends a missed call's wait, so does its callback task being done). Bursts
 * (ringing, answered, ended of one call) are folded into one refresh.
 */
export function useMissedVersion(): number {
  const changes = useChanges((s) => (s.versions.interactions ?? 0) + (s.versions.tasks ?? 0));
  const ended = useCalls((s) => s.cards.filter((c) => c.state === "ended").length);
  const [debounced] = useDebouncedValue(changes + ended, 400);
  return debounced;
}

export interface MissedCalls {
  items: MissedCall[];
  isLoading: boolean;
  hasMore: boolean;
  loadMore: () => void;
}

/** The missed calls for a filter: the first page again on every change, further pages on "show more". */
export function useMissedCalls(filter: MissedFilter): MissedCalls {
  const version = useMissedVersion();
  const [items, setItems] = useState<MissedCall[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(true);

  const fetchPage = (after: string | null, signal?: AbortSignal) => {
    setLoading(true);
    return fetchMissedPage({ filter, limit: PAGE_SIZE, cursor: after, signal })
      .then((page) => {
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      })
      .catch(() => undefined)
      .finally(() => {
        if (!signal?.aborted) {
          setLoading(false);
        }
      });
  };

  useEffect(() => {
    const controller = new AbortController();
    void fetchPage(null, controller.signal);
    return () => controller.abort();
    // `fetchPage` is a fresh closure each render; the filter and the change counter are what it reads.
  }, [filter, version]);

  return { items, isLoading, hasMore: cursor !== null, loadMore: () => void fetchPage(cursor) };
}

/** The badge shows up to this many; more is "99+". */
export const MAX_COUNTED = 99;

/** How many missed calls wait for a call back (capped at MAX_COUNTED + 1), or null until known. */
export function usePendingMissedCount(): number | null {
  const version = useMissedVersion();
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchMissedPage({ filter: "pending", limit: MAX_COUNTED + 1, quiet: true, signal: controller.signal })
      .then((page) => setCount(page.items.length))
      .catch(() => undefined);
    return () => controller.abort();
  }, [version]);
  return count;
}
