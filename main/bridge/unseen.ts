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

  /**
   * Folds a batch of core changes in; returns what changed (a change costs in proportion to
   * the batch, not to what is unseen: a UI told only the difference stays fast at 30,000).
   */
  onChanges(changes: readonly WorkbinChange[]): UnseenChange {
    const change = new ChangeBuilder();
    for (const c of changes) {
      switch (c.type) {
        case 'item-added':
          if (c.live) change.add(this.keys, itemKey(c.key, c.item.id));
          break;
        case 'item-removed':
          change.remove(this.keys, itemKey(c.key, c.item.id));
          break;
        case 'workbin-removed':
          for (const key of this.keys)
            if (workbinOfItemKey(key) === c.key) change.remove(this.keys, key);
          break;
      }
    }
    return change.result();
  }

  /** Marks these items seen, or everything; returns what changed. */
  markSeen(keys?: readonly string[]): UnseenChange {
    const change = new ChangeBuilder();
    for (const key of keys ?? [...this.keys]) change.remove(this.keys, key);
    return change.result();
  }
}

/** What one batch made unseen, and what it made seen. */
export interface UnseenChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Net changes: a key added then removed in the same batch is neither. */
class ChangeBuilder {
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();

  add(keys: Set<string>, key: string): void {
    if (keys.has(key)) return;
    keys.add(key);
    if (!this.removed.delete(key)) this.added.add(key);
  }

  remove(keys: Set<string>, key: string): void {
    if (!keys.delete(key)) return;
    if (!this.added.delete(key)) this.removed.add(key);
  }

  result(): UnseenChange {
    return { added: [...this.added], removed: [...this.removed] };
  }
}
