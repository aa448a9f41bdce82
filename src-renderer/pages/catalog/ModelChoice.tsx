import { useI18n } from '../../i18n';

interface Props {
  packs: Array<{ id: string; isDefault: boolean; demo?: boolean }>;
  /** The packs ticked; none means the default pack. */
  models: string[];
  setModels: (models: string[]) => void;
}

/** Which packs embed the new photos, when more than one is installed. */
export function ModelChoice({ packs, models, setModels }: Props) {
  const { t } = useI18n();
  return (
    <fieldset className="model-choice">
      <legend>{t('catalog.form.models')}</legend>
      {packs.map((m) => (
        <label key={m.id} className="radio">
          <input
            type="checkbox"
            checked={models.length ? models.includes(m.id) : m.isDefault}
            onChange={(e) => {
              const current = models.length ? models : packs.filter((p) => p.isDefault).map((p) => p.id);
              setModels(e.target.checked ? [...new Set([...current, m.id])] : current.filter((id) => id !== m.id));
            }}
          />
          {m.id}
          {m.demo ? <span className="badge demo">{t('status.demo')}</span> : null}
        </label>
      ))}
      <span className="muted small">{t('catalog.form.modelsHint')}</span>
    </fieldset>
  );
}
