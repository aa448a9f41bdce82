import { type Command, UsageError, numberOption } from '../command.js';

export const catalogCommand: Command = {
  name: 'catalog',
  summary:
    'Catalog facts: "stats" (rows per table, vectors per model, images still waiting for vectors), "errors" (recent imports: failed files, listing problems), "repair" (embed the waiting images)',
  usage: 'catalog (stats | errors [--runs N] | repair) [--db FILE]',
  options: { runs: { type: 'string' } },
  allowPositionals: true,
  async run(values, positionals, io) {
    const [sub, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    if (sub === 'stats') return io.call('catalog.stats', {});
    if (sub === 'repair') return io.call('catalog.repair', {});
    if (sub === 'errors') {
      const runs = numberOption(values, 'runs', { min: 1, max: 100, integer: true });
      return io.call('catalog.errors', runs === undefined ? {} : { runs });
    }
    throw new UsageError(sub ? `unknown catalog subcommand "${sub}"` : 'expected "stats", "errors" or "repair"');
  },
};
