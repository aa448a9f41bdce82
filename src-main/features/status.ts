import type { Handler } from '../features/context.js';
import { appVersion } from '../shared/version.js';

export const appStatus: Handler<'app.status'> = async (_input, { services }) => {
  const [{ models }, provider] = await Promise.all([services.models.list(), services.models.providerReport()]);
  return {
    version: appVersion,
    dbPath: services.dbPath,
    listings: services.catalog.listingCount(),
    images: services.catalog.imageCount(),
    // Usable packs, the default (active) one first.
    models: models
      .filter((m) => m.status === 'ok')
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
      .flatMap(({ id, name, family, demo }) => (family ? [{ id, name, family, demo, provider: provider?.active ?? null }] : [])),
  };
};
