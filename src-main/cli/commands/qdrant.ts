import { type Command, UsageError, numberOption, stringOption } from '../command.js';
import { qdrantFlags, qdrantOptions } from './search.js';

export const qdrantCommand: Command = {
  name: 'qdrant',
  summary: 'Qdrant server: status (reachable? what is pushed) or push the local vectors (resumable)',
  usage:
    'qdrant status [--qdrant-url URL] [--qdrant-key KEY] [--db FILE]\n' +
    '       qdrant push [--model ID] [--recreate] [--batch N] [--qdrant-url URL] [--qdrant-key KEY] [--db FILE]\n' +
    '       URL and key default to QDRANT_URL / QDRANT_API_KEY. A push sends only what the server has not\n' +
    '       confirmed yet, so an interrupted push continues where it stopped. Local server for testing:\n' +
    '       docker run -p 6333:6333 qdrant/qdrant   then   QDRANT_URL=http://127.0.0.1:6333',
  options: { model: { type: 'string' }, recreate: { type: 'boolean' }, batch: { type: 'string' }, ...qdrantOptions },
  allowPositionals: true,
  async run(values, positionals, io) {
    const [action, ...rest] = positionals;
    if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    const qdrant = qdrantFlags(values);
    if (action === 'status') {
      const status = await io.call('search.qdrantStatus', qdrant ? { qdrant } : {});
      if (status.error) io.log(`qdrant: ${status.error}`);
      return status;
    }
    if (action === 'push') {
      const model = stringOption(values, 'model');
      const batchSize = numberOption(values, 'batch', { min: 1, max: 1024, integer: true });
      return io.call('search.qdrantPush', {
        ...(model ? { model } : {}),
        ...(qdrant ? { qdrant } : {}),
        ...(batchSize !== undefined ? { batchSize } : {}),
        recreate: values.recreate === true,
      });
    }
    throw new UsageError(action ? `unknown action "${action}": use status or push` : 'give an action: status or push');
  },
};
