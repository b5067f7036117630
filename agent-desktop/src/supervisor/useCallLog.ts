import type { CallLogItem } from "@okno/contracts";
import { useEffect, useRef, useState } from "react";
import { writeFilters, type CallFilters } from "./callFilters.ts";
import { fetchCallPage } from "./supervisorApi.ts";

export interface CallLog {
  items: CallLogItem[];
  isLoading: boolean;
  hasMore: boolean;
  loadMore: () => void;
}

/**
 * The journal's pages for these filters: the first page when the filters change, the next one (keyset
 * cursor) on "show more". The journal does not follow live changes: on a busy line it would jump under
 * the supervisor's eyes; new calls appear when the filters change or the page is opened again.
 */
export function useCallLog(filters: CallFilters): CallLog {
  const key = writeFilters(filters).toString();
  const [items, setItems] = useState<CallLogItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(true);
  // One signal per set of filters: changing them aborts its first page and any "show more" in flight.
  const current = useRef<AbortController | null>(null);

  const fetchPage = (after: string | undefined, signal: AbortSignal) => {
    setLoading(true);
    fetchCallPage(filters, after, signal)
      .then((page) => {
        if (!signal.aborted) {
          setItems((prev) => (after ? [...prev, ...page.items] : page.items));
          setCursor(page.nextCursor);
        }
      })
      .catch(() => undefined)
      .finally(() => {
        if (!signal.aborted) {
          setLoading(false);
        }
      });
  };

  useEffect(() => {
    const controller = new AbortController();
    current.current = controller;
    setItems([]);
    setCursor(null);
    fetchPage(undefined, controller.signal);
    return () => controller.abort();
    // `key` is the filters' identity; `filters` itself is a new object on each render.
  }, [key]);

  return {
    items,
    isLoading,
    hasMore: cursor !== null,
    loadMore: () => {
      if (cursor !== null && !isLoading && current.current) {
        fetchPage(cursor, current.current.signal);
      }
    },
  };
}
