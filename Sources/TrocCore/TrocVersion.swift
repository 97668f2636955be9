/// The release of Troc this build is: printed by `trocd --version` and `troc --version`, and the Debian package's version.
public enum TrocVersion {
    /// Semantic version; `Deploy/debian/changelog`'s first entry must carry the same one (the package script checks).
    public static let current = "0.1.0"
}
