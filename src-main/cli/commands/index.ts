import type { Command } from '../command.js';
import { benchCommand } from './bench.js';
import { catalogCommand } from './catalog.js';
import { compareCommand } from './compare.js';
import { duplicatesCommand } from './duplicates.js';
import { embedCommand } from './embed.js';
import { importCommand } from './import.js';
import { mismatchCommand } from './mismatch.js';
import { modelsCommand } from './models.js';
import { qdrantCommand } from './qdrant.js';
import { searchCommand } from './search.js';
import { serveCommand } from './serve.js';

/** Every `lookalike` subcommand, in the order `--help` lists them. */
export const commands: Command[] = [importCommand, searchCommand, qdrantCommand, catalogCommand, duplicatesCommand, mismatchCommand, compareCommand, serveCommand, modelsCommand, embedCommand, benchCommand];
