import { describe, expect, it } from 'vitest';
import { ITEM_KINDS, stateResourceField } from '../contract/kinds.js';
import { parseWorkbinMessage } from './messages.js';
import { LIMITS } from './sanitise.js';

const ME = 'u-me';

function added(kind: string, resource: unknown, extra: Record<string, unknown> = {}): unknown {
  return {
    messageType: 'WorkbinStateChangeMessage',
    action: 'ItemAdded',
    id: 'inbox',
    workbinAgentId: '1001',
    [`${kind}StateResourceV2`]: resource,
    ...extra,
  };
}

describe('parseWorkbinMessage', () => {
  it('normalises every kind into a WorkbinItem', () => {
    for (const kind of ITEM_KINDS) {
      const result = parseWorkbinMessage(
        added(kind, {
          id: `ID-${kind}`,
          subject: 'Hello',
          from: 'a@b.c',
          receivedDate: '2016-03-2412: 52: 39.000+0200',
          state: 'InWorkbin',
          userData: { 'PegAG?: 2>1': '1', n: 3 },
        }),
        ME,
      );
      expect(result.ok).toBe(true);
      if (!result.ok || result.value.message.type !== 'item-added') throw new Error('not an item');
      expect(result.value.message.item).toEqual({
        id: `ID-${kind}`,
        kind,
        workbinId: 'inbox',
        ownerUserId: ME,
        summary: 'Hello',
        from: 'a@b.c',
        receivedAt: Date.UTC(2016, 2, 24, 10, 52, 39),
        receivedRaw: '2016-03-2412: 52: 39.000+0200',
        state: 'InWorkbin',
        userData: { 'PegAG?: 2>1': '1', n: 3 },
      });
    }
  });

  it('takes the owner from workbinUserId (supervisor) and falls back to text fields', () => {
    const result = parseWorkbinMessage(
      added(
        'tweet',
        { id: 7, text: 'a tweet', from: { screenName: '@x' } },
        { workbinUserId: 'u-2' },
      ),
      ME,
    );
    expect(
      result.ok && result.value.message.type === 'item-added' && result.value.message.item,
    ).toMatchObject({
      id: '7',
      ownerUserId: 'u-2',
      summary: 'a tweet',
      from: '@x',
      receivedAt: null,
    });
  });

  it('reads subscription state changes with their referenceId', () => {
    const result = parseWorkbinMessage(
      {
        messageType: 'WorkbinSubscriptionStateChangeMessage',
        id: 'inbox',
        stateResource: 'RequestFailed',
        referenceId: 14,
        errorMessage: 'nope',
      },
      ME,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        trimmed: 0,
        message: {
          type: 'subscription',
          ownerUserId: ME,
          workbinId: 'inbox',
          state: 'RequestFailed',
          referenceId: 14,
          reason: 'nope',
        },
      },
    });
  });

  it('files a team’s messages under the group, as GWS sends them', () => {
    // {"action":"ItemAdded","agentGroup":"MyAgentGroup","chatStateResourceV2":{…},"id":…,
    // "messageType":"WorkbinStateChangeMessage"}: no workbinUserId, no workbinAgentId.
    const added = parseWorkbinMessage(
      {
        action: 'ItemAdded',
        agentGroup: 'MyAgentGroup',
        chatStateResourceV2: {
          id: '0001BaBFVPR2004A',
          receivedDate: '2016-04-15 20:52:35.000+0300',
        },
        id: '6c715fa9-de16-4d23-b07c-cbcb1caf3e07',
        messageType: 'WorkbinStateChangeMessage',
      },
      ME,
    );
    expect(added.ok && added.value.message).toMatchObject({
      type: 'item-added',
      item: {
        ownerUserId: 'AgentGroup:MyAgentGroup',
        workbinId: '6c715fa9-de16-4d23-b07c-cbcb1caf3e07',
      },
    });
    // {"id": "5d48…", "messageType": "WorkbinSubscriptionStateChangeMessage", "placeGroup":
    // "MyPlaceGroup", "referenceId": 14, "stateResource": "Subscribed"}
    const answer = parseWorkbinMessage(
      {
        id: '5d487e69-a393-4228-a06f-6a4015ab1b54',
        messageType: 'WorkbinSubscriptionStateChangeMessage',
        placeGroup: 'MyPlaceGroup',
        referenceId: 14,
        stateResource: 'Subscribed',
      },
      ME,
    );
    expect(answer.ok && answer.value.message).toMatchObject({
      type: 'subscription',
      ownerUserId: 'PlaceGroup:MyPlaceGroup',
      referenceId: 14,
    });
    for (const data of [
      {
        messageType: 'WorkbinStateChangeMessage',
        action: 'ItemAdded',
        id: 'x',
        chatStateResourceV2: { id: 'c' },
        agentGroup: 'A',
        placeGroup: 'B',
      },
      { messageType: 'WorkbinStateChangeMessage', id: 'x', agentGroup: true },
      { messageType: 'WorkbinStateChangeMessage', id: 'x', agentGroup: 'A', workbinUserId: 'u' },
    ])
      expect(parseWorkbinMessage(data, ME)).toMatchObject({ ok: false, error: /agentGroup/ });
  });

  it('rejects what is not a workbin message, with a reason', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'not an object'],
      ['text', 'not an object'],
      [[1, 2], 'not an object'],
      [{ messageType: 'Other', id: 'x' }, 'unknown messageType'],
      [{ messageType: 'WorkbinStateChangeMessage', id: { a: 1 } }, 'workbin id'],
      [{ messageType: 'WorkbinStateChangeMessage', id: 'x'.repeat(LIMITS.id + 1) }, 'workbin id'],
      [
        { messageType: 'WorkbinStateChangeMessage', id: 'x', action: 'ItemMoved' },
        'unknown action',
      ],
      [
        { messageType: 'WorkbinStateChangeMessage', id: 'x', action: 'ItemAdded' },
        'no state resource',
      ],
      [added('email', { id: 'a' }, { chatStateResourceV2: { id: 'b' } }), 'more than one'],
      [added('email', { subject: 'no id' }), 'no id'],
      [added('email', 'a string'), 'no id'],
      [
        { messageType: 'WorkbinSubscriptionStateChangeMessage', id: 'x', stateResource: 'Maybe' },
        'stateResource',
      ],
      [added('email', { id: 'a' }, { workbinUserId: { id: 1 } }), 'workbinUserId'],
      // Ids are strings (numbers are read as their text): a boolean would become "true".
      [{ messageType: 'WorkbinStateChangeMessage', id: true }, 'workbin id'],
      [{ messageType: 'WorkbinStateChangeMessage', id: '' }, 'workbin id'],
      [added('email', { id: true }), 'no id'],
      [added('email', { id: '' }), 'no id'],
      [added('email', { id: 'a' }, { workbinUserId: false }), 'workbinUserId'],
      [added('email', { id: 'a' }, { workbinUserId: '' }), 'workbinUserId'],
      [
        {
          messageType: 'WorkbinStateChangeMessage',
          id: 'x',
          action: 'ItemRemoved',
          emailStateResourceV2: { id: false },
        },
        'no id',
      ],
      [{ messageType: 'WorkbinStateChangeMessage', id: Number.NaN }, 'workbin id'],
    ];
    for (const [data, reason] of cases) {
      const result = parseWorkbinMessage(data, ME);
      expect(result.ok, JSON.stringify(data)?.slice(0, 80)).toBe(false);
      if (!result.ok) expect(result.error).toContain(reason);
    }
  });

  it('keeps prototype-pollution keys out and counts them', () => {
    const hostile = JSON.parse(
      '{"id":"a","userData":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"ok":"yes"}}',
    ) as unknown;
    const result = parseWorkbinMessage(added('email', hostile), ME);
    if (!result.ok || result.value.message.type !== 'item-added') throw new Error('rejected');
    expect(result.value.message.item.userData).toEqual({ ok: 'yes' });
    expect(Object.getPrototypeOf(result.value.message.item.userData)).toBe(Object.prototype);
    expect(result.value.trimmed).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bounds huge fields and flattens nested userData', () => {
    const huge = 'x'.repeat(1_000_000);
    const userData: Record<string, unknown> = { nested: { a: [1, 2] }, big: huge };
    for (let i = 0; i < LIMITS.userDataKeys + 50; i++) userData[`k${i}`] = i;
    const result = parseWorkbinMessage(added('email', { id: 'a', subject: huge, userData }), ME);
    if (!result.ok || result.value.message.type !== 'item-added') throw new Error('rejected');
    const { item } = result.value.message;
    expect(item.summary.length).toBe(LIMITS.text);
    expect(item.userData.nested).toBe('{"a":[1,2]}');
    expect(String(item.userData.big).length).toBe(LIMITS.text);
    expect(Object.keys(item.userData)).toHaveLength(LIMITS.userDataKeys);
    expect(result.value.trimmed).toBeGreaterThanOrEqual(52);
  });

  it('bounds a huge field between characters, not inside an emoji', () => {
    // LIMITS.text - 1 is odd: a cut by code units there keeps half of a pair.
    const subject = '📧'.repeat(LIMITS.text);
    const result = parseWorkbinMessage(added('email', { id: 'a', subject }), ME);
    if (!result.ok || result.value.message.type !== 'item-added') throw new Error('rejected');
    const { summary } = result.value.message.item;
    expect(summary).toBe(`${'📧'.repeat(LIMITS.text / 2 - 1)}…`);
  });

  it('reads ItemRemoved with only an id', () => {
    const result = parseWorkbinMessage(
      {
        messageType: 'WorkbinStateChangeMessage',
        action: 'ItemRemoved',
        id: 'inbox',
        [stateResourceField('chat')]: { id: 'C1' },
      },
      ME,
    );
    expect(result.ok && result.value.message).toEqual({
      type: 'item-removed',
      ownerUserId: ME,
      workbinId: 'inbox',
      itemId: 'C1',
      kind: 'chat',
    });
  });
});
