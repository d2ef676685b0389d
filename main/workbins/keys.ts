/** State is keyed by (workbin owner, workbin id): supervisors watch many users' workbins. */
export function workbinKey(ownerUserId: string, workbinId: string): string {
  return `${encodeURIComponent(ownerUserId)}/${encodeURIComponent(workbinId)}`;
}
