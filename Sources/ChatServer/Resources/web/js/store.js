// The client's state: who is logged in, the rooms with their messages, unread counts, typing,
// presence and members, and which room is open. Views listen for named changes:
//
//   'rooms'            the room list, a name, a badge changed
//   'active'           another room was opened (or none)
//   'messages' (id)    a room's messages or outbox changed
//   'typing' (id)      who is typing in a room
//   'online' (id)      who is online in a room
//   'members' (id)     a room's members or roles
//   'connection'       the socket's state
//
// Unread counts start from GET /api/rooms (`unread`, valid up to its `last_seq`) and then count
// each later message from someone else once: `countedSeq` is the highest seq already accounted
// for, so a message seen twice (a live push and again in a resume) is never counted twice.

const KEEP_MAX = 300;
const KEEP_MIN = 200;

export class Store {
  constructor(me) {
    this.me = me;
    this.rooms = new Map();
    this.activeRoomId = null;
    this.connection = 'connecting';
    this.generation = 0; // bumped for each room added, see setRooms
    this.listeners = new Map();
  }

  on(event, listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(listener);
  }

  emit(event, detail) {
    for (const listener of this.listeners.get(event) ?? []) listener(detail);
  }

  room(id) {
    return this.rooms.get(id) ?? null;
  }

  isMine(message) {
    return message.user && message.user.id === this.me.id;
  }

  /** A room's messages in seq order. */
  messagesOf(id) {
    const room = this.room(id);
    return room ? [...room.messages.values()].sort((a, b) => a.seq - b.seq) : [];
  }

  /** The highest seq this client holds for a room (0 when none). */
  highestSeq(id) {
    const room = this.room(id);
    let highest = 0;
    if (room) for (const seq of room.messages.keys()) highest = Math.max(highest, seq);
    return highest;
  }

  /** The lowest seq held, or null when no message is held. */
  lowestSeq(id) {
    const room = this.room(id);
    if (!room || room.messages.size === 0) return null;
    return Math.min(...room.messages.keys());
  }

  /** Whether older messages than the ones held exist (seqs start at 1 and have no gaps). */
  hasOlder(id) {
    const lowest = this.lowestSeq(id);
    return lowest !== null && lowest > 1;
  }

  /** The caller's role in a room, as far as this client knows (see members view). */
  myRole(id) {
    return this.room(id)?.roles.get(this.me.username.toLowerCase()) ?? null;
  }

  totalUnread() {
    let total = 0;
    for (const room of this.rooms.values()) total += room.unread;
    return total;
  }

  // ---- rooms ----

  /** Adds a room (from a `room` push or a create answer), or updates its name and members. */
  addRoom(body) {
    const room = this.upsertRoom(body);
    this.emit('rooms');
    this.emit('members', room.id);
    return room;
  }

  /** addRoom without telling the views. */
  upsertRoom(body) {
    let room = this.rooms.get(body.id);
    if (!room) {
      room = {
        id: body.id,
        name: body.name,
        kind: body.kind,
        members: [],
        roles: new Map(),
        unread: 0,
        readSeq: 0,
        countedSeq: null, // unknown until the room list or the first subscribe answer
        messages: new Map(),
        pending: [],
        typing: new Map(),
        online: new Map(),
        addedIn: ++this.generation,
      };
      this.rooms.set(body.id, room);
    }
    room.name = body.name;
    room.kind = body.kind;
    this.setMembers(room, body.members ?? [], body.roles);
    return room;
  }

  /**
   * Brings the list in line with GET /api/rooms, fetched when `generation` was current: adds
   * and updates rooms, takes its unread counts unless newer messages were counted meanwhile,
   * and removes rooms that are gone (but not those added after the list was asked for).
   * Returns the rooms removed.
   */
  setRooms(list, generation) {
    const seen = new Set();
    for (const body of list) {
      seen.add(body.id);
      const room = this.upsertRoom(body);
      if (room.countedSeq === null || body.last_seq >= room.countedSeq) {
        room.unread = body.unread ?? 0;
        room.countedSeq = body.last_seq ?? 0;
      }
      room.readSeq = Math.max(room.readSeq, body.read_seq ?? 0);
    }
    const removed = [...this.rooms.values()].filter((room) => !seen.has(room.id) && room.addedIn <= generation);
    for (const room of removed) this.removeRoom(room.id);
    this.emit('rooms');
    if (this.activeRoomId !== null) this.emit('members', this.activeRoomId);
    return removed;
  }

  removeRoom(id) {
    const room = this.rooms.get(id);
    if (!room) return;
    for (const timer of room.typing.values()) clearTimeout(timer);
    this.rooms.delete(id);
    if (this.activeRoomId === id) this.setActive(null);
    this.emit('rooms');
  }

  setActive(id) {
    this.activeRoomId = id;
    this.emit('active');
    this.emit('rooms');
  }

  setConnection(status) {
    this.connection = status;
    this.emit('connection');
  }

  // ---- messages ----

  /** Applies a `subscribed` answer: missed messages appended, or the room's page replaced. */
  applySubscribed(id, answer) {
    const room = this.room(id);
    if (!room) return;
    room.readSeq = Math.max(room.readSeq, answer.read_seq ?? 0);
    if (room.countedSeq === null) {
      // A room first seen by push: count what its page shows after the read marker.
      room.countedSeq = room.readSeq;
    }
    if (!answer.recovered) room.messages.clear();
    for (const message of answer.messages) this.putMessage(room, message);
    room.countedSeq = Math.max(room.countedSeq, answer.last_seq ?? 0);
    this.emit('messages', id);
    this.emit('rooms');
  }

  /** A message pushed live or acknowledged. */
  applyMessage(message) {
    const room = this.room(message.room);
    if (!room) return;
    this.putMessage(room, message);
    if (room.id !== this.activeRoomId) this.trim(room);
    this.setTyping(room.id, message.user.username, false);
    this.emit('messages', room.id);
    this.emit('rooms');
  }

  /**
   * Keeps a room that is not open from growing without end: past KEEP_MAX messages, only the
   * newest KEEP_MIN stay. Older ones come back with `history` when the room is scrolled up.
   */
  trim(room) {
    if (room.messages.size <= KEEP_MAX) return;
    const seqs = [...room.messages.keys()].sort((a, b) => a - b);
    for (const seq of seqs.slice(0, seqs.length - KEEP_MIN)) room.messages.delete(seq);
  }

  /** Older messages from a `history` answer: shown, never counted as unread. */
  prependHistory(id, messages) {
    const room = this.room(id);
    if (!room) return;
    for (const message of messages) {
      if (!room.messages.has(message.seq)) room.messages.set(message.seq, message);
    }
    this.emit('messages', id);
  }

  applyEdited(message) {
    const room = this.room(message.room);
    if (!room || !room.messages.has(message.seq)) return;
    room.messages.set(message.seq, message);
    this.emit('messages', room.id);
  }

  applyDeleted(roomId, messageId, seq) {
    const room = this.room(roomId);
    const message = room?.messages.get(seq);
    if (!message || message.deleted) return;
    room.messages.set(seq, { ...message, text: null, deleted: true });
    if (!this.isMine(message) && seq > room.readSeq && room.countedSeq !== null && seq <= room.countedSeq) {
      room.unread = Math.max(0, room.unread - 1);
      this.emit('rooms');
    }
    this.emit('messages', roomId);
  }

  /** Stores a message and counts it as unread if it is new, from someone else and not deleted. */
  putMessage(room, message) {
    room.messages.set(message.seq, message);
    if (message.client_msg_id && this.isMine(message)) {
      room.pending = room.pending.filter((entry) => entry.clientMsgId !== message.client_msg_id);
    }
    if (room.countedSeq === null || message.seq <= room.countedSeq) return;
    room.countedSeq = message.seq;
    if (!this.isMine(message) && !message.deleted && message.seq > room.readSeq) room.unread += 1;
  }

  /** The read marker moved to `seq` (this client read, or another tab / REST did). */
  markRead(id, seq) {
    const room = this.room(id);
    if (!room || seq < room.readSeq) return;
    room.readSeq = seq;
    if (room.countedSeq === null || seq >= room.countedSeq) {
      room.unread = 0;
    } else {
      // Count what this client holds after the marker; the server's count bounds it.
      let others = 0;
      for (const message of room.messages.values()) {
        if (message.seq > seq && message.seq <= room.countedSeq && !message.deleted && !this.isMine(message)) others += 1;
      }
      const holdsAll = this.lowestSeq(id) !== null && this.lowestSeq(id) <= seq + 1;
      room.unread = holdsAll ? others : Math.min(room.unread, room.countedSeq - seq);
    }
    this.emit('rooms');
  }

  // ---- outbox ----

  addPending(id, entry) {
    const room = this.room(id);
    if (!room) return;
    room.pending.push(entry);
    this.emit('messages', id);
  }

  removePending(id, clientMsgId) {
    const room = this.room(id);
    if (!room) return;
    room.pending = room.pending.filter((entry) => entry.clientMsgId !== clientMsgId);
    this.emit('messages', id);
  }

  // ---- typing, presence, members ----

  /** Someone else is (not) typing; an indicator with no news for 7 s goes away by itself. */
  setTyping(id, username, typing) {
    const room = this.room(id);
    if (!room) return;
    const timer = room.typing.get(username);
    if (timer === undefined && !typing) return;
    clearTimeout(timer);
    if (typing) room.typing.set(username, setTimeout(() => this.setTyping(id, username, false), 7000));
    else room.typing.delete(username);
    this.emit('typing', id);
  }

  typingUsers(id) {
    const room = this.room(id);
    return room ? [...room.typing.keys()].sort() : [];
  }

  /** Who is online, from GET /api/rooms/{id}/online. */
  setOnline(id, users) {
    const room = this.room(id);
    if (!room) return;
    room.online = new Map(users.map((user) => [user.id, user.username]));
    this.emit('online', id);
  }

  setPresence(id, user, online) {
    const room = this.room(id);
    if (!room) return;
    if (online) room.online.set(user.id, user.username);
    else room.online.delete(user.id);
    this.emit('online', id);
  }

  isOnline(id, username) {
    const room = this.room(id);
    if (!room) return false;
    const wanted = username.toLowerCase();
    return [...room.online.values()].some((name) => name.toLowerCase() === wanted);
  }

  /**
   * Replaces the member list and, for a group, the roles: the server's `roles` (every room
   * body of a group carries them) when given, else the ones already known.
   */
  setMembers(room, members, roles) {
    room.members = [...members];
    const known = room.roles;
    room.roles = new Map();
    for (const name of members) {
      const key = name.toLowerCase();
      room.roles.set(key, roles?.[name] ?? known.get(key) ?? 'member');
    }
  }

  /** Applies a `membership` push. */
  applyMembership(id, user, change, role) {
    const room = this.room(id);
    if (!room) return;
    const key = user.username.toLowerCase();
    if (change === 'added') {
      if (!room.members.some((name) => name.toLowerCase() === key)) room.members.push(user.username);
      room.roles.set(key, role ?? 'member');
    } else if (change === 'removed') {
      room.members = room.members.filter((name) => name.toLowerCase() !== key);
      room.roles.delete(key);
      this.setTyping(id, user.username, false);
    } else if (change === 'role' && role) {
      if (role === 'owner') {
        for (const [name, current] of room.roles) if (current === 'owner') room.roles.set(name, 'member');
      }
      room.roles.set(key, role);
    }
    this.emit('members', id);
    this.emit('rooms');
  }
}
