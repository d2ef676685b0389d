import type { GwsUser, WorkbinInfo, WorkbinType } from '../contract/domain.js';

/**
 * Readers for GWS REST bodies. Bodies come from the network: anything unexpected yields
 * undefined (the caller turns it into a protocol error), never an exception.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** GWS bodies carry statusCode 0 on success. */
export function successBody(body: unknown): Json | undefined {
  return isObject(body) && body.statusCode === 0 ? body : undefined;
}

export function readUser(body: Json): GwsUser | undefined {
  const user = body.user;
  if (!isObject(user)) return undefined;
  const id = text(user.id);
  const userName = text(user.userName) ?? id;
  if (!id || !userName) return undefined;
  const name = [text(user.firstName), text(user.lastName)].filter(Boolean).join(' ');
  const roles = Array.isArray(user.roles) ? user.roles : [];
  return {
    id,
    userName,
    displayName: name || userName,
    supervisor: roles.includes('ROLE_SUPERVISOR'),
  };
}

const WORKBIN_TYPES: readonly string[] = ['Agent', 'Place', 'AgentGroup', 'PlaceGroup'];

export function readWorkbins(body: Json, ownerUserId: string): WorkbinInfo[] | undefined {
  if (!Array.isArray(body.workbins)) return undefined;
  const workbins: WorkbinInfo[] = [];
  for (const entry of body.workbins) {
    if (!isObject(entry)) continue;
    const id = text(entry.id) ?? text(entry.name) ?? text(entry.workbinName);
    if (!id) continue;
    const type = text(entry.type);
    workbins.push({
      id,
      ownerUserId,
      displayName: text(entry.displayName) ?? text(entry.name) ?? text(entry.workbinName) ?? id,
      type: (type && WORKBIN_TYPES.includes(type) ? type : 'Unknown') as WorkbinType,
    });
  }
  return workbins;
}

export function readContents(body: Json): Json | undefined {
  return isObject(body.workbin) ? body.workbin : undefined;
}

export function readReferenceId(body: Json): number | undefined {
  return typeof body.referenceId === 'number' ? body.referenceId : undefined;
}

export function readReferenceIds(body: Json): Record<string, number> | undefined {
  if (!isObject(body.referenceIds)) return undefined;
  const ids: Record<string, number> = {};
  for (const [key, value] of Object.entries(body.referenceIds)) {
    if (typeof value === 'number') ids[key] = value;
  }
  return ids;
}
