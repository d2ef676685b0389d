/**
 * A typed Electron double: what the shell and electron-store use of Electron's main-process
 * API, behaving as Electron does where the shell depends on it (lifecycle order, refusals
 * before and after `ready`, one instance per user-data folder across processes, IPC payloads
 * cloned) and recording every call in the journal. Loaded in place of `electron` by
 * ./register.ts.
 *
 * Kept from drifting both ways by `npm run typecheck`: ./electron.check.ts holds every member
 * and option type here against electron.d.ts (a rename there fails it), and the shell is
 * compiled against this file alone (tsconfig.shell.json: a call the double lacks fails).
 * This file must not see electron.d.ts: its `declare module 'electron'` would win over the
 * double in that second compile.
 */
import { EventEmitter } from 'node:events';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DoubleAction, onAction, record } from './journal.js';

/** An event whose default the listener may prevent, as Electron's `Event`. */
class PreventableEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/* ---------------------------------------------------------------- the types we use */

export type PathName = 'home' | 'appData' | 'userData' | 'sessionData' | 'temp' | 'logs';

export interface LoginItemSettings {
  openAtLogin?: boolean;
  args?: string[];
}

export interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  experimentalFeatures?: boolean;
  spellcheck?: boolean;
  devTools?: boolean;
  webviewTag?: boolean;
}

export interface BrowserWindowConstructorOptions {
  title?: string;
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  x?: number;
  y?: number;
  show?: boolean;
  frame?: boolean;
  resizable?: boolean;
  skipTaskbar?: boolean;
  alwaysOnTop?: boolean;
  icon?: string;
  autoHideMenuBar?: boolean;
  webPreferences?: WebPreferences;
}

export interface HandlerDetails {
  url: string;
  frameName: string;
  features: string;
  disposition: 'default' | 'foreground-tab' | 'background-tab' | 'new-window' | 'other';
  referrer: { url: string; policy: 'strict-origin-when-cross-origin' };
}

export interface WindowOpenHandlerResponse {
  action: 'allow' | 'deny';
}

export interface MenuItemConstructorOptions {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
  click?: (menuItem: MenuItem) => void;
}

export interface NotificationConstructorOptions {
  title?: string;
  body?: string;
  silent?: boolean;
  icon?: string;
}

export interface Privileges {
  standard?: boolean;
  secure?: boolean;
  supportFetchAPI?: boolean;
  corsEnabled?: boolean;
  stream?: boolean;
}

export interface CustomScheme {
  scheme: string;
  privileges?: Privileges;
}

export type StorageBackend =
  | 'basic_text'
  | 'gnome_libsecret'
  | 'kwallet'
  | 'kwallet5'
  | 'kwallet6'
  | 'unknown';

/* ---------------------------------------------------------------- app */

export class App extends EventEmitter {
  readonly isPackaged = process.env.WBT_DOUBLE_PACKAGED === '1';
  private ready = false;
  private readonly readyPromise: Promise<void>;
  private readonly paths = new Map<string, string>();
  private lockFile: string | null = null;
  private quitting = false;

  constructor() {
    super();
    const home = process.env.WBT_DOUBLE_HOME ?? join(tmpdir(), `electron-double-${process.pid}`);
    this.paths.set('home', home);
    this.paths.set('appData', join(home, '.config'));
    this.paths.set('temp', tmpdir());
    this.readyPromise = new Promise((resolve) => this.once('ready', () => resolve()));
    // Electron emits `ready` after the main script has run (ESM: after its evaluation).
    setTimeout(() => {
      this.emit('will-finish-launching');
      this.ready = true;
      record('app.ready');
      this.emit('ready', new PreventableEvent(), {});
    }, 0);
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  isReady(): boolean {
    return this.ready;
  }

  /** The app folder: where package.json is (the test starts the app from there). */
  getAppPath(): string {
    return process.cwd();
  }

  getName(): string {
    return packageJson().productName ?? packageJson().name ?? 'Electron';
  }

  getVersion(): string {
    return packageJson().version ?? '0.0.0';
  }

  getPath(name: PathName): string {
    const set = this.paths.get(name);
    if (set) return set;
    const userData = this.paths.get('userData') ?? join(this.getPath('appData'), this.getName());
    if (name === 'userData') return userData;
    if (name === 'logs') return join(userData, 'logs');
    if (name === 'sessionData') return userData;
    throw new Error(`Failed to get '${name}' path`);
  }

  setPath(name: PathName, path: string): void {
    record('app.setPath', { name, path });
    this.paths.set(name, path);
  }

  /**
   * The user-data folder is the lock, as in Electron: the first process holds it; a second
   * one leaves its argv for the first (which emits `second-instance`) and gets false.
   */
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    const dir = this.getPath('userData');
    mkdirSync(join(dir, 'SingletonMessages'), { recursive: true });
    const lock = join(dir, 'SingletonLock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lock, 'wx');
        writeFileSync(fd, String(process.pid));
        closeSync(fd);
        this.lockFile = lock;
        this.watchSecondInstances(join(dir, 'SingletonMessages'));
        record('app.requestSingleInstanceLock', { granted: true });
        return true;
      } catch {
        const holder = Number(readFileSync(lock, 'utf8'));
        if (!alive(holder)) {
          rmSync(lock, { force: true });
          continue;
        }
        writeFileSync(
          join(dir, 'SingletonMessages', `${process.pid}.json`),
          JSON.stringify({ argv: process.argv, cwd: process.cwd(), additionalData }),
        );
        record('app.requestSingleInstanceLock', { granted: false });
        return false;
      }
    }
    return false;
  }

  setLoginItemSettings(settings: LoginItemSettings): void {
    record('app.setLoginItemSettings', settings);
  }

  quit(): void {
    if (this.quitting) return;
    record('app.quit');
    const beforeQuit = new PreventableEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    // Electron closes every window first; one that refuses cancels the quit.
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.close()) return;
    }
    this.quitting = true;
    const willQuit = new PreventableEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.emit('quit', new PreventableEvent(), 0);
    this.exit(0);
  }

  exit(exitCode = 0): void {
    record('app.exit', { exitCode });
    if (this.lockFile) rmSync(this.lockFile, { force: true });
    // The journal's last entries must reach the test before the process goes.
    if (process.send && process.connected)
      process.send({ type: 'exit', exitCode }, () => process.exit(exitCode));
    else process.exit(exitCode);
  }

  private watchSecondInstances(dir: string): void {
    const timer = setInterval(() => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const message = JSON.parse(readFileSync(path, 'utf8')) as {
          argv: string[];
          cwd: string;
          additionalData: unknown;
        };
        rmSync(path, { force: true });
        record('app.second-instance', { argv: message.argv });
        this.emit(
          'second-instance',
          new PreventableEvent(),
          message.argv,
          message.cwd,
          message.additionalData,
        );
      }
    }, 50);
    timer.unref();
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let pkg: { name?: string; productName?: string; version?: string } | undefined;
function packageJson(): NonNullable<typeof pkg> {
  // The app's package.json: Electron reads the one beside the main script's app folder.
  pkg ??= JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as NonNullable<
    typeof pkg
  >;
  return pkg;
}

export const app = new App();

/* ---------------------------------------------------------------- web contents and windows */

export class WebFrameMain {
  constructor(
    public url: string,
    readonly name: string,
  ) {}
}

type OpenHandler = (details: HandlerDetails) => WindowOpenHandlerResponse;

let nextContentsId = 1;

export class WebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new WebFrameMain('', 'main');
  private openHandler: OpenHandler | null = null;
  private destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    // What crosses to a renderer is a structured clone: a function or class instance fails here.
    record('webContents.send', { id: this.id, channel, args: structuredClone(args) });
  }

  setWindowOpenHandler(handler: OpenHandler): void {
    record('webContents.setWindowOpenHandler', { id: this.id });
    this.openHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  getURL(): string {
    return this.mainFrame.url;
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** `window.open(url)` in the page: without a handler Electron opens the window. */
  windowOpen(url: string): 'allow' | 'deny' {
    if (!this.openHandler) return 'allow';
    return this.openHandler({
      url,
      frameName: '',
      features: '',
      disposition: 'foreground-tab',
      referrer: { url: this.mainFrame.url, policy: 'strict-origin-when-cross-origin' },
    }).action;
  }

  /** A navigation the page starts: true when it goes ahead. */
  navigate(url: string): boolean {
    const event = new PreventableEvent();
    this.emit('will-navigate', event, url);
    if (!event.defaultPrevented) this.mainFrame.url = url;
    return !event.defaultPrevented;
  }
}

export class BrowserWindow extends EventEmitter {
  private static readonly windows = new Set<BrowserWindow>();
  readonly webContents = new WebContents();
  private visible = false;
  private destroyed = false;
  private bounds: Rectangle;
  private alwaysOnTop = false;

  static getAllWindows(): BrowserWindow[] {
    return [...BrowserWindow.windows];
  }

  constructor(readonly options: BrowserWindowConstructorOptions = {}) {
    super();
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    record('BrowserWindow.new', options);
    BrowserWindow.windows.add(this);
    this.visible = options.show !== false;
    this.bounds = { x: 0, y: 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.alwaysOnTop = options.alwaysOnTop ?? false;
    app.emit('web-contents-created', new PreventableEvent(), this.webContents);
  }

  async loadURL(url: string): Promise<void> {
    record('BrowserWindow.loadURL', { url });
    this.webContents.mainFrame.url = url;
    const response = await protocol.request(url);
    if (response.status !== 200) {
      record('webContents.did-fail-load', { url, status: response.status });
      throw new Error(`ERR_FAILED (${response.status}) loading '${url}'`);
    }
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }

  show(): void {
    record('BrowserWindow.show', { id: this.webContents.id });
    this.visible = true;
  }

  getSize(): number[] {
    return [this.bounds.width, this.bounds.height];
  }

  getBounds(): Rectangle {
    return { ...this.bounds };
  }

  setPosition(x: number, y: number): void {
    if (!Number.isInteger(x) || !Number.isInteger(y))
      throw new TypeError('Error processing argument at index 0, conversion failure');
    record('BrowserWindow.setPosition', { id: this.webContents.id, x, y });
    this.bounds = { ...this.bounds, x, y };
  }

  /** The user dragging an edge: Electron emits `resize` (and `resized` when done). */
  resizeTo(width: number, height: number): void {
    this.bounds = { ...this.bounds, width, height };
    this.emit('resize');
    this.emit('resized');
  }

  isAlwaysOnTop(): boolean {
    return this.alwaysOnTop;
  }

  setVisibleOnAllWorkspaces(visible: boolean): void {
    record('BrowserWindow.setVisibleOnAllWorkspaces', { id: this.webContents.id, visible });
  }

  /** Another window took the focus. */
  blur(): void {
    this.emit('blur');
  }

  hide(): void {
    record('BrowserWindow.hide', { id: this.webContents.id });
    this.visible = false;
  }

  focus(): void {
    record('BrowserWindow.focus', { id: this.webContents.id });
  }

  restore(): void {
    record('BrowserWindow.restore');
  }

  isMinimized(): boolean {
    return false;
  }

  isVisible(): boolean {
    return this.visible;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** As Electron: `close` may be prevented; returns whether the window went. */
  close(): boolean {
    const event = new PreventableEvent();
    this.emit('close', event);
    if (event.defaultPrevented) {
      record('BrowserWindow.close', { prevented: true });
      return false;
    }
    record('BrowserWindow.close', { prevented: false });
    this.destroy();
    return true;
  }

  destroy(): void {
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroy();
    BrowserWindow.windows.delete(this);
    this.emit('closed');
  }
}

/* ---------------------------------------------------------------- IPC */

export interface IpcMainEvent {
  readonly processId: number;
  readonly frameId: number;
  readonly sender: WebContents;
  readonly senderFrame: WebFrameMain | null;
}

type IpcListener = (event: IpcMainEvent, ...args: unknown[]) => void;

export class IpcMain extends EventEmitter {
  /** Typed as Electron's: the shell's listener sees what a real IPC event carries. */
  override on(channel: string, listener: IpcListener): this {
    return super.on(channel, listener as (...args: unknown[]) => void);
  }

  /** A message from a renderer: the payload arrives as a structured clone, as in Electron. */
  deliver(channel: string, event: IpcMainEvent, payload: unknown): void {
    this.emit(channel, event, structuredClone(payload));
  }
}

export const ipcMain = new IpcMain();

/* ---------------------------------------------------------------- tray, menu, images */

export class NativeImage {
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return !existsSync(this.path);
  }
}

export const nativeImage = {
  createFromPath: (path: string) => new NativeImage(path),
};

export class MenuItem {
  readonly label: string;
  readonly type: string;
  checked: boolean;
  constructor(private readonly options: MenuItemConstructorOptions) {
    this.label = options.label ?? '';
    this.type = options.type ?? 'normal';
    this.checked = options.checked ?? false;
  }
  click(): void {
    if (this.type === 'checkbox') this.checked = !this.checked;
    this.options.click?.(this);
  }
}

export class Menu {
  constructor(readonly items: MenuItem[]) {}
  static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu {
    return new Menu(template.map((options) => new MenuItem(options)));
  }
}

export class Tray extends EventEmitter {
  static current: Tray | null = null;
  menu: Menu | null = null;
  private destroyed = false;

  constructor(image: NativeImage | string) {
    super();
    if (!app.isReady()) throw new Error('Cannot create Tray before app is ready');
    record('Tray.new', { image: imagePath(image) });
    Tray.current = this;
  }
  /** Where the icon sits: the top right of a 1920×1080 screen with a top panel. */
  getBounds(): Rectangle {
    return { x: 1850, y: 0, width: 24, height: 24 };
  }

  setImage(image: NativeImage | string): void {
    record('Tray.setImage', { image: imagePath(image) });
  }
  setToolTip(toolTip: string): void {
    record('Tray.setToolTip', { toolTip });
  }
  setTitle(title: string): void {
    record('Tray.setTitle', { title });
  }
  setContextMenu(menu: Menu | null): void {
    this.menu = menu;
    record('Tray.setContextMenu', {
      items: menu?.items.map((item) => ({
        label: item.label,
        type: item.type,
        checked: item.checked,
      })),
    });
  }
  destroy(): void {
    record('Tray.destroy');
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function imagePath(image: NativeImage | string): string {
  return typeof image === 'string' ? image : image.path;
}

/* ---------------------------------------------------------------- screen, shortcuts */

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Display {
  id: number;
  bounds: Rectangle;
  workArea: Rectangle;
  scaleFactor: number;
}

/** One 1920×1080 display with a 28 px panel at the top (GNOME's layout). */
function display(): Display {
  return {
    id: 1,
    bounds: { x: 0, y: 0, width: 1920, height: 1080 },
    workArea: { x: 0, y: 28, width: 1920, height: 1052 },
    scaleFactor: 1,
  };
}

export const screen = {
  getPrimaryDisplay: (): Display => display(),
  getDisplayMatching: (_rect: Rectangle): Display => display(),
  getDisplayNearestPoint: (_point: Point): Display => display(),
  getCursorScreenPoint: (): Point => ({ x: 960, y: 540 }),
};

const shortcuts = new Map<string, () => void>();

export const globalShortcut = {
  /** False when another app holds it (`WBT_DOUBLE_TAKEN_SHORTCUT`) or it does not parse. */
  register(accelerator: string, callback: () => void): boolean {
    if (!app.isReady()) throw new Error('globalShortcut cannot be used before the app is ready');
    const taken = accelerator === process.env.WBT_DOUBLE_TAKEN_SHORTCUT;
    const valid = /^([A-Za-z]+\+)+[A-Za-z0-9]+$/.test(accelerator);
    record('globalShortcut.register', { accelerator, registered: valid && !taken });
    if (!valid || taken) return false;
    shortcuts.set(accelerator, callback);
    return true;
  },
  unregister(accelerator: string): void {
    record('globalShortcut.unregister', { accelerator });
    shortcuts.delete(accelerator);
  },
  unregisterAll(): void {
    record('globalShortcut.unregisterAll');
    shortcuts.clear();
  },
  isRegistered: (accelerator: string): boolean => shortcuts.has(accelerator),
};

/* ---------------------------------------------------------------- notifications */

export class Notification extends EventEmitter {
  static readonly shown: Notification[] = [];
  readonly title: string;
  readonly body: string;

  static isSupported(): boolean {
    return process.env.WBT_DOUBLE_NOTIFICATIONS !== 'unsupported';
  }

  constructor(options: NotificationConstructorOptions = {}) {
    super();
    if (!app.isReady()) throw new Error('Notification can only be used after app is ready');
    this.title = options.title ?? '';
    this.body = options.body ?? '';
    record('Notification.new', options);
  }
  show(): void {
    Notification.shown.push(this);
    record('Notification.show', {
      index: Notification.shown.length - 1,
      title: this.title,
      body: this.body,
    });
  }
  close(): void {
    record('Notification.close', { title: this.title });
  }
}

/* ---------------------------------------------------------------- protocol, net, session */

type ProtocolHandler = (request: Request) => Response | Promise<Response>;
const privileged = new Map<string, Privileges>();
const handlers = new Map<string, ProtocolHandler>();

export const protocol = {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void {
    if (app.isReady())
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    record('protocol.registerSchemesAsPrivileged', customSchemes);
    for (const scheme of customSchemes) privileged.set(scheme.scheme, scheme.privileges ?? {});
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    if (!app.isReady()) throw new Error('protocol.handle should be called after app is ready');
    if (handlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`);
    record('protocol.handle', { scheme, privileges: privileged.get(scheme) ?? null });
    handlers.set(scheme, handler);
  },
  /** What Chromium would get for `url`: the handler's answer (404 without one). */
  async request(url: string): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = handlers.get(scheme);
    if (!handler) return new Response('', { status: 404 });
    return handler(new Request(url));
  },
};

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

let online = true;

export const net = {
  /** Electron's net.fetch reads file: URLs; Node's fetch does not. */
  async fetch(input: string, init?: RequestInit): Promise<Response> {
    if (!input.startsWith('file:')) return fetch(input, init);
    const path = fileURLToPath(input);
    if (!existsSync(path)) return new Response('', { status: 404 });
    return new Response(readFileSync(path), {
      status: 200,
      headers: { 'Content-Type': MIME[extname(path)] ?? 'application/octet-stream' },
    });
  },
  isOnline: () => online,
};

type PermissionRequestHandler =
  | ((contents: WebContents, permission: string, callback: (granted: boolean) => void) => void)
  | null;
type PermissionCheckHandler =
  | ((contents: WebContents | null, permission: string) => boolean)
  | null;

export class Session {
  requestHandler: PermissionRequestHandler = null;
  checkHandler: PermissionCheckHandler = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    record('session.setPermissionRequestHandler');
    this.requestHandler = handler;
  }
  /** The OS's proxy for `url`, as Chromium answers: `WBT_DOUBLE_SYSTEM_PROXY`, or DIRECT. */
  async resolveProxy(url: string): Promise<string> {
    record('session.resolveProxy', { url });
    return process.env.WBT_DOUBLE_SYSTEM_PROXY ?? 'DIRECT';
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    record('session.setPermissionCheckHandler');
    this.checkHandler = handler;
  }
}

export const session = { defaultSession: new Session() };

/* ---------------------------------------------------------------- safeStorage, power */

/**
 * `WBT_DOUBLE_SAFE_STORAGE`: `keyring` (default: a real OS store), `basic_text` (Linux without
 * a keyring: Chromium's hard-coded key) or `unavailable`. The cipher is a stand-in; what
 * matters is that the secret never appears in clear in what is written.
 */
const storage = process.env.WBT_DOUBLE_SAFE_STORAGE ?? 'keyring';
const MARK = Buffer.from('v11');
const scramble = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ 0x5a));

export const safeStorage = {
  isEncryptionAvailable: () => storage !== 'unavailable',
  getSelectedStorageBackend: (): StorageBackend =>
    storage === 'basic_text' ? 'basic_text' : 'gnome_libsecret',
  encryptString(plainText: string): Buffer {
    if (storage === 'unavailable')
      throw new Error(
        'Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.',
      );
    record('safeStorage.encryptString');
    return Buffer.concat([MARK, scramble(Buffer.from(plainText))]);
  },
  decryptString(encrypted: Buffer): string {
    if (storage === 'unavailable' || !encrypted.subarray(0, 3).equals(MARK))
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
      );
    record('safeStorage.decryptString');
    return scramble(encrypted.subarray(3)).toString();
  },
};

export const powerMonitor = new EventEmitter();

/** electron-store opens files in the user's editor with it; the shell does not. */
export const shell = {
  openPath: async (path: string) => {
    record('shell.openPath', { path });
    return '';
  },
};

/* ---------------------------------------------------------------- renderer side (the preload) */

export interface IpcRendererEvent {
  readonly sender: IpcRenderer;
}

/** The preload's end of IPC: `send` goes to whatever the host connects (see ./preload-host.ts). */
export class IpcRenderer extends EventEmitter {
  transport: ((channel: string, payload: unknown) => void) | null = null;
  send(channel: string, ...args: unknown[]): void {
    record('ipcRenderer.send', { channel });
    this.transport?.(channel, structuredClone(args[0]));
  }
  /** From the main process. */
  deliver(channel: string, payload: unknown): void {
    this.emit(channel, { sender: this } satisfies IpcRendererEvent, structuredClone(payload));
  }
}

export const ipcRenderer = new IpcRenderer();

export const contextBridge = {
  /** Isolation is what a real Electron proves; here the API lands on globalThis, frozen. */
  exposeInMainWorld(apiKey: string, api: unknown): void {
    record('contextBridge.exposeInMainWorld', { apiKey, keys: Object.keys(api as object) });
    Object.defineProperty(globalThis, apiKey, { value: Object.freeze(api), enumerable: true });
  },
};

/* ---------------------------------------------------------------- the test acting */

const FOREIGN = new WebContents();

/** The app's windows in the order they were made (0: the main window). */
function windowAt(index = 0): BrowserWindow {
  const window = BrowserWindow.getAllWindows()[index];
  if (!window) throw new Error(`no window #${index}`);
  return window;
}

onAction(async (action: DoubleAction) => {
  switch (action.type) {
    case 'click-tray':
      return Tray.current?.emit('click', new PreventableEvent(), {}, { x: 0, y: 0 });
    case 'click-menu': {
      const item = Tray.current?.menu?.items.find((i) => i.label === action.label);
      if (!item) throw new Error(`no tray menu item "${action.label}"`);
      item.click();
      return item.checked;
    }
    case 'click-notification': {
      const notification = Notification.shown[action.index];
      if (!notification) throw new Error(`no notification #${action.index}`);
      return notification.emit('click', new PreventableEvent());
    }
    case 'close-window':
      return windowAt(action.window).close();
    case 'blur-window':
      windowAt(action.window).blur();
      return null;
    case 'resize-window':
      windowAt(action.window).resizeTo(action.width, action.height);
      return null;
    case 'press-shortcut': {
      const callback = shortcuts.get(action.accelerator);
      if (!callback) return false;
      callback();
      return true;
    }
    case 'ipc': {
      const window = windowAt(action.window);
      const sender = action.sender === 'window' ? window.webContents : FOREIGN;
      const main = sender.mainFrame;
      const senderFrame = action.frame === 'main' ? main : new WebFrameMain(action.url, 'child');
      // A main frame at another origin: the page was navigated away (for this one message).
      const url = main.url;
      if (action.frame === 'main') main.url = action.url;
      try {
        ipcMain.deliver(
          action.channel,
          { sender, senderFrame, processId: 1, frameId: 1 },
          action.payload,
        );
      } finally {
        main.url = url;
      }
      return null;
    }
    case 'power':
      return powerMonitor.emit(action.event);
    case 'online':
      online = action.online;
      return online;
    case 'window-open':
      return windowAt().webContents.windowOpen(action.url);
    case 'navigate':
      return windowAt().webContents.navigate(action.url);
    case 'permission': {
      const handler = session.defaultSession.requestHandler;
      if (!handler) return 'granted (no handler)';
      return new Promise<string>((resolve) =>
        handler(windowAt().webContents, action.permission, (granted) =>
          resolve(granted ? 'granted' : 'denied'),
        ),
      );
    }
    case 'fetch': {
      const response = await protocol.request(action.url);
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      };
    }
    case 'quit':
      app.quit();
      return null;
    case 'renderer-send': {
      const bridge = (globalThis as { workbins?: { send(command: unknown): void } }).workbins;
      if (!bridge) throw new Error('no bridge exposed');
      bridge.send(action.command);
      return null;
    }
    case 'renderer-receive':
      ipcRenderer.deliver(action.channel, action.payload);
      return null;
  }
});

const electronDouble = {
  app,
  globalShortcut,
  screen,
  contextBridge,
  ipcRenderer,
  BrowserWindow,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
};

export default electronDouble;

// CommonJS packages (menubar, electron-positioner) `require('electron')`: ./register.ts hands
// them this same instance, once the shell's own import has loaded it.
Object.defineProperty(globalThis, Symbol.for('electron-double'), { value: electronDouble });
