import type { Handler } from '../api/handler.js';
import { appVersion } from '../version.js';

export const appStatus: Handler<'app.status'> = async (_input, { services }) => ({
  version: appVersion,
  dbPath: services.dbPath,
  listings: 0,
  images: 0,
  models: [],
});
