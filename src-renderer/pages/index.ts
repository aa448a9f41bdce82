import type { ComponentType } from 'react';
import type { IconName } from '../components/icons';
import type { StringKey } from '../i18n/strings';
import { CatalogPage } from './CatalogPage';
import { ComparePage } from './ComparePage';
import { DuplicatesPage } from './DuplicatesPage';
import { MismatchPage } from './MismatchPage';
import { ModelsPage } from './ModelsPage';
import type { PageProps } from './page-props';
import { SearchPage } from './SearchPage';
import { SettingsPage } from './SettingsPage';

export interface PageEntry {
  id: string;
  label: StringKey;
  icon: IconName;
  /** Alt+key jumps here; shown in the nav tooltip. */
  shortcut: string;
  component: ComponentType<PageProps>;
}

/** The sidebar, in order. */
export const pages: PageEntry[] = [
  { id: 'search', label: 'nav.search', icon: 'search', shortcut: '1', component: SearchPage },
  { id: 'duplicates', label: 'nav.duplicates', icon: 'duplicates', shortcut: '2', component: DuplicatesPage },
  { id: 'mismatch', label: 'nav.mismatch', icon: 'mismatch', shortcut: '3', component: MismatchPage },
  { id: 'compare', label: 'nav.compare', icon: 'compare', shortcut: '4', component: ComparePage },
  { id: 'catalog', label: 'nav.catalog', icon: 'catalog', shortcut: '5', component: CatalogPage },
  { id: 'models', label: 'nav.models', icon: 'models', shortcut: '6', component: ModelsPage },
  { id: 'settings', label: 'nav.settings', icon: 'settings', shortcut: '7', component: SettingsPage },
];
