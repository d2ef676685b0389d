import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Spawned {
  readonly child: ChildProcess;
  /** `Label: URL` lines the process printed, by label. */
  readonly urls: Readonly<Record<string, string>>;
  readonly output: string[];
  stop(): Promise<void>;
}

/**
 * Runs one of our TypeScript entry points (sim/cli.ts, scripts/web.ts) in its own process
 * and waits until it has printed every `Label: URL` line asked for.
 */
export async function spawnEntry(
  script: string,
  args: readonly string[],
  labels: readonly string[],
  env: Record<string, string> = {},
  timeout = 20_000,
): Promise<Spawned> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const output: string[] = [];
  const urls: Record<string, string> = {};
  const collect = (line: string) => {
    output.push(line);
    const match = /^([A-Za-z ]+):\s+(\S+)/.exec(line);
    if (match?.[1] && match[2]) urls[match[1].trim()] = match[2];
  };
  createInterface({ input: child.stdout }).on('line', collect);
  createInterface({ input: child.stderr }).on('line', collect);
  const deadline = Date.now() + timeout;
  while (!labels.every((label) => urls[label])) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not start:\n${output.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    child,
    urls,
    output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Calls a simulator's control API, given as printed (`http://…/#token=…`); throws with the
 * server's message on an error status.
 */
export function controlClient(printed: string) {
  const [url = '', token = ''] = printed.split('#token=');
  const base = url.replace(/\/$/, '');
  return async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-control-token': token },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
    return json;
  };
}
