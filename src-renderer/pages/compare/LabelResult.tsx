import type { MethodOutput } from '../../../src-main/api/contract';
import { familyLabel } from '../../family-label';
import { formatPercent, formatProbability } from '../../format';
import { useI18n } from '../../i18n';

/** Zero-shot labels for the photo, scored by each model (sigmoid or softmax), as bars. */
export function LabelResult({ out }: { out: MethodOutput<'compare.labels'> }) {
  const { t, language } = useI18n();
  return (
    <div className="zs-result" data-testid="zs-result">
      {out.runs.map((run) => {
        const sum = run.scores.reduce((s, x) => s + x.score, 0);
        return (
          <div key={run.model.id} className="zs-column">
            <h3>
              <span className={`family ${run.model.family}`}>{familyLabel(run.model.family)}</span> {run.model.id}
            </h3>
            <div className="muted small">{run.kind === 'softmax' ? t('cmp.zs.softmax', { sum: formatPercent(language, sum) }) : t('cmp.zs.sigmoid')}</div>
            <ul className="zs-bars">
              {run.scores.map((s, i) => (
                <li key={s.label} className={i === run.best ? 'best' : undefined}>
                  <span className="zs-label">{s.label}</span>
                  <span className={run.kind === 'softmax' ? 'meter tone-b' : 'meter'}>
                    <span style={{ width: `${Math.max(0.5, s.score * 100)}%` }} />
                  </span>
                  <span className="zs-value">{formatProbability(language, s.score)}</span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
