import { useEffect, useRef, useState } from 'react';
import { type DropIntent, classifyDrop } from '../drop';
import { useI18n } from '../i18n';

/**
 * Drag-and-drop anywhere in the window. While files are dragged over, a full-window overlay says
 * what dropping will do; the drop itself is classified and handed to `onDrop`.
 */
export function DropOverlay({ onDrop }: { onDrop: (intent: DropIntent) => void }) {
  const { t } = useI18n();
  const [active, setActive] = useState(false);
  const depth = useRef(0);
  const handler = useRef(onDrop);
  handler.current = onDrop;

  useEffect(() => {
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setActive(true);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Leaving the window (no related target) ends the drag whatever the enter/leave count says.
      depth.current = e.relatedTarget === null ? 0 : Math.max(0, depth.current - 1);
      if (depth.current === 0) setActive(false);
    };
    const onDropEvent = (e: DragEvent) => {
      depth.current = 0;
      setActive(false);
      if (!e.dataTransfer || !hasFiles(e)) return;
      e.preventDefault();
      const intent = classifyDrop(e.dataTransfer);
      if (intent) handler.current(intent);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDropEvent);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDropEvent);
    };
  }, []);

  if (!active) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <div className="drop-title">{t('drop.title')}</div>
        <div className="drop-hint">{t('drop.image')}</div>
        <div className="drop-hint">{t('drop.import')}</div>
      </div>
    </div>
  );
}
