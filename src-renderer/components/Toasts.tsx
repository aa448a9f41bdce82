import { useI18n } from '../i18n';
import { useToasts } from '../state/toasts';

/**
 * The toast strip sits in the layout above the status bar (not over the page), so a toast never
 * covers a control; toasts leave by themselves (see state/toasts.tsx).
 */
export function Toasts() {
  const { toasts, dismiss, hold } = useToasts();
  const { t } = useI18n();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast ${toast.kind}`}
          role={toast.kind === 'error' ? 'alert' : 'status'}
          onPointerEnter={() => hold(toast.id, true)}
          onPointerLeave={() => hold(toast.id, false)}
          onFocus={() => hold(toast.id, true)}
          onBlur={() => hold(toast.id, false)}
        >
          <span className="toast-message">
            {toast.message}
            {toast.count && toast.count > 1 ? <span className="badge">×{toast.count}</span> : null}
          </span>
          {toast.action ? (
            <button
              type="button"
              className="link"
              onClick={() => {
                toast.action?.run();
                dismiss(toast.id);
              }}
            >
              {toast.action.label}
            </button>
          ) : null}
          <button type="button" className="icon-button" aria-label={t('common.dismiss')} onClick={() => dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
