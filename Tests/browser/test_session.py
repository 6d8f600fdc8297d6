"""The session: a reload keeps it, logout ends it (and the token with it), errors are shown in
the server's words, and the page runs under the server's Content-Security-Policy without a
single console error."""

import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys


def test_a_reload_keeps_the_session_and_the_open_room(server, rest, browsers):
    alice_token = rest.user("alice")
    lobby = rest.ok("POST", "/api/rooms", {"name": "lobby"}, alice_token)
    rest.post(alice_token, lobby["id"], "hello from before")
    alice = browsers("alice").open().login()
    alice.open_room("lobby")
    alice.wait_texts(["hello from before"])

    alice.driver.refresh()
    alice.wait_logged_in()
    alice.wait_room("lobby")
    alice.wait(lambda: alice.find("chat-title").text == "lobby", "the open room to stay open")
    alice.wait_texts(["hello from before"])
    alice.send("after the reload")


def test_logout_returns_to_the_login_screen_and_kills_the_token(server, rest, browsers):
    rest.user("alice")
    alice = browsers("alice").open().login()
    token = alice.token()
    assert rest.call("GET", "/api/rooms", token=token)[0] == 200

    alice.find("logout").click()
    alice.wait_visible("auth-form")
    assert not alice.find("app-screen").is_displayed()
    assert alice.token() is None
    alice.wait(lambda: alice.find("notice").text == "You have logged out.", "the logout notice")
    status, body, _ = rest.call("GET", "/api/rooms", token=token)
    assert status == 401, body

    # A reload stays logged out; logging in again works.
    alice.driver.refresh()
    alice.wait_visible("auth-form")
    alice.login()


def test_a_token_killed_elsewhere_sends_the_page_back_to_login_at_once(server, rest, browsers):
    rest.user("alice")
    alice = browsers("alice").open().login()
    rest.ok("POST", "/api/logout", token=alice.token())
    # The logout closes the token's socket with 4401: the page goes back to the login screen
    # without waiting for a reload or a REST call.
    alice.wait_visible("auth-form")
    alice.wait(lambda: alice.find("notice").text == "Your session has ended. Please log in again.", "the notice")
    assert alice.token() is None


def test_errors_are_shown_in_the_servers_words(server, rest, browsers):
    alice_token = rest.user("alice")
    rest.ok("POST", "/api/rooms", {"name": "lobby"}, alice_token)
    page = browsers("someone").open()

    page.fill_auth("ALICE", "another password")
    page.find("register-button").click()
    page.wait(lambda: page.find("auth-error").text == "A user with that username already exists", "the taken-name error")
    page.screenshot("08-register-error")

    status, body, _ = rest.call("POST", "/api/register", {"username": "dave", "password": "short"})
    assert status == 400
    page.fill_auth("dave", "short")
    page.find("register-button").click()
    page.wait(lambda: page.find("auth-error").text == body["error"], "the short-password error")

    page.fill_auth("alice", "wrong password")
    page.find("login-button").click()
    page.wait(lambda: page.find("auth-error").text == "Invalid username or password", "the login error")

    page.fill_auth("alice", "correct horse")
    page.find("login-button").click()
    page.name = "alice"
    page.wait_logged_in()
    page.create_room("lobby")
    page.wait(lambda: page.find("new-room-error").text == "A room with that name already exists", "the taken-room error")


def test_the_csp_header_is_sent_and_the_console_stays_clean(server, rest, browsers):
    with urllib.request.urlopen(server.url + "/") as response:
        csp = response.headers["Content-Security-Policy"]
        page_text = response.read().decode()
    assert csp, "no Content-Security-Policy on /"
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'"):
        assert directive in csp, csp
    assert 'data-testid="auth-form"' in page_text

    rest.user("bob")
    alice = browsers("alice").open()
    alice.register()
    alice.create_room("team", "group", ("bob",))
    alice.wait(lambda: alice.find("chat-title").text == "team", "the group to open")
    alice.send("hello <b>world</b>")
    node = alice.message_node("hello <b>world</b>")
    ActionChains(alice.driver).move_to_element(node).perform()
    alice.find("edit-message", node).click()
    box = alice.wait(lambda: alice.find_all("edit-input"), "the edit box")[0]
    box.send_keys(" again" + Keys.ENTER)
    alice.wait_texts(["hello <b>world</b> again"])
    alice.find("members-toggle").click()
    alice.wait_visible("members-panel")
    alice.find("members-close").click()
    assert alice.driver.switch_to.active_element.get_attribute("data-testid") == "members-toggle"
    alice.find("members-toggle").click()
    alice.wait_visible("members-panel")
    alice.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    alice.wait(lambda: not alice.find("members-panel").is_displayed(), "Escape to close the panel")
    alice.driver.refresh()
    alice.wait_logged_in()
    alice.wait_texts(["hello <b>world</b> again"])

    entries = alice.read_console()
    errors = [entry for entry in entries if entry["level"] in ("SEVERE", "WARNING")]
    assert errors == [], errors
