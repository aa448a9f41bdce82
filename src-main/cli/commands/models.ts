import { type Command, UsageError, numberOption, stringOption } from '../command.js';

function formatSize(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(0)} kB`;
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'List, install (folder, .zip or Hugging Face repo) and remove model packs; measure and choose 8-bit variants',
  usage: [
    'models [list] [--provider P]',
    '       lookalike models install <folder|file.zip|owner/repo> [--id ID] [--variant fp32|quantized|fp16|...]',
    '       lookalike models remove <id>',
    '       lookalike models measure [<id>] [--variant quantized] [--sample N]   drift and speed of a variant vs fp32 on your catalog',
    '       lookalike models use <id> <variant|auto>                            run a pack with that variant (remembered)',
    '',
    'Hub downloads resume after an interruption (run the same install again); LOOKALIKE_HF_ENDPOINT',
    'changes the Hub address. --provider forces an execution provider or an order, e.g. "webgpu,cpu".',
  ].join('\n'),
  options: { id: { type: 'string' }, variant: { type: 'string' }, provider: { type: 'string' }, sample: { type: 'string' } },
  allowPositionals: true,
  async run(values, positionals, io) {
    const [action = 'list', ...args] = positionals;
    if (action === 'list') {
      if (args.length) throw new UsageError('models list takes no arguments');
      const result = await io.call('models.list', { provider: stringOption(values, 'provider') });
      for (const m of result.models) {
        const tags = [m.isDefault ? 'default' : '', m.demo ? 'DEMO' : '', m.status === 'broken' ? 'BROKEN' : ''].filter(Boolean).join(',');
        const variant = m.chosenVariant ? `${m.variant} (chosen)` : m.variant;
        const detail = m.status === 'ok' ? `${m.family} dim=${m.dim} ${variant} ${formatSize(m.sizeBytes)}` : (m.error ?? '');
        io.log(`${m.id.padEnd(32)} ${tags.padEnd(14)} ${detail}`);
        for (const x of m.measurements) io.log(`${''.padEnd(48)}measured ${x.measuredAt.slice(0, 10)} on ${x.images} images: ${x.summary}${x.recommended ? ' -> recommended' : ''}`);
      }
      if (result.provider) {
        io.log(`execution provider: ${result.provider.active}${result.provider.forced ? ' (forced)' : ''}`);
        for (const s of result.provider.skipped) io.log(`  skipped ${s.provider}: ${s.reason}`);
      }
      return result;
    }
    if (action === 'install') {
      if (args.length !== 1) throw new UsageError('models install needs exactly one source: a folder, a .zip file or owner/repo');
      return io.call('models.install', { source: args[0]!, id: stringOption(values, 'id'), variant: stringOption(values, 'variant') });
    }
    if (action === 'remove') {
      if (args.length !== 1) throw new UsageError('models remove needs exactly one model id');
      return io.call('models.remove', { id: args[0]! });
    }
    if (action === 'measure') {
      if (args.length > 1) throw new UsageError('models measure takes at most one model id');
      const sample = numberOption(values, 'sample', { min: 4, max: 2000, integer: true });
      const { measurement: m } = await io.call('models.measureVariant', { model: args[0], variant: stringOption(values, 'variant'), sample, provider: stringOption(values, 'provider') });
      io.log(`${m.pack} ${m.summary}`);
      io.log(m.recommended ? `recommended: lookalike models use ${m.pack} ${m.variant}` : `not recommended (needs >= 1.2x and >= 90% of search results and duplicate pairs kept)`);
      return { measurement: m };
    }
    if (action === 'use') {
      if (args.length !== 2) throw new UsageError('models use needs a model id and a variant (or "auto")');
      return io.call('models.setVariant', { model: args[0]!, variant: args[1] === 'auto' ? null : args[1]! });
    }
    throw new UsageError(`unknown models action "${action}" (list, install, remove, measure, use)`);
  },
};
