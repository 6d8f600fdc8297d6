extension ChatEngine {
    mutating func register(username: String, at now: Instant, into events: inout [Event]) throws(Rejection) -> Reply {
        guard Validation.isValidUsername(username) else { throw .invalidUsername }
        guard userIDsByKey[Validation.usernameKey(username)] == nil else { throw .usernameTaken }
        let user = User(id: UserID(Int64(users.count) + 1), username: username, registeredAt: now)
        record(.userRegistered(user), into: &events)
        return .user(user)
    }
}
