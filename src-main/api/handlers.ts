import { appStatus } from '../features/status.js';
import type { Handlers } from './handler.js';

/** The one implementation of every API method, shared by IPC, HTTP and the CLI. */
export const handlers: Handlers = {
  'app.status': appStatus,
};
