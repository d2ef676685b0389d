import type { WorkbinDto } from '../contract/protocol.js';
import type { ConnectionStatus } from '../contract/status.js';
import { STRINGS } from '../contract/strings.js';

export type TrayState = 'online' | 'reconnecting' | 'offline' | 'error';

/** The tray icon's state: errors (signed out, a failed subscription) outrank connection states. */
export function trayStateOf(
  status: ConnectionStatus,
  workbins: Iterable<Pick<WorkbinDto, 'subscription'>>,
): TrayState {
  if (status.state === 'signed-out') return 'error';
  for (const w of workbins) if (w.subscription === 'failed') return 'error';
  switch (status.state) {
    case 'online':
      return 'online';
    case 'degraded':
      return 'error';
    case 'connecting':
    case 'reconnecting':
      return 'reconnecting';
    default:
      return 'offline';
  }
}

export function trayTooltip(state: TrayState, unseen: number, insecure = false): string {
  return STRINGS.tray.tooltip(STRINGS.tray.states[state], unseen, insecure);
}
