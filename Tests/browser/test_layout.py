"""The page at phone width (375 px): the room list and the chat take the screen in turn, with a
way back, and nothing scrolls sideways."""


def no_sideways_scroll(page):
    return page.driver.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_phone_width_stacks_the_list_and_the_chat(server, rest, browsers):
    alice_token = rest.user("alice")
    rest.user("bob")
    team = rest.ok("POST", "/api/rooms/with-members", {"name": "team", "members": ["bob"]}, alice_token)
    rest.ok("POST", "/api/rooms", {"name": "lobby"}, alice_token)
    for number in range(1, 4):
        rest.post(alice_token, team["id"], f"Good morning! This is message number {number}, long enough to wrap on a phone screen.")

    bob = browsers("bob", width=375, height=740).open()
    bob.screenshot("09-phone-login")
    bob.login()
    bob.wait_room("team")
    bob.wait(lambda: bob.badge("team") == 3, "the badge")
    assert not bob.find("chat").is_displayed()
    assert no_sideways_scroll(bob)
    bob.screenshot("10-phone-room-list")

    bob.open_room("team")
    assert not bob.find("room-list").is_displayed()
    assert bob.find("back-to-rooms").is_displayed()
    bob.send("Morning!")
    assert no_sideways_scroll(bob)
    bob.screenshot("11-phone-chat")

    bob.find("members-toggle").click()
    bob.wait_visible("members-panel")
    bob.screenshot("12-phone-members")
    bob.find("members-close").click()

    bob.find("back-to-rooms").click()
    bob.wait(lambda: bob.find("room-list").is_displayed(), "the room list again")
    assert not bob.find("chat").is_displayed()
    bob.wait(lambda: bob.badge("team") == 0, "no badge once read")

    # The browser's Back button goes back to the list too.
    bob.open_room("lobby")
    bob.driver.back()
    bob.wait(lambda: bob.find("room-list").is_displayed(), "the list after Back")
