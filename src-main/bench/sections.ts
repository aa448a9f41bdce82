import { duplicatesSection } from './duplicates.js';
import { importSection } from './import.js';
import { modelsSection } from './models.js';
import { peerSection } from './peer.js';
import type { BenchSection } from './report.js';
import { searchSection } from './search.js';
import { startupSection } from './startup.js';
import { threadsSection } from './threads.js';

/** Sections `lookalike bench` runs, in order; add yours here. */
export const benchSections: BenchSection[] = [modelsSection, threadsSection, startupSection, peerSection, importSection, searchSection, duplicatesSection];
