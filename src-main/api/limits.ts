// Bounds of the contract that front doors also check before calling (the CLI's usage errors), kept
// apart from the zod schemas so that `lookalike --help` loads no schema library.

/** Most results one search returns. */
export const MAX_K = 500;
