extension Result {
    /// The outcome of an asynchronous `body`, keeping its typed error: the standard library's `init(catching:)` only takes
    /// a synchronous closure, and the record store's calls are asynchronous.
    init(catching body: () async throws(Failure) -> Success) async {
        do throws(Failure) {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
