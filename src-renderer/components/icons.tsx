/** Small line icons (24×24, currentColor) for the sidebar and empty states. */
const PATHS: Record<string, string> = {
  search: 'M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14zM21 21l-5-5',
  duplicates: 'M8 8h11v11H8zM5 16V5h11',
  mismatch: 'M4 6h16M4 12h9M4 18h7M16 15l5 5M21 15l-5 5',
  compare: 'M4 20V10M9 20V4M15 20v-7M20 20V8',
  catalog: 'M4 5h16v14H4zM4 15l5-5 4 4 3-3 4 4M15 9h.01',
  models: 'M12 3l8 4.5v9L12 21l-8-4.5v-9zM12 12l8-4.5M12 12v9M12 12L4 7.5',
  settings: 'M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1',
  upload: 'M12 16V4M7 9l5-5 5 5M4 16v4h16v-4',
  image: 'M4 5h16v14H4zM4 15l5-5 4 4 3-3 4 4',
  check: 'M5 12l5 5 9-10',
  flag: 'M5 21V4h11l-2 4 2 4H5',
  skip: 'M5 5l7 7-7 7M13 5l7 7-7 7',
  undo: 'M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3',
  close: 'M6 6l12 12M18 6L6 18',
};

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
