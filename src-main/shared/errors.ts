// shared/: primitives every layer may use (errors, progress, configuration, family names, the shapes
// of model listings, where the app's files are). Runs in every process; imports nothing of ours.
/**
 * The errors every layer throws. Each kind is mapped the same way by every front door (HTTP status,
 * CLI exit code, UI message); the contract (api/errors.ts) carries them across processes.
 */
export type ErrorCode = 'bad_request' | 'not_found' | 'unavailable' | 'cancelled' | 'failed';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
