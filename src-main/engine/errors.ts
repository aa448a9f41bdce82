import { ApiError } from '../api/errors.js';

/** Engine errors carry their API error code, so every front door reports them without translation. */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super('not_found', message);
  }
}

export class BadInputError extends ApiError {
  override name = 'BadInputError';
  constructor(message: string) {
    super('bad_request', message);
  }
}
