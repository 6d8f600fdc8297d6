"""What a page must never do: show a group to someone outside it, or run markup from a message."""

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

PAYLOAD = "<img src=x onerror=alert(1)>"


def test_a_third_user_cannot_see_the_group(server, rest, browsers):
    alice_token = rest.user("alice")
    rest.user("bob")
    rest.user("carol")
    team = rest.ok("POST", "/api/rooms/with-members", {"name": "team", "members": ["bob"]}, alice_token)
    rest.post(alice_token, team["id"], "secret plans")
    rest.ok("POST", "/api/rooms", {"name": "lobby"}, alice_token)

    carol = browsers("carol").open().login()
    carol.wait_room("lobby")
    assert "team" not in carol.room_names()
    assert "secret plans" not in carol.driver.find_element(By.TAG_NAME, "body").text

    status, body, _ = rest.call("GET", f"/api/rooms/{team['id']}/messages", token=carol.token())
    assert status == 403
    assert body == {"error": "You are not a member of this room"}
    status, _, _ = rest.call("GET", f"/api/rooms/{team['id']}/online", token=carol.token())
    assert status == 403


def test_markup_in_a_message_or_a_room_name_is_shown_as_text(server, rest, browsers):
    alice_token = rest.user("alice")
    rest.user("bob")
    room_name = "<img src=x onerror=alert(2)>"
    rest.ok("POST", "/api/rooms", {"name": room_name}, alice_token)

    alice = browsers("alice").open().login()
    bob = browsers("bob").open().login()
    for page in (alice, bob):
        page.open_room(room_name)
    alice.send(PAYLOAD)
    bob.wait_texts([PAYLOAD])

    for page in (alice, bob):
        assert page.driver.find_elements(By.CSS_SELECTOR, '[data-testid="messages"] img') == []
        assert page.driver.find_elements(By.CSS_SELECTOR, '[data-testid="room-list"] img') == []
        assert page.find("chat-title").text == room_name
        assert page.message_node(PAYLOAD).find_element(By.CSS_SELECTOR, '[data-testid="message-text"]').text == PAYLOAD
        try:
            alert = page.driver.switch_to.alert
            raise AssertionError(f"{page.name}: an alert opened: {alert.text}")
        except NoAlertPresentException:
            pass
    bob.screenshot("04-xss-message-as-text")


def test_a_removed_member_loses_the_room_at_once(server, rest, browsers):
    alice_token = rest.user("alice")
    rest.user("bob")
    team = rest.ok("POST", "/api/rooms/with-members", {"name": "team", "members": ["bob"]}, alice_token)
    rest.post(alice_token, team["id"], "for members only")
    bob = browsers("bob").open().login()
    bob.open_room("team")
    bob.wait_texts(["for members only"])

    rest.ok("DELETE", f"/api/rooms/{team['id']}/members/bob", token=alice_token)
    bob.wait(lambda: "team" not in bob.room_names(), "team gone from the list")
    bob.wait(lambda: bob.find("notice").text == "You were removed from team.", "the notice")
    assert bob.find("chat-empty").is_displayed()
    assert "for members only" not in bob.driver.find_element(By.TAG_NAME, "body").text
    rest.post(alice_token, team["id"], "after bob left")
    assert rest.call("GET", f"/api/rooms/{team['id']}/messages", token=bob.token())[0] == 403
