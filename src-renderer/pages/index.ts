import type { ComponentType } from 'react';
import type { StringKey } from '../i18n/strings';
import { SettingsPage } from './SettingsPage';

export interface PageProps {
  /** Re-reads app.status (after an import or a model change). */
  refreshStatus: () => void;
  navigate: (page: string) => void;
}

export interface PageEntry {
  id: string;
  label: StringKey;
  /** Alt+key jumps here; shown in the nav tooltip. */
  shortcut: string;
  component: ComponentType<PageProps>;
}

/** The sidebar, in order. */
export const pages: PageEntry[] = [{ id: 'settings', label: 'nav.settings', shortcut: '7', component: SettingsPage }];
