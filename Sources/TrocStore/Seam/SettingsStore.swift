package import Foundation
package import TrocCore

/// The broker's settings and its editable sector tables (renovation sectors, clusters, confidential sectors).
///
/// Every change is one audited transaction (a sector edit must state its reason); reads see one consistent snapshot.
package protocol SettingsStore: Sendable {
    /// The settings in force: what operators set, over the defaults.
    func settings() async throws(StoreError) -> BrokerSettings

    /// Applies `change` after checking the merged settings with TrocCore's rules, and audits each changed setting's
    /// before and after; a change that changes nothing writes nothing.
    ///
    /// The identity (legal name, address, SIREN, VAT number, IBAN, BIC) is given whole the first time; the terms are
    /// checked on their own until then.
    func updateSettings(_ change: SettingsChange, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> BrokerSettings

    /// The reference data the sector rules use: the NAF nomenclatures as embedded, the clusters, confidential sectors and
    /// renovation list as the broker edited them (read once, then kept until an edit).
    func sectorReference() async throws(StoreError) -> ReferenceData

    /// The statutory renovation / home-adaptation list as the broker keeps it, rév. 2 codes first.
    func renovationSectors() async throws(StoreError) -> [RenovationSector]

    /// Puts a NAF sub-class on the renovation / home-adaptation list, or changes its ground; returns false if nothing changed.
    func addRenovationSector(_ sector: RenovationSector, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> Bool

    /// Takes a NAF sub-class off the renovation / home-adaptation list; returns false if it was not on it.
    func removeRenovationSector(code: String, nomenclature: NAFNomenclature, reason: String, actor: AuditActor, now: Date) async throws(StoreError)
        -> Bool

    /// Adds a NAF sub-class to an audience cluster (creating the cluster); returns false if it was already there.
    func addClusterCode(cluster: String, code: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> Bool

    /// Removes a NAF sub-class from an audience cluster (a cluster left empty disappears); returns false if it was not there.
    func removeClusterCode(cluster: String, code: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> Bool

    /// Adds a confidential sector or changes its label, scope or rationale; returns false if nothing changed.
    func setConfidential(code: String, label: String, scope: String, rationale: String, reason: String, actor: AuditActor, now: Date)
        async throws(StoreError) -> Bool

    /// Removes a confidential sector; returns false if it was not one.
    func removeConfidential(code: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> Bool
}
