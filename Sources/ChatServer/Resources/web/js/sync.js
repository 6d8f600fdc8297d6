// Keeps the store in step with the server: one ChatSocket, every room subscribed, pushes applied,
// and the actions the views need (send, edit, delete, history, read, typing, presence).
//
// Each time the socket says `hello` (the first time and after every reconnect): the room list is
// fetched again (rooms joined or left while away), every room is subscribed with its resume
// state, and the outbox is sent again. Only then is the connection shown as back. A message is
// sent with a `client_msg_id`, so sending it again after a drop can never store it twice.

import { ChatSocket } from './socket.js';
import { TypingNotifier } from './typing.js';

const HISTORY_PAGE = 50;
const GONE = new Set(['not_member', 'unknown_room', 'archived']);

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {import('./store.js').Store} options.store
 * @param {string} options.token
 * @param {() => void} options.onAuthFailed the token is dead
 * @param {(text: string) => void} options.onError an error with nowhere else to go
 * @param {(text: string) => void} options.onNotice news, e.g. removed from a group
 */
export function createSync({ api, store, token, onAuthFailed, onError, onNotice }) {
  const subscribed = new Set(); // rooms subscribed (or being subscribed) on the current connection
  const leaving = new Set(); // groups this user is leaving: no "you were removed" notice
  const reading = new Map(); // room → seq of a read request in flight
  let connection = 0; // counts hellos: a resync for an older connection stops

  const socket = new ChatSocket(token, {
    onStatus(status) {
      if (status !== 'open') {
        subscribed.clear();
        reading.clear();
        store.setConnection(status);
      }
    },
    onReady: () => resync(),
    onPush: applyPush,
    onAuthFailed,
  });
  const typing = new TypingNotifier((room, isTyping) => socket.notify({ type: 'typing', room, typing: isTyping }));

  async function resync() {
    const current = ++connection;
    try {
      await refreshRooms();
    } catch (error) {
      if (error.status !== 401) onError(error.message);
    }
    await Promise.all([...store.rooms.keys()].map(subscribeRoom));
    if (current !== connection || !socket.isReady) return; // dropped meanwhile: the next hello starts over
    store.setConnection('open');
    for (const room of store.rooms.values()) {
      for (const entry of room.pending) trySend(entry).catch((error) => onError(error.message));
    }
    if (store.activeRoomId !== null) refreshOnline(store.activeRoomId);
  }

  async function refreshRooms() {
    const generation = store.generation;
    const removed = store.setRooms(await api.rooms(), generation);
    for (const room of removed) {
      socket.forget(room.id);
      onNotice(`You are no longer a member of ${room.name}.`);
    }
  }

  async function subscribeRoom(id) {
    if (subscribed.has(id) || !socket.isReady) return;
    subscribed.add(id);
    try {
      store.applySubscribed(id, await socket.subscribe(id));
    } catch (error) {
      if (GONE.has(error.code)) roomGone(id, `You are no longer a member of ${store.room(id)?.name ?? 'a room'}.`);
      else if (error.code !== 'offline' && error.code !== 'already_subscribed') onError(error.message);
      if (error.code === 'offline') subscribed.delete(id);
    }
  }

  function roomGone(id, notice) {
    const room = store.room(id);
    subscribed.delete(id);
    socket.forget(id);
    if (!room) return;
    store.removeRoom(id);
    if (leaving.delete(id)) onNotice(`You left ${room.name}.`);
    else onNotice(notice);
  }

  function applyPush(frame) {
    switch (frame.type) {
      case 'message':
        store.applyMessage(frame.message);
        break;
      case 'typing':
        if (frame.user.id !== store.me.id) store.setTyping(frame.room, frame.user.username, frame.typing);
        break;
      case 'presence':
        store.setPresence(frame.room, frame.user, frame.online);
        break;
      case 'membership':
        store.applyMembership(frame.room, frame.user, frame.change, frame.role);
        break;
      case 'room':
        store.addRoom(frame.room);
        subscribeRoom(frame.room.id);
        break;
      case 'unsubscribed': {
        const name = store.room(frame.room)?.name ?? 'a group';
        roomGone(frame.room, `You were removed from ${name}.`);
        break;
      }
      case 'read':
        store.markRead(frame.room, frame.seq);
        break;
      case 'edited':
        store.applyEdited(frame.message);
        break;
      case 'deleted':
        store.applyDeleted(frame.room, frame.message_id, frame.seq);
        break;
      case 'error':
        if (frame.code !== 'not_authenticated') onError(frame.error);
        break;
      default:
        break; // a frame type added after this client: nothing to do
    }
  }

  async function trySend(entry) {
    if (entry.inFlight) return;
    entry.inFlight = true;
    try {
      const ack = await socket.request({ type: 'send', room: entry.room, text: entry.text, client_msg_id: entry.clientMsgId });
      store.applyMessage(ack.message);
    } catch (error) {
      if (error.code === 'offline') return; // stays in the outbox; sent again after the reconnect
      store.removePending(entry.room, entry.clientMsgId);
      throw error;
    } finally {
      entry.inFlight = false;
    }
  }

  return {
    start: () => socket.start(),
    stop() {
      typing.stop();
      socket.stop();
    },

    /** A room just created or opened over REST: add it and subscribe. */
    adopt(body) {
      store.addRoom(body);
      subscribeRoom(body.id);
    },

    /** Sends a message (kept in the outbox until acknowledged); rejects with the server's refusal. */
    send(room, text) {
      typing.stop();
      const entry = { room, text, clientMsgId: newClientMsgId(), inFlight: false };
      store.addPending(room, entry);
      return trySend(entry);
    },

    edit: (messageId, text) => socket.request({ type: 'edit', message_id: messageId, text }),
    remove: (messageId) => socket.request({ type: 'delete', message_id: messageId }),

    /** Loads the page before the oldest message held. */
    async loadOlder(room) {
      const before = store.lowestSeq(room);
      if (before === null || before <= 1) return;
      const answer = await socket.request({ type: 'history', room, before_seq: before, limit: HISTORY_PAGE });
      store.prependHistory(room, answer.messages);
    },

    /** Moves the read marker to the newest message held, when it is past the current one. */
    async markRead(room) {
      const seq = store.highestSeq(room);
      const state = store.room(room);
      if (!state || !socket.isReady || seq <= state.readSeq || (reading.get(room) ?? 0) >= seq) return;
      reading.set(room, seq);
      try {
        await socket.request({ type: 'read', room, seq });
        store.markRead(room, seq);
      } catch (error) {
        if (error.code !== 'offline') onError(error.message);
      } finally {
        if (reading.get(room) === seq) reading.delete(room);
      }
    },

    typingInput: (room, empty) => typing.input(room, empty),
    typingStop: () => typing.stop(),

    refreshOnline,

    /**
     * Fetches the room list again and subscribes to what is new: public rooms created by others
     * are pushed to nobody, so the list is refreshed now and then (see main.js).
     */
    async refresh() {
      if (!socket.isReady) return;
      try {
        await refreshRooms();
      } catch (error) {
        if (error.status !== 401) onError(error.message);
        return;
      }
      await Promise.all([...store.rooms.keys()].map(subscribeRoom));
    },

    /** Leaves a group; the room goes once the server confirms. */
    async leave(room) {
      leaving.add(room);
      try {
        await api.removeMember(room, store.me.username);
      } catch (error) {
        leaving.delete(room);
        throw error;
      }
      if (store.room(room)) roomGone(room, '');
    },
  };

  /** Who is online in a room, fetched (presence pushes keep it current afterwards). */
  async function refreshOnline(room) {
    try {
      store.setOnline(room, await api.online(room));
    } catch (error) {
      if (error.status !== 401 && error.status !== 403 && error.status !== 404) onError(error.message);
    }
  }
}

/** A random id for a message, so a retry after a drop is recognised by the server. */
function newClientMsgId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
