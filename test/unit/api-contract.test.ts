import { describe, expect, it } from 'vitest';
import { invoke } from '../../src-main/dispatch/invoke.js';
import type { CallContext } from '../../src-main/features/context.js';
import { handlers } from '../../src-main/dispatch/handlers.js';
import { contract } from '../../src-main/api/contract.js';
import { reviveError, serializeError } from '../../src-main/api/errors.js';
import { AppError } from '../../src-main/shared/errors.js';
import { ImageRef } from '../../src-main/api/schemas/common.js';
import { Services } from '../../src-main/features/services.js';

function ctx(): CallContext {
  return { services: new Services({ dbPath: '/nonexistent/lookalike-test.db' }), progress: () => {}, signal: new AbortController().signal };
}

describe('API contract', () => {
  it('has exactly one handler for every method', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(contract).sort());
  });

  it('rejects an unknown method with not_found', async () => {
    await expect(invoke(handlers, 'nope.nothing', {}, ctx())).rejects.toMatchObject({ code: 'not_found' });
  });

  it('rejects input that fails the schema with bad_request naming the field', async () => {
    const err = await invoke(handlers, 'app.status', { surprise: 1 }, ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_request');
    expect((err as AppError).message).toMatch(/app\.status/);
  });

  it('does not run the handler once the call is cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(invoke(handlers, 'app.status', {}, { ...ctx(), signal: abort.signal })).rejects.toThrow();
  });

  it('turns a storage refusal no feature translated into the catalog\'s one-line error', async () => {
    const refusing = {
      ...handlers,
      'app.status': async () => {
        throw Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
      },
    } as typeof handlers;
    const err = await invoke(refusing, 'app.status', {}, ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe(
      'the catalog database /nonexistent/lookalike-test.db is read-only (no permission to write it): app.status stopped; what was saved before is kept; make the file and its folder writable, or copy the catalog to a writable folder',
    );
    const other = { ...handlers, 'app.status': async () => Promise.reject(new TypeError('boom')) } as typeof handlers;
    await expect(invoke(other, 'app.status', {}, ctx())).rejects.toThrow(TypeError);
  });

  it('round-trips errors through serialisation', () => {
    const e = reviveError(serializeError(new AppError('unavailable', 'qdrant is down')));
    expect(e).toMatchObject({ code: 'unavailable', message: 'qdrant is down' });
    expect(serializeError(new TypeError('boom'))).toEqual({ code: 'failed', message: 'boom' });
  });

  it('accepts each form of image reference and nothing else', () => {
    expect(ImageRef.safeParse({ path: '/tmp/a.jpg' }).success).toBe(true);
    expect(ImageRef.safeParse({ bytes: 'aGVsbG8=' }).success).toBe(true);
    expect(ImageRef.safeParse({ sha256: 'a'.repeat(64) }).success).toBe(true);
    expect(ImageRef.safeParse({ sha256: 'xyz' }).success).toBe(false);
    expect(ImageRef.safeParse({ path: '/a', bytes: 'b' }).success).toBe(false);
    expect(ImageRef.safeParse({}).success).toBe(false);
  });
});
