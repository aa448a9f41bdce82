import { Dialog } from '../../components/Common';
import { useI18n } from '../../i18n';
import type { DroppedImport } from '../../state/intents';
import { isListingFile } from './import-paths';

interface Props {
  /** What was dropped (with real paths: the desktop app); undefined closes the dialog. */
  dropped?: DroppedImport;
  running: boolean;
  onCancel: () => void;
  onImport: () => void;
}

/** Asks before importing what was dropped, listing each folder, photo and listings file. */
export function DropConfirm({ dropped, running, onCancel, onImport }: Props) {
  const { t } = useI18n();
  return (
    <Dialog
      open={dropped !== undefined}
      title={t('catalog.confirm.title')}
      onClose={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="button" className="primary" disabled={running} onClick={onImport}>
            {t('catalog.confirm.import')}
          </button>
        </>
      }
    >
      <p>{t('catalog.confirm.body')}</p>
      <ul className="path-list">
        {dropped?.items.map((i) => (
          <li key={i.path}>
            <span className="badge">{i.isDirectory ? t('catalog.confirm.folder') : isListingFile(i.name) ? t('catalog.confirm.listings') : t('catalog.confirm.file')}</span>{' '}
            <code>{i.path}</code>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
