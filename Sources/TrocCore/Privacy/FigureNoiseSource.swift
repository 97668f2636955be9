/// Where the noise of the figures partners see comes from: one reproducible stream of random words per figure, derived
/// by the caller from a secret partners never see (TrocCore draws no randomness of its own). The same label must always
/// give the same words, so that asking for a report again returns the same figures instead of a fresh sample to average.
public protocol FigureNoiseSource {
    /// The generator of one figure's words.
    associatedtype Stream: RandomNumberGenerator

    /// The words for the figure named `label` (such as `a.contacts`).
    func stream(for label: String) -> Stream
}
