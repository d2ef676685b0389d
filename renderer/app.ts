import { itemKey, workbinKey } from '../main/contract/keys.js';
import type { BridgeApi, CoreEvent, PageEvent } from '../main/contract/protocol.js';
import { STRINGS } from '../main/contract/strings.js';
import { el, setAttr, setText } from './dom.js';
import { compareText, Model } from './model.js';
import { Banner } from './views/banner.js';
import { Details } from './views/details.js';
import { DiagnosticsPanel } from './views/diagnostics.js';
import { ItemList } from './views/item-list.js';
import { BrowserNotifications } from './views/notifications.js';
import { Sidebar, workbinProblem } from './views/sidebar.js';
import { SignInForm } from './views/sign-in.js';
import { TeamsForm } from './views/teams.js';
import { bridgeToken, connectWebSocketBridge } from './ws-bridge.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    workbins?: BridgeApi;
  }
}

// Browser mode without its token can never connect: it says what to do instead of waiting.
const noToken = !window.workbins && bridgeToken() === '';
const bridge: BridgeApi =
  window.workbins ??
  (noToken ? { send: () => {}, onEvent: () => () => {} } : connectWebSocketBridge());
const model = new Model();

const banner = new Banner(
  () => bridge.send({ type: 'reconnect' }),
  (workbinKey) => bridge.send({ type: 'retry', workbinKey }),
);
const sidebar = new Sidebar(
  (key) => {
    model.filterWorkbin = key;
    render();
  },
  (key) => bridge.send({ type: 'settings', settings: { mutedWorkbins: model.toggledMute(key) } }),
);
/** Opening an item is seeing it (the rule in main/bridge/unseen.ts). */
function open(key: string): void {
  model.selected = key;
  detailsOpen = true;
  if (model.unseen.has(key)) bridge.send({ type: 'seen', keys: [key] });
  render();
  list.revealSelected();
}

/** On a narrow window the details cover the list; Back or Escape returns to it. */
let detailsOpen = false;
function closeDetails(): void {
  detailsOpen = false;
  render();
  list.focus();
}

const list = new ItemList(
  (key) => open(key),
  (sort) => {
    model.sort = sort;
    render();
  },
);
const details = new Details(closeDetails);
const signIn = new SignInForm((server, user, password) => {
  model.signingIn = true;
  model.signInError = null;
  render();
  bridge.send({ type: 'sign-in', server, user, password });
});

const search = el('input', {
  class: 'search',
  attrs: { type: 'search', placeholder: STRINGS.list.search, 'aria-label': STRINGS.list.search },
});
search.addEventListener('input', () => {
  model.search = search.value;
  render();
});
search.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    search.value = '';
    model.search = '';
    render();
  } else if (event.key === 'ArrowDown') {
    event.preventDefault();
    list.focus();
  }
});
const who = el('span', { class: 'who' });
const pause = el('button', {
  text: STRINGS.list.pauseAll,
  attrs: { type: 'button', 'aria-pressed': 'false' },
});
pause.addEventListener('click', () =>
  bridge.send({
    type: 'settings',
    settings: { notificationsPaused: !model.settings.notificationsPaused },
  }),
);
const teams = new TeamsForm((chosen) => bridge.send({ type: 'settings', settings: chosen }));
const diagnostics = new DiagnosticsPanel(() => render());
const markAllSeen = el('button', { attrs: { type: 'button' } });
markAllSeen.addEventListener('click', () => bridge.send({ type: 'seen' }));
/** A notification was clicked: its item, shown whatever the filter or search hid. */
function reveal(target: { workbinKey: string; id: string }): void {
  model.filterWorkbin = null;
  model.search = '';
  search.value = '';
  open(itemKey(target.workbinKey, target.id));
}
const notifications = new BrowserNotifications((target) => {
  window.focus();
  reveal(target);
});
const signOut = el('button', { text: STRINGS.signIn.signOut, attrs: { type: 'button' } });
signOut.addEventListener('click', () => bridge.send({ type: 'sign-out' }));

// On a narrow window the header's actions fold into a menu.
const actions = el(
  'div',
  { class: 'actions', attrs: { id: 'header-actions' } },
  markAllSeen,
  ...(window.workbins ? [] : [notifications.root]),
  teams.toggle,
  diagnostics.toggle,
  pause,
  signOut,
);
const menu = el('button', {
  class: 'menu-toggle',
  text: '☰',
  attrs: {
    type: 'button',
    'aria-label': STRINGS.list.menu,
    'aria-expanded': 'false',
    'aria-controls': 'header-actions',
  },
});
const header = el(
  'header',
  { class: 'top' },
  el('strong', { class: 'app-name', text: STRINGS.appName }),
  search,
  who,
  menu,
  actions,
);
menu.addEventListener('click', () => {
  const open = !header.classList.contains('menu-open');
  header.classList.toggle('menu-open', open);
  menu.setAttribute('aria-expanded', String(open));
});
actions.addEventListener('click', (event) => {
  if (
    event.target instanceof HTMLButtonElement &&
    event.target !== teams.toggle &&
    event.target !== diagnostics.toggle
  ) {
    header.classList.remove('menu-open');
    menu.setAttribute('aria-expanded', 'false');
  }
});

// On a narrow window the workbins are a compact selector above the list.
const workbinSelect = el('select', {
  class: 'workbin-select',
  attrs: { 'aria-label': STRINGS.list.workbin },
});
workbinSelect.addEventListener('change', () => {
  model.filterWorkbin = workbinSelect.value || null;
  render();
});
function renderWorkbinSelect(): void {
  const entries: Array<[string, string]> = [
    ['', `${STRINGS.list.allItems} (${STRINGS.count(model.itemCount)})`],
  ];
  for (const group of model.groups())
    for (const w of group.workbins)
      entries.push([
        w.key,
        STRINGS.list.workbinOption(
          group.title,
          w.displayName,
          w.count,
          workbinProblem(model, w) !== null,
        ),
      ]);
  // An item's arrival changes a count, not the workbins: the options' text is written in place.
  const options = workbinSelect.options;
  if (
    options.length === entries.length &&
    entries.every(([value], i) => options[i]?.value === value)
  )
    for (const [i, [, text]] of entries.entries()) setText(options[i] as HTMLOptionElement, text);
  else
    workbinSelect.replaceChildren(
      ...entries.map(([value, text]) => el('option', { text, attrs: { value } })),
    );
  workbinSelect.value = model.filterWorkbin ?? '';
}

const layout = el('main', { class: 'layout' }, sidebar.root, list.root, details.root);
const app = document.getElementById('app') as HTMLElement;
app.append(header, banner.root, teams.root, diagnostics.root, workbinSelect, layout, signIn.root);
if (noToken) app.replaceChildren(el('p', { class: 'no-token', text: STRINGS.web.noToken }));

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && detailsOpen && document.activeElement !== search) {
    closeDetails();
    return;
  }
  if (
    event.key === '/' &&
    document.activeElement !== search &&
    !(document.activeElement instanceof HTMLInputElement)
  ) {
    event.preventDefault();
    search.focus();
  }
});

/**
 * The sign-in form is modal: while it shows, the rest of the page is inert (no focus, no
 * clicks, hidden from screen readers). Focus moves into it when it opens and to the list
 * when it closes, so it is never left on something inert.
 */
let modalShown: boolean | null = null;
function showModal(shown: boolean): void {
  if (shown === modalShown) return;
  const first = modalShown === null;
  modalShown = shown;
  for (const part of [header, banner.root, teams.root, diagnostics.root, workbinSelect, layout])
    part.inert = shown;
  if (shown) signIn.focusFirstEmpty();
  else if (!first) list.focus();
}

function render(): void {
  const now = Date.now();
  // The list first: it reads the scroll position, which costs a layout of the page there and
  // then once anything else on it was written in this frame.
  list.render(model, now);
  banner.render(model, now);
  sidebar.render(model);
  const item = model.selectedItem();
  details.render(
    item,
    item ? model.workbins.get(workbinKey(item.ownerUserId, item.workbinId)) : undefined,
    item ? model.ownerLabel(item.ownerUserId) : null,
    now,
  );
  signIn.render(model);
  showModal(!signIn.root.hidden);
  teams.render(model);
  diagnostics.render(model, now);
  renderWorkbinSelect();
  layout.classList.toggle('details-open', detailsOpen && model.selectedItem() !== undefined);
  const whoText = model.session
    ? `${model.session.displayName} · ${new URL(model.session.server).host}`
    : '';
  setText(who, whoText);
  // Cut short when the header is crowded: the whole of it on hover.
  setAttr(who, 'title', whoText);
  signOut.hidden = model.session === null;
  pause.hidden = model.session === null;
  setAttr(pause, 'aria-pressed', String(model.settings.notificationsPaused));
  markAllSeen.hidden = model.unseen.size === 0;
  setText(markAllSeen, STRINGS.list.markAllSeen(model.unseen.size));
  notifications.render(model.session !== null);
  const title = STRINGS.title(model.unseen.size);
  if (document.title !== title) document.title = title;
}

/** The search text of a snapshot's items, prepared while the page is idle. */
let preparing = false;
function prepareSearch(): void {
  if (preparing) return;
  preparing = true;
  requestIdleCallback(function slice(deadline) {
    if (model.prepareSearch(() => deadline.timeRemaining() > 1)) requestIdleCallback(slice);
    else preparing = false;
  });
}

/** In the queue of what the page heard, among the core's events: the link to it was lost. */
const LINK_LOST = Symbol('link lost');

/**
 * Bursts of events are applied together, once per frame. A hidden page (a tab behind
 * another, the app's window closed to the tray) gets no frames: there each event is applied
 * as it comes and the page is drawn when it shows again, so nothing piles up meanwhile.
 */
let pending: (PageEvent | typeof LINK_LOST)[] = [];
let frame = 0;
/** The app's native notification was clicked: the item to show at the next frame. */
let toReveal: Extract<CoreEvent, { type: 'reveal' }> | undefined;
bridge.onEvent(enqueue);
bridge.onLinkLost?.(() => enqueue(LINK_LOST));
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && !frame) frame = requestAnimationFrame(drawFrame);
});

function enqueue(event: PageEvent | typeof LINK_LOST): void {
  // In the app the main process shows notifications natively; here the page does, at once:
  // an agent must hear of new work while the tab is in the background.
  if (event !== LINK_LOST && event.type === 'notify' && !window.workbins)
    notifications.show(event.notice);
  pending.push(event);
  if (document.hidden) {
    if (applyPending() !== 'delta') prepareSearch();
  } else if (!frame) {
    frame = requestAnimationFrame(drawFrame);
  }
}

/**
 * Applies what came since the last time; says what it brought, the most of it first: a whole
 * snapshot, a preview of one, or changes only.
 */
function applyPending(): 'snapshot' | 'preview' | 'delta' {
  const events = pending;
  pending = [];
  let brought: 'snapshot' | 'preview' | 'delta' = 'delta';
  for (const e of events) {
    if (e === LINK_LOST) {
      model.loseLink();
      continue;
    }
    model.apply(e);
    // The same as a click on the page's own notification.
    if (e.type === 'reveal') toReveal = e;
    if (e.type === 'snapshot') brought = 'snapshot';
    else if (e.type === 'snapshot-preview' && brought === 'delta') brought = 'preview';
  }
  return brought;
}

function drawFrame(): void {
  frame = 0;
  const start = performance.now();
  const brought = applyPending();
  render();
  if (brought !== 'delta') prepareSearch();
  const revealed = toReveal;
  toReveal = undefined;
  if (revealed) reveal(revealed);
  // User Timing entries: visible in DevTools, and read by the benchmarks.
  performance.measure(`wb:${brought}-render`, {
    start,
    detail: { items: model.items.size },
  });
}

// Over WebSocket the bridge says hello on every (re)connect; over IPC we ask once.
if (window.workbins) bridge.send({ type: 'hello' });

// Relative times and the retry countdown move on by themselves.
setInterval(() => banner.render(model, Date.now()), 1_000);
setInterval(render, 30_000);
render();

// A page's first Intl object loads the locale data, 22-65 ms in a fresh Chromium renderer on a
// 2-core machine: made once the first render is done and the socket asked for, not while the
// page's script first runs, so that the wait overlaps the host's answer.
setTimeout(() => {
  STRINGS.count(0);
  compareText('', '');
}, 0);
