import type { StringKey } from '../../i18n/strings';

export type Decision = 'accept' | 'flag' | 'skip';

export const DECISION_LABEL: Record<Decision, StringKey> = { accept: 'mm.decision.accept', flag: 'mm.decision.flag', skip: 'mm.decision.skip' };
export const DECISION_TONE: Record<Decision, string> = { accept: 'badge ok', flag: 'badge danger', skip: 'badge' };
