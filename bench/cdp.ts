import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { CHROMIUM, CHROMIUM_ARGS } from '../playwright.config.js';

/**
 * A tab driven over the DevTools protocol with no domain enabled: it navigates and evaluates,
 * and Chromium reports nothing back meanwhile. Playwright enables the Network domain on every
 * page, and then Chromium copies each WebSocket frame to the client: with a 62 MB snapshot
 * frame that added 0.4 s to a start (1.6 s -> 2.0 s, alternating runs in one browser), a cost
 * no user pays. `enableNetwork` turns it on, to show that cost beside the figure.
 */
export interface BareTab {
  goto(url: string): Promise<void>;
  /** Runs `source` in every document the tab loads from now on, before the page's own. */
  addInitScript(source: string): Promise<void>;
  /** The value of `expression` (awaited when it is a promise), copied out as JSON. */
  evaluate(expression: string): Promise<unknown>;
  enableNetwork(): Promise<void>;
  close(): Promise<void>;
}

export interface BareChromium {
  /** A new tab in the browser's window, in front of the others (which are then hidden). */
  newTab(): Promise<BareTab>;
  /** Lets pages of `origin` show notifications without asking. */
  allowNotifications(origin: string): Promise<void>;
  close(): Promise<void>;
}

interface CdpReply {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** Headless Chromium with a remote-debugging socket; the options are the tests' own. */
export async function launchBareChromium(): Promise<BareChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'wbt-bench-chromium-'));
  const chrome: ChildProcess = spawn(
    CHROMIUM,
    [
      ...CHROMIUM_ARGS,
      '--headless',
      // As Playwright starts it: root here, and Chromium's sandbox refuses to run as root.
      '--no-sandbox',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      '--window-size=1280,800',
      'about:blank',
    ],
    // Its own process group: closing ends its zygote and renderers too, which otherwise
    // still write to the profile after the browser process has exited.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise((resolve) => chrome.once('exit', resolve));
  const end = async () => {
    if (chrome.pid) process.kill(-chrome.pid, 'SIGKILL');
    await exited;
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('Chromium did not open its debugging port')),
      30_000,
    );
    chrome.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before it started`)));
    if (!chrome.stderr) return reject(new Error('no stderr from Chromium'));
    createInterface({ input: chrome.stderr }).on('line', (line) => {
      const match = /DevTools listening on (\S+)/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
  }).catch(async (error: unknown) => {
    await end();
    throw error;
  });
  const socket = new WebSocket(endpoint, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (reply: CdpReply) => void>();
  // A browser that crashed or was closed fails what was asked of it, rather than hang the bench.
  socket.on('close', () => {
    for (const answer of waiting.values()) answer({ error: { message: 'the browser went away' } });
    waiting.clear();
  });
  socket.on('message', (data) => {
    const reply = JSON.parse(String(data)) as CdpReply;
    // Without an id it is an event: none come but Network's, when it is enabled.
    if (reply.id === undefined) return;
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const call = async (method: string, params: object = {}, sessionId?: string) => {
    const id = nextId++;
    const reply = await new Promise<CdpReply>((resolve) => {
      if (socket.readyState !== WebSocket.OPEN)
        return resolve({ error: { message: 'the browser went away' } });
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params, sessionId }));
    });
    if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
    return reply.result ?? {};
  };

  return {
    async newTab() {
      const { targetId } = await call('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await call('Target.attachToTarget', { targetId, flatten: true });
      const session = String(sessionId);
      return {
        async goto(url) {
          const result = await call('Page.navigate', { url }, session);
          if (typeof result.errorText === 'string') throw new Error(`${url}: ${result.errorText}`);
        },
        async evaluate(expression) {
          const result = await call(
            'Runtime.evaluate',
            { expression, returnByValue: true, awaitPromise: true },
            session,
          );
          const thrown = result.exceptionDetails as { text?: string } | undefined;
          if (thrown) throw new Error(`in the page: ${thrown.text ?? 'an exception'}`);
          return (result.result as { value?: unknown } | undefined)?.value;
        },
        async addInitScript(source) {
          await call('Page.enable', {}, session);
          await call('Page.addScriptToEvaluateOnNewDocument', { source }, session);
        },
        async enableNetwork() {
          await call('Network.enable', {}, session);
        },
        async close() {
          await call('Target.closeTarget', { targetId });
        },
      };
    },
    async allowNotifications(origin) {
      await call('Browser.grantPermissions', { origin, permissions: ['notifications'] });
    },
    async close() {
      socket.close();
      await end();
    },
  };
}
