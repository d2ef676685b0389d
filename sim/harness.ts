/** Test support: a simulator started for one test, and a way to wait for what arrives. */
import { GwsSimulator, type SimulatorOptions } from './simulator.js';

export async function startSimulator(options: SimulatorOptions = {}): Promise<GwsSimulator> {
  const sim = new GwsSimulator({ timeout: 5_000, maxInterval: 3_000, ...options });
  await sim.start();
  return sim;
}

/** Polls `check` (which may be async) until it gives a value other than undefined/false. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeout = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
