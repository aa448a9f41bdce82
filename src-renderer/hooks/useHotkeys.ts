import { useEffect, useRef } from 'react';

/**
 * Keyboard shortcuts. Keys are matched on KeyboardEvent.key (lower-cased for letters), with
 * "mod+" for Ctrl on Windows/Linux and Cmd on macOS, and "alt+". Shortcuts without a modifier are
 * ignored while the user types in a field, so "a" still types an "a" in the search box.
 */
export type HotkeyMap = Record<string, (e: KeyboardEvent) => void>;

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'button', 'submit'].includes(target.type);
}

function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], summary, [role="button"], input, select, textarea') !== null;
}

export function hotkeyName(e: KeyboardEvent): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('mod');
  if (e.altKey) parts.push('alt');
  if (e.shiftKey && e.key.length > 1) parts.push('shift');
  // Alt+digit gives odd characters on some layouts; e.code keeps it layout-independent.
  const key = e.altKey && /^Digit\d$/.test(e.code) ? e.code.slice(5) : e.key.length === 1 ? e.key.toLowerCase() : e.key;
  parts.push(key);
  return parts.join('+');
}

/** The same shortcut by physical key, so letters work on a Russian layout too (ф is the A key). */
function physicalName(e: KeyboardEvent, name: string): string | undefined {
  const letter = /^Key([A-Z])$/.exec(e.code)?.[1]?.toLowerCase() ?? (e.code === 'Slash' ? '/' : undefined);
  if (!letter) return undefined;
  const parts = name.split('+');
  parts[parts.length - 1] = letter;
  return parts.join('+');
}

export function useHotkeys(map: HotkeyMap, enabled = true): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      let name = hotkeyName(e);
      if (!(name in ref.current)) name = physicalName(e, name) ?? name;
      const handler = ref.current[name];
      if (!handler) return;
      const hasModifier = name.includes('+');
      if (!hasModifier && isTypingTarget(e.target)) return;
      // Enter and Space still press the focused button; arrows still move within radio groups.
      if ((name === 'Enter' || name === ' ') && isActivatable(e.target)) return;
      if (name.startsWith('Arrow') && e.target instanceof HTMLInputElement) return;
      if (document.querySelector('dialog[open]') && !name.startsWith('Escape')) return;
      e.preventDefault();
      handler(e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** How a shortcut is shown in tooltips and hints: "Ctrl+Z" or "⌘Z". */
export function shortcutLabel(name: string): string {
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  return name
    .split('+')
    .map((p) => (p === 'mod' ? (mac ? '⌘' : 'Ctrl') : p === 'alt' ? (mac ? '⌥' : 'Alt') : p === 'shift' ? 'Shift' : p.length === 1 ? p.toUpperCase() : p))
    .join(mac ? '' : '+');
}
