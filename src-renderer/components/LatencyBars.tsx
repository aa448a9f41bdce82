import { useId, useRef } from 'react';
import { useWidth } from '../hooks/useWidth';

export interface Bar {
  label: string;
  value: number;
  /** Shown after the value, e.g. "ms · cpu". */
  detail?: string;
  tone?: 'a' | 'b';
}

interface Props {
  bars: Bar[];
  label: string;
  format: (v: number) => string;
}

const ROW = 30;
const LABEL_W = 150;
const VALUE_W = 280;

/** Horizontal bars (latency per model), plain SVG. */
export function LatencyBars({ bars, label, format }: Props) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const W = useWidth(box);
  const peak = Math.max(1e-9, ...bars.map((b) => b.value));
  const height = bars.length * ROW + 8;
  const plotW = W - LABEL_W - VALUE_W;
  return (
    <div ref={box} className="chart-box">
    <svg className="chart" width={W} height={height} viewBox={`0 0 ${W} ${height}`} role="img" aria-labelledby={titleId}>
      <title id={titleId}>{label}</title>
      {bars.map((b, i) => {
        const y = 4 + i * ROW;
        const w = Math.max(2, (b.value / peak) * plotW);
        return (
          <g key={i}>
            <text x={LABEL_W - 8} y={y + ROW / 2 + 1} className="chart-label" textAnchor="end" dominantBaseline="middle">
              {b.label}
            </text>
            <rect x={LABEL_W} y={y + 5} width={w} height={ROW - 10} rx={4} className={b.tone === 'b' ? 'chart-bar tone-b' : 'chart-bar tone-a'} />
            <text x={LABEL_W + w + 6} y={y + ROW / 2 + 1} className="chart-tick" dominantBaseline="middle">
              {format(b.value)}
              {b.detail ? ` ${b.detail}` : ''}
            </text>
          </g>
        );
      })}
    </svg>
    </div>
  );
}
