import type { SignInError } from './errors.js';

/**
 * A count as the strings show it, grouped in thousands ("100,000"). In English, as the strings
 * are, so that Node and the page write it alike whatever their locale. One formatter for all:
 * the sidebar writes a count per workbin every frame.
 */
let grouped: Intl.NumberFormat | undefined;
const n = (count: number): string => {
  grouped ??= new Intl.NumberFormat('en');
  return grouped.format(count);
};

/**
 * Every user-facing string, in one place, ready for translation. The core, the shell and the
 * renderer all read it.
 */
export const STRINGS = {
  appName: 'Workbin Tray',
  /** A count on its own (the sidebar's). */
  count: n,
  /** The page title: the unseen count first, so it shows in a tab or the taskbar. */
  title: (unseen: number) => (unseen > 0 ? `(${unseen}) Workbin Tray` : 'Workbin Tray'),
  kinds: {
    chat: 'Chat',
    email: 'Email',
    facebook: 'Facebook post',
    tweet: 'Tweet',
    facebooksession: 'Facebook message',
    workitem: 'Work item',
    openmedia: 'Open media',
  },
  status: {
    /** Before the app's first list: the page knows nothing yet, signed in or not. */
    loading: 'Loading…',
    connecting: 'Connecting…',
    online: 'Online',
    syncing: 'Online, loading workbins…',
    reconnecting: (seconds: number | null) =>
      seconds === null
        ? 'Connection lost. Reconnecting…'
        : `Connection lost. Reconnecting in ${seconds} s`,
    degraded: (names: string, seconds: number | null) =>
      seconds === null
        ? `Connected, but not up to date: ${names}`
        : `Connected, but not up to date: ${names}. Trying again in ${seconds} s`,
    problemSteps: {
      list: 'its workbins could not be listed',
      subscribe: 'the subscription request failed',
      answer: 'GWS did not confirm the subscription',
      load: 'its contents could not be loaded',
      'request-failed': 'GWS refused to send updates',
      'not-allowed': 'not allowed for this user',
    },
    offline: (age: string) => `Offline: showing what was known ${age}`,
    offlineNever: 'Offline: nothing known yet',
    signedOut: 'Signed out: the server did not accept the user name or password',
    stopped: 'Not signed in',
    stale: (age: string) => `Showing saved contents from ${age} until the server answers`,
    retryNow: 'Retry now',
    retry: 'Retry',
    retryWorkbin: (workbin: string) => `Retry ${workbin}`,
    insecure: 'Not encrypted: this server is reached over plain http',
  },
  signIn: {
    title: 'Sign in to Genesys Web Services',
    server: 'Server URL',
    user: 'User name',
    password: 'Password',
    submit: 'Sign in',
    working: 'Signing in…',
    signOut: 'Sign out',
  },
  errors: {
    'bad-url': (message: string) => message,
    network: () => 'Cannot reach the server. Check the URL and your network.',
    tls: () => "The server's certificate is not trusted. Ask your administrator for its CA.",
    timeout: () => 'The server did not answer in time.',
    credentials: () => 'User name or password not accepted.',
    forbidden: () => 'The server refused access to this account.',
    'not-found': () => 'No GWS API at this URL. Check the URL (https://host[:port]).',
    server: () => 'The server had an error. Try again later.',
    protocol: () => 'This does not look like a Genesys Web Services server.',
    emptyField: (field: string) => `${field} is required.`,
    superseded: () => 'This sign-in was replaced by a newer sign-in or a sign-out.',
    noAnswer: 'GWS did not confirm the subscription in time',
    noTeamAnswer:
      'GWS did not confirm the team workbin subscription in time (team workbins need Interaction Server 8.5.103.05 or later)',
    notSupervisor: "Only supervisors can watch other agents' workbins",
  },
  list: {
    allItems: 'All workbins',
    myWorkbins: 'My workbins',
    othersWorkbins: (userId: string) => `Workbins of ${userId}`,
    teamWorkbins: (group: string) => `Team: ${group}`,
    /** Whose workbin a row's item is in, when the list shows more than the user's own. */
    whose: (owner: string) => ` · ${owner}`,
    unavailable: (reason: string) => `Not available: ${reason}`,
    dropped: (count: number) =>
      `Only the newest items are kept: ${n(count)} older ones are not shown`,
    search: 'Search subject, sender, data…',
    empty: 'No items',
    noMatch: 'No items match the search',
    sortNewest: 'Newest first',
    sortOldest: 'Oldest first',
    sortFrom: 'Sender A–Z',
    sortSubject: 'Subject A–Z',
    sortKind: 'Kind',
    sort: 'Sort',
    count: (shown: number, total: number, workbin: string | null = null) => {
      const items = shown === total ? `${n(total)} items` : `${n(shown)} of ${n(total)} items`;
      return workbin === null ? items : `${items} in ${workbin}`;
    },
    /** While a large snapshot comes: what is shown so far is the newest. */
    countLoading: (shown: number, total: number, workbin: string | null = null) =>
      `${n(shown)} of ${n(total)} items${workbin === null ? '' : ` in ${workbin}`} so far, loading the rest…`,
    emptyWorkbin: (workbin: string) => `${workbin} is empty`,
    subscriptionFailed: (reason: string) => `Not receiving updates: ${reason}`,
    subscriptionPending: 'Subscribing…',
    /** A workbin in the narrow window's selector; a troubled one is marked as in the sidebar. */
    workbinOption: (group: string, workbin: string, count: number, troubled: boolean) =>
      `${group}: ${workbin} (${n(count)})${troubled ? ' ⚠' : ''}`,
    /** A workbin whose count is the last known one: a step of its sync failed. */
    notCurrent: (step: string) => `Not up to date: ${step}`,
    mute: (workbin: string) => `Mute notifications for ${workbin}`,
    muted: 'Muted: no notifications for this workbin',
    notifying: 'Notifies about new items',
    pauseAll: 'Pause notifications',
    menu: 'Menu',
    workbin: 'Workbin',
    markAllSeen: (count: number) => `Mark all seen (${n(count)})`,
    newMarker: 'new',
    newIn: (count: number) => `${n(count)} new`,
    newAbove: (count: number) => `↑ ${n(count)} new above`,
  },
  notifications: {
    enable: 'Enable notifications',
    blocked: 'Notifications are blocked for this page: allow them in the browser’s site settings',
  },
  web: {
    appLost:
      'Lost contact with Workbin Tray (npm run web): the list is as it last was. Trying again; if it was restarted, open the address it printed.',
    noToken:
      'This page needs the address that "npm run web" printed, including its #token=… part. Open that address, or run npm run web again to get a new one.',
  },
  diagnostics: {
    button: (count: number) => (count > 0 ? `Diagnostics (${count})` : 'Diagnostics'),
    title: 'Diagnostics',
    problems: 'Problems',
    rejected: 'Rejected server messages',
    logFile: 'Log file',
    noLogFile: 'none: start with --cache-dir to keep one',
    none: 'Nothing has gone wrong since the app started.',
    close: 'Close',
    kinds: { problem: 'Problem', rejected: 'Rejected' },
  },
  teams: {
    button: 'Teams',
    title: 'Team workbins',
    hint: 'GWS does not say which groups you are in: name them to see their shared workbins. Separate names with commas.',
    agentGroups: 'Agent groups',
    placeGroups: 'Place groups',
    watchUsers: 'Agents you supervise (user ids)',
    save: 'Save',
    cancel: 'Cancel',
  },
  details: {
    title: 'Details',
    back: '← Back to the list',
    none: 'Select an item to see its details',
    received: 'Received',
    from: 'From',
    kind: 'Kind',
    state: 'State',
    workbin: 'Workbin',
    owner: 'Whose',
    mine: 'Yours',
    id: 'Interaction id',
    userData: 'Attached data',
    noUserData: 'No attached data',
    unknownDate: 'unknown',
  },
  notify: {
    added: (summary: string, workbin: string) => ({
      title: `New item in ${workbin}`,
      body: summary,
    }),
    addedMany: (count: number, workbin: string) => ({
      title: `${count} new items in ${workbin}`,
      body: 'Open Workbin Tray to see them',
    }),
    addedAcross: (count: number) => ({ title: `${count} new items`, body: 'In several workbins' }),
    subscriptionFailed: (workbin: string) => ({
      title: `Not receiving updates for ${workbin}`,
      body: 'GWS refused to send updates for this workbin. Open Workbin Tray for details.',
    }),
    lost: (minutes: number) => ({
      title: 'Connection to GWS lost',
      body: `No connection for ${minutes} min. Showing saved contents.`,
    }),
    recovered: { title: 'Connection to GWS restored', body: 'Workbins are up to date again.' },
  },
  tray: {
    open: 'Open in a window',
    reconnect: 'Reconnect now',
    pause: 'Pause notifications',
    startAtLogin: 'Start at login',
    quit: 'Quit',
    states: {
      online: 'Online',
      reconnecting: 'Connecting…',
      offline: 'Offline',
      error: 'Needs attention',
    },
    tooltip: (state: string, unseen: number, insecure = false) =>
      `Workbin Tray: ${state}${unseen > 0 ? `, ${unseen} new` : ''}${insecure ? ' (not encrypted)' : ''}`,
  },
} as const;

/** "2 min ago", "in 5 s", "3 h ago": for status lines and the list. */
export function relativeTime(then: number, now: number): string {
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 60
      ? [abs, 's']
      : abs < 3600
        ? [Math.round(abs / 60), 'min']
        : abs < 86_400
          ? [Math.round(abs / 3600), 'h']
          : [Math.round(abs / 86_400), 'd'];
  if (abs < 5) return 'just now';
  return seconds < 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

/** A sign-in error in the user's words: the UI and the hosts' logs say the same. */
export function explain(error: SignInError): string {
  switch (error.kind) {
    case 'empty-field':
      return STRINGS.errors.emptyField(STRINGS.signIn[error.field]);
    case 'bad-url':
      return STRINGS.errors['bad-url'](error.message);
    default:
      return STRINGS.errors[error.kind]();
  }
}
