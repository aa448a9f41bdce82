import { z } from 'zod';
import { method } from '../method.js';
import { ModelFamily } from './models.js';

export const appMethods = {
  'app.status': method({
    summary: 'Version, catalog location and size, active models and execution provider.',
    input: z.object({}).strict(),
    output: z.object({
      version: z.string(),
      dbPath: z.string(),
      listings: z.number(),
      images: z.number(),
      models: z.array(z.object({ id: z.string(), name: z.string(), family: ModelFamily, demo: z.boolean(), provider: z.string().nullable() })),
    }),
  }),
};
