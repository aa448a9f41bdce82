import type { Handler } from '../api/handler.js';
import { appVersion } from '../version.js';

export const appStatus: Handler<'app.status'> = async (_input, { services }) => ({
  version: appVersion,
  dbPath: services.dbPath,
  listings: services.catalog.listingCount(),
  images: services.catalog.imageCount(),
  models: [],
});
