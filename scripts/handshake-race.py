#!/usr/bin/env python3
"""Counts messages that miss a seed socket whose handshake has just completed.

    scripts/handshake-race.py [BASE_URL] [TRIES]

BASE_URL defaults to http://127.0.0.1:8000, TRIES to 1000. Against a running chat-server (start it
with `--db :memory: --bcrypt-cost 4 --send-rate 1000000 --send-burst 1000000`), each try opens a
socket on /ws/chat/race/ as one user and, the moment the `101` has been read, posts a message to
the room as another user over a kept-alive REST connection, then waits up to 2 s for that message
on the socket. The contract (SEED-API.md, "Delivery and the wire") says a socket is in its room
once its handshake completes, so every try must receive its message. Standard library only: raw
sockets, no WebSocket library, nothing between the handshake and the post.

Prints `misses: M of N` and exits 1 when M > 0.
"""
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.parse

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
TRIES = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
ADDRESS = urllib.parse.urlsplit(BASE)
HOST, PORT = ADDRESS.hostname, ADDRESS.port or 80


class Connection:
    """One TCP connection: HTTP/1.1 requests with Content-Length bodies, then WebSocket frames."""

    def __init__(self, timeout=5.0):
        self.sock = socket.create_connection((HOST, PORT), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def _read_more(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by the server")
        self.buffer += chunk

    def _head(self):
        while b"\r\n\r\n" not in self.buffer:
            self._read_more()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
        return int(lines[0].split()[1]), headers

    def request(self, method, path, token=None, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nContent-Length: {len(data)}\r\n"
        if body is not None:
            head += "Content-Type: application/json\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        self.sock.sendall(head.encode() + b"\r\n" + data)
        status, headers = self._head()
        length = int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._read_more()
        payload, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, (json.loads(payload) if payload else None)

    def upgrade(self, path):
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        return self._head()[0]

    def text_frames(self, deadline):
        """Yields the server's text frames (unmasked) until the deadline."""
        while time.monotonic() < deadline:
            while len(self.buffer) < 2 or len(self.buffer) < self._frame_length():
                self.sock.settimeout(max(0.001, deadline - time.monotonic()))
                try:
                    self._read_more()
                except socket.timeout:
                    return
            opcode, header, length = self.buffer[0] & 0x0F, *self._frame_sizes()
            payload, self.buffer = self.buffer[header:header + length], self.buffer[header + length:]
            if opcode == 1:
                yield payload.decode()
            elif opcode == 8:
                return

    def _frame_sizes(self):
        length = self.buffer[1] & 0x7F
        if length == 126:
            return 4, struct.unpack(">H", self.buffer[2:4])[0] if len(self.buffer) >= 4 else 1 << 30
        if length == 127:
            return 10, struct.unpack(">Q", self.buffer[2:10])[0] if len(self.buffer) >= 10 else 1 << 30
        return 2, length

    def _frame_length(self):
        header, length = self._frame_sizes()
        return header + length


def login(rest, name):
    credentials = {"username": name, "password": "race-password"}
    rest.request("POST", "/api/register", body=credentials)
    status, body = rest.request("POST", "/api/login", body=credentials)
    if status != 200:
        sys.exit(f"login {name}: {status} {body}")
    return body["token"]


def main():
    rest = Connection()
    reader, poster = login(rest, "race-reader"), login(rest, "race-poster")
    status, room = rest.request("POST", "/api/rooms", token=poster, body={"name": "race"})
    if status == 409:
        room = next(r for r in rest.request("GET", "/api/rooms", token=poster)[1] if r["name"] == "race")
    misses = 0
    started = time.monotonic()
    for index in range(TRIES):
        sock = Connection()
        if sock.upgrade(f"/ws/chat/race/?token={reader}") != 101:
            sys.exit(f"try {index}: the upgrade was refused")
        text = f"race {index}"
        status, _ = rest.request("POST", "/api/messages", token=poster, body={"room_id": room["id"], "message": text})
        if status != 201:
            sys.exit(f"try {index}: the post answered {status}")
        if not any(json.loads(frame).get("message") == text for frame in sock.text_frames(time.monotonic() + 2)):
            misses += 1
        sock.sock.close()
    print(f"misses: {misses} of {TRIES} ({time.monotonic() - started:.1f} s)")
    sys.exit(1 if misses else 0)


if __name__ == "__main__":
    main()
