import ChatProtocol
import Testing

@Suite("The password rule for new accounts")
struct PasswordRuleTests {
    @Test func passwordRuleMessages() {
        #expect(RegisterRequest.passwordProblem("") == "Password must be at least 8 characters")
        #expect(RegisterRequest.passwordProblem("1234567") == "Password must be at least 8 characters")
        #expect(RegisterRequest.passwordProblem("12345678") == nil)
        #expect(RegisterRequest.passwordProblem(String(repeating: "a", count: 72)) == nil)
        #expect(RegisterRequest.passwordProblem(String(repeating: "a", count: 73)) == "Password must be at most 72 bytes")
        // 37 characters but 74 UTF-8 bytes: bcrypt would silently ignore the end.
        #expect(RegisterRequest.passwordProblem(String(repeating: "é", count: 37)) == "Password must be at most 72 bytes")
        // 7 characters, 28 bytes: characters are counted, not bytes.
        #expect(RegisterRequest.passwordProblem(String(repeating: "😀", count: 7)) == "Password must be at least 8 characters")
        #expect(RegisterRequest.passwordProblem(String(repeating: "😀", count: 8)) == nil)
        // bcrypt stops at the first NUL: these would be "" and "12345678".
        #expect(RegisterRequest.passwordProblem(String(repeating: "\u{0}", count: 8)) == "Password must not contain U+0000 (NUL)")
        #expect(RegisterRequest.passwordProblem("12345678\u{0}tail") == "Password must not contain U+0000 (NUL)")
    }
}
