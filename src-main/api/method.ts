import type { z } from 'zod';

/** One API method: the schema its input must pass and the shape of its output. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** Shown in `--help`-like listings and the HTTP error for unknown methods. */
  summary: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}
