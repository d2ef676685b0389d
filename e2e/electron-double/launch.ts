import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOUBLE_REGISTER } from './build.js';
import type { ChildMessage, DoubleAction, JournalEntry, ParentMessage } from './journal.js';

export interface LaunchOptions {
  /** The app folder: its package.json's `main` is started, as `electron <appDir>` would. */
  readonly appDir: string;
  /** Another script than the app's `main` (the preload host). */
  readonly script?: string;
  /** Stands in for the user's home: `userData` is `<home>/.config/<productName>`. */
  readonly home: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The built shell running under the Electron double in a child process, the way Playwright's
 * `_electron.launch` starts a real one: the test reads the journal of Electron calls and acts
 * as the user or the OS.
 */
export class ShellProcess {
  readonly journal: JournalEntry[] = [];
  /** stdout and stderr, as the user would see them in a terminal. */
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, (message: ChildMessage) => void>();
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<(entry: JournalEntry) => void>();

  static launch(options: LaunchOptions): ShellProcess {
    return new ShellProcess(options);
  }

  private constructor(options: LaunchOptions) {
    const pkg = JSON.parse(readFileSync(join(options.appDir, 'package.json'), 'utf8')) as {
      main: string;
    };
    this.child = spawn(
      process.execPath,
      [
        '--import',
        DOUBLE_REGISTER,
        options.script ?? join(options.appDir, pkg.main),
        ...(options.args ?? []),
      ],
      {
        cwd: options.appDir,
        env: { ...process.env, WBT_DOUBLE_HOME: options.home, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'advanced',
      },
    );
    for (const stream of [this.child.stdout, this.child.stderr])
      stream?.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        this.wake();
      });
    this.child.on('message', (message: ChildMessage) => {
      if (message.type === 'journal') {
        this.journal.push(message.entry);
        for (const listener of this.listeners) listener(message.entry);
      } else if (message.type === 'acted') this.pending.get(message.id)?.(message);
      this.wake();
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        this.wake();
        resolve(code);
      }),
    );
  }

  /** Calls `listener` with each journal entry from now on (e.g. to carry IPC to a page). */
  onEntry(listener: (entry: JournalEntry) => void): void {
    this.listeners.add(listener);
  }

  /** Every recorded call to `api` (e.g. `Tray.setToolTip`), in order. */
  calls(api: string): JournalEntry[] {
    return this.journal.filter((entry) => entry.api === api);
  }

  last(api: string): JournalEntry | undefined {
    return this.calls(api).at(-1);
  }

  /** Waits until `check` returns a value (not undefined/false), or fails with the journal's tail. */
  async until<T>(
    label: string,
    check: () => T | undefined | false,
    timeoutMs = 15_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      const left = deadline - Date.now();
      if (left <= 0) {
        const tail = this.journal
          .slice(-15)
          .map((e) => `${e.api} ${JSON.stringify(e.detail).slice(0, 160)}`);
        throw new Error(
          `Timed out waiting for ${label}\n--- journal tail\n${tail.join('\n')}\n--- output\n${this.output.slice(-2000)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 200));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /** Acts as the user or the OS inside the app; resolves with the double's answer. */
  act(action: DoubleAction): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (message) => {
        this.pending.delete(id);
        if (message.type !== 'acted') return;
        if (message.error) reject(new Error(message.error));
        else resolve(message.result);
      });
      this.child.send({ type: 'act', id, action } satisfies ParentMessage);
    });
  }

  /**
   * Quit from the tray menu as the user does (`app.quit()` where there is no tray); resolves
   * with the exit code. A process that exits writes its coverage; a killed one does not.
   */
  async quit(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.connected)
      await this.act({ type: 'click-menu', label: 'Quit' })
        .catch(() => this.act({ type: 'quit' }))
        .catch(() => {});
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }
}
