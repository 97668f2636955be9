package import Foundation

/// Where the tests find the repository's files and the project's shared checkers, from this file's path, so that they
/// run from any working directory.
package enum Repository {
    /// The package root: the nearest ancestor of this file that holds `Package.swift`.
    package static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// `path` below the package root.
    package static func file(_ path: String) -> URL {
        root.appendingPathComponent(path)
    }

    /// What stops a test from reaching a file outside the repository.
    package struct Missing: Error, CustomStringConvertible {
        package let description: String
    }

    /// `shared/<relativePath>` beside the nearest ancestor of the repository that has it: the project's rulebook, data
    /// and checkers, `../shared` beside the checkout in CI.
    package static func sharedFile(_ relativePath: String) throws -> URL {
        var directory = root
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared").appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw Missing(description: "shared/\(relativePath) not found beside any ancestor of \(root.path)")
    }
}
