package import Foundation

/// The rules a stored file meets, whatever the engine that records it.
extension StoreRules {
    /// Checks that `name` is a plain file name: no path, no control characters, at most 255 UTF-8 bytes.
    package static func validateFileName(_ name: String) throws(StoreError) {
        let reason: String? =
            if name.isEmpty || name == "." || name == ".." {
                "a file name cannot be empty, \".\" or \"..\""
            } else if name.utf8.count > AppDatabase.maximumFileNameBytes {
                "a file name takes at most \(AppDatabase.maximumFileNameBytes) bytes in UTF-8, this one takes \(name.utf8.count)"
            } else if name.contains("/") || name.contains("\\") {
                "a file name cannot contain a path separator (/ or \\); send the name without its folders"
            } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                "a file name cannot contain control characters"
            } else {
                nil
            }
        if let reason { throw .invalidField(field: "name", value: name, reason: reason) }
    }

    /// Checks that the ingestion report, and the firm's own report when given, are JSON documents (the store keeps them
    /// opaque, but the API hands them out as JSON).
    package static func validateReports(_ reportJSON: String, _ partnerReportJSON: String?) throws(StoreError) {
        for (field, json) in [("report", reportJSON), ("partnerReport", partnerReportJSON)] {
            guard let json else { continue }
            guard isJSON(json) else {
                throw .invalidField(field: field, value: String(json.prefix(40)), reason: "the ingestion report is not valid JSON")
            }
        }
    }
}

extension StoreRules {
    /// Whether `text` is one JSON value (the reports are kept as text, but the API hands them out as JSON).
    package static func isJSON(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil
    }
}

extension FileRecord {
    /// The row a newly uploaded file is stored as, under a fresh id, in the blob `stored`.
    package init(
        storing stored: StoredBlob, organisationID: String, name: String, byteCount: Int64, reportJSON: String, partnerReportJSON: String?, now: Date
    ) {
        self.init(
            id: RecordID.make(RecordID.file), organisationID: organisationID, blobID: stored.id, name: name, byteCount: byteCount,
            report: reportJSON, createdAt: Timestamp.stored(now), partnerReport: partnerReportJSON)
    }
}
