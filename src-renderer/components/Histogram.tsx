import { useId, useRef } from 'react';
import { formatDecimal } from '../format';
import { useWidth } from '../hooks/useWidth';

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

export interface Marker {
  value: number;
  label: string;
}

interface Props {
  bins: HistogramBin[];
  /** Accessible summary read instead of the picture. */
  label: string;
  markers?: Marker[];
  /** Bins whose centre falls in [from, to] are drawn in the accent colour (e.g. "flagged" or "duplicate"). */
  highlight?: { from: number; to: number };
  xLabel?: string;
  height?: number;
  formatTick?: (v: number) => string;
}

const PAD = { left: 36, right: 12, top: 14, bottom: 18 };

/** Score distribution in plain SVG: one bar per bin, optional threshold markers. */
export function Histogram({ bins, label, markers = [], highlight, xLabel, height = 180, formatTick = (v) => formatDecimal(v, 2) }: Props) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const W = useWidth(box);
  if (bins.length === 0) return null;
  const min = bins[0]!.from;
  const max = bins[bins.length - 1]!.to;
  const span = max - min || 1;
  const peak = Math.max(1, ...bins.map((b) => b.count));
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (v: number) => PAD.left + ((v - min) / span) * plotW;
  const y = (c: number) => PAD.top + plotH - (c / peak) * plotH;
  const ticks = [min, min + span / 4, min + span / 2, min + (3 * span) / 4, max];
  return (
    <div ref={box} className="chart-box">
    <svg className="chart" width={W} height={height} viewBox={`0 0 ${W} ${height}`} role="img" aria-labelledby={titleId}>
      <title id={titleId}>{label}</title>
      <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} className="chart-axis" />
      <text x={PAD.left - 6} y={PAD.top + 4} className="chart-tick" textAnchor="end">
        {peak}
      </text>
      <text x={PAD.left - 6} y={PAD.top + plotH} className="chart-tick" textAnchor="end">
        0
      </text>
      {bins.map((b, i) => {
        const centre = (b.from + b.to) / 2;
        const hot = highlight ? centre >= highlight.from && centre <= highlight.to : false;
        const bx = x(b.from) + 0.5;
        const bw = Math.max(1, x(b.to) - x(b.from) - 1);
        return (
          <rect key={i} x={bx} y={y(b.count)} width={bw} height={PAD.top + plotH - y(b.count)} className={hot ? 'chart-bar hot' : 'chart-bar'}>
            <title>{`${formatTick(b.from)}–${formatTick(b.to)}: ${b.count}`}</title>
          </rect>
        );
      })}
      {ticks.map((v, i) => (
        <text key={i} x={x(v)} y={height - PAD.bottom + 14} className="chart-tick" textAnchor={i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'}>
          {formatTick(v)}
        </text>
      ))}
      {markers.map((m, i) => {
        const mx = x(Math.min(max, Math.max(min, m.value)));
        return (
          <g key={i} className="chart-marker">
            <line x1={mx} x2={mx} y1={PAD.top - 4} y2={PAD.top + plotH} />
            <text x={mx + (mx > W - 120 ? -4 : 4)} y={PAD.top + 6} textAnchor={mx > W - 120 ? 'end' : 'start'}>
              {m.label}
            </text>
          </g>
        );
      })}
    </svg>
    {/* Under the chart as text, so a long label (Russian) wraps instead of being cut at the edge. */}
    {xLabel ? <div className="chart-xlabel">{xLabel}</div> : null}
    </div>
  );
}

/** API histograms come as edges + counts; this turns them into bins. */
export function binsFromEdges(edges: number[], counts: number[]): HistogramBin[] {
  return counts.map((count, i) => ({ from: edges[i]!, to: edges[i + 1]!, count }));
}

/**
 * Drops the thin tails (under 1% of the count at each end) so the bulk of a distribution is not a
 * sliver at one end; values in `keep` (thresholds) stay in range.
 */
export function trimBins(bins: HistogramBin[], keep: number[] = [], tail = 0.01): HistogramBin[] {
  const total = bins.reduce((s, b) => s + b.count, 0);
  if (total === 0) return bins;
  let first = 0;
  for (let acc = 0; first < bins.length - 1 && acc + bins[first]!.count <= total * tail; first++) acc += bins[first]!.count;
  let last = bins.length - 1;
  for (let acc = 0; last > first && acc + bins[last]!.count <= total * tail; last--) acc += bins[last]!.count;
  for (const v of keep) {
    const i = bins.findIndex((b) => v >= b.from && v <= b.to);
    if (i >= 0) {
      first = Math.min(first, i);
      last = Math.max(last, i);
    }
  }
  return bins.slice(Math.max(0, first - 1), Math.min(bins.length, last + 2));
}
