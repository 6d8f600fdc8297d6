import ChatEngine
import Testing

@Suite struct UserTests {
    @Test func registeringRecordsTheUserWithTheNextID() {
        var h = Harness()
        h.advance(42)
        let alice = User(id: UserID(1), username: "Alice", registeredAt: Instant(milliseconds: 42))
        #expect(h.run(.register(username: "Alice")) == Outcome(.success(.user(alice)), events: [.fact(.userRegistered(alice))]))
        let bob = User(id: UserID(2), username: "bob.b+1@x_y-z", registeredAt: Instant(milliseconds: 42))
        #expect(h.run(.register(username: "bob.b+1@x_y-z")) == Outcome(.success(.user(bob)), events: [.fact(.userRegistered(bob))]))
        #expect(h.engine.user(named: "ALICE") == alice)
        #expect(h.engine.allUsers == [alice, bob])
    }

    @Test func lettersAndDigitsOfAnyScriptAreValid() {
        var h = Harness()
        #expect(h.run(.register(username: "Zoë_Ωmega9")).rejection == nil)
        #expect(h.run(.register(username: String(repeating: "a", count: 150))).rejection == nil)
    }

    @Test(arguments: ["", "has space", "slash/", "semi;colon", "tab\t", String(repeating: "a", count: 151), "emoji😀"])
    func invalidUsernamesAreRejected(_ name: String) {
        var h = Harness()
        #expect(h.run(.register(username: name)) == rejected(.invalidUsername))
        #expect(h.run(.register(username: name)).rejection?.message == "Username must be 1 to 150 characters: letters, digits and @ . + - _ only")
        #expect(h.engine.allUsers.isEmpty)
    }

    @Test func usernamesAreUniqueCaseInsensitively() {
        var h = Harness()
        _ = h.register("alice")
        #expect(h.run(.register(username: "ALICE")) == rejected(.usernameTaken))
        #expect(Rejection.usernameTaken.message == "A user with that username already exists")
        #expect(h.engine.allUsers.count == 1)
    }
}
