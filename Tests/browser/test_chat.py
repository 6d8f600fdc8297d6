"""Two (or three) people chatting, each in their own browser: groups, typing, presence, unread
badges, direct messages, editing and deleting, older pages, and the members panel."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from support import wait_until


def test_two_users_chat_both_ways_with_typing_presence_and_unread_badges(server, rest, browsers):
    alice = browsers("alice").open()
    alice.screenshot("01-login")
    alice.register()
    bob = browsers("bob").open()
    bob.register()

    bob.create_room("lobby")
    bob.wait(lambda: bob.find("chat-title").text == "lobby", "bob's new room to open")
    alice.create_room("team", "group", ("bob",))
    alice.wait(lambda: alice.find("chat-title").text == "team", "alice's new group to open")
    bob.open_room("team")  # pushed to bob's list as `room`

    # Each sees the other online in the group.
    alice.wait(lambda: alice.find("online").text == "Online: bob", "bob online")
    bob.wait(lambda: bob.find("online").text == "Online: alice", "alice online")

    # Typing shows while alice types and stops with her message.
    alice.type("Hi Bob")
    bob.wait(lambda: bob.find("typing").text == "alice is typing…", "alice is typing…")
    alice.find("composer-input").send_keys(Keys.ENTER)
    bob.wait_texts(["Hi Bob"])
    bob.wait(lambda: bob.find("typing").text == "", "the typing line to clear")

    bob.send("Hi Alice! How are things?")
    alice.wait_texts(["Hi Bob", "Hi Alice! How are things?"])

    # Typing without sending stops by itself after a few idle seconds.
    bob.type("thinking")
    alice.wait(lambda: alice.find("typing").text == "bob is typing…", "bob is typing…")
    alice.screenshot("03-chat-typing")
    alice.wait(lambda: alice.find("typing").text == "", "bob's idle typing to end", timeout=15)
    bob.find("composer-input").send_keys(Keys.CONTROL, "a")
    bob.find("composer-input").send_keys(Keys.BACKSPACE)

    # Bob in another room: alice's messages add up on the group's badge.
    bob.open_room("lobby")
    for number in (1, 2, 3):
        alice.send(f"news {number}")
    bob.wait(lambda: bob.badge("team") == 3, "a badge of 3 on team")
    bob_token = bob.token()
    assert rest.room_named(bob_token, "team")["unread"] == 3
    assert bob.badge("lobby") == 0
    bob.screenshot("02-room-list-unread")

    # Opening the room reads it: the badge goes, and the server's marker moves.
    bob.open_room("team")
    bob.wait(lambda: bob.badge("team") == 0, "team's badge to go")
    assert bob.message_texts() == ["Hi Bob", "Hi Alice! How are things?", "news 1", "news 2", "news 3"]
    wait_until(lambda: rest.room_named(bob_token, "team")["unread"] == 0, message="bob's read marker on the server")

    # A message arriving in the open room is read at once: no badge.
    alice.send("still there?")
    bob.wait_message("still there?")
    wait_until(lambda: rest.room_named(bob_token, "team")["read_seq"] == 6, message="bob's marker at seq 6")
    assert bob.badge("team") == 0

    # The picture for the docs: alice's chat, bob typing, the members panel open.
    bob.send("All good here. The new release went out this morning, and the reports look fine so far.")
    alice.send("Great news, thank you! Let's review it together tomorrow at 10.")
    alice.find("members-toggle").click()
    alice.wait_visible("members-panel")
    bob.type("Sounds good")
    alice.wait(lambda: alice.find("typing").text == "bob is typing…", "bob is typing…")
    alice.screenshot("05-chat")


def test_a_direct_message_reaches_the_other_person(server, rest, browsers):
    rest.user("alice")
    rest.user("bob")
    alice = browsers("alice").open().login()
    bob = browsers("bob").open().login()

    alice.find("new-dm").find_element("tag name", "summary").click()
    alice.wait(lambda: any(o.get_attribute("value") == "bob" for o in alice.find("dm-user").find_elements("tag name", "option")), "bob in the picker")
    from selenium.webdriver.support.ui import Select
    Select(alice.find("dm-user")).select_by_value("bob")
    alice.find("dm-open").click()
    alice.wait(lambda: alice.find("chat-title").text == "Chat with bob", "the DM to open")
    alice.send("psst")

    item = bob.wait_room("alice, bob")
    assert item.find_element("css selector", ".room-name").text == "alice"
    assert item in bob.find_all("room-item", bob.find("rooms-private"))
    bob.wait(lambda: bob.badge("alice, bob") == 1, "a badge on the DM")
    bob.open_room("alice, bob", "Chat with alice")
    bob.wait_texts(["psst"])
    bob.send("yes?")
    alice.wait_texts(["psst", "yes?"])


def test_editing_and_deleting_messages(server, rest, browsers):
    alice_token = rest.user("alice")
    rest.user("bob")
    rest.ok("POST", "/api/rooms/with-members", {"name": "team", "members": ["bob"]}, alice_token)
    alice = browsers("alice").open().login()
    bob = browsers("bob").open().login()
    alice.open_room("team")
    bob.open_room("team")

    alice.send("helo")
    bob.wait_texts(["helo"])

    def start_edit(page, text):
        node = page.message_node(text)
        ActionChains(page.driver).move_to_element(node).perform()
        page.find("edit-message", node).click()
        return page.wait(lambda: page.find_all("edit-input"), "the edit box")[0]

    # Escape cancels an edit and gives the focus back to its Edit button.
    box = start_edit(alice, "helo")
    box.send_keys(" there")
    box.send_keys(Keys.ESCAPE)
    alice.wait(lambda: not alice.find_all("edit-input"), "the edit box to close")
    assert alice.message_texts() == ["helo"]
    assert alice.driver.switch_to.active_element.get_attribute("data-testid") == "edit-message"

    # Enter saves; both see the new text, marked edited.
    box = start_edit(alice, "helo")
    box.clear()
    box.send_keys("hello")
    box.send_keys(Keys.ENTER)
    for page in (alice, bob):
        page.wait_texts(["hello"])
        page.wait(lambda: page.find_all("message-edited", page.message_node("hello")), "the (edited) mark")

    # Bob may not delete alice's message (no button); alice, the owner, may delete bob's.
    bob.send("oops")
    alice.wait_texts(["hello", "oops"])
    assert not bob.find_all("delete-message", bob.message_node("hello"))
    assert bob.find_all("delete-message", bob.message_node("oops"))
    node = alice.message_node("oops")
    ActionChains(alice.driver).move_to_element(node).perform()
    alice.find("delete-message", node).click()
    alice.find("confirm-delete", node).click()
    for page in (alice, bob):
        page.wait_texts(["hello", "This message was deleted."])

    # Alice deletes her own; the edited one goes too.
    node = alice.message_node("hello")
    ActionChains(alice.driver).move_to_element(node).perform()
    alice.find("delete-message", node).click()
    alice.find("confirm-delete", node).click()
    bob.wait_texts(["This message was deleted.", "This message was deleted."])
    assert rest.ok("GET", f"/api/rooms/{rest.room_named(alice_token, 'team')['id']}/messages", token=alice_token) == []


def test_older_messages_load_when_scrolling_to_the_top(server, rest, browsers):
    alice_token = rest.user("alice")
    rest.user("bob")
    lobby = rest.ok("POST", "/api/rooms", {"name": "lobby"}, alice_token)
    texts = [f"message {number}" for number in range(1, 131)]
    for text in texts:
        rest.post(alice_token, lobby["id"], text)

    bob = browsers("bob").open().login()
    bob.open_room("lobby")
    bob.wait(lambda: bob.message_texts() == texts[-50:], "the latest page of 50")
    bob.wait(lambda: bob.find("load-older").is_displayed(), "the load-older button")
    for shown in (100, 130):
        bob.driver.execute_script("document.querySelector('[data-testid=\"messages\"]').scrollTop = 0")
        bob.wait(lambda: len(bob.message_texts()) >= shown, f"{shown} messages after scrolling up")
    assert bob.message_texts() == texts
    bob.wait(lambda: not bob.find("load-older").is_displayed(), "no more older messages")


def test_group_members_roles_adding_removing_and_leaving(server, rest, browsers):
    alice_token = rest.user("alice")
    rest.user("bob")
    rest.user("carol")
    rest.ok("POST", "/api/rooms/with-members", {"name": "team", "members": ["bob"]}, alice_token)
    alice = browsers("alice").open().login()
    bob = browsers("bob").open().login()
    for page in (alice, bob):
        page.open_room("team")
        page.find("members-toggle").click()
        page.wait_visible("members-panel")

    def roles(page):
        return {node.get_attribute("data-username"): page.find("member-role", node).text for node in page.find_all("member")}

    alice.wait(lambda: roles(alice) == {"alice": "owner", "bob": "member"}, "alice owner, bob member")

    # Adding: an unknown user is refused in the server's words; carol is added.
    alice.find("add-member-input").send_keys("nobody" + Keys.ENTER)
    alice.wait(lambda: alice.find("members-error").text == "Unknown user: nobody", "the server's error")
    field = alice.find("add-member-input")
    field.clear()
    field.send_keys("carol" + Keys.ENTER)
    for page in (alice, bob):
        page.wait(lambda: roles(page) == {"alice": "owner", "bob": "member", "carol": "member"}, "carol added")

    # The owner makes bob an admin; bob's panel learns it from the push.
    from selenium.webdriver.support.ui import Select
    bob_row = next(node for node in alice.find_all("member") if node.get_attribute("data-username") == "bob")
    Select(alice.find("role-select", bob_row)).select_by_value("admin")
    bob.wait(lambda: roles(bob).get("bob") == "admin", "bob admin in his own panel")
    alice.screenshot("06-members-panel")

    # After a reload, roles come from the room list (the server's `roles`), not from pushes.
    bob.driver.refresh()
    bob.wait_room("team")
    bob.open_room("team")
    bob.find("members-toggle").click()
    bob.wait_visible("members-panel")
    bob.wait(lambda: roles(bob) == {"alice": "owner", "bob": "admin", "carol": "member"}, "roles after a reload")

    # An admin may remove a plain member.
    carol_row = bob.wait(lambda: next((n for n in bob.find_all("member") if n.get_attribute("data-username") == "carol" and bob.find_all("remove-member", n)), None), "a Remove button for carol")
    bob.find("remove-member", carol_row).click()
    alice.wait(lambda: "carol" not in roles(alice), "carol gone from alice's panel")

    # Bob leaves: the room leaves his list, alice sees one member.
    bob.find("leave-group").click()
    bob.wait(lambda: "team" not in bob.room_names(), "team gone from bob's list")
    bob.wait(lambda: bob.find("notice").text == "You left team.", "the notice")
    alice.wait(lambda: roles(alice) == {"alice": "owner"}, "only alice left")
