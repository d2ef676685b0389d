/** Shared by the tests that run LiveWorkbins against the simulator; not shipped code. */
import type { LiveWorkbinsOptions } from './live-workbins.js';
import type { WorkbinState } from './state.js';

/** A core for a simulator on this machine: short backoffs, so a fault test takes seconds. */
export function fastCoreOptions(
  url: string,
  user: string,
): Pick<
  LiveWorkbinsOptions,
  'baseUrl' | 'credentials' | 'backoffIncrement' | 'maxBackoff' | 'maxNetworkDelay'
> {
  return {
    baseUrl: new URL(url),
    credentials: { user, password: 'demo' },
    backoffIncrement: 100,
    maxBackoff: 500,
    maxNetworkDelay: 500,
  };
}

/** Item ids per workbin id for one owner, in the same shape as GwsSimulator.truth(). */
export function contentsOf(state: WorkbinState, owner: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const view of state.workbins.values()) {
    if (view.ownerUserId === owner) result[view.workbinId] = [...view.items.keys()].sort();
  }
  return result;
}
