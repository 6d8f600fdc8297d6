/// The message texts a workload sends: valid ones (boundary length included) and refused ones.
enum Texts {
    /// Accepted texts.
    static let valid = [
        "hi", "hello there", "ok 👍", "café", "e\u{301}", "  spaced out  ", "line one\nline two",
        "🇫🇷 flags are one character", String(repeating: "x", count: 4_000),
    ]
    /// Accepted texts an edit puts in place.
    static let edited = ["edited", "hello there (fixed)", "👍", String(repeating: "z", count: 4_000)]
    /// Empty, whitespace-only and one-character-too-long texts.
    static let invalid = ["", " ", "\n\t ", String(repeating: "y", count: 4_001), String(repeating: "👍", count: 4_001)]
}
