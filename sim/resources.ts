import { randomBytes } from 'node:crypto';
import type { SimKind } from './gws-names.js';

/** What a seed file or the control API says about an item; the rest is made up realistically. */
export interface ItemSpec {
  kind: SimKind;
  workbinId: string;
  ownerUserId?: string;
  id?: string;
  subject?: string;
  from?: string;
  receivedDate?: string;
  userData?: Record<string, unknown>;
}

export type StateResource = Record<string, unknown>;

/** Random per process: ids from two simulators, or two runs, do not collide. */
const ID_PREFIX = randomBytes(4).toString('hex').toUpperCase();
let idCounter = 0;

/**
 * GWS interaction ids are 16 upper-case hex characters. A random prefix and a counter, not
 * random bytes per id: those were a quarter of the simulator's CPU in a burst, and a
 * benchmark must measure the client.
 */
export function newInteractionId(): string {
  idCounter = (idCounter + 1) % 0x1_0000_0000;
  return `${ID_PREFIX}${idCounter.toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * userData as the vendor's own published example has it: odd keys, a date that is not
 * ISO 8601, numbers as strings. Real deployments are at least this messy.
 */
export function vendorUserData(spec: ItemSpec, id: string): Record<string, unknown> {
  return {
    'PegAG?: 2>1': '1',
    IW_CaseUid: `c${id.slice(0, 8).toLowerCase()}-3b2f-4a7e-9a1c-5f0e${id.slice(8, 16).toLowerCase()}`,
    IW_BundleUid: `b${id.slice(2, 10).toLowerCase()}-7c1d-4e2a-8d3f-1a2b3c4d5e6f`,
    Subject: spec.subject ?? defaultSubject(spec.kind),
    EmailAddress: spec.from ?? 'customer@example.com',
    FirstName: 'Kristi',
    LastName: 'Sippola',
    ContactId: '00027aGB7P1E0036',
    GD_ExternalAgentAddress: '',
    ReceivedAt: '2016-03-2412: 52: 39.000+0200',
    TimeInQueue: '42',
    ...spec.userData,
  };
}

function defaultSubject(kind: SimKind): string {
  switch (kind) {
    case 'email':
      return 'Question about my invoice';
    case 'chat':
      return 'Chat transcript';
    case 'workitem':
      return 'Follow-up call back';
    case 'openmedia':
      return 'Open media request';
    case 'tweet':
      return '@support my order has not arrived';
    case 'facebook':
      return 'Post on the company page';
    case 'facebooksession':
      return 'Messenger conversation';
  }
}

/** A `<kind>StateResourceV2` object shaped like GWS sends it. */
export function buildStateResource(spec: ItemSpec, id: string): StateResource {
  const base: StateResource = {
    id,
    state: 'InWorkbin',
    receivedDate: spec.receivedDate ?? new Date().toISOString(),
    userData: vendorUserData(spec, id),
    capabilities: ['Open', 'Delete', 'MoveToWorkbin', 'MoveToQueue'],
    participants: [],
    uri: `http://gws/api/v2/interactions/${id}`,
    path: `/interactions/${id}`,
  };
  const subject = spec.subject ?? defaultSubject(spec.kind);
  const from = spec.from ?? 'customer@example.com';
  switch (spec.kind) {
    case 'email':
      return {
        ...base,
        subject,
        from,
        to: ['support@example.com'],
        emailType: 'Inbound',
        mediatype: 'email',
      };
    case 'chat':
      return { ...base, subject, chatType: 'Inbound', mediatype: 'chat', nickname: from };
    case 'workitem':
      return { ...base, subject, mediatype: 'workitem', workitemType: 'Callback' };
    case 'openmedia':
      return { ...base, subject, mediatype: 'openmedia', mediaType: 'sms', from };
    case 'tweet':
      return { ...base, text: subject, from, mediatype: 'twitter', tweetType: 'Mention' };
    case 'facebook':
      return { ...base, message: subject, from, mediatype: 'facebook', postType: 'Post' };
    case 'facebooksession':
      return {
        ...base,
        subject,
        from,
        mediatype: 'facebooksession',
        sessionType: 'PrivateMessage',
      };
  }
}
