import { AppError } from '../shared/errors.js';

/** Engine errors carry their API error code, so every front door reports them without translation. */
export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super('not_found', message);
  }
}

export class BadInputError extends AppError {
  override name = 'BadInputError';
  constructor(message: string) {
    super('bad_request', message);
  }
}
