import TrocCLI

/// `troc`'s entry point: the commands live in `TrocCLI`, where tests run them with their output captured.
@main
enum TrocMain {
    /// Runs `troc` with the process's arguments and exits with its documented code.
    static func main() async {
        await Troc.main()
    }
}
