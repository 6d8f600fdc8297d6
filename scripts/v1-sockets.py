#!/usr/bin/env python3
"""What an idle v1 socket costs the server, beside an idle seed socket, and how long one v1
socket takes to subscribe to many rooms.

    scripts/v1-sockets.py BASE_URL SERVER_PID [SOCKETS] [ROOMS_PER_SOCKET] [MANY_ROOMS]

Against a running chat-server started with `--db :memory: --bcrypt-cost 4 --send-rate 1000000
--send-burst 1000000` (SERVER_PID is its process id, to read its resident memory), in one run:
1. registers SOCKETS users and creates max(SOCKETS, MANY_ROOMS) public rooms;
2. opens SOCKETS seed sockets (`/ws/chat/<room>/`, one room each), waits until every one is in
   its room, and reads the server's resident memory: KiB per idle seed socket (the reference);
3. with the seed sockets still open (so that neither kind reuses memory the other freed), opens
   SOCKETS v1 sockets (`/ws/v1`), each subscribing to ROOMS_PER_SOCKET rooms (socket i to
   rooms i, i+1, …), waits for every `subscribed` answer, and reads the memory again: KiB per
   idle v1 socket, and its ratio to the seed socket's;
4. on one more v1 socket, sends MANY_ROOMS subscribe frames at once and times the answers;
5. resume, once every socket is closed: 1 000 messages are posted to a new room, and a new v1
   socket subscribes to it with `after_seq` 0 and the epoch: the time until its `subscribed`
   answer holds all 1 000 (`recovered: true`) gives messages replayed per second (the server's
   engine holds the latest 100 of a room; the other 900 come from the store), beside the
   reference: the same 1 000 read the seed way, `GET /api/rooms/{id}/messages?after=` in pages of
   200 on one kept-alive connection.

Defaults: 1000 sockets, 10 rooms per socket, 1000 rooms. Standard library only (asyncio, raw
WebSocket frames). Prints the figures; exits 1 when a socket is refused or an answer is missing.
"""
import asyncio
import base64
import http.client
import json
import os
import struct
import sys
import time
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
PID = int(sys.argv[2])
SOCKETS = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
PER_SOCKET = int(sys.argv[4]) if len(sys.argv) > 4 else 10
MANY = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
ADDRESS = urllib.parse.urlsplit(BASE)
HOST, PORT = ADDRESS.hostname, ADDRESS.port or 80
SETTLE = 2.0


def rss_kib():
    with open(f"/proc/{PID}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def rest(method, path, body=None, token=None):
    request = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        data = response.read()
        return json.loads(data) if data else None


class Socket:
    """One WebSocket client connection: handshake, masked text frames out, frames in."""

    async def open(self, path, token):
        self.reader, self.writer = await asyncio.open_connection(HOST, PORT)
        key = base64.b64encode(os.urandom(16)).decode()
        self.writer.write((f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(f"upgrade refused: {head.splitlines()[0]!r}")
        return self

    def send(self, obj):
        payload = json.dumps(obj).encode()
        mask = os.urandom(4)
        header = bytes([0x81]) + (bytes([0x80 | len(payload)]) if len(payload) < 126 else bytes([0x80 | 126]) + struct.pack("!H", len(payload)))
        self.writer.write(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    async def frame(self):
        """The next text frame as JSON (pings answered, other frames skipped); None once closed."""
        while True:
            first, second = await self.reader.readexactly(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack("!H", await self.reader.readexactly(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", await self.reader.readexactly(8))[0]
            payload = await self.reader.readexactly(length)
            opcode = first & 0x0F
            if opcode == 0x1:
                return json.loads(payload)
            if opcode == 0x8:
                return None
            if opcode == 0x9:
                mask = os.urandom(4)
                self.writer.write(bytes([0x8A, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    async def until(self, kind, count=1):
        """Reads frames until `count` of type `kind` came; returns them."""
        found = []
        while len(found) < count:
            frame = await self.frame()
            if frame is None:
                raise RuntimeError(f"closed while waiting for {kind}")
            if frame.get("type") == "error":
                raise RuntimeError(f"error frame: {frame}")
            if frame.get("type") == kind:
                found.append(frame)
        return found

    async def drain(self):
        """Reads (and drops) whatever arrives until the socket closes."""
        try:
            while await self.frame() is not None:
                pass
        except (asyncio.IncompleteReadError, ConnectionError):
            pass

    def close(self):
        self.writer.close()


async def gather_limited(factories, limit=100):
    semaphore = asyncio.Semaphore(limit)

    async def run(factory):
        async with semaphore:
            return await factory()
    return await asyncio.gather(*(run(factory) for factory in factories))


async def main():
    rooms = max(SOCKETS, MANY)
    tokens = []
    for index in range(SOCKETS + 1):
        name = f"probe{index}"
        rest("POST", "/api/register", {"username": name, "password": "probe-password"})
        tokens.append(rest("POST", "/api/login", {"username": name, "password": "probe-password"})["token"])
    ids = [rest("POST", "/api/rooms", {"name": f"probe-room-{index}"}, tokens[0])["id"] for index in range(rooms)]
    await asyncio.sleep(SETTLE)
    before = rss_kib()

    # Seed sockets, one room each: the reference.
    seed = await gather_limited([lambda i=i: Socket().open(f"/ws/chat/probe-room-{i}/", tokens[i]) for i in range(SOCKETS)])
    for _ in range(600):
        if all(len(rest("GET", f"/api/rooms/{ids[i]}/online", token=tokens[0])) == 1 for i in range(0, SOCKETS, max(1, SOCKETS // 50))):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(SETTLE)
    seed_idle = rss_kib()

    # v1 sockets, PER_SOCKET rooms each.
    async def v1(index):
        socket = await Socket().open("/ws/v1", tokens[index])
        await socket.until("hello")
        for j in range(PER_SOCKET):
            socket.send({"id": j, "type": "subscribe", "room": ids[(index + j) % rooms]})
        await socket.until("subscribed", PER_SOCKET)
        return socket
    started = time.monotonic()
    modern = await gather_limited([lambda i=i: v1(i) for i in range(SOCKETS)])
    subscribed_in = time.monotonic() - started
    drains = [asyncio.create_task(socket.drain()) for socket in modern]  # presence frames keep coming
    await asyncio.sleep(SETTLE)
    v1_idle = rss_kib()

    # One socket, many rooms.
    many = await Socket().open("/ws/v1", tokens[SOCKETS])
    await many.until("hello")
    started = time.monotonic()
    for j in range(MANY):
        many.send({"id": j, "type": "subscribe", "room": ids[j]})
    answers = await many.until("subscribed", MANY)
    many_seconds = time.monotonic() - started
    assert sorted(answer["id"] for answer in answers) == list(range(MANY))

    for socket in seed + modern + [many]:
        socket.close()
    for task in drains:
        task.cancel()
    await asyncio.sleep(SETTLE)

    # Resume after a gap of 1 000 messages, in a room of its own, with the other sockets closed:
    # the client has nothing else to read meanwhile.
    gap_room = rest("POST", "/api/rooms", {"name": "probe-gap"}, tokens[0])["id"]
    after, epoch = 0, answers[0]["epoch"]
    for index in range(1000):
        rest("POST", "/api/messages", {"room_id": gap_room, "message": f"missed {index}"}, tokens[0])
    back = await Socket().open("/ws/v1", tokens[SOCKETS])
    await back.until("hello")
    started = time.monotonic()
    back.send({"id": MANY + 1, "type": "subscribe", "room": gap_room, "after_seq": after, "epoch": epoch})
    resumed = (await back.until("subscribed"))[0]
    resume_seconds = time.monotonic() - started
    assert resumed["recovered"] is True and len(resumed["messages"]) == 1000, "the 1 000 missed messages were not recovered"
    connection = http.client.HTTPConnection(HOST, PORT)
    started = time.monotonic()
    fetched, cursor = [], after
    while len(fetched) < 1000:
        connection.request("GET", f"/api/rooms/{gap_room}/messages?after={cursor}&limit=200", headers={"Authorization": f"Bearer {tokens[0]}"})
        page = json.loads(connection.getresponse().read())
        fetched += page
        cursor = page[-1]["seq"]
    rest_seconds = time.monotonic() - started
    connection.close()
    back.close()

    seed_kib = (seed_idle - before) / SOCKETS
    v1_kib = (v1_idle - seed_idle) / SOCKETS
    print(f"server RSS: {before} KiB before sockets, {seed_idle} KiB with {SOCKETS} idle seed sockets, "
          f"{v1_idle} KiB with {SOCKETS} idle v1 sockets more")
    print(f"idle seed socket (1 room): {seed_kib:.2f} KiB")
    print(f"idle v1 socket ({PER_SOCKET} rooms): {v1_kib:.2f} KiB ({v1_kib / seed_kib:.2f} x the seed socket)")
    print(f"{SOCKETS} v1 sockets opened and subscribed to {PER_SOCKET} rooms each in {subscribed_in:.2f} s")
    print(f"one v1 socket subscribed to {MANY} rooms in {many_seconds * 1000:.0f} ms ({many_seconds * 1e6 / MANY:.0f} us per room)")
    print(f"resume after a 1000-message gap: recovered in {resume_seconds * 1000:.1f} ms ({1000 / resume_seconds:,.0f} messages replayed per second); "
          f"the same 1000 over REST (after=, pages of 200): {rest_seconds * 1000:.1f} ms ({rest_seconds / resume_seconds:.2f} x the resume's time)")


try:
    asyncio.run(main())
except Exception as error:  # a refused socket or a missing answer
    print(f"failed: {error}", file=sys.stderr)
    sys.exit(1)
