/**
 * The user's settings: one type, one set of defaults, one reader per field. Saved by the
 * host (electron-store in the app, `conf` under Node), changed from the UI or the tray.
 */
export interface Settings {
  readonly notificationsPaused: boolean;
  /** Workbin keys whose new items raise no notification. */
  readonly mutedWorkbins: readonly string[];
  readonly startAtLogin: boolean;
  /**
   * The agent groups and place groups whose team workbins to show. GWS lists group workbins
   * but not which groups the agent is in, so the agent names them.
   */
  readonly agentGroups: readonly string[];
  readonly placeGroups: readonly string[];
  /** A supervisor's watched agents, by GWS user id. */
  readonly watchUsers: readonly string[];
  /** The global shortcut that toggles the tray popup (an Electron accelerator); off: null. */
  readonly popupShortcut: string | null;
  /** The popup's size as the user last left it; null: the default. */
  readonly popupSize: { readonly width: number; readonly height: number } | null;
}

/** What the UI may change; the rest belongs to the host (the tray menu, the OS). */
export type UiSettings = Pick<
  Settings,
  'notificationsPaused' | 'mutedWorkbins' | 'agentGroups' | 'placeGroups' | 'watchUsers'
>;

export const DEFAULT_SETTINGS: Settings = {
  notificationsPaused: false,
  mutedWorkbins: [],
  startAtLogin: false,
  agentGroups: [],
  placeGroups: [],
  watchUsers: [],
  popupShortcut: null,
  popupSize: null,
};

export const SETTINGS_LIMITS = {
  mutedWorkbins: 1_000,
  key: 1_024,
  groups: 50,
  group: 255,
  popupWidth: [360, 1920],
  popupHeight: [400, 1200],
} as const;

type Reader<T> = (value: unknown) => T | undefined;

const bool: Reader<boolean> = (v) => (typeof v === 'boolean' ? v : undefined);
const keyList: Reader<readonly string[]> = (v) =>
  Array.isArray(v) &&
  v.length <= SETTINGS_LIMITS.mutedWorkbins &&
  v.every((k) => typeof k === 'string' && k.length <= SETTINGS_LIMITS.key)
    ? (v as string[])
    : undefined;

const groupList: Reader<readonly string[]> = (v) =>
  Array.isArray(v) &&
  v.length <= SETTINGS_LIMITS.groups &&
  v.every((g) => typeof g === 'string' && g.trim() !== '' && g.length <= SETTINGS_LIMITS.group)
    ? [...new Set((v as string[]).map((g) => g.trim()))]
    : undefined;

/** `CommandOrControl+Alt+W`: modifiers and one key, as Electron's accelerators are written. */
const accelerator: Reader<string | null> = (v) =>
  v === null
    ? null
    : typeof v === 'string' && v.length <= 64 && /^([A-Za-z]+\+)+[A-Za-z0-9]+$/.test(v)
      ? v
      : undefined;

const within = (n: unknown, [low, high]: readonly [number, number]) =>
  typeof n === 'number' && Number.isInteger(n) && n >= low && n <= high;

const size: Reader<Settings['popupSize']> = (v) => {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v) || v === undefined) return undefined;
  const { width, height } = v as { width?: unknown; height?: unknown };
  return within(width, SETTINGS_LIMITS.popupWidth) && within(height, SETTINGS_LIMITS.popupHeight)
    ? { width: width as number, height: height as number }
    : undefined;
};

const READERS: { readonly [K in keyof Settings]: Reader<Settings[K]> } = {
  notificationsPaused: bool,
  mutedWorkbins: keyList,
  startAtLogin: bool,
  agentGroups: groupList,
  placeGroups: groupList,
  watchUsers: groupList,
  popupShortcut: accelerator,
  popupSize: size,
};

const UI_KEYS: readonly (keyof UiSettings)[] = [
  'notificationsPaused',
  'mutedWorkbins',
  'agentGroups',
  'placeGroups',
  'watchUsers',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Saved settings, leniently: a missing or unreadable field takes its default. */
export function readSettings(raw: unknown): Settings {
  const source = isRecord(raw) ? raw : {};
  return {
    notificationsPaused:
      READERS.notificationsPaused(source.notificationsPaused) ??
      DEFAULT_SETTINGS.notificationsPaused,
    mutedWorkbins: READERS.mutedWorkbins(source.mutedWorkbins) ?? DEFAULT_SETTINGS.mutedWorkbins,
    startAtLogin: READERS.startAtLogin(source.startAtLogin) ?? DEFAULT_SETTINGS.startAtLogin,
    agentGroups: READERS.agentGroups(source.agentGroups) ?? DEFAULT_SETTINGS.agentGroups,
    placeGroups: READERS.placeGroups(source.placeGroups) ?? DEFAULT_SETTINGS.placeGroups,
    watchUsers: READERS.watchUsers(source.watchUsers) ?? DEFAULT_SETTINGS.watchUsers,
    popupShortcut: READERS.popupShortcut(source.popupShortcut) ?? DEFAULT_SETTINGS.popupShortcut,
    popupSize: READERS.popupSize(source.popupSize) ?? DEFAULT_SETTINGS.popupSize,
  };
}

/**
 * A change from the UI: one unreadable field rejects the whole patch; fields the UI may not
 * change are left out.
 */
export function parseSettingsPatch(raw: unknown): Partial<UiSettings> | null {
  if (!isRecord(raw)) return null;
  const patch: Record<string, unknown> = {};
  for (const key of UI_KEYS) {
    if (raw[key] === undefined) continue;
    const read: unknown = READERS[key](raw[key]);
    if (read === undefined) return null;
    patch[key] = read;
  }
  return patch as Partial<UiSettings>;
}
