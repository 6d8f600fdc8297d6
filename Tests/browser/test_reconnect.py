"""The socket dies under the page (a network cut, then the server killed with SIGKILL): the page
says it is reconnecting, comes back by itself, and shows every message sent meanwhile exactly
once, in order."""

import pytest
from selenium.webdriver.common.keys import Keys

from proxy import Proxy
from support import wait_until


@pytest.fixture
def proxy(server):
    relay = Proxy(server.port)
    yield relay
    relay.close()


def test_a_cut_network_and_a_killed_server_lose_no_message(server, rest, browsers, proxy):
    alice_token = rest.user("alice")
    rest.user("bob")
    team = rest.ok("POST", "/api/rooms/with-members", {"name": "team", "members": ["bob"]}, alice_token)
    lobby = rest.ok("POST", "/api/rooms", {"name": "lobby"}, alice_token)

    bob = browsers("bob", base=proxy.url).open().login()
    bob.open_room("team")
    rest.post(alice_token, team["id"], "before the cut")
    bob.wait_texts(["before the cut"])
    assert bob.banner() == ""
    # Kept through a `recovered: true` resume (appended to); a replaced page would make it stale.
    first = bob.message_node("before the cut")

    # The network drops, and stays down while alice writes.
    proxy.refusing = True
    assert proxy.cut() >= 1
    bob.wait(lambda: bob.banner() == "Reconnecting…", "the Reconnecting… banner")
    bob.screenshot("07-reconnecting-banner")
    missed = [f"missed {number}" for number in (1, 2, 3)]
    for text in missed:
        rest.post(alice_token, team["id"], text)
    rest.post(alice_token, lobby["id"], "lobby while away 1")
    rest.post(alice_token, lobby["id"], "lobby while away 2")
    assert bob.banner() == "Reconnecting…"

    # Bob writes meanwhile: the message waits in the outbox, shown as being sent.
    box = bob.find("composer-input")
    box.send_keys("written offline")
    box.send_keys(Keys.ENTER)
    bob.wait(lambda: bob.find_all("pending-message"), "the message shown as being sent")

    # Back: the banner goes, the missed messages are there exactly once, in order, and bob's
    # own message is sent once, after them.
    proxy.refusing = False
    bob.wait(lambda: bob.banner() == "", "the banner to go", timeout=30)
    bob.wait_texts(["before the cut", *missed, "written offline"])
    bob.wait(lambda: not bob.find_all("pending-message"), "the outbox to empty")
    assert bob.message_texts() == ["before the cut", *missed, "written offline"]
    assert first.text.endswith("before the cut"), "the resumed room's messages were redrawn, not appended to"
    bob.wait(lambda: bob.badge("lobby") == 2, "lobby's badge for the messages missed there")
    stored = [m["message"] for m in rest.ok("GET", f"/api/rooms/{team['id']}/messages", token=alice_token)]
    assert stored == ["before the cut", *missed, "written offline"]

    # Live again: both ways.
    rest.post(alice_token, team["id"], "live again")
    bob.wait_texts(["before the cut", *missed, "written offline", "live again"])
    bob.send("I'm back")
    wait_until(lambda: [m["message"] for m in rest.ok("GET", f"/api/rooms/{team['id']}/messages", token=alice_token)][-1] == "I'm back",
               message="bob's message stored")

    # The server dies without a word and comes back on the same database.
    server.kill()
    bob.wait(lambda: bob.banner() == "Reconnecting…", "the banner after SIGKILL")
    server.start()
    bob.wait(lambda: bob.banner() == "", "the banner to go after the restart", timeout=30)
    rest.post(alice_token, team["id"], "after the restart")
    expected = ["before the cut", *missed, "written offline", "live again", "I'm back", "after the restart"]
    bob.wait_texts(expected)
    assert bob.message_texts() == expected
    assert first.text.endswith("before the cut"), "the same epoch after a restart must resume, not replace"
    bob.send("still here")
    assert [m["message"] for m in rest.ok("GET", f"/api/rooms/{team['id']}/messages", token=alice_token)][-1] == "still here"


def test_a_token_that_died_while_away_sends_the_page_back_to_login(server, rest, browsers, proxy):
    rest.user("alice")
    alice = browsers("alice", base=proxy.url).open().login()
    proxy.refusing = True
    proxy.cut()
    alice.wait(lambda: alice.banner() == "Reconnecting…", "the banner")
    rest.ok("POST", "/api/logout", token=alice.token())
    proxy.refusing = False
    # The socket's reconnect is refused with 4401: the page goes back to the login screen.
    alice.wait_visible("auth-form")
    alice.wait(lambda: alice.find("notice").text == "Your session has ended. Please log in again.", "the notice")
    assert alice.banner() == ""
    assert alice.token() is None


def test_too_much_missed_replaces_the_page_and_rooms_changed_while_away_are_caught_up(server, rest, browsers, proxy):
    alice_token = rest.user("alice")
    rest.user("bob")
    team = rest.ok("POST", "/api/rooms/with-members", {"name": "team", "members": ["bob"]}, alice_token)
    old = rest.ok("POST", "/api/rooms/with-members", {"name": "old group", "members": ["bob"]}, alice_token)
    bob = browsers("bob", base=proxy.url).open().login()
    bob.wait_room("old group")
    bob.open_room("team")
    rest.post(alice_token, team["id"], "message 1")
    bob.wait_texts(["message 1"])

    proxy.refusing = True
    proxy.cut()
    bob.wait(lambda: bob.banner() == "Reconnecting…", "the banner")
    # More than the server resumes (1 000), a group bob joins and one he is removed from.
    texts = [f"message {number}" for number in range(2, 1004)]
    for text in texts:
        rest.post(alice_token, team["id"], text)
    new = rest.ok("POST", "/api/rooms/with-members", {"name": "new group", "members": ["bob"]}, alice_token)
    rest.ok("DELETE", f"/api/rooms/{old['id']}/members/bob", token=alice_token)
    proxy.refusing = False

    # `recovered: false`: the latest page replaces what bob had; no gap is shown as continuous.
    bob.wait(lambda: bob.banner() == "", "the banner to go", timeout=30)
    bob.wait(lambda: bob.message_texts() == texts[-50:], "the latest page in place of the old messages")
    bob.wait(lambda: bob.find("load-older").is_displayed(), "older messages offered")
    bob.driver.execute_script("document.querySelector('[data-testid=\"messages\"]').scrollTop = 0")
    bob.wait(lambda: bob.message_texts() == texts[-100:], "the page before, loaded on scrolling up")

    # The rooms: the new group is there and live, the old one gone with a word.
    bob.wait_room("new group")
    assert "old group" not in bob.room_names()
    rest.post(alice_token, new["id"], "welcome")
    bob.wait(lambda: bob.badge("new group") == 1, "the new group's badge")
    rest.post(alice_token, team["id"], "and now live")
    bob.wait(lambda: bob.message_texts()[-1] == "and now live", "live messages after the replaced page")
