import { type Command, UsageError, stringOption } from '../command.js';

export const embedCommand: Command = {
  name: 'embed',
  summary: 'Print the L2-normalised embedding of one image or text',
  usage: 'embed [--model ID] (--image FILE | --text "...") [--provider P]   (default model: the first real SigLIP pack, else demo-siglip)',
  options: { model: { type: 'string' }, image: { type: 'string' }, text: { type: 'string' }, provider: { type: 'string' } },
  async run(values, _positionals, io) {
    const image = stringOption(values, 'image');
    const text = stringOption(values, 'text');
    if ((image === undefined) === (text === undefined)) throw new UsageError('give exactly one of --image FILE or --text "..."');
    const result = await io.call('models.embed', {
      model: stringOption(values, 'model'),
      provider: stringOption(values, 'provider'),
      ...(image !== undefined ? { image: { path: image } } : { text }),
    });
    io.log(`${result.model}: dim ${result.dim}, provider ${result.provider}`);
    return { model: result.model, dim: result.dim, vector: result.vector };
  },
};
