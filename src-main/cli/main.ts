import { runCli } from './run.js';

const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort.abort());
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, abort.signal);
