import type { AppStatus } from '../useStatus';

/** What the shell gives every page. */
export interface PageProps {
  /** Re-reads app.status (after an import or a model change). */
  refreshStatus: () => void;
  navigate: (page: string) => void;
  /** The last app.status, undefined until it arrives. */
  status?: AppStatus;
}
