import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../src-main/api/contract';
import { ApiCallError, call } from './api/client';

export type AppStatus = MethodOutput<'app.status'>;

/** app.status, refreshed on demand (after imports, model changes) and every 15 s. */
export function useStatus() {
  const [status, setStatus] = useState<AppStatus | undefined>();
  const [error, setError] = useState<ApiCallError | undefined>();
  const refresh = useCallback(async () => {
    try {
      setStatus(await call('app.status', {}));
      setError(undefined);
    } catch (err) {
      setError(err instanceof ApiCallError ? err : new ApiCallError('failed', String(err)));
    }
  }, []);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 15_000);
    return () => clearInterval(timer);
  }, [refresh]);
  return { status, error, refresh };
}
