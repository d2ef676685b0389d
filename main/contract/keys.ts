const cache = new Map<string, Map<string, string>>();

/** State is keyed by (workbin owner, workbin id): supervisors watch many users' workbins. */
export function workbinKey(ownerUserId: string, workbinId: string): string {
  // Memoised: called for every event, and there are only ever a few dozen workbins.
  let byWorkbin = cache.get(ownerUserId);
  if (!byWorkbin) {
    if (cache.size > 1_000) cache.clear();
    byWorkbin = new Map();
    cache.set(ownerUserId, byWorkbin);
  }
  let key = byWorkbin.get(workbinId);
  if (key === undefined) {
    if (byWorkbin.size > 1_000) byWorkbin.clear();
    key = `${encodeURIComponent(ownerUserId)}/${encodeURIComponent(workbinId)}`;
    byWorkbin.set(workbinId, key);
  }
  return key;
}

/** An item is unique within its workbin only; NUL cannot occur in a workbin key. */
export function itemKey(workbinKeyOfItem: string, itemId: string): string {
  return `${workbinKeyOfItem}\u0000${itemId}`;
}

/** The workbin key within an item key (the inverse of `itemKey`'s first part). */
export function workbinOfItemKey(key: string): string {
  return key.slice(0, key.indexOf('\u0000'));
}

/** The workbin key and the item id an item key is made of; null for a string that is none. */
export function splitItemKey(key: string): { workbinKey: string; itemId: string } | null {
  const nul = key.indexOf('\u0000');
  return nul > 0 ? { workbinKey: key.slice(0, nul), itemId: key.slice(nul + 1) } : null;
}

/** The key of an item, from the item itself. */
export function keyOfItem(item: {
  readonly ownerUserId: string;
  readonly workbinId: string;
  readonly id: string;
}): string {
  return itemKey(workbinKey(item.ownerUserId, item.workbinId), item.id);
}

/** The two kinds of shared workbin: an agent group's and a place group's. */
export type GroupType = 'AgentGroup' | 'PlaceGroup';

/**
 * Who a workbin belongs to: a GWS user id, or for a team's workbin its group, written
 * `AgentGroup:<name>` or `PlaceGroup:<name>` (GWS user ids are hex and never contain ':').
 */
export function groupOwner(type: GroupType, name: string): string {
  return `${type}:${name}`;
}

/** The group an owner key names, or null for a user. */
export function ownerGroup(owner: string): { type: GroupType; name: string } | null {
  for (const type of ['AgentGroup', 'PlaceGroup'] as const) {
    if (owner.startsWith(`${type}:`)) return { type, name: owner.slice(type.length + 1) };
  }
  return null;
}
