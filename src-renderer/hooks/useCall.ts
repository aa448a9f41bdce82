import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../src-main/api/contract';
import { call } from '../api/client';

export interface CallState<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/**
 * Calls a method when the input changes (compared as JSON) and keeps the last answer while the
 * next one loads, so lists do not flash empty. `enabled: false` skips the call.
 */
export function useCall<M extends MethodName>(method: M, input: MethodInput<M>, enabled = true): CallState<MethodOutput<M>> {
  const [data, setData] = useState<MethodOutput<M>>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(enabled);
  const [nonce, setNonce] = useState(0);
  const key = JSON.stringify(input);
  const latest = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    const ticket = ++latest.current;
    const abort = new AbortController();
    setLoading(true);
    call(method, JSON.parse(key) as MethodInput<M>, { signal: abort.signal })
      .then((result) => {
        if (ticket !== latest.current) return;
        setData(result);
        setError(undefined);
      })
      .catch((err: unknown) => {
        if (ticket !== latest.current || abort.signal.aborted) return;
        setError(err instanceof Error ? err : new Error(String(err)));
      })
      .finally(() => {
        if (ticket === latest.current) setLoading(false);
      });
    return () => abort.abort();
  }, [method, key, enabled, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload };
}
