import type { ModelListing } from '../../src-main/api/schemas/models';
import { call } from '../api/client';
import { useI18n } from '../i18n';
import { markCatalogChanged } from '../state/catalog-changes';
import { useJobs } from '../state/jobs';
import { useToasts } from '../state/toasts';

const percent = (x: number) => `${Math.round(x * 100)}%`;

/**
 * The weight variants of a pack beyond fp32 (8-bit "quantized", ...): their measured drift and
 * speed on this catalog, a button to measure, and the per-pack choice (remembered by the backend).
 */
export function ModelVariants({ model, onChange }: { model: ModelListing; onChange: () => void }) {
  const { t } = useI18n();
  const jobs = useJobs();
  const toasts = useToasts();
  const others = model.variants.filter((v) => v !== 'fp32');
  if (model.status !== 'ok' || !model.variants.includes('fp32') || others.length === 0) return null;
  const error = (err: unknown) => toasts.show({ kind: 'error', message: t('models.variants.failed', { message: err instanceof Error ? err.message : String(err) }) });

  const measure = async (variant: string) => {
    const input = { model: model.id, variant };
    try {
      const out = await jobs.run('model', t('models.variants.jobLabel', { variant, name: model.name }), (onProgress, signal) => call('models.measureVariant', input, { onProgress, signal }), input);
      if (out) toasts.show({ kind: 'success', message: out.measurement.summary });
    } catch (err) {
      error(err);
    }
    onChange();
  };

  const use = async (variant: string | null) => {
    try {
      const out = await call('models.setVariant', { model: model.id, variant });
      markCatalogChanged();
      toasts.show({ kind: 'success', message: t('models.variants.switched', { name: model.name, variant: out.model.variant ?? 'fp32' }) });
    } catch (err) {
      error(err);
    }
    onChange();
  };

  return (
    <div className="model-variants" data-testid={`variants-${model.id}`}>
      <h4>{t('models.variants.title')}</h4>
      <p className="muted small">{t('models.variants.lead')}</p>
      {others.map((v) => {
        const m = model.measurements.find((x) => x.variant === v);
        return (
          <div key={v} className="model-variant" data-testid={`variant-${model.id}-${v}`}>
            <div className="row small">
              <strong>{v}</strong>
              {model.variant === v ? <span className="badge accent">{t('models.variants.inUse')}</span> : null}
              {m ? <span className={m.recommended ? 'badge ok' : 'badge'}>{t(m.recommended ? 'models.variants.recommended' : 'models.variants.notRecommended')}</span> : null}
            </div>
            <p className="small">
              {m
                ? t('models.variants.figures', {
                    speedup: String(m.speed.imageSpeedup),
                    textSpeedup: String(m.speed.textSpeedup),
                    textKept: percent(m.textSearchTop10.mean),
                    imageKept: percent(m.imageSearchTop10.mean),
                    dupKept: String(m.duplicatePairs.kept),
                    dupPairs: String(m.duplicatePairs.fp32),
                    cosine: String(m.imageCosine.min),
                    images: String(m.images),
                    date: m.measuredAt.slice(0, 10),
                  })
                : t('models.variants.notMeasured')}
            </p>
            <div className="row">
              <button type="button" className="small" onClick={() => void measure(v)}>
                {t(m ? 'models.variants.remeasure' : 'models.variants.measure')}
              </button>
              {model.chosenVariant === v ? (
                <button type="button" className="small" onClick={() => void use(null)}>
                  {t('models.variants.auto')}
                </button>
              ) : (
                <button type="button" className="small" onClick={() => void use(v)}>
                  {t('models.variants.use', { variant: v })}
                </button>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}
