"""Fixtures for the browser tests: a fresh server per test (its database in a temporary
folder), browsers started on demand (one per user) and closed afterwards, each one's console
checked for CSP violations and uncaught errors."""

from __future__ import annotations

import os

import pytest

from support import ChatPage, Rest, Server, new_driver


@pytest.fixture
def server(tmp_path):
    binary = os.environ.get("CHAT_SERVER_BINARY")
    if not binary:
        pytest.fail("CHAT_SERVER_BINARY is not set: run scripts/browser-tests.sh SERVER_BINARY")
    process = Server(binary, tmp_path)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def rest(server):
    return Rest(server.url)


@pytest.fixture
def browsers(server):
    """`browsers(name, base=None, width=…, height=…)` opens a new browser for one user."""
    pages: list[ChatPage] = []

    def open_browser(name: str, base: str | None = None, width: int = 1280, height: int = 860) -> ChatPage:
        page = ChatPage(new_driver(width, height), base or server.url, name)
        pages.append(page)
        return page

    yield open_browser
    problems = []
    for page in pages:
        try:
            page.read_console()
        except Exception:  # a browser that died has no log to read
            pass
        for entry in page.console:
            text = entry.get("message", "")
            if "Content Security Policy" in text or "Uncaught" in text:
                problems.append(f"{page.name}: {text}")
        page.driver.quit()
    assert not problems, "browser console:\n" + "\n".join(problems)
