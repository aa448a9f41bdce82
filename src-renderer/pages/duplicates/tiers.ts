import type { StringKey } from '../../i18n/strings';

export type Tier = 'exact' | 'near' | 'similar';

export const TIERS: Array<{ id: Tier; label: StringKey; hint: StringKey }> = [
  { id: 'exact', label: 'dup.tier.exact', hint: 'dup.tier.exactHint' },
  { id: 'near', label: 'dup.tier.near', hint: 'dup.tier.nearHint' },
  { id: 'similar', label: 'dup.tier.similar', hint: 'dup.tier.similarHint' },
];
