import { type Command, UsageError, numberOption, stringList, stringOption } from '../command.js';

export const indexCommand: Command = {
  name: 'index',
  summary: 'Import product photos (folders, files) and a listing file into the catalog; re-runs only read new or changed files',
  usage:
    'index <folder|file>... [--listings FILE] [--model ID]... [--max-megapixels N] [--db FILE]\n' +
    '       prints {"indexed", "cached", "failed": [{path, error}], "missing": [...], "seconds", ...}; exit 0 even when some files failed',
  options: {
    listings: { type: 'string' },
    model: { type: 'string', multiple: true },
    'max-megapixels': { type: 'string' },
  },
  allowPositionals: true,
  async run(values, positionals, io) {
    const listings = stringOption(values, 'listings');
    if (positionals.length === 0 && !listings) throw new UsageError('give at least one folder or file, or --listings FILE');
    const models = stringList(values, 'model');
    const maxMegapixels = numberOption(values, 'max-megapixels', { min: 0.001, max: 1000 });
    return io.call('catalog.import', {
      paths: positionals,
      ...(listings ? { listings } : {}),
      ...(models.length ? { models } : {}),
      ...(maxMegapixels !== undefined ? { maxMegapixels } : {}),
    });
  },
};
