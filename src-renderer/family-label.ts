import { FAMILY_LABELS, type FamilyName } from '../src-main/shared/families';

/** A model family as people know it: "SigLIP", "CLIP". */
export function familyLabel(family: string | null | undefined): string {
  return family && Object.hasOwn(FAMILY_LABELS, family) ? FAMILY_LABELS[family as FamilyName] : (family ?? '?');
}
