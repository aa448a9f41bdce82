// cli/: the `lookalike` command line. Runs in its own Node process: parses arguments, then calls the
// API in-process (dispatch/invoke) or, for `serve`, starts the HTTP front door and a backend.
import { runCli } from './run.js';

const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort.abort());
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, abort.signal);
