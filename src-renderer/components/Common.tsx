import { type ReactNode, useEffect, useRef } from 'react';
import { useI18n } from '../i18n';
import { shortcutLabel } from '../hooks/useHotkeys';
import { Icon, type IconName } from './icons';

/** An empty or first-run state: what is going on and what to do next. */
export function EmptyState({ title, children, actions, icon }: { title: string; children?: ReactNode; actions?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="empty">
      {icon ? <div className="empty-icon" aria-hidden="true">{icon}</div> : null}
      <h2>{title}</h2>
      {children ? <div className="empty-body">{children}</div> : null}
      {actions ? <div className="empty-actions">{actions}</div> : null}
    </div>
  );
}

/** A whole page that has nothing to show yet: its heading, what is missing, and where to fix it. */
export function EmptyPage(props: { heading: string; icon: IconName; title: string; body: string; action: { label: string; onClick: () => void } }) {
  return (
    <section className="page">
      <h1>{props.heading}</h1>
      <EmptyState
        icon={<Icon name={props.icon} size={28} />}
        title={props.title}
        actions={
          <button type="button" className="primary" onClick={props.action.onClick}>
            {props.action.label}
          </button>
        }
      >
        <p>{props.body}</p>
      </EmptyState>
    </section>
  );
}

/** A failed call, with the backend's one-line message and a way to try again. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="notice error" role="alert">
      <span>{t('error.generic', { message })}</span>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Kbd({ keys }: { keys: string }) {
  return <kbd>{shortcutLabel(keys)}</kbd>;
}

/** A modal on the native <dialog>: focus is trapped, Escape closes. */
export function Dialog({ open, title, onClose, children, actions }: { open: boolean; title: string; onClose: () => void; children: ReactNode; actions: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-label={title} onClose={onClose} onCancel={onClose}>
      <h2>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}
