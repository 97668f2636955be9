extension ContactFileLayout {
    /// What the rules make of some of the file's columns, said once per file so the report explains
    /// the figures it shows.
    public var consentNotes: [String] {
        var notes: [String] = []
        if let column = column(of: .consent) {
            notes.append(
                "column \"\(headers[column])\" is a generic consent: it counts for email only, never for phone or SMS "
                    + "(a consumer's phone needs phone-specific consent, C. conso L223-1)")
        }
        if !fields.contains(.partnerConsent) {
            notes.append("no column records consent to transfer to partners (such as cession_partenaires): consumer contacts cannot be passed on")
        }
        if let column = column(of: .lastContactOn), !fields.contains(.lastContactDirection) {
            notes.append(
                "column \"\(headers[column])\" does not say who initiated the last contact: it does not keep contacts fresh "
                    + "(add its direction, entrant/sortant, or the date of the person's last request)")
        }
        return notes
    }
}
