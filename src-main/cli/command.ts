import type { ParseArgsConfig } from 'node:util';
import type { MethodInput, MethodName, MethodOutput } from '../api/contract.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandIO {
  /** Calls an API method in-process, through the same validation and handler as IPC and HTTP. */
  call: <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<MethodOutput<M>>;
  /** The --db value, if given (commands that start other front doors pass it on). */
  dbPath: string | undefined;
  log: (line: string) => void;
  /** Prints one JSON value on stdout right away (for commands that keep running, like serve). */
  emit: (value: unknown) => void;
  /** Writes text to stdout as is, for commands whose output format is not JSON (e.g. --format csv). */
  write: (text: string) => void;
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** Other names the command answers to (older or shorter spellings), listed in --help. */
  aliases?: string[];
  summary: string;
  /** Usage after `lookalike `, e.g. `search (--image FILE | --text "...") [-k N]`. */
  usage: string;
  options: OptionSpec;
  allowPositionals?: boolean;
  /** Returns what goes to stdout as JSON; undefined prints nothing. */
  run: (values: OptionValues, positionals: string[], io: CommandIO) => Promise<unknown>;
}

/** Bad usage: exit code 2 and a one-line message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function stringList(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

export function numberOption(
  values: OptionValues,
  name: string,
  { min, max, integer = false }: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const bad = raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || (min !== undefined && n < min) || (max !== undefined && n > max);
  if (bad) {
    const range = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : ''].filter(Boolean).join(' and ');
    throw new UsageError(`--${name} expects ${integer ? 'an integer' : 'a number'}${range ? ` ${range}` : ''}, got "${raw}"`);
  }
  return n;
}
