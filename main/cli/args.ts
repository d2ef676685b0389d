import { promptPassword } from './password.js';

/** Says what is wrong with the command line, then how to use it, and exits 2. */
export function usageError(message: string, usage: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

/**
 * Runs a `parseArgs` call the same way for every command: an unknown or malformed option
 * exits 2 with the usage, `--help` prints the usage and exits 0.
 */
export function commandLine<T extends { values: { help?: boolean | undefined } }>(
  parse: () => T,
  usage: string,
): T {
  let parsed: T;
  try {
    parsed = parse();
  } catch (error) {
    usageError((error as Error).message, usage);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}

/** A `--name` option that must be a TCP port (0 = any free one). */
export function portOption(name: string, value: string, usage: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    usageError(`--${name}: "${value}" is not a port number`, usage);
  return n;
}

/** GWS_PASSWORD, or asked for on the terminal; exits 2 when there is neither. */
export async function passwordFor(user: string, usage: string): Promise<string> {
  const fromEnv = process.env.GWS_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  try {
    return await promptPassword(`Password for ${user}: `);
  } catch {
    usageError('No password: set GWS_PASSWORD or run in a terminal to be asked', usage);
  }
}
