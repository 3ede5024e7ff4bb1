import { useCallback, useEffect, useState } from 'react';

export interface Fetched<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  /** Loads again, keeping what is shown until the new data arrives (no layout jump). */
  reload(): void;
}

/** Loads data for a page and reloads when `deps` change; `error` is the server's message. */
export function useFetch<T>(load: () => Promise<T>, deps: unknown[]): Fetched<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: Error) => live && setState({ data: undefined, error: error.message, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}
