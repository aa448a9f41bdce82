import type { MethodOutput } from '../../../src-main/api/contract';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n';

type CatalogOut = MethodOutput<'compare.catalog'>;

/** The whole catalog under both models: duplicates and mismatches each finds, in common and alone. */
export function CatalogResult({ out }: { out: CatalogOut }) {
  const { t, language } = useI18n();
  const [a, b] = out.models;
  const rows: Array<{ title: string; counts: CatalogOut['duplicates']['counts'] }> = [
    { title: t('cmp.cat.duplicates'), counts: out.duplicates.counts },
    { title: t('cmp.cat.mismatches'), counts: out.mismatches.counts },
  ];
  return (
    <table className="data" data-testid="compare-catalog">
      <thead>
        <tr>
          <th />
          <th className="num">{a.id}</th>
          <th className="num">{b.id}</th>
          <th className="num">{t('cmp.cat.both')}</th>
          <th className="num">{t('cmp.onlyIn', { model: a.id })}</th>
          <th className="num">{t('cmp.onlyIn', { model: b.id })}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.title}>
            <th scope="row">{r.title}</th>
            <td className="num">{formatNumber(language, r.counts.first)}</td>
            <td className="num">{formatNumber(language, r.counts.second)}</td>
            <td className="num">{formatNumber(language, r.counts.both)}</td>
            <td className="num">{formatNumber(language, r.counts.onlyFirst)}</td>
            <td className="num">{formatNumber(language, r.counts.onlySecond)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
