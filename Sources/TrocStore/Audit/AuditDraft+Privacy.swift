import Foundation
import TrocCore

/// The audit entries of suppressions, erasures, notices and retention, built once for both record stores; none names a
/// person, only counts and the records touched.
extension AuditDraft {
    /// Keys submitted to the suppression list from `source`, `added` of them new.
    package static func suppressionsAdded(source: SuppressionSource, submitted: Int, added: Int, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .suppressionAdd, actor: actor,
            detail: ["source": .string(source.rawValue), "submitted": AuditValue(submitted), "added": AuditValue(added)])
    }

    /// A stored file rewritten without `removedRows` rows.
    package static func fileRewritten(_ file: FileRecord, removedRows: Int, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .fileRewrite, actor: actor, organisationID: file.organisationID,
            detail: ["fileID": .string(file.id), "removedRows": AuditValue(removedRows)])
    }

    /// An erasure request carried out, in counts.
    package static func erasureRecorded(_ record: ErasureRecord, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .erasureRequest, actor: actor,
            detail: [
                "erasureID": .string(record.id), "filesRewritten": AuditValue(record.filesRewritten), "rowsRemoved": AuditValue(record.rowsRemoved),
                "keysSuppressed": AuditValue(record.keysSuppressed), "deliveriesRewritten": AuditValue(record.deliveriesRewritten),
                "noticesRecorded": AuditValue(record.noticesRecorded),
            ])
    }

    /// A notice of an erasure recorded for a firm that received the person.
    package static func noticeCreated(_ notice: NoticeRecord, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: "notice.create", actor: actor, organisationID: notice.organisationID, dealID: notice.dealID,
            detail: ["noticeID": .string(notice.id), "erasureID": .string(notice.erasureID), "deliveryID": .string(notice.deliveryID)])
    }

    /// A firm's acknowledgement of a notice.
    package static func noticeAcknowledged(_ notice: NoticeRecord, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: "notice.acknowledge", actor: actor, organisationID: notice.organisationID, dealID: notice.dealID,
            detail: ["noticeID": .string(notice.id), "erasureID": .string(notice.erasureID)])
    }

    /// A delivery rewritten without `removedRows` rows.
    package static func deliveryRewritten(_ delivery: DeliveryRecord, removedRows: Int, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: "delivery.rewrite", actor: actor, organisationID: delivery.recipientID, dealID: delivery.dealID,
            detail: ["deliveryID": .string(delivery.id), "removedRows": AuditValue(removedRows)])
    }

    /// A stored file purged by a retention rule.
    package static func filePurged(_ purged: PurgedFile) -> AuditDraft {
        AuditDraft(
            action: "file.purge", actor: .system, organisationID: purged.organisationID,
            detail: ["fileID": .string(purged.fileID), "rule": .string(purged.rule.rawValue)])
    }
}
