import type { Command } from '../command.js';
import { serveCommand } from './serve.js';

/** Every `lookalike` subcommand, in the order `--help` lists them. */
export const commands: Command[] = [serveCommand];
