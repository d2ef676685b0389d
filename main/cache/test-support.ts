import type { WorkbinItem } from '../contract/domain.js';

/** The account the cache tests save for. */
export const SESSION = {
  server: 'http://gws/',
  user: 'agent1',
  userId: 'u-agent1',
  displayName: 'Ada',
  insecure: false,
};

/** An item of agent1's; `version` changes its content, as a server-side edit would. */
export function item(id: string, workbinId = 'inbox', version = 0): WorkbinItem {
  return {
    id,
    kind: 'email',
    workbinId,
    ownerUserId: 'u-agent1',
    summary: version === 0 ? `subject ${id}` : `subject ${id} v${version}`,
    from: 'a@b.c',
    receivedAt: 1_700_000_000_000,
    receivedRaw: '2023-11-14T22:13:20Z',
    state: 'InWorkbin',
    userData: { 'PegAG?: 2>1': '1', n: 2 + version },
  };
}
