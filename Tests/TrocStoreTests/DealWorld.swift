import Crypto
import Foundation
import GRDB
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// A migrated database with its audit key, a blob store, the broker, an operator and two complementary partners
/// (a window installer and a heating installer), and helpers that walk a deal through its lifecycle.
struct DealWorld {
    let directory: TemporaryDirectory
    /// Raw access for tampering and schema checks, when the world runs on an in-memory queue.
    let queue: DatabaseQueue?
    let database: AppDatabase
    let blobs: BlobStore
    let masterKey = MasterKey.generate()
    let auditKey: AuditKey
    let windows: OrganisationRecord
    let heating: OrganisationRecord
    let operatorActor: AuditActor
    let windowsActor: AuditActor
    let heatingActor: AuditActor

    /// A world in memory, or in a WAL file on disk (so that several handles really contend for writes).
    init(onDisk: Bool = false) throws {
        directory = try TemporaryDirectory()
        auditKey = try AuditKey(SymmetricKey(size: .bits256))
        if onDisk {
            queue = nil
            database = try AppDatabase.openOnDisk(at: directory.appending("troc.sqlite")).withAuditKey(auditKey)
        } else {
            let queue = try DatabaseQueue(configuration: AppDatabase.makeConfiguration())
            self.queue = queue
            database = try AppDatabase(queue).withAuditKey(auditKey)
        }
        blobs = try BlobStore(directory: directory.appending("blobs"))
        let broker = try database.createOrganisation(Organisations.broker(), now: Dates.start)
        var windowsDraft = OrganisationDraft(
            kind: .partner, name: "Menuiserie Durand SARL", siren: "732829320", vatNumber: "FR44732829320", nafCode: "43.32A",
            street: "2 avenue des Artisans", postcode: "69001", city: "Lyon", countryCode: "FR")
        windowsDraft.vatStatus = try FirmVATStatus(
            regime: .registered, vatNumber: "FR44732829320", address: PostalAddress(street: "", postcode: "69001", city: "", countryCode: "FR"),
            siren: "732829320")
        windowsDraft.bankAccount = try BankAccount(iban: "FR76 3000 4000 0312 3456 7890 143", bic: "BNPAFRPP")
        windows = try database.createOrganisation(windowsDraft, now: Dates.start)
        var heatingDraft = OrganisationDraft(
            kind: .partner, name: "Géothermie & Fils SAS", siren: "552100554", vatNumber: "FR96552100554", nafCode: "43.22B",
            street: "12 chemin des Sources", postcode: "33000", city: "Bordeaux", countryCode: "FR")
        heatingDraft.vatStatus = try FirmVATStatus(
            regime: .registered, vatNumber: "FR96552100554", address: PostalAddress(street: "", postcode: "33000", city: "", countryCode: "FR"),
            siren: "552100554")
        heatingDraft.bankAccount = try BankAccount(iban: "FR14 2004 1010 0505 0001 3M02 606", bic: "PSSTFRPPXXX")
        heating = try database.createOrganisation(heatingDraft, now: Dates.start)
        let operatorUser = try database.createUser(organisationID: broker.id, role: .operator, name: "Olga", email: nil, now: Dates.start)
        operatorActor = AuditActor(operatorUser)
        windowsActor = AuditActor(try database.createUser(organisationID: windows.id, role: .partner, name: "Will", email: nil, now: Dates.start))
        heatingActor = AuditActor(try database.createUser(organisationID: heating.id, role: .partner, name: "Hugo", email: nil, now: Dates.start))
    }

    /// Another handle on the same database file, with its own connections.
    func secondHandle() throws -> AppDatabase {
        try AppDatabase.openOnDisk(at: directory.appending("troc.sqlite")).withAuditKey(auditKey)
    }

    /// Runs raw SQL on the in-memory queue, bypassing the store.
    func raw<T>(_ body: (Database) throws -> T) throws -> T {
        try #require(queue).write(body)
    }

    /// The verdict for windows (proposer) and heating: both in the renovation cluster.
    func verdict() throws -> SectorVerdict {
        try SectorRules().verdict(windows.nafCode, heating.nafCode).get()
    }

    /// A complementary deal proposed by the window installer.
    func proposeDeal(price: Int64 = 2500, now: Date = Dates.start) throws -> DealRecord {
        try database.createDeal(
            DealDraft(proposerID: windows.id, partnerID: heating.id, pricePer1000: Money(cents: price), verdict: verdict()), actor: windowsActor,
            now: now)
    }

    /// A small stored file of `organisationID`.
    func upload(for organisationID: String, seed: UInt64 = 1) throws -> FileRecord {
        let stored = try storeBlob(patternBytes(count: 64, seed: seed), in: blobs, masterKey: masterKey)
        return try database.createFile(
            organisationID: organisationID, blob: stored, name: "contacts.csv", byteCount: 64, reportJSON: #"{"rows":1}"#, now: Dates.start)
    }

    /// A small stored blob, for deliveries and rewritten files.
    func storedBlob(seed: UInt64 = 9) throws -> StoredBlob {
        try storeBlob(patternBytes(count: 32, seed: seed), in: blobs, masterKey: masterKey)
    }

    /// A deal with both files attached and its report recorded, the broker's invoicing identity set and both firms'
    /// billing mandates in force, so that it can go on to be accepted, approved and invoiced.
    func matchedDeal(now: Date = Dates.start) throws -> DealRecord {
        try prepareInvoicing()
        let deal = try proposeDeal(now: now)
        let a = try upload(for: windows.id)
        let b = try upload(for: heating.id, seed: 2)
        _ = try database.attachFile(dealID: deal.id, fileID: a.id, actor: windowsActor, now: now)
        _ = try database.attachFile(dealID: deal.id, fileID: b.id, actor: heatingActor, now: now)
        return try database.recordMatch(dealID: deal.id, fileIDs: [a.id, b.id], reportJSON: #"{"delivery":{"toA":1200,"toB":1100}}"#, now: now)
    }

    /// A deal both partners accepted.
    func acceptedDeal(now: Date = Dates.start) throws -> DealRecord {
        let deal = try matchedDeal(now: now)
        _ = try database.accept(dealID: deal.id, actor: windowsActor, now: now)
        return try database.accept(dealID: deal.id, actor: heatingActor, now: now)
    }

    /// A deal an operator approved.
    func approvedDeal(now: Date = Dates.start) throws -> DealRecord {
        try database.approve(dealID: try acceptedDeal(now: now).id, actor: operatorActor, now: now)
    }

    /// Deliveries of `deal` to both parties, stored as blobs.
    func deliveryDrafts(toWindows: Int = 1200, toHeating: Int = 1100) throws -> [DeliveryDraft] {
        [
            DeliveryDraft(recipientID: windows.id, blob: try storedBlob(seed: 11), rowCount: toWindows),
            DeliveryDraft(recipientID: heating.id, blob: try storedBlob(seed: 12), rowCount: toHeating),
        ]
    }

    /// A released deal and its deliveries.
    func releasedDeal(now: Date = Dates.start, on database: AppDatabase? = nil) throws -> (DealRecord, [DeliveryRecord]) {
        let deal = try approvedDeal(now: now)
        let deliveries = try (database ?? self.database).release(dealID: deal.id, deliveries: deliveryDrafts(), actor: operatorActor, now: now)
        return (try #require(try self.database.deal(id: deal.id)), deliveries)
    }

    /// Lets these two firms get `reports` match reports about each other (the broker allows 2 unless set).
    func allowReports(_ reports: Int) throws {
        _ = try database.updateSettings(
            SettingsChange(privacyReportsPerPair: reports), reason: "many deals between the same firms", actor: operatorActor, now: Dates.start)
    }

    /// Sets the broker's invoicing identity (the e-invoice samples' broker) and returns the invoicing settings.
    @discardableResult
    func configureInvoicing() throws -> BrokerInvoicingSettings {
        try database.updateSettings(
            SettingsChange(
                legalName: "Courtier Fichiers SAS",
                address: PostalAddress(street: "1 rue de la Paix", postcode: "75002", city: "Paris", countryCode: "FR"),
                siren: "303265045", vatNumber: "FR40303265045", iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP"),
            actor: operatorActor, now: Dates.start
        ).invoicing()
    }

    /// Sets the invoicing identity and has both firms accept the billing mandate; changes nothing when done already.
    func prepareInvoicing() throws {
        try configureInvoicing()
        for (organisation, actor) in [(windows, windowsActor), (heating, heatingActor)] {
            _ = try database.acceptMandate(
                organisationID: organisation.id, wordingVersion: BillingMandateWording.version, contestDays: 15, actor: actor, now: Dates.start)
        }
    }

    /// The drafts TrocCore computes for a released deal on its frozen terms and the mandates in force, issued on `issueDate`.
    func invoices(for deal: DealRecord, issueDate: CivilDate, toWindows: Int = 1200, toHeating: Int = 1100) throws -> DealInvoices {
        let released = try #require(deal.releasedAt)
        let figures = DealFigures(
            dealID: deal.id, releaseDate: CivilDate(daysSinceEpoch: Int32(Int(released.timeIntervalSince1970) / 86_400)), addressesToA: toWindows,
            addressesToB: toHeating)
        let mandates = DealMandates(
            a: try database.mandateInForce(organisationID: windows.id)?.acceptance,
            b: try database.mandateInForce(organisationID: heating.id)?.acceptance)
        return try DealInvoicing.invoices(
            for: figures, terms: try #require(try database.dealTerms(dealID: deal.id)), mandates: mandates,
            seriesPrefix: try database.settings().seriesPrefix, issueDate: issueDate)
    }
}

/// The SQLite extended result code of the error `body` throws, nil if it throws none (or no database error).
func constraintCode(_ body: () throws -> Void) -> ResultCode? {
    do {
        try body()
        return nil
    } catch let error as DatabaseError {
        return error.extendedResultCode
    } catch {
        return nil
    }
}

/// The store error `body` throws, nil if it throws none; any other error is returned as `.database` so that it never
/// compares equal to an expected refusal.
func storeError<T>(_ body: () throws -> T) -> StoreError? {
    do {
        _ = try body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        return .database("not a store error: \(error)")
    }
}
