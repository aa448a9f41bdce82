import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository/app root: bundled demo models and catalog live under resources/ there. */
export const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const resourcesDir = path.join(appRoot, 'resources');

/**
 * Per-user data folder, the same one Electron's app.getPath('userData') gives for "Lookalike",
 * so the desktop app, browser mode and the CLI share one catalog. LOOKALIKE_HOME overrides it.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.LOOKALIKE_HOME) return path.resolve(env.LOOKALIKE_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Lookalike');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Lookalike');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Lookalike');
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userDataDir(env), 'catalog.db');
}
