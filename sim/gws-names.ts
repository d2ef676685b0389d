/**
 * How GWS names each interaction kind on the wire, spelled out here rather than derived: the
 * simulator is the test oracle, so it must not share the client's spelling (a shared mistake
 * would pass every test). `stateResource` is the field of a WorkbinStateChangeMessage,
 * `contents` the array of a workbin contents answer (the docs show chats, emails and
 * workitems; the other plurals are inferred the same way).
 */
export const GWS_KINDS = {
  chat: { stateResource: 'chatStateResourceV2', contents: 'chats' },
  email: { stateResource: 'emailStateResourceV2', contents: 'emails' },
  facebook: { stateResource: 'facebookStateResourceV2', contents: 'facebooks' },
  tweet: { stateResource: 'tweetStateResourceV2', contents: 'tweets' },
  facebooksession: {
    stateResource: 'facebooksessionStateResourceV2',
    contents: 'facebooksessions',
  },
  workitem: { stateResource: 'workitemStateResourceV2', contents: 'workitems' },
  openmedia: { stateResource: 'openmediaStateResourceV2', contents: 'openmedias' },
} as const;

export type SimKind = keyof typeof GWS_KINDS;

export const SIM_KINDS = Object.keys(GWS_KINDS) as SimKind[];

export function isSimKind(value: unknown): value is SimKind {
  return typeof value === 'string' && Object.hasOwn(GWS_KINDS, value);
}
