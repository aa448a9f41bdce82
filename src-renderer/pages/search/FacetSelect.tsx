import { formatNumber } from '../../format';
import { useI18n } from '../../i18n';

/** A pick list of a listing field's values with their counts; "" is any. */
export function FacetSelect({ id, label, value, options, onChange }: { id: string; label: string; value: string; options?: Array<{ value: string; count: number }>; onChange: (value: string) => void }) {
  const { t, language } = useI18n();
  const known = options?.some((o) => o.value.toLocaleLowerCase() === value.toLocaleLowerCase());
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={options?.find((o) => o.value.toLocaleLowerCase() === value.toLocaleLowerCase())?.value ?? value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('search.filter.any')}</option>
        {value && !known ? <option value={value}>{value}</option> : null}
        {options?.map((o) => (
          <option key={o.value} value={o.value}>
            {`${o.value} (${formatNumber(language, o.count)})`}
          </option>
        ))}
      </select>
    </div>
  );
}
