import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../src-main/api/contract';
import { ApiCallError, call } from './api/client';

export type AppStatus = MethodOutput<'app.status'> & {
  /** Installed packs and the execution provider (models.list), for the status bar and demo banners. */
  packs: MethodOutput<'models.list'>;
};

/** app.status and models.list, refreshed on demand (after imports, model changes) and every 15 s. */
export function useStatus() {
  const [status, setStatus] = useState<AppStatus | undefined>();
  const [error, setError] = useState<ApiCallError | undefined>();
  const refresh = useCallback(async () => {
    try {
      const [app, packs] = await Promise.all([call('app.status', {}), call('models.list', {})]);
      setStatus({ ...app, packs });
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

/** True when every usable pack is a demo pack: the UI says so plainly. */
export function onlyDemoModels(status: AppStatus | undefined): boolean {
  const ok = status?.packs.models.filter((m) => m.status === 'ok') ?? [];
  return ok.length > 0 && ok.every((m) => m.demo);
}
