/** Test support: how often the event loop turned while work ran. Not shipped code. */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** `work`'s value, and the turns of the event loop until it settled. */
export async function turnsWhile<T>(work: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let waiting = true;
  const counting = (async () => {
    while (waiting) {
      await nextTurn();
      turns++;
    }
  })();
  try {
    return { value: await work, turns };
  } finally {
    waiting = false;
    await counting;
  }
}
