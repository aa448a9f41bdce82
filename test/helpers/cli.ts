import { runCli } from '../../src-main/cli/run.js';

/** Runs the CLI in-process and captures what it writes. */
export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: () => any }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
