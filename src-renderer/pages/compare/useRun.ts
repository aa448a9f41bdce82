import { useState } from 'react';

/** One of the page's comparisons: its last answer, error and whether it runs. */
export function useRun<T>() {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<T>) => {
    setBusy(true);
    setError(undefined);
    try {
      setData(await work());
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return { data, error, busy, run };
}
