// The open room: its messages (older pages loaded on scrolling to the top), who is online, who
// is typing, the message box, and editing / deleting messages.
//
// The message list is reconciled, not rebuilt: each message keeps its node (keyed by seq, or by
// client_msg_id while it is still being sent) so a message being edited keeps its form while
// others arrive, and the scroll position holds when older messages are put above.

import { el, replaceChildren, showError, shortTime, longTime } from '../dom.js';
import { roomTitle } from './rooms.js';

const NEAR_BOTTOM_PX = 48;
const NEAR_TOP_PX = 64;

/**
 * @param {HTMLElement} root the <main> of the chat
 * @param {object} options
 * @param {import('../store.js').Store} options.store
 * @param {object} options.sync
 * @param {() => void} options.onBack back to the room list (phone layout)
 * @param {() => void} options.onToggleMembers shows or hides the members panel
 * @param {() => boolean} options.isNarrow whether the phone layout is on
 * @param {AbortSignal} options.signal removes the document listeners on logout
 */
export function mountChat(root, { store, sync, onBack, onToggleMembers, isNarrow, signal }) {
  const nodes = new Map(); // key → <li>
  const drafts = new Map(); // room → unsent text
  let roomId = null;
  let loadingOlder = false;
  let stickToBottom = true;
  let shownRole = null; // the caller's role when the messages were drawn

  const back = el('button', { type: 'button', class: 'button-quiet back-button', testid: 'back-to-rooms', on: { click: onBack } }, '← Rooms');
  const title = el('h2', { class: 'chat-title', testid: 'chat-title', id: 'chat-title' });
  const online = el('p', { class: 'online', testid: 'online' });
  const membersButton = el('button', {
    type: 'button', class: 'button-quiet', testid: 'members-toggle', 'aria-controls': 'members-panel', 'aria-expanded': 'false',
    on: { click: onToggleMembers },
  }, 'Members');
  const older = el('button', { type: 'button', class: 'button-quiet older-button', testid: 'load-older', hidden: true, on: { click: () => loadOlder() } }, 'Load older messages');
  const olderError = el('p', { class: 'form-error', role: 'alert', testid: 'older-error' });
  const list = el('ol', { class: 'messages', role: 'log', 'aria-labelledby': 'chat-title', tabindex: '0', testid: 'messages' });
  const empty = el('p', { class: 'messages-empty', testid: 'messages-empty', hidden: true, text: 'No messages yet. Say hello!' });
  const typingLine = el('p', { class: 'typing', 'aria-live': 'polite', testid: 'typing' });
  const input = el('textarea', { id: 'composer-input', rows: '1', maxlength: '4000', autocomplete: 'off', testid: 'composer-input' });
  const inputLabel = el('label', { for: 'composer-input', class: 'sr-only' });
  const composerError = el('p', { class: 'form-error', role: 'alert', testid: 'composer-error' });
  const composer = el('form', { class: 'composer', testid: 'composer', on: { submit: send } },
    inputLabel, input, el('button', { type: 'submit', testid: 'send-button' }, 'Send'));

  const placeholder = el('div', { class: 'chat-empty', testid: 'chat-empty' },
    el('p', { text: 'Choose a room, or create one, to start chatting.' }));
  const view = el('div', { class: 'chat-view', hidden: true },
    el('header', { class: 'chat-header' }, back, el('div', { class: 'chat-heading' }, title, online), membersButton),
    el('div', { class: 'message-area' }, older, olderError, list, empty),
    typingLine, composerError, composer);
  replaceChildren(root, placeholder, view);

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  input.addEventListener('input', () => {
    drafts.set(roomId, input.value);
    fitInput();
    if (roomId !== null) sync.typingInput(roomId, input.value.trim() === '');
  });
  input.addEventListener('blur', () => sync.typingStop());
  list.addEventListener('scroll', () => {
    stickToBottom = nearBottom();
    if (list.scrollTop < NEAR_TOP_PX) loadOlder();
  });
  document.addEventListener('visibilitychange', markRead, { signal });
  window.addEventListener('focus', markRead, { signal });

  store.on('active', open);
  store.on('messages', (id) => { if (id === roomId) { renderMessages(); markRead(); } });
  store.on('typing', (id) => { if (id === roomId) renderTyping(); });
  store.on('online', (id) => { if (id === roomId) renderOnline(); });
  store.on('members', (id) => {
    // Who may delete others' messages depends on the role.
    if (id === roomId && store.myRole(id) !== shownRole) rebuildMessages();
  });
  store.on('rooms', () => { if (roomId !== null && store.room(roomId)) renderTitle(); });

  function open() {
    sync.typingStop();
    roomId = store.activeRoomId;
    const room = store.room(roomId);
    placeholder.hidden = Boolean(room);
    view.hidden = !room;
    showError(composerError, '');
    showError(olderError, '');
    if (!room) return;
    renderTitle();
    input.value = drafts.get(roomId) ?? '';
    fitInput();
    stickToBottom = true;
    rebuildMessages();
    renderTyping();
    renderOnline();
    sync.refreshOnline(roomId);
    markRead();
    if (!isNarrow()) input.focus();
  }

  function renderTitle() {
    const room = store.room(roomId);
    const name = roomTitle(room, store.me);
    title.textContent = room.kind === 'private' ? `Chat with ${name}` : name;
    inputLabel.textContent = `Message ${name}`;
    input.placeholder = `Message ${name}`;
    membersButton.textContent = room.kind === 'group' ? 'Members' : 'Details';
  }

  /** Marks the newest message read while the room is open and the page visible. */
  function markRead() {
    if (roomId !== null && document.visibilityState === 'visible') sync.markRead(roomId);
  }

  // ---- messages ----

  function rebuildMessages() {
    list.setAttribute('aria-busy', 'true');
    shownRole = store.myRole(roomId);
    nodes.clear();
    list.replaceChildren();
    renderMessages();
    list.setAttribute('aria-busy', 'false');
  }

  function renderMessages() {
    const room = store.room(roomId);
    if (!room) return;
    const items = [
      ...store.messagesOf(roomId).map((message) => ({ key: `s${message.seq}`, message })),
      ...room.pending.map((entry) => ({ key: `p${entry.clientMsgId}`, entry })),
    ];
    const firstKey = list.firstElementChild?.dataset.key;
    const previousHeight = list.scrollHeight;
    const previousTop = list.scrollTop;

    const wanted = new Set(items.map((item) => item.key));
    for (const [key, node] of nodes) {
      if (!wanted.has(key)) {
        node.remove();
        nodes.delete(key);
      }
    }
    let cursor = list.firstElementChild;
    for (const item of items) {
      let node = nodes.get(item.key);
      const stale = node && item.message && node.message !== item.message;
      if (stale && node.dataset.mode && !item.message.deleted) {
        node.message = item.message; // keep the open edit form; it edits by id
      } else if (!node || stale) {
        const fresh = item.message ? messageNode(item.message) : pendingNode(item.entry);
        fresh.dataset.key = item.key;
        if (node) node.replaceWith(fresh);
        if (cursor === node) cursor = fresh;
        node = fresh;
        nodes.set(item.key, node);
      }
      if (node === cursor) cursor = cursor.nextElementSibling;
      else list.insertBefore(node, cursor);
    }

    empty.hidden = items.length > 0;
    older.hidden = !store.hasOlder(roomId);
    const grewAbove = firstKey !== undefined && list.firstElementChild?.dataset.key !== firstKey && !stickToBottom;
    if (grewAbove) list.scrollTop = previousTop + (list.scrollHeight - previousHeight);
    else if (stickToBottom) list.scrollTop = list.scrollHeight;
  }

  function nearBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
  }

  async function loadOlder() {
    const id = roomId;
    if (loadingOlder || id === null || !store.hasOlder(id)) return;
    loadingOlder = true;
    older.disabled = true;
    older.textContent = 'Loading older messages…';
    stickToBottom = false;
    try {
      await sync.loadOlder(id);
      showError(olderError, '');
    } catch (failure) {
      showError(olderError, failure.message);
    } finally {
      loadingOlder = false;
      older.disabled = false;
      older.textContent = 'Load older messages';
    }
    // Not enough to scroll yet: keep filling.
    if (id === roomId && list.scrollHeight <= list.clientHeight && store.hasOlder(id)) loadOlder();
  }

  function messageNode(message) {
    const mine = store.isMine(message);
    const room = store.room(roomId);
    const moderator = room?.kind === 'group' && ['owner', 'admin'].includes(store.myRole(roomId));
    const node = el('li', {
      class: `message${mine ? ' is-mine' : ''}${message.deleted ? ' is-deleted' : ''}`,
      testid: 'message',
      dataset: { seq: String(message.seq), messageId: String(message.id) },
    },
    el('div', { class: 'message-head' },
      el('span', { class: 'message-author', testid: 'message-author', text: message.user.username }),
      el('time', { class: 'message-time', datetime: message.sent_at, title: longTime(message.sent_at), text: shortTime(message.sent_at) }),
      message.edited_at && !message.deleted
        ? el('span', { class: 'message-edited', testid: 'message-edited', title: `Edited ${longTime(message.edited_at)}`, text: '(edited)' })
        : null),
    message.deleted
      ? el('p', { class: 'message-text', testid: 'message-text', text: 'This message was deleted.' })
      : el('p', { class: 'message-text', testid: 'message-text', text: message.text }),
    el('div', { class: 'message-actions' },
      mine && !message.deleted ? el('button', { type: 'button', class: 'button-small button-quiet', testid: 'edit-message', on: { click: () => startEdit(node) } }, 'Edit') : null,
      (mine || moderator) && !message.deleted ? el('button', { type: 'button', class: 'button-small button-quiet', testid: 'delete-message', on: { click: () => confirmDelete(node) } }, 'Delete') : null),
    el('p', { class: 'form-error', role: 'alert', testid: 'message-error' }));
    node.message = message;
    return node;
  }

  function pendingNode(entry) {
    return el('li', { class: 'message is-mine is-pending', testid: 'pending-message' },
      el('div', { class: 'message-head' },
        el('span', { class: 'message-author', text: store.me.username }),
        el('span', { class: 'message-time', text: 'Sending…' })),
      el('p', { class: 'message-text', text: entry.text }));
  }

  /** Puts a message's node back as the store has it (after an edit or a cancelled one). */
  function restore(node, focusTestId) {
    const key = node.dataset.key;
    const message = store.room(roomId)?.messages.get(node.message.seq) ?? node.message;
    const fresh = messageNode(message);
    fresh.dataset.key = key;
    node.replaceWith(fresh);
    nodes.set(key, fresh);
    if (focusTestId) fresh.querySelector(`[data-testid="${focusTestId}"]`)?.focus();
  }

  function startEdit(node) {
    const message = node.message;
    const textarea = el('textarea', { class: 'edit-input', 'aria-label': 'Edit message', maxlength: '4000', testid: 'edit-input' });
    textarea.value = message.text;
    const error = node.querySelector('[data-testid="message-error"]');
    const form = el('form', { class: 'edit-form', testid: 'edit-form' }, textarea,
      el('div', { class: 'row' },
        el('button', { type: 'submit', class: 'button-small', testid: 'edit-save' }, 'Save'),
        el('button', { type: 'button', class: 'button-small button-quiet', testid: 'edit-cancel', on: { click: () => restore(node, 'edit-message') } }, 'Cancel')),
      el('p', { class: 'hint', text: 'Enter saves, Escape cancels.' }));
    textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        restore(node, 'edit-message');
      } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      showError(error, '');
      if (textarea.value === node.message.text) {
        restore(node, 'edit-message');
        return;
      }
      try {
        await sync.edit(node.message.id, textarea.value);
        restore(node, 'edit-message');
      } catch (failure) {
        showError(error, failure.message);
      }
    });
    node.dataset.mode = 'edit';
    node.querySelector('.message-text').replaceWith(form);
    node.querySelector('.message-actions').replaceChildren();
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  function confirmDelete(node) {
    const error = node.querySelector('[data-testid="message-error"]');
    const cancel = () => restore(node, 'delete-message');
    const onKey = (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        cancel();
      }
    };
    const yes = el('button', { type: 'button', class: 'button-small button-danger', testid: 'confirm-delete', on: { keydown: onKey } }, 'Delete');
    const no = el('button', { type: 'button', class: 'button-small button-quiet', testid: 'cancel-delete', on: { click: cancel, keydown: onKey } }, 'Cancel');
    yes.addEventListener('click', async () => {
      showError(error, '');
      yes.disabled = true;
      try {
        await sync.remove(node.message.id);
      } catch (failure) {
        yes.disabled = false;
        showError(error, failure.message);
      }
    });
    node.dataset.mode = 'delete';
    replaceChildren(node.querySelector('.message-actions'), el('span', { class: 'confirm-text', text: 'Delete this message?' }), yes, no);
    no.focus();
  }

  // ---- composing ----

  async function send(event) {
    event.preventDefault();
    const id = roomId;
    const text = input.value;
    if (id === null || text.trim() === '') return;
    showError(composerError, '');
    input.value = '';
    drafts.delete(id);
    fitInput();
    stickToBottom = true;
    try {
      await sync.send(id, text);
    } catch (failure) {
      showError(composerError, failure.message);
      if (id === roomId && input.value === '') {
        input.value = text;
        drafts.set(id, text);
        fitInput();
      }
    }
  }

  /** Grows the message box with its text, up to a limit set in app.css. */
  function fitInput() {
    input.style.height = 'auto';
    const borders = input.offsetHeight - input.clientHeight;
    input.style.height = `${input.scrollHeight + borders}px`;
  }

  // ---- who is here ----

  function renderTyping() {
    const names = store.typingUsers(roomId);
    let text = '';
    if (names.length === 1) text = `${names[0]} is typing…`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
    else if (names.length > 2) text = `${names[0]}, ${names[1]} and ${names.length - 2} more are typing…`;
    typingLine.textContent = text;
  }

  function renderOnline() {
    const room = store.room(roomId);
    if (!room) return;
    const others = [...room.online.values()].filter((name) => name.toLowerCase() !== store.me.username.toLowerCase()).sort();
    if (others.length === 0) online.textContent = 'Nobody else is online';
    else if (others.length <= 5) online.textContent = `Online: ${others.join(', ')}`;
    else online.textContent = `Online: ${others.slice(0, 5).join(', ')} and ${others.length - 5} more`;
  }

  return {
    /** Keeps the members button's aria-expanded in step with the panel; takes the focus back from it. */
    setMembersOpen(open, focusWasInside) {
      membersButton.setAttribute('aria-expanded', String(open));
      if (!open && focusWasInside && !view.hidden) membersButton.focus();
    },
  };
}
