/**
 * The seven interaction kinds a GWS workbin can hold, and where each one lives in GWS
 * payloads: the `<kind>StateResourceV2` field of a WorkbinStateChangeMessage and the plural
 * array of a workbin's contents response.
 */
export const ITEM_KINDS = [
  'chat',
  'email',
  'facebook',
  'tweet',
  'facebooksession',
  'workitem',
  'openmedia',
] as const;

export type ItemKind = (typeof ITEM_KINDS)[number];

export function stateResourceField(kind: ItemKind): `${ItemKind}StateResourceV2` {
  return `${kind}StateResourceV2`;
}

export function contentsField(kind: ItemKind): `${ItemKind}s` {
  return `${kind}s`;
}

export function isItemKind(value: unknown): value is ItemKind {
  return typeof value === 'string' && (ITEM_KINDS as readonly string[]).includes(value);
}
