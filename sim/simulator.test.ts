import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GWS_KINDS, SIM_KINDS } from './gws-names.js';
import { startSimulator, waitFor } from './harness.js';
import type { GwsSimulator } from './simulator.js';
import { connectClient, SimTestClient } from './test-client.js';

let sim: GwsSimulator;
let client: SimTestClient | undefined;

beforeEach(async () => {
  sim = await startSimulator();
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await sim.stop();
});

async function basicGet(path: string, user = 'agent1', password = 'demo'): Promise<Response> {
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  return fetch(`${sim.url}${path}`, { headers: { Authorization: `Basic ${auth}` } });
}

type Answer<T> = { ok: true; value: T } | { ok: false; status: number };

/**
 * `POST /api/v2/me/workbins/{id}` (or `/users/{userId}/workbins/{id}`) with
 * `{"operationName":"Subscribe"}` answers `{"statusCode":0,"referenceId":14}`.
 */
async function subscribe(
  c: SimTestClient,
  operationName: 'Subscribe' | 'Unsubscribe',
  workbinId: string,
  userId?: string,
): Promise<Answer<number>> {
  const owner = userId ? `/users/${userId}` : '/me';
  const answer = await c.post(`${owner}/workbins/${workbinId}`, { operationName });
  const ref = answer.body.referenceId;
  return answer.status === 200 && typeof ref === 'number'
    ? { ok: true, value: ref }
    : { ok: false, status: answer.status };
}

/** `POST /api/v2/me/workbins?workbinIds=a,b` answers `{"statusCode":0,"referenceIds":{"a":56,"b":57}}`. */
async function subscribeMany(
  c: SimTestClient,
  workbinIds: string[],
): Promise<Answer<Record<string, number>>> {
  const answer = await c.post(`/me/workbins?workbinIds=${workbinIds.join(',')}`, {
    operationName: 'Subscribe',
  });
  return answer.status === 200
    ? { ok: true, value: answer.body.referenceIds as Record<string, number> }
    : { ok: false, status: answer.status };
}

/** The subscription answer for a workbin, matched by id: GWS's carries no referenceId. */
function answerTo(workbinId: string, state: 'Subscribed' | 'Unsubscribed' | 'RequestFailed') {
  return (m: Record<string, unknown>) =>
    m.messageType === 'WorkbinSubscriptionStateChangeMessage' &&
    m.id === workbinId &&
    m.stateResource === state;
}

describe('REST sign-in and CSRF', () => {
  it('signs in with basic auth, sets JSESSIONID and hands out a CSRF token', async () => {
    const response = await basicGet('/api/v2/me');
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(
      /^JSESSIONID=[0-9A-F]{32}; Path=\/; HttpOnly$/,
    );
    expect(response.headers.get('x-csrf-header')).toBe('X-CSRF-TOKEN');
    expect(response.headers.get('x-csrf-token')).toMatch(/^[0-9a-f]{32}$/);
    const body = (await response.json()) as { statusCode: number; user: { id: string } };
    expect(body.statusCode).toBe(0);
    expect(body.user.id).toBe('u-agent1');
  });

  it('rejects a wrong password with 401', async () => {
    const response = await basicGet('/api/v2/me', 'agent1', 'wrong');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Basic');
  });

  it('refuses a POST without the CSRF token and accepts it with the token', async () => {
    const first = await basicGet('/api/v2/me');
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const token = first.headers.get('x-csrf-token') ?? '';
    const post = (headers: Record<string, string>) =>
      fetch(`${sim.url}/api/v2/me/workbins/workitems`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ operationName: 'Subscribe' }),
      });
    const refused = await post({});
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { statusMessage: string }).statusMessage).toBe(
      'Missing or invalid Csrf token',
    );
    const accepted = await post({ 'X-CSRF-TOKEN': token });
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { referenceId: number }).referenceId).toBeGreaterThan(0);
  });

  it('answers notifications without a session with 401', async () => {
    const response = await fetch(`${sim.url}/api/v2/notifications/handshake`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([
        { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] },
      ]),
    });
    expect(response.status).toBe(401);
  });

  it('lists workbins and their contents', async () => {
    client = await connectClient(sim, 'agent1');
    const list = await client.get('/me/workbins?fields=*');
    expect(list.status).toBe(200);
    expect((list.body.workbins as Array<{ id: string }>).map((w) => w.id)).toEqual([
      'email-draft',
      'email-inprogress',
      'social-inbox',
      'workitems',
    ]);
    const contents = await client.get('/me/workbins/social-inbox?subresources=*');
    expect(contents).toMatchObject({ status: 200, body: { statusCode: 0 } });
    expect(Object.keys(contents.body.workbin as object)).toEqual(
      expect.arrayContaining(['tweets', 'facebooks', 'facebooksessions']),
    );
    const missing = await client.get('/me/workbins/nope?subresources=*');
    expect(missing.status).toBe(404);
  });

  it('sends an answer in small packets when told to, the same answer', async () => {
    const whole = await (await basicGet('/api/v2/me?subresources=*')).text();
    sim.behave({ packetBytes: 16 });
    const response = await basicGet('/api/v2/me?subresources=*');
    const reader = response.body?.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const read = await reader?.read();
      if (!read || read.done) break;
      chunks.push(read.value);
    }
    // Packets 1 ms apart reach a reader apart: many more reads than one.
    expect(chunks.length).toBeGreaterThan(whole.length / 64);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(whole);
  });
});

describe('CometD notifications', () => {
  it('answers Subscribe asynchronously, as documented with no referenceId in the answer', async () => {
    // GWS 8.5.2 API, "Subscribe to workbin notifications": POST api/v2/me/workbins/{id}
    // {"operationName": "Subscribe"} -> {"statusCode": 0, "referenceId": 14}, then on CometD
    // {"stateResource": "Subscribed", "id": "{id}", "messageType":
    // "WorkbinSubscriptionStateChangeMessage"}.
    client = await connectClient(sim, 'agent1');
    const reference = await subscribe(client, 'Subscribe', 'workitems');
    expect(reference.ok).toBe(true);
    const answer = await client.message(answerTo('workitems', 'Subscribed'), 'Subscribed');
    expect(answer).toMatchObject({
      messageType: 'WorkbinSubscriptionStateChangeMessage',
      id: 'workitems',
      stateResource: 'Subscribed',
    });
    expect(answer.referenceId).toBeUndefined();
    expect(answer.workbinUserId).toBeUndefined();
  });

  it('puts the request’s referenceId on the answer when asked to', async () => {
    sim.behave({ referenceIdInAnswers: true });
    client = await connectClient(sim, 'agent1');
    const reference = await subscribe(client, 'Subscribe', 'workitems');
    const referenceId = reference.ok ? reference.value : -1;
    await client.message((m) => m.referenceId === referenceId, 'Subscribed with referenceId');
  });

  it('subscribes several workbins in one request', async () => {
    client = await connectClient(sim, 'agent1');
    const refs = await subscribeMany(client, ['email-draft', 'workitems']);
    expect(refs.ok).toBe(true);
    if (!refs.ok) return;
    expect(Object.keys(refs.value).sort()).toEqual(['email-draft', 'workitems']);
    for (const [id, ref] of Object.entries(refs.value)) {
      expect(ref).toBeGreaterThan(0);
      await client.message(answerTo(id, 'Subscribed'), `Subscribed ${id}`);
    }
    expect(sim.watchedWorkbins('u-agent1')).toHaveLength(2);
  });

  it('publishes ItemAdded and ItemRemoved for all seven kinds with vendor-style userData', async () => {
    client = await connectClient(sim, 'agent1');
    await subscribeMany(client, ['workitems']);
    await client.message(answerTo('workitems', 'Subscribed'), 'Subscribed');
    for (const kind of SIM_KINDS) {
      const item = sim.addItem({ kind, workbinId: 'workitems', subject: `a ${kind}` });
      const added = await client.message(
        (m) =>
          m.action === 'ItemAdded' &&
          (m[GWS_KINDS[kind].stateResource] as { id?: string })?.id === item.id,
        `ItemAdded ${kind}`,
      );
      expect(added).toMatchObject({
        messageType: 'WorkbinStateChangeMessage',
        id: 'workitems',
        workbinAgentId: '1001',
      });
      const resource = added[GWS_KINDS[kind].stateResource] as {
        userData: Record<string, unknown>;
      };
      expect(resource.userData['PegAG?: 2>1']).toBe('1');
      expect(resource.userData.ReceivedAt).toBe('2016-03-2412: 52: 39.000+0200');
      const otherKinds = SIM_KINDS.filter((k) => k !== kind).map((k) => GWS_KINDS[k].stateResource);
      for (const field of otherKinds) expect(added[field]).toBeUndefined();
      sim.removeItem(item.id);
      await client.message(
        (m) =>
          m.action === 'ItemRemoved' &&
          (m[GWS_KINDS[kind].stateResource] as { id?: string })?.id === item.id,
        `ItemRemoved ${kind}`,
      );
    }
  });

  it('stops delivering after Unsubscribe', async () => {
    client = await connectClient(sim, 'agent1');
    await subscribe(client, 'Subscribe', 'workitems');
    await client.message(answerTo('workitems', 'Subscribed'), 'Subscribed');
    await subscribe(client, 'Unsubscribe', 'workitems');
    await client.message(answerTo('workitems', 'Unsubscribed'), 'Unsubscribed');
    const silent = sim.addItem({ kind: 'email', workbinId: 'workitems' });
    const marker = sim.addItem({ kind: 'email', workbinId: 'email-draft' });
    await sim.removeItem(marker.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(JSON.stringify(client.messages)).not.toContain(silent.id);
  });

  it('emits RequestFailed, on demand and for a failing subscription', async () => {
    client = await connectClient(sim, 'agent1');
    sim.emitRequestFailed('u-agent1', { workbinId: 'email-draft' }, 'Backend unavailable');
    await client.message(
      (m) => m.stateResource === 'RequestFailed' && m.errorMessage === 'Backend unavailable',
      'RequestFailed on demand',
    );
    sim.setSubscriptionFailure('workitems', true);
    await subscribe(client, 'Subscribe', 'workitems');
    await client.message(
      answerTo('workitems', 'RequestFailed'),
      'RequestFailed for the subscription',
    );
  });

  it('delivers raw hostile payloads as they are', async () => {
    client = await connectClient(sim, 'agent1');
    const hostile = JSON.parse(
      '{"__proto__":{"polluted":true},"messageType":42,"id":["x"]}',
    ) as unknown;
    sim.emitRaw('u-agent1', hostile);
    sim.emitRaw('u-agent1', 'just a string');
    const got = await client.message((m) => m.messageType === 42, 'hostile payload');
    expect(Object.hasOwn(got, '__proto__')).toBe(true);
    await waitFor(() => client?.messages.includes('just a string' as never), 'string payload');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lets a supervisor watch another user, with workbinUserId on messages', async () => {
    client = await connectClient(sim, 'super1');
    await subscribe(client, 'Subscribe', 'workitems', 'u-agent1');
    const answer = await client.message(answerTo('workitems', 'Subscribed'), 'Subscribed');
    expect(answer.workbinUserId).toBe('u-agent1');
    const item = sim.addItem({ kind: 'workitem', workbinId: 'workitems', ownerUserId: 'u-agent1' });
    const added = await client.message((m) => m.action === 'ItemAdded', 'ItemAdded');
    expect(added).toMatchObject({ workbinUserId: 'u-agent1', id: 'workitems' });
    expect((added.workitemStateResourceV2 as { id: string }).id).toBe(item.id);
  });

  it('refuses another user to a non-supervisor', async () => {
    client = await connectClient(sim, 'agent2');
    const list = await client.get('/users/u-agent1/workbins?fields=*');
    expect(list.status).toBe(403);
  });

  it('works over websocket when the client carries the cookie on the upgrade', async () => {
    // cometd-nodejs-server has no websocket: the client must fall back to long-polling.
    client = await connectClient(sim, 'agent1', 'demo', 'websocket');
    await subscribe(client, 'Subscribe', 'workitems');
    await client.message(answerTo('workitems', 'Subscribed'), 'Subscribed');
  });
});

describe('team (group) workbins, as documented', () => {
  it('lists group workbins under /api/v2/workbins only', async () => {
    // GET /api/v2/me/workbins?fields=* returns Agent and Place workbins; GET
    // /api/v2/workbins?fields=* returns all valid ones, with "type": "AgentGroup" among them
    // (GWS 8.5.2 API, GetWorkbins).
    client = await connectClient(sim, 'agent1');
    const mine = await client.get('/me/workbins?fields=*');
    expect((mine.body.workbins as Array<{ type: string }>).map((w) => w.type)).not.toContain(
      'AgentGroup',
    );
    const all = await client.get('/workbins?fields=*');
    expect(all.body.workbins).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'billing-queue', type: 'AgentGroup' }),
        expect.objectContaining({ id: 'front-desk', type: 'PlaceGroup' }),
        expect.objectContaining({ id: 'workitems', type: 'Agent' }),
      ]),
    );
  });

  it('subscribes with ?agentGroup=, answers with agentGroup and referenceId, pushes items without workbinUserId', async () => {
    // POST api/v2/me/workbins/{id}?agentGroup=MyAgentGroup {"operationName": "Subscribe"} ->
    // {"statusCode": 0, "referenceId": 74}, then {"agentGroup": "MyAgentGroup", "id": ...,
    // "messageType": "WorkbinSubscriptionStateChangeMessage", "referenceId": 74,
    // "stateResource": "Subscribed"} (GWS 8.5.2 API, Subscribe to Group Workbin Notifications).
    client = await connectClient(sim, 'agent1');
    const answer = await client.post('/me/workbins/billing-queue?agentGroup=Billing', {
      operationName: 'Subscribe',
    });
    const referenceId = answer.body.referenceId;
    expect(typeof referenceId).toBe('number');
    const subscribed = await client.message(answerTo('billing-queue', 'Subscribed'), 'Subscribed');
    expect(subscribed).toEqual({
      messageType: 'WorkbinSubscriptionStateChangeMessage',
      id: 'billing-queue',
      agentGroup: 'Billing',
      stateResource: 'Subscribed',
      referenceId,
      notificationType: 'StatusChange',
    });
    const item = sim.addItem({
      kind: 'chat',
      workbinId: 'billing-queue',
      ownerUserId: 'AgentGroup:Billing',
    });
    const added = await client.message((m) => m.action === 'ItemAdded', 'ItemAdded');
    expect(added).toEqual({
      action: 'ItemAdded',
      agentGroup: 'Billing',
      chatStateResourceV2: item.resource,
      id: 'billing-queue',
      messageType: 'WorkbinStateChangeMessage',
    });
    // GET api/v2/me/workbins/{id}?subresources=*&agentGroup=MyAgentGroup (GetGroupWorkbinContent)
    const contents = await client.get(
      '/me/workbins/billing-queue?subresources=*&agentGroup=Billing',
    );
    const ids = ['emails', 'workitems', 'chats'].flatMap((field) =>
      ((contents.body.workbin as Record<string, Array<{ id: string }>>)[field] ?? []).map(
        (i) => i.id,
      ),
    );
    expect(ids).toContain(item.id);
    expect(ids).toHaveLength(3);
  });

  it('refuses a group the user is not in, and an old Interaction Server never answers', async () => {
    client = await connectClient(sim, 'super1');
    const refused = await client.post('/me/workbins/billing-queue?agentGroup=Billing', {
      operationName: 'Subscribe',
    });
    expect(refused.status).toBe(403);
    await client.close();
    sim.behave({ oldInteractionServer: true });
    client = await connectClient(sim, 'agent1');
    const taken = await client.post('/me/workbins/billing-queue?agentGroup=Billing', {
      operationName: 'Subscribe',
    });
    expect(taken.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.messages.filter((m) => m.id === 'billing-queue')).toEqual([]);
  });
});

describe('behaviours a real deployment can have', () => {
  it('sends the CSRF headers only at sign-in when asked to, and still wants the token', async () => {
    sim.behave({ csrfOnlyAtSignIn: true });
    const c = new SimTestClient(sim.url, 'agent1', 'demo');
    const signedIn = await c.signIn();
    expect(signedIn.status).toBe(200);
    const listed = await c.get('/me/workbins?fields=*');
    expect(listed.status).toBe(200);
    expect(await subscribe(c, 'Subscribe', 'workitems')).toMatchObject({ ok: true });
    const raw = await fetch(`${sim.url}/api/v2/me/workbins/workitems`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: 'JSESSIONID=unknown' },
      body: '{"operationName":"Subscribe"}',
    });
    expect(raw.status).toBe(401);
  });

  it('answers errors with HTML pages when asked to', async () => {
    sim.behave({ htmlErrors: true });
    const wrong = await basicGet('/api/v2/me', 'agent1', 'wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/text\/html/);
    expect(await wrong.text()).toContain('HTTP ERROR 401');
  });

  it('fails a contents load once, then answers again', async () => {
    client = await connectClient(sim, 'agent1');
    sim.failContentsLoads('workitems');
    expect((await client.get('/me/workbins/workitems?subresources=*')).status).toBe(500);
    expect((await client.get('/me/workbins/workitems?subresources=*')).status).toBe(200);
  });

  it('denies CometD subscribes to /v2/me/workbins on demand', async () => {
    sim.failChannelSubscribes(1);
    const c = new SimTestClient(sim.url, 'agent1', 'demo');
    await c.signIn();
    c.connect('long-polling');
    client = c;
    await c.event('handshake');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(c.events.some((e) => e.type === 'subscribed')).toBe(false);
    expect(sim.subscribedUsers()).toEqual([]);
  });

  it('ends Workbins API subscriptions with the CometD session when asked to', async () => {
    sim.behave({ subscriptionsEndWithCometd: true });
    client = await connectClient(sim, 'agent1');
    await subscribe(client, 'Subscribe', 'workitems');
    await client.message(answerTo('workitems', 'Subscribed'), 'Subscribed');
    expect(sim.watchedWorkbins('u-agent1')).toHaveLength(1);
    sim.expireSessions({ userId: 'u-agent1' });
    expect(sim.watchedWorkbins('u-agent1')).toEqual([]);
  });

  it('requires the CSRF header on CometD POSTs when asked to', async () => {
    sim.behave({ csrfOnNotifications: true });
    client = await connectClient(sim, 'agent1');
    const cookie = [...(await basicGet('/api/v2/me')).headers.getSetCookie()][0]?.split(';')[0];
    const bare = await fetch(`${sim.url}/api/v2/notifications/handshake`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie ?? '' },
      body: '[{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}]',
    });
    expect(bare.status).toBe(403);
  });

  it('delays sign-in answers when asked to', async () => {
    sim.behave({ signInDelay: 150 });
    const began = Date.now();
    expect((await basicGet('/api/v2/me')).status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
  });
});

describe('faults', () => {
  it('restarts on the same port; the old session is gone (401), a new sign-in works', async () => {
    client = await connectClient(sim, 'agent1');
    const port = sim.port;
    await sim.restart(200);
    expect(sim.port).toBe(port);
    await client.event('unauthorized');
    await client.close();
    client = await connectClient(sim, 'agent1');
    expect(client.events.some((e) => e.type === 'subscribed')).toBe(true);
  });

  it('drops connections; the client reconnects with the same session', async () => {
    client = await connectClient(sim, 'agent1');
    await subscribe(client, 'Subscribe', 'workitems');
    await client.message(answerTo('workitems', 'Subscribed'), 'Subscribed');
    expect(sim.dropConnections()).toBeGreaterThan(0);
    const item = sim.addItem({ kind: 'email', workbinId: 'workitems' });
    await client.message(
      (m) => (m.emailStateResourceV2 as { id?: string } | undefined)?.id === item.id,
      'item added during the drop',
    );
    expect(client.events.filter((e) => e.type === 'handshake')).toHaveLength(1);
  });

  it('expires the CometD session: the client re-handshakes with reestablish', async () => {
    client = await connectClient(sim, 'agent1');
    expect(sim.expireSessions({ userId: 'u-agent1' }).cometd).toBe(1);
    await waitFor(
      () =>
        client?.events.find(
          (e) => e.type === 'handshake' && (e.detail as { reestablish: boolean }).reestablish,
        ),
      'reestablished handshake',
    );
  });

  it('hangs: nothing is answered until resumed', async () => {
    client = await connectClient(sim, 'agent1');
    sim.hang();
    const pending = basicGet('/api/v2/me');
    const raced = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 300)),
    ]);
    expect(raced).toBe('hung');
    sim.resume();
    expect((await pending).status).toBe(200);
  });

  it('rejects credentials on demand', async () => {
    client = await connectClient(sim, 'agent1');
    sim.setRejectCredentials(true);
    expect((await client.signIn()).status).toBe(401);
    sim.setRejectCredentials(false);
    expect((await client.signIn()).status).toBe(200);
  });
});
