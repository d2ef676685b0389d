import type { UserDataValue, WorkbinItem } from '../contract/domain.js';
import type { ItemKind } from '../contract/kinds.js';
import { parseGwsDate } from './dates.js';
import {
  clip,
  idText,
  LIMITS,
  type SanitiseReport,
  sanitiseUserData,
  scalarText,
} from './sanitise.js';

type Json = Record<string, unknown>;

// Up to six candidates without an arguments array: this runs several times per message.
function first(
  a: unknown,
  b?: unknown,
  c?: unknown,
  d?: unknown,
  e?: unknown,
  f?: unknown,
): string | undefined {
  return pick(a) ?? pick(b) ?? pick(c) ?? pick(d) ?? pick(e) ?? pick(f);
}

function pick(candidate: unknown): string | undefined {
  if (typeof candidate === 'string') return candidate === '' ? undefined : candidate;
  return candidate === undefined ? undefined : scalarText(candidate) || undefined;
}

/** `from` is a string on most kinds, an object on some deployments. */
function sender(resource: Json, userData: Readonly<Record<string, UserDataValue>>): string {
  const from = resource.from;
  if (typeof from === 'object' && from !== null && !Array.isArray(from)) {
    const f = from as Json;
    const named = first(f.name, f.nickname, f.address, f.emailAddress, f.screenName);
    if (named) return named;
  }
  return (
    first(
      from,
      resource.nickname,
      resource.fromAddress,
      resource.screenName,
      userData.EmailAddress,
      userData.FromAddress,
    ) ?? ''
  );
}

/**
 * One state-resource object (any of the seven kinds) as a WorkbinItem. Lenient about what is
 * missing; undefined only when there is no usable id.
 */
export function normaliseResource(
  kind: ItemKind,
  raw: unknown,
  workbinId: string,
  ownerUserId: string,
  report: SanitiseReport,
): WorkbinItem | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const resource = raw as Json;
  const id = idText(resource.id);
  if (!id) return undefined;
  const userData = sanitiseUserData(resource.userData, report);
  const receivedRaw =
    first(resource.receivedDate, resource.startDate, resource.createdDate, userData.ReceivedAt) ??
    '';
  return {
    id,
    kind,
    workbinId,
    ownerUserId,
    summary: clip(
      first(resource.subject, resource.text, resource.message, userData.Subject) ?? '',
      LIMITS.text,
      report,
    ),
    from: clip(sender(resource, userData), LIMITS.text, report),
    receivedAt: receivedRaw ? parseGwsDate(receivedRaw) : null,
    receivedRaw: clip(receivedRaw, 64, report),
    state: clip(first(resource.state) ?? '', 64, report),
    userData,
  };
}
