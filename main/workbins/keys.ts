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
