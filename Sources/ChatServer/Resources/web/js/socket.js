// The one v1 WebSocket (`/ws/v1`, docs/protocol.md) shared by every room.
//
// - Requests carry an `id`; `request()` resolves with the answer that carries the same id, or
//   rejects with a SocketError (the server's `code` and `error` text; code `offline` when the
//   socket closed before the answer came).
// - Frames without an id (pushes) go to `onPush`.
// - When the socket closes it reconnects with backoff (500 ms doubling up to 5 s, with jitter);
//   a close with 4401 means the token is dead and ends the session instead.
// - Resume state per room: the epoch of the last `subscribed` answer and the highest seq seen
//   (from `subscribed`, `message` pushes and `ack`s). `subscribe()` sends both, so after a
//   reconnect the server either sends exactly the missed messages (`recovered: true`) or says it
//   cannot (`recovered: false`, with the latest page).
//
// The token goes in the URL (`?token=`) because browsers cannot set headers on sockets; the
// server accepts it there for sockets only.

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5000;

/** A refused socket request: the protocol's `code` (e.g. `not_member`) and the server's message. */
export class SocketError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'SocketError';
    this.code = code;
  }
}

export class ChatSocket {
  /**
   * @param {string} token
   * @param {object} handlers
   * @param {(user: object, isReconnect: boolean) => void} handlers.onReady `hello` received
   * @param {(frame: object) => void} handlers.onPush every frame that answers no request
   * @param {(status: 'connecting'|'open'|'reconnecting') => void} handlers.onStatus
   * @param {() => void} handlers.onAuthFailed the server closed with 4401
   */
  constructor(token, handlers) {
    this.token = token;
    this.handlers = handlers;
    this.ws = null;
    this.ready = false;
    this.stopped = false;
    this.everReady = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.nextId = 1;
    this.pending = new Map(); // request id → {resolve, reject}
    this.resume = new Map(); // room id → {epoch, seq}
  }

  /** Opens the socket (and keeps it open until stop()). */
  start() {
    this.stopped = false;
    this.handlers.onStatus('connecting');
    this.connect();
  }

  /** Closes the socket for good (logout). */
  stop() {
    this.stopped = true;
    this.ready = false;
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close(1000, 'bye');
    this.failPending();
  }

  /** Whether `hello` was received on the current connection. */
  get isReady() {
    return this.ready;
  }

  /** Sends a request frame; resolves with its answer. */
  request(frame) {
    if (!this.ready) return Promise.reject(new SocketError('offline', 'Not connected; trying again…'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, ...frame }));
    });
  }

  /** Sends a frame that expects no answer (typing); dropped while disconnected. */
  notify(frame) {
    if (this.ready) this.ws.send(JSON.stringify(frame));
  }

  /** Subscribes to a room, resuming after the highest seq seen under the remembered epoch. */
  async subscribe(room) {
    const frame = { type: 'subscribe', room };
    const state = this.resume.get(room);
    if (state) {
      frame.after_seq = state.seq;
      frame.epoch = state.epoch;
    }
    const answer = await this.request(frame);
    this.resume.set(room, { epoch: answer.epoch, seq: answer.last_seq });
    return answer;
  }

  /** Forgets a room's resume state (left or removed: a later subscribe starts afresh). */
  forget(room) {
    this.resume.delete(room);
  }

  connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws/v1?token=${encodeURIComponent(this.token)}`);
    this.ws = ws;
    ws.addEventListener('message', (event) => {
      if (this.ws === ws) this.receive(event.data);
    });
    ws.addEventListener('close', (event) => {
      if (this.ws === ws) this.closed(event.code);
    });
  }

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    this.noteSeq(frame);
    if (frame.type === 'hello') {
      const isReconnect = this.everReady;
      this.ready = true;
      this.everReady = true;
      this.attempt = 0;
      this.handlers.onStatus('open');
      this.handlers.onReady(frame.user, isReconnect);
      return;
    }
    const waiter = frame.id !== undefined ? this.pending.get(frame.id) : undefined;
    if (waiter) {
      this.pending.delete(frame.id);
      if (frame.type === 'error') waiter.reject(new SocketError(frame.code, frame.error));
      else waiter.resolve(frame);
      return;
    }
    this.handlers.onPush(frame);
  }

  /** Advances a room's highest seen seq from live frames (history pages are older: not counted). */
  noteSeq(frame) {
    let message = null;
    if (frame.type === 'message' || frame.type === 'ack') message = frame.message;
    if (!message) return;
    const state = this.resume.get(message.room);
    if (state && message.seq > state.seq) state.seq = message.seq;
  }

  closed(code) {
    this.ws = null;
    this.ready = false;
    this.failPending();
    if (this.stopped) return;
    if (code === 4401) {
      this.stopped = true;
      this.handlers.onAuthFailed();
      return;
    }
    this.handlers.onStatus('reconnecting');
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  failPending() {
    for (const { reject } of this.pending.values()) reject(new SocketError('offline', 'Not connected; trying again…'));
    this.pending.clear();
  }
}
