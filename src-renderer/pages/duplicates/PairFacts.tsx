import type { MethodOutput } from '../../../src-main/api/contract';
import { formatScore } from '../../format';
import { useI18n } from '../../i18n';

export type Pair = MethodOutput<'duplicates.listings'>['groups'][number]['photos'][number]['pairs'][number];

/** The evidence of one pair in a line: cosine, hash bits, crop and frame match, colour distance, "same photo, other colour". */
export function PairFacts({ pair }: { pair: Pair }) {
  const { t } = useI18n();
  const facts = [
    pair.cosine !== null ? `${t('dup.col.cosine')} ${formatScore(pair.cosine)}` : null,
    t('dup.bits', { n: pair.hashDistance }),
    pair.alignment !== null ? `${t('dup.col.alignment')} ${formatScore(pair.alignment)}` : null,
    pair.frame !== null ? `${t('dup.col.frame')} ${formatScore(pair.frame)}` : null,
    pair.colourDistance !== null ? `${t('dup.col.colour')} ${t('dup.degrees', { n: Math.round(pair.colourDistance) })}` : null,
  ].filter(Boolean);
  return (
    <span className="muted small">
      {facts.join(' · ')}
      {pair.otherColour ? (
        <>
          {' '}
          <span className="badge accent" title={t('dup.otherColour.hint')}>
            {t('dup.otherColour')}
          </span>
        </>
      ) : null}
    </span>
  );
}
