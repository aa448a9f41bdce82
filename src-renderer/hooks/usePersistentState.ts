import { useEffect, useState } from 'react';

/** useState that survives reloads (localStorage, JSON), for review settings people tune once. */
export function usePersistentState<T>(key: string, initial: T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = localStorage.getItem(`lookalike.${key}`);
      return raw === null ? initial : (JSON.parse(raw) as T);
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    localStorage.setItem(`lookalike.${key}`, JSON.stringify(value));
  }, [key, value]);
  return [value, setValue];
}
