import { describe, expect, it } from 'vitest';
import { toEnvelope } from '../../src-main/api/errors.js';
import { AppError } from '../../src-main/shared/errors.js';

// What the desktop IPC front door returns instead of throwing through ipcMain.handle.
describe('call envelope', () => {
  it('carries the result', async () => {
    await expect(toEnvelope(Promise.resolve({ hits: 3 }))).resolves.toEqual({ ok: true, output: { hits: 3 } });
  });
  it('carries an API error with its code, so the renderer can tell not_found from unavailable', async () => {
    await expect(toEnvelope(Promise.reject(new AppError('not_found', 'no such image')))).resolves.toEqual({ ok: false, error: { code: 'not_found', message: 'no such image' } });
    await expect(toEnvelope(Promise.reject(new AppError('unavailable', 'backend is closing')))).resolves.toMatchObject({ error: { code: 'unavailable' } });
  });
  it('turns any other failure into a failed error with its message', async () => {
    await expect(toEnvelope(Promise.reject(new Error('disk full')))).resolves.toEqual({ ok: false, error: { code: 'failed', message: 'disk full' } });
  });
});
