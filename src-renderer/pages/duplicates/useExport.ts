import type { MethodInput } from '../../../src-main/api/contract';
import { call } from '../../api/client';
import { downloadText } from '../../download';
import { useI18n } from '../../i18n';
import { useToasts } from '../../state/toasts';

/** Downloads a duplicates export (CSV or JSON); a failure is a toast. */
export function useExport() {
  const { t } = useI18n();
  const toasts = useToasts();
  return async (input: MethodInput<'duplicates.export'>) => {
    try {
      const out = await call('duplicates.export', input);
      downloadText(out.text, out.filename, out.mime);
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
  };
}
