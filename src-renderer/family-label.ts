/** A model family as people know it: "SigLIP", "CLIP". */
export function familyLabel(family: string | null | undefined): string {
  return family === 'siglip' ? 'SigLIP' : family === 'clip' ? 'CLIP' : (family ?? '?');
}
