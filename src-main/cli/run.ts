import { parseArgs } from 'node:util';
import type { CallContext } from '../features/context.js';
import { AppError } from '../shared/errors.js';
import type { Services } from '../features/services.js';
import { loadConfig } from '../shared/config.js';
import { appVersion } from '../shared/version.js';
import { type Command, type CommandIO, type OptionSpec, UsageError } from './command.js';
import { commands } from './commands/index.js';
import { progressPrinter } from './progress.js';

export interface CliStreams {
  stdout: { write(s: string): boolean };
  stderr: { write(s: string): boolean; isTTY?: boolean };
}

const globalOptions: OptionSpec = {
  db: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `lookalike ${appVersion} — product photo search, duplicate listings and title mismatches with local CLIP/SigLIP models`,
    '',
    'Usage: lookalike <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}${c.aliases?.length ? ` (alias: ${c.aliases.join(', ')})` : ''}`),
    '',
    'Global options:',
    '  --db FILE     catalog database (default: catalog.db in the user data folder, or $LOOKALIKE_HOME)',
    '  --verbose     stack traces and debug logs on stderr',
    '  -h, --help    help for lookalike or a command',
    '',
    'Output: JSON on stdout, progress and logs on stderr. Exit codes: 0 ok, 1 failure, 2 bad usage.',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return [`Usage: lookalike ${c.usage}`, '', c.summary, ...(c.aliases?.length ? ['', `Alias: ${c.aliases.map((a) => `lookalike ${a}`).join(', ')}`] : [])].join('\n');
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], streams: CliStreams, signal = new AbortController().signal): Promise<number> {
  const verbose = argv.includes('--verbose');
  const name = commandName(argv);
  if (argv.length === 0 || (!name && (argv.includes('--help') || argv.includes('-h')))) {
    streams.stdout.write(`${mainHelp()}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  if (!name && argv.includes('--version')) {
    streams.stdout.write(`${appVersion}\n`);
    return 0;
  }
  const command = name === undefined ? undefined : commands.find((c) => c.name === name || c.aliases?.includes(name));
  if (!command) {
    streams.stderr.write(`lookalike: ${name ? `unknown command "${name}"` : 'no command given'}. Run "lookalike --help" for the list.\n`);
    return 2;
  }
  let services: Services | undefined;
  const progress = progressPrinter(streams.stderr);
  try {
    const rest = argv.filter((_a, i) => i !== argv.indexOf(name as string)); // the name as typed: the command's or an alias
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      streams.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    const dbPath = typeof values.db === 'string' ? values.db : undefined;
    const io: CommandIO = {
      dbPath,
      signal,
      log: (line) => streams.stderr.write(`${line}\n`),
      emit: (value) => streams.stdout.write(`${JSON.stringify(value)}\n`),
      write: (text) => streams.stdout.write(text),
      call: async (method, input) => {
        // Loaded on first call, so `--help`, usage errors and commands that only talk to other
        // processes start without loading the engine, the catalog and every feature.
        const [{ invoke }, { handlers }, { Services }] = await Promise.all([import('../dispatch/invoke.js'), import('../dispatch/handlers.js'), import('../features/services.js')]);
        services ??= new Services({ config: loadConfig(process.env, { dbPath }) });
        const ctx: CallContext = { services, signal, progress: (p) => progress.update(p) };
        try {
          return (await invoke(handlers, method, input, ctx)) as never;
        } finally {
          progress.end();
        }
      },
    };
    const output = await command.run(values, positionals, io);
    if (output !== undefined) streams.stdout.write(`${JSON.stringify(output)}\n`);
    return 0;
  } catch (err) {
    progress.end();
    const usage = err instanceof UsageError || (err instanceof AppError && err.code === 'bad_request');
    const message = err instanceof Error ? err.message : String(err);
    streams.stderr.write(`lookalike ${command.name}: ${message}${usage ? ` (see "lookalike ${command.name} --help")` : ''}\n`);
    if (verbose && err instanceof Error && err.stack) streams.stderr.write(`${err.stack}\n`);
    return usage ? 2 : 1;
  } finally {
    services?.close();
  }
}

/** The first bare word, skipping the value of a global option given before the command (`--db FILE`). */
function commandName(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--db') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

function parseCommandArgs(command: Command, args: string[]) {
  try {
    const parsed = parseArgs({
      args,
      options: { ...globalOptions, ...command.options },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    return { values: parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>, positionals: parsed.positionals };
  } catch (err) {
    // node:util's messages are clear but long; keep the first sentence.
    const message = err instanceof Error ? err.message.split('. ')[0] : String(err);
    throw new UsageError(message ?? 'bad arguments');
  }
}
