import type { WorkbinItem } from '../contract/domain.js';
import { groupOwner } from '../contract/keys.js';
import { ITEM_KINDS, type ItemKind, stateResourceField } from '../contract/kinds.js';
import { err, ok, type Result } from '../contract/result.js';
import { shortened } from '../contract/text.js';
import { normaliseResource } from './normalise.js';
import { idText, LIMITS, scalarText } from './sanitise.js';

export type SubscriptionState = 'Subscribed' | 'Unsubscribed' | 'RequestFailed';

/** A /v2/me/workbins notification after validation: strictly typed from here on. */
export type WorkbinMessage =
  | {
      readonly type: 'subscription';
      readonly ownerUserId: string;
      readonly workbinId: string;
      readonly state: SubscriptionState;
      readonly referenceId: number | null;
      readonly reason: string | null;
    }
  | { readonly type: 'item-added'; readonly item: WorkbinItem }
  | {
      readonly type: 'item-removed';
      readonly ownerUserId: string;
      readonly workbinId: string;
      readonly itemId: string;
      readonly kind: ItemKind;
    };

/** A message that passed validation, and how many of its fields were cut or dropped. */
export interface ParsedMessage {
  readonly message: WorkbinMessage;
  readonly trimmed: number;
}

/** Why a message was rejected, or what it says. */
export type ParseResult = Result<ParsedMessage, string>;

type Json = Record<string, unknown>;

const reject = (reason: string): ParseResult => err(reason);

/** [kind, field name] pairs, built once: this is the hot path of every message. */
const RESOURCE_FIELDS = ITEM_KINDS.map((kind) => [kind, stateResourceField(kind)] as const);

/**
 * Whose workbin a message is about: a team's (`agentGroup` / `placeGroup`, which GWS sends
 * instead of `workbinUserId`), a watched user's (`workbinUserId`), or else the signed-in
 * user's own. Undefined when a field is there but unusable.
 */
function ownerOf(message: Json, selfUserId: string): string | undefined {
  const groups = [
    ['AgentGroup', message.agentGroup],
    ['PlaceGroup', message.placeGroup],
  ] as const;
  const named = groups.filter(([, name]) => name !== undefined);
  if (named.length > 1 || (named.length === 1 && message.workbinUserId !== undefined))
    return undefined;
  const [group] = named;
  if (group) {
    const name = idText(group[1]);
    return name === undefined ? undefined : groupOwner(group[0], name);
  }
  return message.workbinUserId === undefined ? selfUserId : idText(message.workbinUserId);
}

/**
 * Validates the `data` of a /v2/me/workbins message. `selfUserId` is the signed-in user,
 * the owner when a message names no other (own workbins).
 */
export function parseWorkbinMessage(data: unknown, selfUserId: string): ParseResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return reject('data is not an object');
  }
  const message = data as Json;
  const workbinId = idText(message.id);
  if (!workbinId) return reject('missing or invalid workbin id');
  const owner = ownerOf(message, selfUserId);
  if (!owner) return reject('invalid workbinUserId, agentGroup or placeGroup');

  switch (message.messageType) {
    case 'WorkbinSubscriptionStateChangeMessage':
      return parseSubscription(message, owner, workbinId);
    case 'WorkbinStateChangeMessage':
      return parseStateChange(message, owner, workbinId);
    default:
      return reject(
        `unknown messageType ${String(scalarText(message.messageType) ?? typeof message.messageType).slice(0, 64)}`,
      );
  }
}

function parseSubscription(message: Json, ownerUserId: string, workbinId: string): ParseResult {
  const state = message.stateResource;
  if (state !== 'Subscribed' && state !== 'Unsubscribed' && state !== 'RequestFailed') {
    return reject('unknown subscription stateResource');
  }
  const ref = message.referenceId;
  const referenceId =
    typeof ref === 'number' && Number.isSafeInteger(ref)
      ? ref
      : typeof ref === 'string' && /^\d{1,15}$/.test(ref)
        ? Number(ref)
        : null;
  const reason = scalarText(message.errorMessage ?? message.reason ?? message.statusMessage);
  return ok({
    trimmed: 0,
    message: {
      type: 'subscription',
      ownerUserId,
      workbinId,
      state,
      referenceId,
      reason: reason === undefined ? null : shortened(reason, LIMITS.text),
    },
  });
}

function parseStateChange(message: Json, ownerUserId: string, workbinId: string): ParseResult {
  const action = message.action;
  if (action !== 'ItemAdded' && action !== 'ItemRemoved') return reject('unknown action');
  let kind: ItemKind | undefined;
  let resource: unknown;
  for (const [candidate, field] of RESOURCE_FIELDS) {
    const value = message[field];
    if (value === undefined) continue;
    if (kind !== undefined) return reject('more than one state resource');
    kind = candidate;
    resource = value;
  }
  if (kind === undefined) return reject('no state resource');
  const report = { trimmed: 0 };
  if (action === 'ItemRemoved') {
    const itemId = idText((resource as Json | null)?.id);
    if (!itemId || typeof resource !== 'object') return reject('removed item has no id');
    return ok({
      trimmed: 0,
      message: { type: 'item-removed', ownerUserId, workbinId, itemId, kind },
    });
  }
  const item = normaliseResource(kind, resource, workbinId, ownerUserId, report);
  if (!item) return reject('added item has no id');
  return ok({ trimmed: report.trimmed, message: { type: 'item-added', item } });
}
