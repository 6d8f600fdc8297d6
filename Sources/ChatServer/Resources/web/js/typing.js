// Telling others that this user is typing (the `typing` frame).
//
// While the user types: `typing: true` at once, then again every few seconds so the server's
// 5-second expiry never ends the indicator mid-sentence. `typing: false` when the message is
// sent, the box loses focus, another room is opened, or after a few idle seconds.

const IDLE_MS = 3000;
const REFRESH_MS = 3000;

export class TypingNotifier {
  /** @param {(room: number, typing: boolean) => void} send */
  constructor(send) {
    this.send = send;
    this.room = null;
    this.lastSent = 0;
    this.idleTimer = null;
  }

  /** The user typed in `room`'s message box (`empty`: the box is now empty). */
  input(room, empty) {
    if (empty) {
      this.stop();
      return;
    }
    if (this.room !== room) this.stop();
    const now = Date.now();
    if (this.room === null || now - this.lastSent >= REFRESH_MS) {
      this.room = room;
      this.lastSent = now;
      this.send(room, true);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
  }

  /** Ends the indicator, if one is on. */
  stop() {
    clearTimeout(this.idleTimer);
    if (this.room !== null) {
      const room = this.room;
      this.room = null;
      this.send(room, false);
    }
  }
}
