import { useCallback, useEffect, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  isLoading: boolean;
  /** Loads again (after a change this screen made). */
  reload: () => void;
}

/**
 * Runs `load` when a dependency changes and keeps its latest answer; an answer that arrives after the
 * dependencies moved on is dropped (the signal aborts its request).
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [isLoading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal)
      .then((value) => {
        if (!controller.signal.aborted) {
          setData(value);
        }
      })
      .catch(() => undefined)
      .finally(() => {
        if (!controller.signal.aborted) {
          setLoading(false);
        }
      });
    return () => controller.abort();
    // `load` is a fresh closure each render; the caller lists what it depends on.
  }, [...deps, tick]);

  return { data, isLoading, reload };
}
