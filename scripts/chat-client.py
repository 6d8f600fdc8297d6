#!/usr/bin/env python3
"""A tiny interactive client for chat-server's sockets.

    python3 -m venv .venv && .venv/bin/pip install websockets
    .venv/bin/python scripts/chat-client.py TOKEN /ws/chat/lobby/ [http://127.0.0.1:8000]

Prints every frame the server sends; each line you type is sent as a message, except
`/typing` and `/stop`, which send typing frames. Ctrl-D closes the socket.
"""
import asyncio
import json
import sys

import websockets


async def main(token: str, path: str, base: str) -> None:
    url = base.replace("http", "ws", 1).rstrip("/") + path
    async with websockets.connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as socket:
        async def show() -> None:
            async for frame in socket:
                print(frame, flush=True)
            print(f"closed: {socket.close_code} {socket.close_reason}", flush=True)

        reader = asyncio.create_task(show())
        loop = asyncio.get_running_loop()
        while (line := await loop.run_in_executor(None, sys.stdin.readline)):
            line = line.rstrip("\n")
            if line == "/typing":
                await socket.send(json.dumps({"type": "typing"}))
            elif line == "/stop":
                await socket.send(json.dumps({"type": "typing", "typing": False}))
            elif line:
                await socket.send(json.dumps({"message": line}))
        await socket.close()
        await reader


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "http://127.0.0.1:8000"))
