import { isSimKind, SIM_KINDS, type SimKind } from './gws-names.js';
import {
  buildStateResource,
  type ItemSpec,
  newInteractionId,
  type StateResource,
} from './resources.js';

export interface SimUser {
  id: string;
  userName: string;
  password: string;
  firstName: string;
  lastName: string;
  employeeId: string;
  supervisor: boolean;
  /** The agent groups and place groups the user belongs to (their team workbins). */
  agentGroups: string[];
  placeGroups: string[];
}

export type WorkbinType = 'Agent' | 'Place' | 'AgentGroup' | 'PlaceGroup';
export type GroupType = 'AgentGroup' | 'PlaceGroup';

/**
 * Who holds a workbin's contents: a user id, or for a group workbin the group, written
 * `AgentGroup:<name>` / `PlaceGroup:<name>`. A group workbin is defined once (its owner is
 * empty) and each group of its type has its own contents in it, as in Interaction Server.
 */
export function groupKey(type: GroupType, name: string): string {
  return `${type}:${name}`;
}

export function parseGroupKey(owner: string): { type: GroupType; name: string } | undefined {
  const match = /^(AgentGroup|PlaceGroup):(.+)$/.exec(owner);
  return match?.[1] && match[2] ? { type: match[1] as GroupType, name: match[2] } : undefined;
}

export interface SimWorkbin {
  id: string;
  name: string;
  displayName: string;
  type: WorkbinType;
  ownerUserId: string;
}

export interface SimItem {
  id: string;
  kind: SimKind;
  workbinId: string;
  ownerUserId: string;
  resource: StateResource;
}

export interface Seed {
  users: SimUser[];
  workbins: SimWorkbin[];
  items: ItemSpec[];
}

export class SeedError extends Error {
  override name = 'SeedError';
}

/** The simulator's "database": survives restarts, unlike sessions and subscriptions. */
export class SimStore {
  readonly users = new Map<string, SimUser>();
  readonly workbins = new Map<string, SimWorkbin>();
  readonly items = new Map<string, SimItem>();

  static key(ownerUserId: string, workbinId: string): string {
    return `${ownerUserId}\u0000${workbinId}`;
  }

  load(seed: Seed): void {
    this.users.clear();
    this.workbins.clear();
    this.items.clear();
    for (const user of seed.users) this.users.set(user.id, user);
    for (const workbin of seed.workbins) {
      const group = workbin.type === 'AgentGroup' || workbin.type === 'PlaceGroup';
      if (!group && !this.users.has(workbin.ownerUserId)) {
        throw new SeedError(`workbin ${workbin.id}: unknown owner ${workbin.ownerUserId}`);
      }
      this.workbins.set(SimStore.key(group ? '' : workbin.ownerUserId, workbin.id), workbin);
    }
    // Seeded items without a date get a spread of recent ones, newest last, so a demo list
    // reads like a real morning rather than everything "just now".
    const now = Date.now();
    seed.items.forEach((spec, i) => {
      const age = (seed.items.length - i) * 13 * 60_000;
      this.addItem(
        spec.receivedDate ? spec : { ...spec, receivedDate: new Date(now - age).toISOString() },
      );
    });
  }

  userByName(userName: string): SimUser | undefined {
    for (const user of this.users.values()) if (user.userName === userName) return user;
    return undefined;
  }

  /** A user's workbin, or for a group owner the group workbin definition of that type. */
  workbin(owner: string, workbinId: string): SimWorkbin | undefined {
    const group = parseGroupKey(owner);
    if (!group) return this.workbins.get(SimStore.key(owner, workbinId));
    const definition = this.workbins.get(SimStore.key('', workbinId));
    return definition?.type === group.type ? definition : undefined;
  }

  workbinsOf(owner: string): SimWorkbin[] {
    const group = parseGroupKey(owner);
    return [...this.workbins.values()].filter((w) =>
      group ? w.ownerUserId === '' && w.type === group.type : w.ownerUserId === owner,
    );
  }

  /** Every group workbin definition: what `GET /api/v2/workbins` adds to a user's own. */
  groupWorkbins(): SimWorkbin[] {
    return [...this.workbins.values()].filter((w) => w.ownerUserId === '');
  }

  itemsIn(ownerUserId: string, workbinId: string): SimItem[] {
    return [...this.items.values()].filter(
      (i) => i.ownerUserId === ownerUserId && i.workbinId === workbinId,
    );
  }

  /** Adds an item; when the spec names no owner, the workbin's only owner is used. */
  addItem(spec: ItemSpec): SimItem {
    const owner = spec.ownerUserId ?? this.soleOwnerOf(spec.workbinId);
    if (!this.workbin(owner, spec.workbinId)) {
      throw new SeedError(`no workbin ${spec.workbinId} owned by ${owner}`);
    }
    const id = spec.id ?? newInteractionId();
    if (this.items.has(id)) throw new SeedError(`item ${id} exists already`);
    const item: SimItem = {
      id,
      kind: spec.kind,
      workbinId: spec.workbinId,
      ownerUserId: owner,
      resource: buildStateResource(spec, id),
    };
    this.items.set(id, item);
    return item;
  }

  removeItem(id: string): SimItem | undefined {
    const item = this.items.get(id);
    if (item) this.items.delete(id);
    return item;
  }

  private soleOwnerOf(workbinId: string): string {
    const owners = [...this.workbins.values()].filter((w) => w.id === workbinId);
    if (owners.some((w) => w.ownerUserId === ''))
      throw new SeedError(`workbin ${workbinId} is a group workbin: name the group`);
    if (owners.length === 1 && owners[0]) return owners[0].ownerUserId;
    throw new SeedError(
      owners.length === 0
        ? `no workbin ${workbinId}`
        : `workbin ${workbinId} has ${owners.length} owners; name one with ownerUserId`,
    );
  }
}

// --- seed parsing: a seed file is user input, so every problem gets a precise message ---

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(obj: Record<string, unknown>, key: string, where: string, fallback?: string): string {
  const value = obj[key];
  if (typeof value === 'string' && value.length > 0) return value;
  if (value === undefined && fallback !== undefined) return fallback;
  throw new SeedError(`${where}.${key}: expected a non-empty string`);
}

function names(obj: Record<string, unknown>, key: string, where: string): string[] {
  const value = obj[key] ?? [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== ''))
    throw new SeedError(`${where}.${key}: expected an array of names`);
  return value as string[];
}

function list(obj: Record<string, unknown>, key: string): unknown[] {
  const value = obj[key] ?? [];
  if (!Array.isArray(value)) throw new SeedError(`${key}: expected an array`);
  return value;
}

const WORKBIN_TYPES: readonly WorkbinType[] = ['Agent', 'Place', 'AgentGroup', 'PlaceGroup'];

export function parseSeed(input: unknown): Seed {
  if (!isRecord(input)) throw new SeedError('seed: expected a JSON object');
  const users = list(input, 'users').map((raw, i): SimUser => {
    const where = `users[${i}]`;
    if (!isRecord(raw)) throw new SeedError(`${where}: expected an object`);
    const id = str(raw, 'id', where);
    return {
      id,
      userName: str(raw, 'userName', where),
      password: str(raw, 'password', where),
      firstName: str(raw, 'firstName', where, ''),
      lastName: str(raw, 'lastName', where, ''),
      employeeId: str(raw, 'employeeId', where, id),
      supervisor: raw.supervisor === true,
      agentGroups: names(raw, 'agentGroups', where),
      placeGroups: names(raw, 'placeGroups', where),
    };
  });
  const workbins = list(input, 'workbins').map((raw, i): SimWorkbin => {
    const where = `workbins[${i}]`;
    if (!isRecord(raw)) throw new SeedError(`${where}: expected an object`);
    const id = str(raw, 'id', where);
    const type = str(raw, 'type', where, 'Agent');
    if (!(WORKBIN_TYPES as readonly string[]).includes(type)) {
      throw new SeedError(`${where}.type: expected one of ${WORKBIN_TYPES.join(', ')}`);
    }
    const group = type === 'AgentGroup' || type === 'PlaceGroup';
    return {
      id,
      name: str(raw, 'name', where, id),
      displayName: str(raw, 'displayName', where, id),
      type: type as WorkbinType,
      // A group workbin has no owner: each group of its type has its own contents.
      ownerUserId: group ? '' : str(raw, 'owner', where),
    };
  });
  const items = list(input, 'items').map((raw, i) => parseItemSpec(raw, `items[${i}]`));
  return { users, workbins, items };
}

export function parseItemSpec(raw: unknown, where = 'item'): ItemSpec {
  if (!isRecord(raw)) throw new SeedError(`${where}: expected an object`);
  const kind = raw.kind;
  if (!isSimKind(kind)) {
    throw new SeedError(`${where}.kind: expected one of ${SIM_KINDS.join(', ')}`);
  }
  const spec: ItemSpec = { kind, workbinId: str(raw, 'workbin', where) };
  for (const key of ['owner', 'id', 'subject', 'from', 'receivedDate'] as const) {
    if (raw[key] === undefined) continue;
    const value = str(raw, key, where);
    if (key === 'owner') spec.ownerUserId = value;
    else spec[key] = value;
  }
  // An item of a team: `group` names the agent or place group whose contents it joins.
  if (raw.group !== undefined) {
    const type = raw.groupType === 'PlaceGroup' ? 'PlaceGroup' : 'AgentGroup';
    spec.ownerUserId = groupKey(type, str(raw, 'group', where));
  }
  if (raw.userData !== undefined) {
    if (!isRecord(raw.userData)) throw new SeedError(`${where}.userData: expected an object`);
    spec.userData = raw.userData;
  }
  return spec;
}
