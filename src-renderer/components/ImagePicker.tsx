import { useId, useRef } from 'react';
import { isImageFile, queryImageFromFile } from '../drop';
import { useI18n } from '../i18n';
import type { QueryImage } from '../state/intents';
import { Icon } from './icons';

/** The query photo: a preview with a remove button, or a button that opens the file picker. */
export function ImagePicker({ image, onChange }: { image?: QueryImage; onChange: (image: QueryImage | undefined) => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <div className="image-picker">
      {image ? (
        <div className="picked">
          <img src={image.preview} alt={t('search.queryImage', { name: image.name })} />
          <button type="button" className="picked-remove" aria-label={t('search.removeImage')} title={t('search.removeImage')} onClick={() => onChange(undefined)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ) : (
        <button type="button" className="pick-button" onClick={() => input.current?.click()} aria-describedby={`${id}-hint`}>
          <Icon name="image" size={26} />
          <span>{t('search.pickImage')}</span>
          <span id={`${id}-hint`} className="muted small">
            {t('search.pickHint')}
          </span>
        </button>
      )}
      <input
        ref={input}
        type="file"
        accept="image/*"
        hidden
        onChange={async (e) => {
          const file = Array.from(e.target.files ?? []).find(isImageFile);
          e.target.value = '';
          if (file) onChange(await queryImageFromFile(file));
        }}
      />
    </div>
  );
}
