/// The words a framed format puts into `FramingFailure` messages: its name, and what a damaged stream of it asks for.
struct FramingWording: Sendable {
    /// What goes before "chunk" and "record": nothing for envelopes, "blob " for blobs.
    let unit: String
    /// The stream's name after "the".
    let stream: String
    /// What a later chunk that does not authenticate means, and what to do.
    let tampered: String
    /// What a malformed record header means, and what to do.
    let malformed: String
    /// The end of the truncation message, after the number of chunks read: which chunks, and what to do.
    let truncated: String
    /// What data after the final record means, or what to do.
    let trailing: String
}
