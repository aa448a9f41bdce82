import { z } from 'zod';
import { method } from '../method.js';

export const modelDefaultMethods = {
  'models.setDefault': method({
    summary: 'Make an installed or bundled pack the default model for search, import, duplicates and mismatch (null: the automatic choice again).',
    input: z.object({ id: z.string().min(1).max(200).nullable() }).strict(),
    output: z.object({ defaultModel: z.string().nullable() }),
  }),
};
