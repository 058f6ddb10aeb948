import { useEffect, useState } from 'react';
import { describeError } from './chain/error-decoder.js';

export interface AsyncState<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

/** Runs `load` when `deps` change; keeps the previous data while reloading (no flicker). */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error: describeError(error), loading: false }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}
