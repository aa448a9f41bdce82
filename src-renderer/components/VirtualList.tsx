import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useRef } from 'react';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  getKey: (item: T, index: number) => string | number;
  renderItem: (item: T, index: number) => ReactNode;
  label: string;
  /** Index kept in view (keyboard review moves it). */
  activeIndex?: number;
}

/** A list with its own scroll area that renders only visible rows. */
export function VirtualList<T>({ items, rowHeight, getKey, renderItem, label, activeIndex }: Props<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => ref.current, estimateSize: () => rowHeight, overscan: 6 });
  useEffect(() => {
    if (activeIndex !== undefined && activeIndex >= 0) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, virtualizer]);
  return (
    <div ref={ref} className="vlist" role="list" aria-label={label}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index]!;
          return (
            <div key={getKey(item, row.index)} role="listitem" className="vlist-row" style={{ transform: `translateY(${row.start}px)`, height: rowHeight }}>
              {renderItem(item, row.index)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
