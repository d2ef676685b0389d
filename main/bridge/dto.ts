import type { WorkbinItem } from '../contract/domain.js';
import { itemKey } from '../contract/keys.js';
import type { CoreEvent, WorkbinDto } from '../contract/protocol.js';
import type { WorkbinChange, WorkbinState, WorkbinView } from '../workbins/state.js';

export function workbinDto(view: WorkbinView): WorkbinDto {
  return {
    key: view.key,
    ownerUserId: view.ownerUserId,
    workbinId: view.workbinId,
    displayName: view.displayName,
    type: view.type,
    subscription: view.subscription,
    failure: view.failure,
    count: view.items.size,
    syncedAt: view.syncedAt,
    dropped: view.dropped,
    ownerName: view.ownerName,
  };
}

export function workbinDtos(state: WorkbinState): WorkbinDto[] {
  return [...state.workbins.values()].map(workbinDto);
}

/** One delta event for a batch of reducer changes (the UI applies it in one frame). */
export function deltaEvent(
  state: WorkbinState,
  changes: readonly WorkbinChange[],
  stale: boolean,
): Extract<CoreEvent, { type: 'delta' }> {
  const upserted = new Map<string, WorkbinItem>();
  const removed = new Map<string, { workbinKey: string; id: string }>();
  const touched = new Set<string>();
  const removedWorkbins: string[] = [];
  for (const change of changes) {
    switch (change.type) {
      case 'item-added':
      case 'item-updated': {
        const id = itemKey(change.key, change.item.id);
        removed.delete(id);
        upserted.set(id, change.item);
        touched.add(change.key);
        break;
      }
      case 'item-removed': {
        const id = itemKey(change.key, change.item.id);
        upserted.delete(id);
        removed.set(id, { workbinKey: change.key, id: change.item.id });
        touched.add(change.key);
        break;
      }
      case 'workbin-removed':
        removedWorkbins.push(change.key);
        touched.delete(change.key);
        break;
      case 'workbin-updated':
      case 'subscription-failed':
        touched.add(change.key);
        break;
    }
  }
  const workbins: WorkbinDto[] = [];
  for (const key of touched) {
    const view = state.workbins.get(key);
    if (view) workbins.push(workbinDto(view));
  }
  return {
    type: 'delta',
    upserted: [...upserted.values()],
    removed: [...removed.values()],
    workbins,
    removedWorkbins,
    stale,
  };
}
