"""A TCP proxy between the browser and the server, to cut connections at will.

It runs its own asyncio loop in a thread. `cut()` aborts every proxied connection at once (both
sides see a reset, as when a network drops); while `refusing` is on, new connections are accepted
and closed at once, so the browser's reconnect attempts fail until it is turned off again."""

from __future__ import annotations

import asyncio
import threading

from support import free_port


class Proxy:
    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.refusing = False
        self.accepted = 0
        self._pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._loop = asyncio.new_event_loop()
        self._server = None
        started = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(started,), daemon=True)
        self._thread.start()
        started.wait(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", self.port))
        started.set()
        self._loop.run_forever()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            client_writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.transport.abort()
            return
        self.accepted += 1
        pair = (client_writer, upstream_writer)
        self._pairs.add(pair)
        try:
            await asyncio.gather(self._pipe(client_reader, upstream_writer), self._pipe(upstream_reader, client_writer))
        finally:
            self._pairs.discard(pair)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()

    def _call(self, function) -> None:
        done = threading.Event()

        def run():
            try:
                function()
            finally:
                done.set()
        self._loop.call_soon_threadsafe(run)
        done.wait(10)

    def cut(self) -> int:
        """Aborts every open connection; returns how many there were."""
        count = len(self._pairs)

        def abort_all():
            for client, upstream in list(self._pairs):
                client.transport.abort()
                upstream.transport.abort()
        self._call(abort_all)
        return count

    async def _shutdown(self) -> None:
        self._server.close()
        for client, upstream in list(self._pairs):
            client.transport.abort()
            upstream.transport.abort()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
