import { GWS_KINDS } from './gws-names.js';
import type { SimItem, SimUser } from './store.js';

export type SubscriptionState = 'Subscribed' | 'Unsubscribed' | 'RequestFailed';

export interface SubscriptionTarget {
  workbinId: string;
  /** Set when a supervisor acts on another user's workbin. */
  workbinUserId?: string;
  agentGroup?: string;
  placeGroup?: string;
}

export function subscriptionStateChange(
  target: SubscriptionTarget,
  stateResource: SubscriptionState,
  /** Null: the answer carries no referenceId, as in the docs' examples for own workbins. */
  referenceId: number | null,
  reason?: string,
): Record<string, unknown> {
  return {
    messageType: 'WorkbinSubscriptionStateChangeMessage',
    id: target.workbinId,
    ...(target.workbinUserId !== undefined && { workbinUserId: target.workbinUserId }),
    ...(target.agentGroup !== undefined && { agentGroup: target.agentGroup }),
    ...(target.placeGroup !== undefined && { placeGroup: target.placeGroup }),
    stateResource,
    ...(referenceId !== null && { referenceId }),
    ...(reason !== undefined && { errorMessage: reason }),
    notificationType: 'StatusChange',
  };
}

/**
 * An item added to or removed from a team's workbin, as documented: the group's name in
 * `agentGroup` (or `placeGroup`), no `workbinUserId`, no `workbinAgentId`.
 */
export function groupItemStateChange(
  action: 'ItemAdded' | 'ItemRemoved',
  item: SimItem,
  group: { type: 'AgentGroup' | 'PlaceGroup'; name: string },
): Record<string, unknown> {
  return {
    action,
    [group.type === 'AgentGroup' ? 'agentGroup' : 'placeGroup']: group.name,
    [GWS_KINDS[item.kind].stateResource]: item.resource,
    id: item.workbinId,
    messageType: 'WorkbinStateChangeMessage',
  };
}

export function itemStateChange(
  action: 'ItemAdded' | 'ItemRemoved',
  item: SimItem,
  owner: SimUser,
  forSupervisor: boolean,
): Record<string, unknown> {
  return {
    messageType: 'WorkbinStateChangeMessage',
    action,
    id: item.workbinId,
    workbinAgentId: owner.employeeId,
    ...(forSupervisor && { workbinUserId: owner.id }),
    [GWS_KINDS[item.kind].stateResource]: item.resource,
    notificationType: 'StatusChange',
  };
}
