import { modelsSection } from './models.js';
import type { BenchSection } from './report.js';

/** Sections `lookalike bench` runs, in order; add yours here. */
export const benchSections: BenchSection[] = [modelsSection];
