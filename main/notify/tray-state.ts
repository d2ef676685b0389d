import type { StatusDto, WorkbinDto } from '../bridge/protocol.js';
import { STRINGS } from '../bridge/strings.js';

export type TrayState = 'online' | 'reconnecting' | 'offline' | 'error';

/** The tray icon's state: errors (signed out, a failed subscription) outrank connection states. */
export function trayStateOf(
  status: StatusDto,
  workbins: Iterable<Pick<WorkbinDto, 'subscription'>>,
): TrayState {
  if (status.state === 'signed-out') return 'error';
  for (const w of workbins) if (w.subscription === 'failed') return 'error';
  switch (status.state) {
    case 'online':
      return 'online';
    case 'connecting':
    case 'reconnecting':
      return 'reconnecting';
    default:
      return 'offline';
  }
}

export function trayTooltip(state: TrayState, unseen: number): string {
  return STRINGS.tray.tooltip(STRINGS.tray.states[state], unseen);
}
