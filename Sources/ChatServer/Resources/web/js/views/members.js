// The room details panel: for a group, its members with their roles and who is online, and the
// controls the caller's role allows (owner: roles and removing anyone; admin: removing plain
// members; owner and admin: adding); anyone may leave. For other rooms, who is online.
//
// Roles come with every group's room body (`roles`) and change with `membership` pushes. The
// server decides in the end: a refused change shows its error here.

import { el, replaceChildren, showError } from '../dom.js';

/**
 * @param {HTMLElement} root the <aside> panel
 * @param {object} options
 * @param {import('../store.js').Store} options.store
 * @param {ReturnType<import('../api.js').createApi>} options.api
 * @param {object} options.sync
 * @param {(open: boolean, focusWasInside: boolean) => void} options.onToggle told when the panel
 *   opens or closes (and whether the focus was in it, to be given back)
 * @param {AbortSignal} options.signal removes the panel's listeners on logout
 */
export function mountMembers(root, { store, api, sync, onToggle, signal }) {
  let isOpen = false;
  let users = [];
  const error = el('p', { class: 'form-error', role: 'alert', testid: 'members-error' });
  const body = el('div', { class: 'members-body' });
  const heading = el('h2', { tabindex: '-1', id: 'members-heading' });
  const close = el('button', { type: 'button', class: 'button-quiet', testid: 'members-close', on: { click: () => setOpen(false) } }, 'Close');
  root.id = 'members-panel';
  root.setAttribute('aria-labelledby', 'members-heading');
  replaceChildren(root, el('header', { class: 'members-header' }, heading, close), error, body);
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') setOpen(false);
  }, { signal });

  store.on('active', () => {
    if (store.activeRoomId === null) setOpen(false);
    else {
      showError(error, '');
      render();
    }
  });
  store.on('members', (id) => { if (id === store.activeRoomId) render(); });
  store.on('online', (id) => { if (id === store.activeRoomId) render(); });

  function setOpen(open) {
    if (open === isOpen) return;
    const focusWasInside = root.contains(document.activeElement);
    isOpen = open;
    root.hidden = !open;
    document.body.classList.toggle('members-open', open);
    onToggle(open, focusWasInside);
    if (open) {
      showError(error, '');
      render();
      loadUsers();
      heading.focus();
    }
  }

  async function loadUsers() {
    try {
      users = await api.users();
      render();
    } catch (failure) {
      showError(error, failure.message);
    }
  }

  function render() {
    const room = store.room(store.activeRoomId);
    if (!isOpen || !room) return;
    // Re-rendering replaces the controls: keep the focus on the same control of the same member.
    const focused = document.activeElement;
    const focusedMember = body.contains(focused) ? focused.closest('[data-testid="member"]')?.dataset.username : undefined;
    const focusedControl = focused?.dataset?.testid;
    drawRoom(room);
    if (focusedMember && focusedControl) {
      [...body.querySelectorAll('[data-testid="member"]')]
        .find((node) => node.dataset.username === focusedMember)
        ?.querySelector(`[data-testid="${focusedControl}"]`)?.focus();
    }
  }

  function drawRoom(room) {
    heading.textContent = room.kind === 'group' ? 'Members' : 'About this room';
    if (room.kind === 'group') replaceChildren(body, ...groupPanel(room));
    else if (room.kind === 'private') {
      replaceChildren(body,
        el('p', { class: 'hint', text: `A private conversation between ${room.members.join(' and ')}.` }),
        el('ul', { class: 'member-list' }, room.members.map((name) => memberItem(room, name, null))));
    } else {
      const online = [...room.online.values()].sort();
      replaceChildren(body,
        el('p', { class: 'hint', text: 'A public room: everyone can read and write here.' }),
        el('h3', { text: `Online now (${online.length})` }),
        el('ul', { class: 'member-list' }, online.map((name) => memberItem(room, name, null))));
    }
  }

  function groupPanel(room) {
    const myRole = store.myRole(room.id);
    const canManage = myRole === 'owner' || myRole === 'admin';
    const items = room.members.map((name) => memberItem(room, name, myRole));
    return [
      el('ul', { class: 'member-list', testid: 'member-list' }, items),
      canManage ? addForm(room) : null,
      el('button', { type: 'button', class: 'button-danger', testid: 'leave-group', on: { click: () => leave(room) } }, 'Leave group'),
    ];
  }

  function memberItem(room, name, myRole) {
    const me = name.toLowerCase() === store.me.username.toLowerCase();
    const role = room.kind === 'group' ? room.roles.get(name.toLowerCase()) ?? 'member' : null;
    const online = store.isOnline(room.id, name);
    const controls = [];
    if (room.kind === 'group' && !me && myRole === 'owner' && role !== 'owner') {
      const select = el('select', { 'aria-label': `Role of ${name}`, testid: 'role-select' },
        el('option', { value: 'member', text: 'member' }), el('option', { value: 'admin', text: 'admin' }));
      select.value = role;
      select.addEventListener('change', () => changeRole(room, name, select, role));
      controls.push(select);
    }
    if (room.kind === 'group' && !me && (myRole === 'owner' || (myRole === 'admin' && role === 'member'))) {
      controls.push(el('button', {
        type: 'button', class: 'button-small', testid: 'remove-member', 'aria-label': `Remove ${name}`,
        on: { click: () => remove(room, name) },
      }, 'Remove'));
    }
    return el('li', { class: 'member', testid: 'member', dataset: { username: name } },
      el('span', { class: online ? 'presence-dot is-online' : 'presence-dot', 'aria-hidden': 'true' }),
      el('span', { class: 'member-name', testid: 'member-name', text: me ? `${name} (you)` : name }),
      el('span', { class: 'sr-only', text: online ? ', online' : ', offline' }),
      role ? el('span', { class: `role role-${role}`, testid: 'member-role', text: role }) : null,
      controls.length ? el('span', { class: 'member-controls' }, controls) : null);
  }

  function addForm(room) {
    const input = el('input', { id: 'add-member-input', list: 'add-member-users', autocomplete: 'off', required: true, testid: 'add-member-input' });
    const members = new Set(room.members.map((name) => name.toLowerCase()));
    const options = el('datalist', { id: 'add-member-users' },
      users.filter((user) => !members.has(user.username.toLowerCase())).map((user) => el('option', { value: user.username })));
    const form = el('form', { class: 'stack-form add-member', testid: 'add-member-form' },
      el('label', { for: 'add-member-input', text: 'Add a member' }),
      el('div', { class: 'row' }, input, el('button', { type: 'submit', testid: 'add-member-button' }, 'Add')),
      options);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      showError(error, '');
      const name = input.value.trim();
      if (!name) return;
      try {
        store.addRoom(await api.addMember(room.id, name));
        body.querySelector('[data-testid="add-member-input"]')?.focus();
      } catch (failure) {
        showError(error, failure.message);
      }
    });
    return form;
  }

  async function changeRole(room, name, select, previous) {
    showError(error, '');
    try {
      store.addRoom(await api.changeRole(room.id, name, select.value));
    } catch (failure) {
      select.value = previous;
      showError(error, failure.message);
    }
  }

  async function remove(room, name) {
    showError(error, '');
    try {
      await api.removeMember(room.id, name);
      store.applyMembership(room.id, { username: name }, 'removed');
    } catch (failure) {
      showError(error, failure.message);
    }
  }

  async function leave(room) {
    showError(error, '');
    try {
      await sync.leave(room.id);
    } catch (failure) {
      showError(error, failure.message);
    }
  }

  return {
    toggle: () => setOpen(!isOpen),
    close: () => setOpen(false),
  };
}
