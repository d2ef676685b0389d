import { readFile } from 'node:fs';
import { CometD } from 'cometd';
import { adapt } from 'cometd-nodejs-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { promptZeroDelays } from './prompt-timers.js';

/** Resolves inside an I/O callback: from there an immediate always runs before any timer. */
const afterIo = () =>
  new Promise<void>((resolve) => readFile(import.meta.filename, () => resolve()));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('promptZeroDelays', () => {
  beforeAll(() => {
    const debug = console.debug;
    adapt(); // the client's `window`, as the app has it
    console.debug = debug;
  });

  it("runs the client's zero-delay timers (the next /meta/connect) before a timer set earlier", async () => {
    const cometd = new CometD();
    promptZeroDelays(cometd);
    const order: string[] = [];
    await afterIo();
    setTimeout(() => order.push('a timer of 0 ms set first'), 0);
    cometd.setTimeout(() => order.push("the client's"), 0);
    await sleep(10);
    expect(order).toEqual(["the client's", 'a timer of 0 ms set first']);
  });

  it('keeps other delays as timers, and clears both kinds', async () => {
    const cometd = new CometD();
    promptZeroDelays(cometd);
    const ran: string[] = [];
    await afterIo();
    cometd.setTimeout(() => ran.push('delayed'), 5);
    cometd.clearTimeout(cometd.setTimeout(() => ran.push('cleared, zero'), 0));
    cometd.clearTimeout(cometd.setTimeout(() => ran.push('cleared, delayed'), 5));
    cometd.setTimeout(() => ran.push('zero'), 0);
    await sleep(0);
    expect(ran).toEqual(['zero']);
    await sleep(20);
    expect(ran).toEqual(['zero', 'delayed']);
  });

  it('keeps an exception in a zero-delay function inside the client, as its timers do', async () => {
    const cometd = new CometD();
    promptZeroDelays(cometd);
    let after = false;
    cometd.setTimeout(() => {
      throw new Error('a failing send');
    }, 0);
    cometd.setTimeout(() => {
      after = true;
    }, 0);
    await sleep(10);
    expect(after).toBe(true);
  });
});
