import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface BackstopOptions {
  /** A durable log (opened 0600), or none: stderr only. */
  readonly logFile?: string;
  /** Saves what must not be lost (the offline cache) before the process ends; says what failed. */
  readonly flush?: () => string | null;
  readonly name?: string;
}

/**
 * The last line of defence: an exception nobody caught ends the process, but only after it
 * is logged (stderr and the durable log) and the cache is flushed, with a clear message and
 * a non-zero exit code. A rejected promise nobody awaited is logged and the process goes on:
 * it stopped one piece of work, not the process.
 */
export function installBackstops(options: BackstopOptions = {}): void {
  const name = options.name ?? 'Workbin Tray';
  const log = (kind: string, error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const line = `${new Date().toISOString()} ${kind}: ${detail}\n`;
    process.stderr.write(line);
    if (options.logFile) {
      try {
        mkdirSync(dirname(options.logFile), { recursive: true, mode: 0o700 });
        appendFileSync(options.logFile, line, { mode: 0o600 });
      } catch {
        // The log is best effort: failing to write it must not hide the original error.
      }
    }
  };
  process.on('unhandledRejection', (reason) => log('unhandled rejection', reason));
  process.on('uncaughtException', (error) => {
    log('uncaught exception', error);
    const failed = options.flush?.();
    if (failed) log('cache flush failed', failed);
    const where = options.logFile ? ` Details are in ${options.logFile}.` : '';
    process.stderr.write(
      `${name} stopped after an unexpected error: ${error instanceof Error ? error.message : String(error)}.${where}\n`,
    );
    process.exit(1);
  });
}
