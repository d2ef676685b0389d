import { itemKey, workbinOfItemKey } from '../contract/keys.js';
import type { WorkbinChange } from '../workbins/state.js';

/**
 * What the agent has not seen yet. The rule: an item is *new* when it arrived live (pushed,
 * not found by a load or resync) and stays new until the agent opens it, marks everything
 * seen, or clicks its notification. An item that leaves its workbin is no longer new.
 * Keys are item keys (`itemKey(workbinKey, id)`).
 */
export class UnseenItems {
  private readonly keys = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const key of initial) this.keys.add(key);
  }

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  list(): string[] {
    return [...this.keys];
  }

  /** Folds a batch of core changes in; true when the set changed. */
  onChanges(changes: readonly WorkbinChange[]): boolean {
    const before = this.keys.size;
    let removed = false;
    for (const change of changes) {
      switch (change.type) {
        case 'item-added':
          if (change.live) this.keys.add(itemKey(change.key, change.item.id));
          break;
        case 'item-removed':
          removed = this.keys.delete(itemKey(change.key, change.item.id)) || removed;
          break;
        case 'workbin-removed':
          for (const key of this.keys) {
            if (workbinOfItemKey(key) === change.key) {
              this.keys.delete(key);
              removed = true;
            }
          }
          break;
      }
    }
    return removed || this.keys.size !== before;
  }

  /** Marks these items seen, or everything; true when anything changed. */
  markSeen(keys?: readonly string[]): boolean {
    if (!keys) {
      const had = this.keys.size > 0;
      this.keys.clear();
      return had;
    }
    let changed = false;
    for (const key of keys) changed = this.keys.delete(key) || changed;
    return changed;
  }
}
