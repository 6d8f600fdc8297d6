// Entry point: shows the login screen or, with a session in this tab, the chat; wires the REST
// client, the store, the socket sync and the views together; logs out.
//
// The open room is kept in the address (#room-5), so a reload reopens it and, on a phone, the
// browser's Back button returns from the chat to the room list.

import { createApi } from './api.js';
import { byTestId } from './dom.js';
import { clearSession, loadSession, saveSession } from './session.js';
import { Store } from './store.js';
import { createSync } from './sync.js';
import { mountAuth } from './views/auth.js';
import { mountBanner } from './views/banner.js';
import { mountChat } from './views/chat.js';
import { mountMembers } from './views/members.js';
import { mountRoomList } from './views/rooms.js';

const MESSAGE_SHOWN_MS = 10000;
const ROOM_LIST_REFRESH_MS = 60000;

const authScreen = document.getElementById('auth');
const appScreen = document.getElementById('app');
const sessionBar = byTestId(document, 'session-bar');
const banner = byTestId(document, 'connection-banner');
const appError = byTestId(document, 'app-error');
const notice = byTestId(document, 'notice');
const narrow = window.matchMedia('(max-width: 700px)');

let session = loadSession();
let current = null; // {store, sync, controller} while logged in
const flashTimers = new WeakMap(); // live region → the timer that clears it

const api = createApi(() => session?.token ?? null, () => endSession('Your session has ended. Please log in again.'));
const auth = mountAuth(authScreen, {
  api,
  onLoggedIn(newSession) {
    session = newSession;
    saveSession(newSession);
    startApp();
  },
});
byTestId(document, 'logout').addEventListener('click', logout);
// The skip link moves the focus itself: following its #fragment would close the open room.
byTestId(document, 'skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  const target = document.getElementById('composer-input');
  if (target && target.offsetParent !== null) target.focus();
  else (document.querySelector('[data-testid="room-item"]') ?? document.getElementById('auth-username'))?.focus();
});

if (session) startApp();
else showAuth('');

function showAuth(message) {
  appScreen.hidden = true;
  sessionBar.hidden = true;
  authScreen.hidden = false;
  document.title = 'Chat';
  auth.show();
  flash(notice, message);
}

function startApp() {
  const controller = new AbortController();
  const { signal } = controller;
  const store = new Store(session.user);
  const sync = createSync({
    api,
    store,
    token: session.token,
    onAuthFailed: () => endSession('Your session has ended. Please log in again.'),
    onError: (text) => flash(appError, text),
    onNotice: (text) => flash(notice, text),
  });
  current = { store, sync, controller };

  authScreen.hidden = true;
  appScreen.hidden = false;
  sessionBar.hidden = false;
  byTestId(document, 'me').textContent = session.user.username;

  mountBanner(banner, store);
  const members = mountMembers(byTestId(appScreen, 'members-panel'), {
    store, api, sync, signal, onToggle: (open, focusWasInside) => chat.setMembersOpen(open, focusWasInside),
  });
  const chat = mountChat(byTestId(appScreen, 'chat'), {
    store,
    sync,
    signal,
    onBack: () => openRoom(null),
    onToggleMembers: () => members.toggle(),
    isNarrow: () => narrow.matches,
  });
  mountRoomList(byTestId(appScreen, 'room-list'), { store, api, sync, onOpen: openRoom });

  store.on('active', () => {
    document.body.classList.toggle('show-chat', store.activeRoomId !== null);
    if (store.activeRoomId === null && roomInHash() !== null) history.replaceState(null, '', location.pathname);
  });
  store.on('rooms', () => {
    const unread = store.totalUnread();
    document.title = unread > 0 ? `(${unread}) Chat` : 'Chat';
  });
  window.addEventListener('hashchange', applyHash, { signal });
  // New public rooms reach nobody by push: look for them now and then, and on coming back.
  const refresh = setInterval(() => sync.refresh(), ROOM_LIST_REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(refresh));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') sync.refresh();
  }, { signal });

  api.rooms()
    .then((list) => {
      store.setRooms(list, store.generation);
      applyHash();
    })
    .catch((error) => {
      if (error.status !== 401) flash(appError, error.message);
    });
  sync.start();
}

/** Opens a room (or, with null, goes back to the list) through the address. */
function openRoom(id) {
  const hash = id === null ? '' : `#room-${id}`;
  if (location.hash === hash) applyHash();
  else location.hash = hash;
}

function roomInHash() {
  const match = /^#room-(\d+)$/.exec(location.hash);
  return match ? Number(match[1]) : null;
}

function applyHash() {
  if (!current) return;
  const id = roomInHash();
  const room = id === null ? null : current.store.room(id);
  if (current.store.activeRoomId !== (room ? id : null)) current.store.setActive(room ? id : null);
}

async function logout() {
  let failure = '';
  try {
    await api.logout();
  } catch (error) {
    if (error.status !== 401) failure = error.message;
  }
  endSession(failure ? `Logged out here, but the server said: ${failure}` : 'You have logged out.');
}

/** Leaves the chat for the login screen: socket closed, token forgotten. */
function endSession(message) {
  if (current) {
    current.sync.stop();
    current.controller.abort();
    current = null;
  }
  session = null;
  clearSession();
  document.body.classList.remove('show-chat', 'members-open');
  byTestId(appScreen, 'members-panel').hidden = true;
  banner.textContent = '';
  banner.classList.remove('is-visible');
  if (location.hash) history.replaceState(null, '', location.pathname);
  showAuth(message);
}

/** Shows `text` in a live region for a while (an empty text clears it). */
function flash(node, text) {
  clearTimeout(flashTimers.get(node));
  node.textContent = text;
  node.classList.toggle('is-visible', Boolean(text));
  if (text) flashTimers.set(node, setTimeout(() => flash(node, ''), MESSAGE_SHOWN_MS));
}
