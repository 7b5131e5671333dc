import { parseArgs, type ParseArgsConfig } from 'node:util';

/** An error the user can fix (bad argument, bad file): printed without a stack, exit code 2. */
export class UsageError extends Error {}

export function runCli(main: () => void | Promise<void>): void {
  // Piping into `head` closes stdout early; that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  Promise.resolve()
    .then(main)
    .catch((e: unknown) => {
      if (e instanceof UsageError) {
        process.stderr.write(`error: ${e.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
}

/**
 * Parses a command line with one positional argument and --help; a bad option or count is a UsageError
 * that ends with the usage text. Returns null when --help was asked for (usage already printed).
 */
export function parseOneArg<O extends NonNullable<ParseArgsConfig['options']>>(
  options: O,
  usage: string,
  what: string,
): {
  arg: string;
  values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>['values'];
} | null {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(usage + '\n');
    return null;
  }
  if (parsed.positionals.length !== 1) throw new UsageError(`give exactly one ${what}\n${usage}`);
  return { arg: parsed.positionals[0]!, values: parsed.values as never };
}
