/// The billing mandate a firm accepts so that the broker may issue its exchange invoices in its name (CGI art. 289, I-2;
/// BOI-TVA-DECLA-30-20-10-10): a prior written mandate, the firm keeping its invoicing and VAT obligations, each invoice
/// made available to it with a stated delay to contest it.
public enum BillingMandateWording {
    /// The version of the wording below; an acceptance names the version the firm read.
    public static let version = "2026-1"
    /// What the mandate covers: the exchange invoices of the addresses the firm supplies through Troc.
    public static let scope = "exchange-invoices"
    /// The contest delay a firm may choose, in days.
    public static let contestDaysRange = 1...90
    /// The delay proposed when the firm does not choose one.
    public static let defaultContestDays = 15

    /// The wording the firm accepts, in French, naming both parties and its contest delay.
    public static func text(firm: String, firmSIREN: String?, broker: String, brokerSIREN: String, contestDays: Int) -> String {
        let firmIdentity = firm + (firmSIREN.map { ", SIREN \($0)" } ?? "")
        return "Mandat de facturation (version \(version)). \(firmIdentity) (le mandant) donne mandat à \(broker), SIREN \(brokerSIREN) "
            + "(le mandataire), d'établir et d'émettre en son nom et pour son compte les factures des adresses de prospection qu'il cède "
            + "aux autres entreprises dans le cadre des échanges conclus par l'intermédiaire du mandataire (article 289, I-2 du CGI). "
            + "Le mandant conserve l'entière responsabilité de ses obligations de facturation et de leurs conséquences au regard de la TVA. "
            + "Chaque facture est mise à sa disposition dès son émission ; il dispose de \(contestDays) jours à compter de cette mise à "
            + "disposition pour la contester auprès du mandataire, faute de quoi elle est réputée acceptée. Une facture contestée est annulée "
            + "par un avoir et, s'il y a lieu, remplacée. Le mandant peut retirer ce mandat à tout moment ; aucune facture n'est alors plus "
            + "émise en son nom et les échanges non encore livrés ne peuvent plus l'être."
    }
}

/// A firm's acceptance of the billing mandate, as the invoices issued under it cite it.
public struct MandateAcceptance: Hashable, Sendable, Codable {
    /// The mandate's reference, `mdt_…`.
    public var reference: String
    /// The day the firm accepted it.
    public var acceptedOn: CivilDate
    /// Days the firm has to contest an invoice issued in its name.
    public var contestDays: Int
    /// The wording version it accepted.
    public var wordingVersion: String

    /// An acceptance from its parts.
    public init(reference: String, acceptedOn: CivilDate, contestDays: Int, wordingVersion: String) {
        self.reference = reference
        self.acceptedOn = acceptedOn
        self.contestDays = contestDays
        self.wordingVersion = wordingVersion
    }
}

/// The mandates of a deal's two firms in force when its invoices are issued; nil for a firm without one.
public struct DealMandates: Hashable, Sendable {
    /// Partner A's mandate.
    public var a: MandateAcceptance?
    /// Partner B's mandate.
    public var b: MandateAcceptance?

    /// The mandates of both sides.
    public init(a: MandateAcceptance?, b: MandateAcceptance?) {
        self.a = a
        self.b = b
    }

    /// The mandate of `side`.
    public subscript(side: DealSide) -> MandateAcceptance? { side == .a ? a : b }
}
