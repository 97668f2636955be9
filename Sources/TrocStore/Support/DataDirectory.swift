/// The layout of a data directory: `troc.sqlite` and `blobs/`, side by side, as `trocd` keeps them and backups copy them.
package struct DataDirectory: Sendable, Equatable {
    /// File name of the database.
    package static let databaseFileName = "troc.sqlite"
    /// Name of the blob directory.
    package static let blobsDirectoryName = "blobs"

    /// The directory.
    package var path: String

    /// The data directory at `path`.
    package init(path: String) {
        self.path = path
    }

    /// Path of the SQLite database.
    package var databasePath: String { path + "/" + Self.databaseFileName }
    /// Path of the blob directory.
    package var blobsPath: String { path + "/" + Self.blobsDirectoryName }
}
