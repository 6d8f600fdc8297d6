import Foundation

/// A README code example and the test that runs it, kept equal: the first ```swift block under
/// a heading of the README, and the lines between `// README example begin` and `// README
/// example end` in the test's source.
public enum ReadmeExample {
    public struct NotFound: Error {}

    /// The first ```swift block under `heading` in the package's README.
    public static func block(under heading: String, packageRoot: URL) throws -> String {
        let readme = try String(contentsOf: packageRoot.appending(path: "README.md"), encoding: .utf8)
        guard let section = readme.range(of: heading),
              let start = readme.range(of: "```swift\n", range: section.upperBound..<readme.endIndex),
              let end = readme.range(of: "```", range: start.upperBound..<readme.endIndex)
        else { throw NotFound() }
        return String(readme[start.upperBound..<end.lowerBound])
    }

    /// The lines between the example markers in `file`, without the test's indentation (8 spaces).
    public static func markedLines(in file: String) throws -> String {
        let source = try String(contentsOf: URL(filePath: file), encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard let begin = lines.firstIndex(where: { $0.hasSuffix("// README example begin") }),
              let end = lines.firstIndex(where: { $0.hasSuffix("// README example end") })
        else { throw NotFound() }
        return lines[(begin + 1)..<end].map { String($0.dropFirst(min(8, $0.prefix { $0 == " " }.count))) + "\n" }.joined()
    }

    /// The package's root, from a test file's path (`Tests/<target>/<file>`).
    public static func packageRoot(of file: String) -> URL {
        URL(filePath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
