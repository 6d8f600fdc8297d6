/// The engine's input rules for names and texts.
enum Validation {
    /// The longest username, in characters.
    static let maxUsernameLength = 150
    /// The longest room name, in characters.
    static let maxRoomNameLength = 100
    /// The longest client message id, in characters.
    static let maxClientMessageIDLength = 100

    /// 1–150 letters, digits or `@.+-_` (Django's username rule).
    static func isValidUsername(_ name: String) -> Bool {
        var count = 0
        for character in name {
            count += 1
            guard count <= maxUsernameLength else { return false }
            guard character.isLetter || character.isNumber || "@.+-_".contains(character) else { return false }
        }
        return count > 0
    }

    /// 1–100 characters, not only whitespace, no `/` and no control characters.
    static func isValidRoomName(_ name: String) -> Bool {
        guard !name.allSatisfy(\.isWhitespace) else { return false }
        var count = 0
        for character in name {
            count += 1
            guard count <= maxRoomNameLength, character != "/" else { return false }
            guard !character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                return false
            }
        }
        return true
    }

    /// Checks a message text against the emptiness, NUL and length rules.
    static func checkMessageText(_ text: String, maxLength: Int) throws(Rejection) {
        guard !text.allSatisfy(\.isWhitespace) else { throw .emptyMessage }
        guard !containsNul(text) else { throw .textContainsNul }
        // Every character takes at least one UTF-8 byte, so short texts need no counting.
        guard text.utf8.count > maxLength else { return }
        var count = 0
        for _ in text {
            count += 1
            if count > maxLength { throw .messageTooLong(limit: maxLength) }
        }
    }

    /// 1–100 characters, none of them U+0000.
    static func checkClientMessageID(_ id: String?) throws(Rejection) {
        guard let id else { return }
        guard !id.isEmpty, id.utf8.count <= maxClientMessageIDLength || id.count <= maxClientMessageIDLength, !containsNul(id) else {
            throw .invalidClientMessageID
        }
    }

    /// Whether `text` holds U+0000, looked for in its UTF-8 bytes in place (iterating
    /// `String.UTF8View` cost the engine bench's one-room scenario 30 % of its commands/s).
    static func containsNul(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(0) } ?? text.utf8.contains(0)
    }

    /// The case-insensitive key under which a username is unique.
    static func usernameKey(_ name: String) -> String { name.lowercased() }
}
