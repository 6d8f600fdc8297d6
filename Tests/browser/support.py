"""What the browser tests share: the server process, a small REST client, and a page object
that drives one user's browser through the chat's `data-testid` hooks."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

REPO = Path(__file__).resolve().parents[2]
WEB_ROOT = REPO / "Sources" / "ChatServer" / "Resources" / "web"
SCREENSHOTS = REPO / ".build" / "browser-tests"
TIMEOUT = 20  # seconds; the machine may be busy building
PASSWORD = "correct horse"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float = TIMEOUT, message: str = "condition"):
    """Polls `condition()` until it returns something truthy (and returns that)."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except (StaleElementReferenceException, OSError) as error:
            last_error = error
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}" + (f" ({last_error})" if last_error else ""))


class Server:
    """One chat-server process on a fixed port and database file (so it can be killed and
    started again on both)."""

    def __init__(self, binary: str, folder: Path):
        self.binary = binary
        self.db = folder / "chat.sqlite"
        self.log_path = folder / "server.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [self.binary, "--db", str(self.db), "--port", str(self.port), "--bcrypt-cost", "4",
             "--web-root", str(WEB_ROOT), "--send-rate", "1000", "--send-burst", "1000", "--log-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()

        def healthy():
            if self.process.poll() is not None:
                raise AssertionError(f"chat-server exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    return response.status == 200
            except (urllib.error.URLError, ConnectionError):
                return False
        wait_until(healthy, message="the server to answer /healthz")

    def kill(self) -> None:
        """SIGKILL: no goodbye to anyone."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=TIMEOUT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


class Rest:
    """The REST API as another client (a user acting outside the browser) sees it."""

    def __init__(self, base: str):
        self.base = base

    def call(self, method: str, path: str, body=None, token: str | None = None):
        """(status, parsed JSON or None, headers)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                raw = response.read()
                return response.status, (json.loads(raw) if raw else None), response.headers
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, (json.loads(raw) if raw else None), error.headers

    def ok(self, method: str, path: str, body=None, token: str | None = None):
        status, data, _ = self.call(method, path, body, token)
        assert 200 <= status < 300, f"{method} {path}: {status} {data}"
        return data

    def user(self, username: str) -> str:
        """Registers `username` and returns a token."""
        self.ok("POST", "/api/register", {"username": username, "password": PASSWORD})
        return self.login(username)

    def login(self, username: str) -> str:
        return self.ok("POST", "/api/login", {"username": username, "password": PASSWORD})["token"]

    def post(self, token: str, room_id: int, text: str) -> dict:
        return self.ok("POST", "/api/messages", {"room_id": room_id, "message": text}, token)

    def room_named(self, token: str, name: str) -> dict:
        rooms = self.ok("GET", "/api/rooms", token=token)
        return next(room for room in rooms if room["name"] == name)


def new_driver(width: int = 1280, height: int = 860) -> webdriver.Chrome:
    """A headless Chromium of its own (its own sessionStorage: one user per browser)."""
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--disable-extensions", "--no-first-run", "--password-store=basic", f"--window-size={width},{height}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    if width < 500:
        # Headless windows are at least 500 px wide: emulate a phone's viewport instead.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
    return driver


class ChatPage:
    """One user's browser on the chat."""

    def __init__(self, driver: webdriver.Chrome, base: str, name: str):
        self.driver = driver
        self.base = base
        self.name = name
        self.console: list[dict] = []  # browser log entries read so far

    # ---- finding things ----

    def find(self, testid: str, root=None):
        return (root or self.driver).find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def find_all(self, testid: str, root=None):
        return (root or self.driver).find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def wait(self, condition, message: str, timeout: float = TIMEOUT):
        # A view that re-renders between finding a node and reading it leaves a stale reference:
        # the condition is simply evaluated again.
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda _: condition(), message=f"{self.name}: {message}"
        )

    def wait_visible(self, testid: str):
        return self.wait(lambda: (e := self.find_all(testid)) and e[0].is_displayed() and e[0], f"{testid} to be visible")

    def read_console(self) -> list[dict]:
        entries = self.driver.get_log("browser")
        self.console.extend(entries)
        return entries

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def token(self) -> str | None:
        raw = self.driver.execute_script("return sessionStorage.getItem('chat.session')")
        return json.loads(raw)["token"] if raw else None

    # ---- logging in ----

    def open(self, path: str = "/") -> "ChatPage":
        self.driver.get(self.base + path)
        return self

    def fill_auth(self, username: str, password: str) -> None:
        self.wait_visible("auth-form")
        for testid, value in (("auth-username", username), ("auth-password", password)):
            field = self.find(testid)
            field.clear()
            field.send_keys(value)

    def register(self, username: str | None = None, password: str = PASSWORD) -> "ChatPage":
        self.fill_auth(username or self.name, password)
        self.find("register-button").click()
        self.wait_logged_in()
        return self

    def login(self, username: str | None = None, password: str = PASSWORD) -> "ChatPage":
        self.fill_auth(username or self.name, password)
        self.find("auth-password").send_keys(Keys.ENTER)
        self.wait_logged_in()
        return self

    def wait_logged_in(self) -> None:
        self.wait_visible("app-screen")
        self.wait(lambda: self.find("me").text == self.name, "the session bar to name the user")

    # ---- rooms ----

    def room_item(self, name: str):
        items = self.driver.find_elements(By.CSS_SELECTOR, '[data-testid="room-item"]')
        return next((item for item in items if item.get_attribute("data-room-name") == name), None)

    def wait_room(self, name: str):
        return self.wait(lambda: self.room_item(name), f"room {name!r} in the list")

    def room_names(self) -> list[str]:
        return [item.get_attribute("data-room-name") for item in self.find_all("room-item")]

    def badge(self, name: str) -> int:
        item = self.room_item(name)
        badges = self.find_all("unread-badge", item) if item else []
        return int(badges[0].text) if badges else 0

    def open_room(self, name: str, title: str | None = None) -> None:
        self.wait_room(name).click()
        expected = title or name
        self.wait(lambda: self.find("chat-title").text == expected, f"the chat of {expected!r}")

    def create_room(self, name: str, kind: str = "public", members: tuple[str, ...] = ()) -> None:
        details = self.find("new-room")
        if not details.get_attribute("open"):
            details.find_element(By.TAG_NAME, "summary").click()
        self.find("new-room-name").send_keys(name)
        self.find(f"new-room-kind-{kind}").click()
        for member in members:
            self.wait(lambda: self.find_all(f"member-choice-{member}"), f"{member} among the member choices")[0].click()
        self.find("new-room-create").click()

    # ---- messages ----

    def message_texts(self) -> list[str]:
        return self.driver.execute_script(
            "return [...document.querySelectorAll('[data-testid=\"messages\"] [data-testid=\"message\"] [data-testid=\"message-text\"]')]"
            ".map((node) => node.textContent)")

    def wait_texts(self, expected: list[str], message: str = "") -> list[str]:
        self.wait(lambda: self.message_texts()[-len(expected):] == expected, message or f"messages {expected}")
        return self.message_texts()

    def wait_message(self, text: str) -> None:
        self.wait(lambda: text in self.message_texts(), f"message {text!r}")

    def message_node(self, text: str):
        for node in self.find_all("message", self.find("messages")):
            if self.find("message-text", node).text == text:
                return node
        return None

    def type(self, text: str) -> None:
        self.find("composer-input").send_keys(text)

    def send(self, text: str) -> None:
        box = self.find("composer-input")
        box.send_keys(text)
        box.send_keys(Keys.ENTER)
        self.wait(lambda: text in self.message_texts() and not self.find_all("pending-message"), f"{text!r} acknowledged")

    def banner(self) -> str:
        node = self.find("connection-banner")
        return node.text if node.is_displayed() else ""
