import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from './paths.js';

// Read from the app's package.json wherever the code runs (sources, out/, app.asar).
const pkg = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string };
export const appVersion: string = pkg.version;
