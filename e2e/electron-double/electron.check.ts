/// <reference path="../../node_modules/electron/electron.d.ts" />
/**
 * The double against Electron's own types (type-only; `npm run typecheck`). Each line names
 * what the double implements: a member renamed or removed in electron.d.ts, or a double
 * member whose type Electron's would not accept, fails the check. Objects Electron hands
 * over (windows, images, menus) are the double's own and are compared by member names.
 */
import type * as D from './electron.js';

/** Compiles only when A is assignable to B. */
type Assignable<A extends B, B> = A;
/** Compiles only when every key of K is a member of Electron's T. */
type Members<T, K extends keyof T> = K;

type AppMembers = Members<
  Electron.App,
  | 'whenReady'
  | 'isReady'
  | 'isPackaged'
  | 'quit'
  | 'exit'
  | 'getPath'
  | 'setPath'
  | 'getName'
  | 'getVersion'
  | 'requestSingleInstanceLock'
  | 'setLoginItemSettings'
  | 'getAppPath'
>;
export type App = [
  AppMembers,
  Assignable<
    Pick<D.App, Exclude<AppMembers, 'getPath' | 'setPath' | 'setLoginItemSettings'>>,
    Pick<Electron.App, Exclude<AppMembers, 'getPath' | 'setPath' | 'setLoginItemSettings'>>
  >,
  Assignable<D.PathName, Parameters<Electron.App['getPath']>[0]>,
  Assignable<D.LoginItemSettings, Electron.Settings>,
];

type WindowMembers = Members<
  Electron.BrowserWindow,
  | 'loadURL'
  | 'show'
  | 'hide'
  | 'focus'
  | 'restore'
  | 'isMinimized'
  | 'isVisible'
  | 'isDestroyed'
  | 'destroy'
  | 'close'
  | 'webContents'
  | 'getSize'
  | 'getBounds'
  | 'setPosition'
  | 'isAlwaysOnTop'
  | 'setVisibleOnAllWorkspaces'
  | 'blur'
>;
export type Window = [
  WindowMembers,
  Assignable<
    Pick<
      D.BrowserWindow,
      Exclude<WindowMembers, 'webContents' | 'close' | 'getBounds' | 'setVisibleOnAllWorkspaces'>
    >,
    Pick<
      Electron.BrowserWindow,
      Exclude<WindowMembers, 'webContents' | 'close' | 'getBounds' | 'setVisibleOnAllWorkspaces'>
    >
  >,
  Assignable<D.BrowserWindowConstructorOptions, Electron.BrowserWindowConstructorOptions>,
  Assignable<D.WebPreferences, Electron.WebPreferences>,
  Members<typeof Electron.BrowserWindow, 'getAllWindows'>,
];

type ContentsMembers = Members<
  Electron.WebContents,
  'id' | 'send' | 'setWindowOpenHandler' | 'isDestroyed' | 'getURL' | 'mainFrame'
>;
export type Contents = [
  ContentsMembers,
  Assignable<
    Pick<D.WebContents, 'id' | 'send' | 'isDestroyed' | 'getURL'>,
    Pick<Electron.WebContents, 'id' | 'send' | 'isDestroyed' | 'getURL'>
  >,
  Assignable<D.HandlerDetails, Electron.HandlerDetails>,
  Assignable<D.WindowOpenHandlerResponse, Electron.WindowOpenHandlerResponse>,
  Assignable<Pick<D.WebFrameMain, 'url' | 'name'>, Pick<Electron.WebFrameMain, 'url' | 'name'>>,
  Members<Electron.IpcMainEvent, 'sender' | 'senderFrame' | 'processId' | 'frameId'>,
  Members<Electron.IpcMain, 'on'>,
];

type TrayMembers = Members<
  Electron.Tray,
  'setImage' | 'setToolTip' | 'setTitle' | 'setContextMenu' | 'destroy' | 'isDestroyed'
>;
export type Tray = [
  TrayMembers,
  Assignable<
    Pick<D.Tray, 'setToolTip' | 'setTitle' | 'destroy' | 'isDestroyed'>,
    Pick<Electron.Tray, 'setToolTip' | 'setTitle' | 'destroy' | 'isDestroyed'>
  >,
  Members<typeof Electron.Menu, 'buildFromTemplate'>,
  Assignable<
    Omit<D.MenuItemConstructorOptions, 'click'>,
    Omit<Electron.MenuItemConstructorOptions, 'click'>
  >,
  Members<Electron.MenuItem, 'label' | 'type' | 'checked' | 'click'>,
  Members<typeof Electron.nativeImage, 'createFromPath'>,
  Members<Electron.NativeImage, 'isEmpty'>,
];

export type Screen = [
  Members<
    Electron.Screen,
    'getPrimaryDisplay' | 'getDisplayMatching' | 'getDisplayNearestPoint' | 'getCursorScreenPoint'
  >,
  Assignable<D.Rectangle, Electron.Rectangle>,
  Assignable<D.Point, Electron.Point>,
  Members<Electron.Display, 'id' | 'bounds' | 'workArea' | 'scaleFactor'>,
  Assignable<
    typeof D.globalShortcut,
    Pick<Electron.GlobalShortcut, 'register' | 'unregister' | 'unregisterAll' | 'isRegistered'>
  >,
  Assignable<Pick<D.Tray, 'getBounds'>, Pick<Electron.Tray, 'getBounds'>>,
];

export type Notifications = [
  Members<Electron.Notification, 'show' | 'close' | 'title' | 'body'>,
  Members<typeof Electron.Notification, 'isSupported'>,
  Assignable<D.NotificationConstructorOptions, Electron.NotificationConstructorOptions>,
];

export type Protocol = [
  Assignable<
    Pick<typeof D.protocol, 'registerSchemesAsPrivileged'>,
    Pick<Electron.Protocol, 'registerSchemesAsPrivileged'>
  >,
  Members<Electron.Protocol, 'handle'>,
  Assignable<D.CustomScheme, Electron.CustomScheme>,
  Assignable<Pick<typeof D.net, 'isOnline'>, Pick<Electron.Net, 'isOnline'>>,
  Members<Electron.Net, 'fetch'>,
  Members<
    Electron.Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'resolveProxy'
  >,
  Assignable<Pick<D.Session, 'resolveProxy'>, Pick<Electron.Session, 'resolveProxy'>>,
  Members<typeof Electron.session, 'defaultSession'>,
];

export type Secrets = [
  Assignable<
    typeof D.safeStorage,
    Pick<
      Electron.SafeStorage,
      'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'
    >
  >,
  Assignable<Pick<typeof D.shell, 'openPath'>, Pick<Electron.Shell, 'openPath'>>,
  Members<Electron.PowerMonitor, 'on'>,
  Members<Electron.ContextBridge, 'exposeInMainWorld'>,
  Members<Electron.IpcRenderer, 'send' | 'on' | 'removeListener'>,
  Members<Electron.IpcRendererEvent, 'sender'>,
];

/** The double's values are Electron's, by name (plus the types it needs of its own). */
export type Exports = Members<
  typeof Electron.CrossProcessExports,
  Exclude<
    keyof typeof D,
    | 'default'
    | 'App'
    | 'IpcMain'
    | 'IpcRenderer'
    | 'Session'
    | 'WebContents'
    | 'WebFrameMain'
    | 'NativeImage'
  >
>;
