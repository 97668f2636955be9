/// The columns of the files Troc hands over (`to-a.csv`, `to-b.csv`, released deliveries), in order:
/// the contact, the channels it may be reached by with the consents behind them, and its provenance
/// (RGPD art. 14: the recipient tells the person where their data came from within a month).
///
/// Columns that are also contact fields carry that field's canonical header, so a delivery read
/// again is understood as the engine wrote it.
public enum DeliveryColumn: String, CaseIterable, Sendable {
    case civility = "civilite"
    case lastName = "nom"
    case firstName = "prenom"
    case fullName = "nom_complet"
    case email = "email"
    case phone = "telephone"
    case secondPhone = "telephone_2"
    case address = "adresse"
    case postalCode = "code_postal"
    case city = "ville"
    case country = "pays"
    case company = "raison_sociale"
    case siret = "siret"
    case naf = "code_naf"
    case segment = "type_contact"
    /// The channels the recipient may use: `email`, `telephone`, `sms`, comma-separated.
    case channels = "canaux"
    case consentEmail = "consentement_email"
    case consentEmailOn = "date_consentement_email"
    case consentPhone = "consentement_telephone"
    case consentPhoneOn = "date_consentement_telephone"
    case consentSMS = "consentement_sms"
    case consentSMSOn = "date_consentement_sms"
    case partnerConsent = "cession_partenaires"
    case consentProof = "preuve_consentement"
    case source = "source"
    case collectedOn = "date_collecte"
    case lastInboundOn = "date_dernier_contact_entrant"
    case supplier = "fournisseur"
    case supplierSIREN = "siren_fournisseur"
    case deal = "reference_echange"
}
