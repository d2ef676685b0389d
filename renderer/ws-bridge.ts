import type { BridgeApi, PageEvent, UiCommand } from '../main/contract/protocol.js';
import { SnapshotAssembly } from '../main/contract/snapshot-parts.js';

/**
 * Browser mode's stand-in for the Electron preload: the same BridgeApi over a WebSocket to
 * the local `web` server. The access token comes in the URL fragment and is removed from the
 * address bar at once. Reconnects by itself and asks for a fresh snapshot each time.
 */
/** The page's access token: from the address (once), then from this tab's storage. */
export function bridgeToken(): string {
  return (
    new URLSearchParams(location.hash.slice(1)).get('token') ??
    sessionStorage.getItem('token') ??
    ''
  );
}

export function connectWebSocketBridge(): BridgeApi {
  const token = bridgeToken();
  sessionStorage.setItem('token', token);
  history.replaceState(null, '', location.pathname);
  const listeners = new Set<(event: PageEvent) => void>();
  const lostListeners = new Set<() => void>();
  const outbox: UiCommand[] = [];
  let socket: WebSocket | undefined;
  let delay = 250;
  const assembly = new SnapshotAssembly();

  const open = () => {
    const ws = new WebSocket(
      `${location.origin.replace(/^http/, 'ws')}/bridge?token=${encodeURIComponent(token)}`,
    );
    socket = ws;
    ws.addEventListener('open', () => {
      delay = 250;
      ws.send(JSON.stringify({ type: 'hello' } satisfies UiCommand));
      for (const command of outbox.splice(0)) ws.send(JSON.stringify(command));
    });
    ws.addEventListener('message', (message) => {
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      for (const event of assembly.receive(data)) for (const listener of listeners) listener(event);
    });
    ws.addEventListener('close', () => {
      socket = undefined;
      assembly.reset();
      for (const listener of lostListeners) listener();
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 5_000);
    });
  };
  open();

  return {
    send(command) {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(command));
      else outbox.push(command);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onLinkLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
  };
}
