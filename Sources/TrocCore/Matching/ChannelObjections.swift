/// The contacts that refused each channel, or transfer to partners, on any of their rows.
struct ChannelObjections: Sendable {
    var email: Bits
    var phone: Bits
    var sms: Bits
    var partners: Bits

    init(_ count: Int) {
        email = Bits(count)
        phone = Bits(count)
        sms = Bits(count)
        partners = Bits(count)
    }

    /// Adds a row's refusals to its contact's.
    mutating func record(_ flags: ContactRowFlags, contact: Int) {
        if flags.contains(.emailRefused) { email[contact] = true }
        if flags.contains(.phoneRefused) { phone[contact] = true }
        if flags.contains(.smsRefused) { sms[contact] = true }
        if flags.contains(.partnerRefused) { partners[contact] = true }
    }
}
