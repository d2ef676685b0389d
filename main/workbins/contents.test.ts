import { describe, expect, it } from 'vitest';
import { buildStateResource } from '../../sim/resources.js';
import { turnsWhile } from '../slices/test-support.js';
import { readWorkbinItemsInSlices } from './contents.js';

/** A contents answer's `workbin` object as the simulator builds it: `emails` of `count`. */
function emailsAnswer(count: number): Record<string, unknown> {
  return {
    emails: Array.from({ length: count }, (_, i) =>
      buildStateResource({ kind: 'email', workbinId: 'inbox', subject: `mail ${i}` }, `ID${i}`),
    ),
  };
}

describe('readWorkbinItemsInSlices', () => {
  it('reads every kind it knows, and counts what it cannot use', async () => {
    const answer = {
      ...emailsAnswer(2),
      chats: [buildStateResource({ kind: 'chat', workbinId: 'inbox' }, 'CHAT1'), 'not a chat', {}],
      // Not a list: one thing skipped.
      workitems: { id: 'x' },
      unknownthings: [{ id: 'y' }],
    };
    const read = await readWorkbinItemsInSlices(answer, 'inbox', 'u-agent1');
    expect(read.items.map((i) => [i.kind, i.id]).sort()).toEqual([
      ['chat', 'CHAT1'],
      ['email', 'ID0'],
      ['email', 'ID1'],
    ]);
    expect(read.skipped).toBe(3);
    expect(read.items.every((i) => i.workbinId === 'inbox' && i.ownerUserId === 'u-agent1')).toBe(
      true,
    );
  });

  it('reads a large answer over several turns of the event loop, not in one', async () => {
    // 50,000 entries take tens of milliseconds on any machine: far more than one slice.
    const answer = emailsAnswer(50_000);
    const { value: read, turns } = await turnsWhile(
      readWorkbinItemsInSlices(answer, 'inbox', 'u-agent1'),
    );
    expect(read.items).toHaveLength(50_000);
    expect(turns).toBeGreaterThan(1);
  });
});
