import { type Command, UsageError, numberOption, stringList, stringOption } from '../command.js';

export const importCommand: Command = {
  name: 'import',
  aliases: ['index'],
  summary: 'Import product photos (folders, files) and a listing file into the catalog; re-runs only read new or changed files',
  usage:
    'import <folder|file>... [--listings FILE] [--model ID]... [--max-megapixels N] [--db FILE]\n' +
    '       prints {"indexed", "cached", "failed": [{path, error}], "failedCount", "problemCount" (listing rows with a problem + images not found),\n' +
    '       "missing": [...], "rowProblems": [...], "repaired", "pending", "seconds", ...}; exit 0 even when some files failed;\n' +
    '       a file that is not a listings file (no id or sku column) fails the import; "~/x" is in your home folder',
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
