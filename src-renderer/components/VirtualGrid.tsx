import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useScrollElement } from '../state/scroll';

interface Props<T> {
  items: readonly T[];
  getKey: (item: T, index: number) => string;
  renderItem: (item: T, index: number) => ReactNode;
  /** Columns are as many as fit at this width. */
  minColumnWidth?: number;
  /** Height of a card below its square thumbnail. */
  footerHeight?: number;
  gap?: number;
  label: string;
  /** Told which items are on screen (first, last index), e.g. to fetch the pages they are on. */
  onRangeChange?: (first: number, last: number) => void;
}

/**
 * A grid that renders only the rows on screen (plus a few), so 100k results scroll like 100.
 * It scrolls with the page: the shell's <main> is the scroll element and the grid's offset in it is
 * the scroll margin.
 */
export function VirtualGrid<T>({ items, getKey, renderItem, minColumnWidth = 180, footerHeight = 78, gap = 16, label, onRangeChange }: Props<T>) {
  const getScrollElement = useScrollElement();
  const gridRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [offset, setOffset] = useState(0);

  useLayoutEffect(() => {
    const el = gridRef.current;
    const scroller = getScrollElement();
    if (!el) return;
    const measure = () => {
      setWidth(el.clientWidth);
      if (scroller) setOffset(el.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (scroller) observer.observe(scroller);
    return () => observer.disconnect();
  }, [getScrollElement]);

  const columns = Math.max(1, Math.floor((width + gap) / (minColumnWidth + gap)));
  const columnWidth = width ? (width - gap * (columns - 1)) / columns : minColumnWidth;
  const rowHeight = Math.round(columnWidth + footerHeight);
  const rows = Math.ceil(items.length / columns);

  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement,
    estimateSize: () => rowHeight + gap,
    overscan: 3,
    scrollMargin: offset,
  });
  useLayoutEffect(() => virtualizer.measure(), [virtualizer, rowHeight, columns]);

  const visible = virtualizer.getVirtualItems();
  const firstRow = visible[0]?.index ?? 0;
  const lastRow = visible.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastRow >= 0) onRangeChange?.(firstRow * columns, Math.min(items.length - 1, (lastRow + 1) * columns - 1));
  }, [firstRow, lastRow, columns, items.length, onRangeChange]);

  // Arrow keys move between cards; the target row is scrolled into view (rendered) before focus.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, Home: -items.length, End: items.length }[e.key];
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (step === undefined || !cell) return;
    e.preventDefault();
    const target = Math.max(0, Math.min(items.length - 1, Number(cell.dataset.index) + step));
    virtualizer.scrollToIndex(Math.floor(target / columns), { align: 'auto' });
    const focus = (tries: number) => {
      const el = gridRef.current?.querySelector<HTMLElement>(`[data-index="${target}"] button, [data-index="${target}"] [tabindex]`);
      if (el) el.focus();
      else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
    };
    // The target row may need a few frames to render on a busy machine.
    focus(60);
  };

  return (
    <div ref={gridRef} className="vgrid" role="list" aria-label={label} onKeyDown={onKeyDown} style={{ height: rows ? virtualizer.getTotalSize() - gap : 0 }}>
      {visible.map((row) => (
        <div
          key={row.key}
          className="vgrid-row"
          style={{
            transform: `translateY(${row.start - offset}px)`,
            gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
            gap,
            height: rowHeight,
          }}
        >
          {items.slice(row.index * columns, row.index * columns + columns).map((item, i) => {
            const index = row.index * columns + i;
            return (
              <div role="listitem" key={getKey(item, index)} className="vgrid-cell" data-index={index}>
                {renderItem(item, index)}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}
