import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  message: string;
  /** An optional follow-up ("Open errors", "Undo"). */
  action?: { label: string; run: () => void };
  /** How many times this message was shown while on screen. */
  count?: number;
}

interface Toasts {
  toasts: Toast[];
  show: (t: Omit<Toast, 'id'>) => void;
  dismiss: (id: number) => void;
  /** Keeps a toast while the pointer or focus is on it (on: true), restarts its time when they leave. */
  hold: (id: number, on: boolean) => void;
}

const ToastContext = createContext<Toasts | undefined>(undefined);

/** How long a toast stays: errors long enough to be read, the rest a few seconds. Hovering or focusing a toast pauses it. */
export const TOAST_MS = { info: 5000, success: 5000, error: 20_000 } as const;

/**
 * Toasts leave by themselves (errors after 20 s, others after 5 s; a toast being hovered or focused
 * stays until the pointer or focus leaves it). The same message again is counted, not stacked.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const held = useRef(new Set<number>());
  const toastsRef = useRef(toasts);
  toastsRef.current = toasts;
  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    held.current.delete(id);
    setToasts((ts) => ts.filter((t) => t.id !== id));
  }, []);
  const schedule = useCallback(
    (id: number, kind: Toast['kind']) => {
      clearTimeout(timers.current.get(id));
      timers.current.set(
        id,
        setTimeout(() => {
          if (!held.current.has(id)) dismiss(id);
        }, TOAST_MS[kind]),
      );
    },
    [dismiss],
  );
  const show = useCallback(
    (t: Omit<Toast, 'id'>) => {
      setToasts((ts) => {
        const same = ts.find((o) => o.kind === t.kind && o.message === t.message);
        if (same) {
          schedule(same.id, same.kind);
          return ts.map((o) => (o === same ? { ...o, count: (o.count ?? 1) + 1 } : o));
        }
        const id = next.current++;
        schedule(id, t.kind);
        for (const old of ts.slice(0, -2)) clearTimeout(timers.current.get(old.id));
        return [...ts.slice(-2), { ...t, id }];
      });
    },
    [schedule],
  );
  const hold = useCallback(
    (id: number, on: boolean) => {
      if (on) held.current.add(id);
      else {
        held.current.delete(id);
        const toast = toastsRef.current.find((t) => t.id === id);
        if (toast) schedule(id, toast.kind);
      }
    },
    [schedule],
  );
  const value = useMemo(() => ({ toasts, show, dismiss, hold }), [toasts, show, dismiss, hold]);
  return <ToastContext.Provider value={value}>{children}</ToastContext.Provider>;
}

export function useToasts(): Toasts {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToasts outside ToastProvider');
  return ctx;
}
