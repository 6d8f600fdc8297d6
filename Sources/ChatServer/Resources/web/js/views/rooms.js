// The room list: public rooms, groups and direct messages, each with its unread badge, and the
// forms to create a room (public, or a group with chosen members) and to open a direct message
// with any user.

import { el, replaceChildren, showError } from '../dom.js';

const SECTIONS = [
  { kind: 'public', title: 'Public rooms', empty: 'No public rooms yet.' },
  { kind: 'group', title: 'Groups', empty: 'No groups yet.' },
  { kind: 'private', title: 'Direct messages', empty: 'No conversations yet.' },
];

/** What a room is called in the list: a direct message by the other person's name. */
export function roomTitle(room, me) {
  if (room.kind !== 'private') return room.name;
  const other = room.members.find((name) => name.toLowerCase() !== me.username.toLowerCase());
  return other ?? room.name;
}

/**
 * @param {HTMLElement} root the sidebar <nav>
 * @param {object} options
 * @param {import('../store.js').Store} options.store
 * @param {ReturnType<import('../api.js').createApi>} options.api
 * @param {object} options.sync
 * @param {(id: number) => void} options.onOpen opens a room
 */
export function mountRoomList(root, { store, api, sync, onOpen }) {
  const lists = new Map(SECTIONS.map((section) => [section.kind, el('ul', { class: 'room-list', testid: `rooms-${section.kind}` })]));
  const sections = SECTIONS.map((section) => el('section', { class: 'room-section', 'aria-labelledby': `rooms-${section.kind}-title` },
    el('h2', { id: `rooms-${section.kind}-title`, text: section.title }),
    lists.get(section.kind)));

  const newRoom = newRoomForm();
  const newChat = directMessageForm();
  replaceChildren(root, el('div', { class: 'sidebar-scroll' }, ...sections), el('div', { class: 'sidebar-forms' }, newRoom.node, newChat.node));

  store.on('rooms', render);
  render();

  function render() {
    const focusedId = document.activeElement?.closest?.('[data-testid="room-item"]')?.dataset.roomId;
    for (const section of SECTIONS) {
      const rooms = [...store.rooms.values()]
        .filter((room) => room.kind === section.kind)
        .map((room) => ({ room, title: roomTitle(room, store.me) }))
        .sort((a, b) => a.title.localeCompare(b.title));
      const list = lists.get(section.kind);
      if (rooms.length === 0) replaceChildren(list, el('li', { class: 'room-empty', text: section.empty }));
      else replaceChildren(list, ...rooms.map(({ room, title }) => roomItem(room, title)));
    }
    if (focusedId) root.querySelector(`[data-testid="room-item"][data-room-id="${focusedId}"]`)?.focus();
  }

  function roomItem(room, title) {
    const active = store.activeRoomId === room.id;
    // The open room is read as messages arrive: no badge flashing on it meanwhile.
    const unread = active && document.visibilityState === 'visible' ? 0 : room.unread;
    const badge = unread > 0
      ? el('span', { class: 'badge', 'aria-hidden': 'true', testid: 'unread-badge', text: String(unread) })
      : null;
    const button = el('button', {
      type: 'button',
      class: active ? 'room-button is-active' : 'room-button',
      testid: 'room-item',
      dataset: { roomId: String(room.id), roomName: room.name },
      'aria-current': active ? 'page' : null,
      on: { click: () => onOpen(room.id) },
    },
    el('span', { class: 'room-name', text: title }),
    badge,
    unread > 0 ? el('span', { class: 'sr-only', text: `, ${unread} unread` }) : null);
    return el('li', {}, button);
  }

  /** Loads every user into `fill(users)` (for the member checkboxes and the DM picker). */
  async function loadUsers(fill, error) {
    try {
      const users = await api.users();
      fill(users.filter((user) => user.id !== store.me.id).sort((a, b) => a.username.localeCompare(b.username)));
    } catch (failure) {
      showError(error, failure.message);
    }
  }

  function newRoomForm() {
    const name = el('input', { id: 'new-room-name', name: 'name', required: true, maxlength: '100', autocomplete: 'off', testid: 'new-room-name' });
    const publicKind = el('input', { type: 'radio', name: 'kind', value: 'public', id: 'new-room-public', checked: true, testid: 'new-room-kind-public' });
    const groupKind = el('input', { type: 'radio', name: 'kind', value: 'group', id: 'new-room-group', testid: 'new-room-kind-group' });
    const choices = el('div', { class: 'member-choices', testid: 'member-choices' });
    const members = el('fieldset', { class: 'member-fieldset', hidden: true },
      el('legend', { text: 'Members' }), choices);
    const error = el('p', { class: 'form-error', role: 'alert', testid: 'new-room-error' });
    const submit = el('button', { type: 'submit', testid: 'new-room-create', text: 'Create' });
    const form = el('form', { class: 'stack-form', on: { submit: create } },
      el('label', { for: 'new-room-name', text: 'Name' }), name,
      el('fieldset', { class: 'kind-fieldset' }, el('legend', { text: 'Kind' }),
        el('label', { class: 'inline-choice' }, publicKind, ' Public'),
        el('label', { class: 'inline-choice' }, groupKind, ' Group (members only)')),
      members, error, submit);
    const details = el('details', { class: 'sidebar-details', testid: 'new-room' }, el('summary', { text: 'New room' }), form);

    const showMembers = () => {
      members.hidden = !groupKind.checked;
      if (groupKind.checked) {
        replaceChildren(choices, el('p', { class: 'hint', text: 'Loading users…' }));
        loadUsers((users) => replaceChildren(choices, users.length === 0
          ? el('p', { class: 'hint', text: 'No other users yet.' })
          : users.map((user) => el('label', { class: 'member-choice' },
            el('input', { type: 'checkbox', name: 'member', value: user.username, testid: `member-choice-${user.username}` }),
            ` ${user.username}`))), error);
      }
    };
    publicKind.addEventListener('change', showMembers);
    groupKind.addEventListener('change', showMembers);

    async function create(event) {
      event.preventDefault();
      showError(error, '');
      submit.disabled = true;
      try {
        const room = groupKind.checked
          ? await api.createGroup(name.value, [...choices.querySelectorAll('input:checked')].map((box) => box.value))
          : await api.createRoom(name.value, 'public');
        sync.adopt(room);
        form.reset();
        members.hidden = true;
        details.open = false;
        onOpen(room.id);
      } catch (failure) {
        showError(error, failure.message);
        name.focus();
      } finally {
        submit.disabled = false;
      }
    }
    return { node: details };
  }

  function directMessageForm() {
    const select = el('select', { id: 'dm-user', name: 'username', required: true, testid: 'dm-user' });
    const error = el('p', { class: 'form-error', role: 'alert', testid: 'dm-error' });
    const submit = el('button', { type: 'submit', testid: 'dm-open', text: 'Open' });
    const form = el('form', { class: 'stack-form', on: { submit: open } },
      el('label', { for: 'dm-user', text: 'Person' }), el('div', { class: 'row' }, select, submit), error);
    const details = el('details', { class: 'sidebar-details', testid: 'new-dm' }, el('summary', { text: 'Message someone' }), form);
    details.addEventListener('toggle', () => {
      if (!details.open) return;
      replaceChildren(select, el('option', { value: '', text: 'Loading…' }));
      loadUsers((users) => replaceChildren(select,
        el('option', { value: '', text: users.length ? 'Choose a person' : 'No other users yet' }),
        users.map((user) => el('option', { value: user.username, text: user.username }))), error);
    });

    async function open(event) {
      event.preventDefault();
      showError(error, '');
      if (!select.value) {
        showError(error, 'Choose a person first.');
        return;
      }
      submit.disabled = true;
      try {
        const room = await api.openPrivate(select.value);
        sync.adopt(room);
        details.open = false;
        onOpen(room.id);
      } catch (failure) {
        showError(error, failure.message);
      } finally {
        submit.disabled = false;
      }
    }
    return { node: details };
  }
}
