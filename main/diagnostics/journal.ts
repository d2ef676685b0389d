import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type ElectronLog from 'electron-log/node';
import type { DiagnosticsEntry, DiagnosticsReport } from '../contract/diagnostics.js';

export interface JournalOptions {
  /** The durable log; rotated at `maxBytes` into `<name>.old.log`. None: memory only. */
  readonly logFile?: string;
  readonly maxBytes?: number;
  /** How many of the latest entries the diagnostics view shows. */
  readonly keep?: number;
  /** Lines written per minute at most; a hostile server could otherwise fill the disk. */
  readonly linesPerMinute?: number;
  readonly now?: () => number;
}

/**
 * What went wrong, kept for the agent and for support: counts that are always exact, the
 * latest entries for the diagnostics view, and a durable, rotated log file written with
 * electron-log (plain Node, so the app and browser mode share it). The file gets reasons
 * only, never message samples: those carry customers' data.
 */
export class DiagnosticsJournal {
  private problems = 0;
  private rejected = 0;
  private recent: DiagnosticsEntry[] = [];
  private readonly keep: number;
  private readonly now: () => number;
  /** Opened at the first write: electron-log costs ~14 ms to load, and most runs never write. */
  private logger: Logger | null = null;
  private readonly linesPerMinute: number;
  private windowStart = 0;
  private linesInWindow = 0;
  private suppressed = 0;

  constructor(private readonly options: JournalOptions = {}) {
    this.keep = options.keep ?? 20;
    this.now = options.now ?? Date.now;
    this.linesPerMinute = options.linesPerMinute ?? 60;
  }

  record(kind: DiagnosticsEntry['kind'], text: string): void {
    if (kind === 'problem') this.problems++;
    else this.rejected++;
    const at = this.now();
    this.recent.push({ at, kind, text });
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
    this.write(at, kind, text);
  }

  report(): DiagnosticsReport {
    return {
      problems: this.problems,
      rejected: this.rejected,
      recent: [...this.recent],
      logFile: this.options.logFile ?? null,
    };
  }

  private write(at: number, kind: DiagnosticsEntry['kind'], text: string): void {
    const file = this.options.logFile;
    if (file === undefined) return;
    this.logger ??= openLog(file, this.options.maxBytes ?? 1024 * 1024);
    if (at - this.windowStart >= 60_000) {
      if (this.suppressed > 0)
        this.logger.warn(
          `${this.suppressed} more entries not written (over ${this.linesPerMinute} a minute)`,
        );
      this.windowStart = at;
      this.linesInWindow = 0;
      this.suppressed = 0;
    }
    if (this.linesInWindow >= this.linesPerMinute) {
      this.suppressed++;
      return;
    }
    this.linesInWindow++;
    if (kind === 'problem') this.logger.error(`problem: ${text}`);
    else this.logger.warn(`rejected: ${text}`);
  }
}

type Logger = ReturnType<typeof ElectronLog.create>;

function openLog(file: string, maxBytes: number): Logger {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const electronLog = createRequire(import.meta.url)('electron-log/node') as typeof ElectronLog;
  // One logger per file: electron-log keys its instances by id.
  const logger = electronLog.create({ logId: `workbin-tray:${file}` });
  logger.transports.console.level = false;
  logger.transports.file.resolvePathFn = () => file;
  logger.transports.file.maxSize = maxBytes;
  logger.transports.file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  return logger;
}
