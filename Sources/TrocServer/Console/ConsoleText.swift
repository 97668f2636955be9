import Foundation
import TrocCore
import TrocStore

/// The console's message catalogue: every string a page shows, in French (first) and English. Templates read it as
/// `{{t.key}}`; handlers through the subscript and `format`, whose `{0}`, `{1}`… take the arguments in order.
struct ConsoleText: Sendable {
    let language: ConsoleLanguage

    init(_ language: ConsoleLanguage) {
        self.language = language
    }

    /// The text of `key`, or the key itself when missing (a test checks none is).
    subscript(_ key: String) -> String {
        optional(key) ?? key
    }

    /// The text of `key`, or nil.
    func optional(_ key: String) -> String? {
        Self.entries[key].map { language == .fr ? $0.fr : $0.en }
    }

    /// The text of `key` with `{0}`, `{1}`… replaced by `arguments`.
    func format(_ key: String, _ arguments: String...) -> String {
        var text = self[key]
        for (index, argument) in arguments.enumerated() { text = text.replacingOccurrences(of: "{\(index)}", with: argument) }
        return text
    }

    /// Every entry in this language, for templates.
    var table: [String: String] {
        Self.entries.mapValues { language == .fr ? $0.fr : $0.en }
    }

    /// The name of the VAT territory whose code is `code` (`RE`), in this language; the code itself if it names none.
    func territory(_ code: String) -> String {
        guard let territory = VATTerritory(rawValue: code) else { return code }
        return language == .fr ? territory.frenchName : territory.description
    }

    /// The sector verdict's reason in this language: the stored reason is English, so French pages say it again from the
    /// verdict's codes, labels and clusters.
    func verdictReason(_ verdict: SectorVerdict) -> String {
        guard language == .fr, verdict.codes.count == 2 else { return verdict.reason }
        let (a, b) = (verdict.codes[0], verdict.codes[1])
        let named = "\(a.code) (\(a.label)) et \(b.code) (\(b.label))"
        let through =
            verdict.codes.contains { $0.nomenclature == .naf2025 } ? " (codes NAF 2025 jugés par leurs antécédents NAF rév. 2)" : ""
        switch verdict.kind {
        case .complementary:
            let clusters = verdict.clusters.joined(separator: ", ")
            return named + (verdict.clusters.count > 1 ? " partagent les groupes d'audience " : " partagent le groupe d'audience ") + clusters
                + through
        case .unrelated:
            return named + " ne partagent aucun groupe d'audience" + through + " : une dérogation motivée d'un opérateur est requise"
        case .competitor:
            return named + " relèvent de la même classe NAF" + through + " : les entreprises sont concurrentes"
        case .confidential:
            return named + " : l'un des deux relève d'un secteur confidentiel, exclu des échanges"
        }
    }

    /// A decimal the API writes with a point (`8.5`), with a comma in French (`8,5`).
    func decimal(_ value: String) -> String {
        language == .fr ? value.replacingOccurrences(of: ".", with: ",") : value
    }

    /// A refusal of the console rules, in words.
    func refusal(_ refusal: ConsoleRefusal) -> String {
        switch refusal {
        case .enrolmentCodeUnknown: self["refusal_enrolmentCodeUnknown"]
        case .enrolmentCodeUsed: self["refusal_enrolmentCodeUsed"]
        case .enrolmentCodeExpired: self["refusal_enrolmentCodeExpired"]
        case .enrolmentCodeRevoked: self["refusal_enrolmentCodeRevoked"]
        case .loginTaken: self["refusal_loginTaken"]
        case .signInRefused, .signInThrottled, .secondFactorRefused, .sessionUnknown, .sessionEnded: self["login_refused"]
        }
    }

    /// The title of an error page.
    func problemTitle(_ problem: Problem) -> String {
        optional("problem_\(problem.status)") ?? self[problem.status >= 500 ? "problem_500" : "problem_400"]
    }

    /// What an error page says first, before the broker's own detail.
    func problemSummary(_ problem: Problem) -> String {
        optional("problem_summary_\(problem.status)") ?? self["problem_summary_other"]
    }

    /// The catalogue: key to (French, English).
    static let entries: [String: (fr: String, en: String)] = [
        "skip_to_content": ("Aller au contenu", "Skip to content"),
        "brand_tagline": ("Échanges de fichiers de prospection", "Prospect file swaps"),
        "nav_label": ("Menu principal", "Main menu"),
        "sign_out": ("Se déconnecter", "Sign out"),
        "footer": (
            "Troc — courtier neutre d'échanges de fichiers. Les fichiers sont chiffrés dans votre navigateur avant l'envoi.",
            "Troc — a neutral broker for file swaps. Files are encrypted in your browser before they are sent."
        ),
        "back": ("Retour", "Back"),
        "yes": ("oui", "yes"),
        "no": ("non", "no"),
        "all": ("Tous", "All"),
        "all_states": ("Tous les états", "All states"),
        "filter": ("Filtrer", "Filter"),
        "filters": ("Filtres", "Filters"),
        "from": ("Du", "From"),
        "to": ("Au", "To"),
        "save": ("Enregistrer", "Save"),
        "continue": ("Continuer", "Continue"),
        "see_all": ("Tout voir", "See all"),
        "nothing_waiting": ("Rien en attente.", "Nothing waiting."),
        "pagination": ("Pagination", "Pagination"),
        "previous": ("Page précédente", "Previous page"),
        "next": ("Page suivante", "Next page"),
        "pager_summary": ("Page {0} sur {1} · {2} éléments", "Page {0} of {1} · {2} items"),
        "needs_javascript": (
            "Cette étape chiffre le fichier dans votre navigateur et demande JavaScript. Sans JavaScript, utilisez l'outil en ligne de commande « troc ».",
            "This step encrypts the file in your browser and needs JavaScript. Without JavaScript, use the “troc” command-line tool."
        ),
        "error_code": ("Code :", "Code:"),
        "nav_dashboard": ("Tableau de bord", "Dashboard"),
        "nav_deals": ("Échanges", "Deals"),
        "nav_firms": ("Firmes et utilisateurs", "Firms and users"),
        "nav_keys": ("Changements de clé", "Key changes"),
        "nav_privacy": ("Données personnelles", "Personal data"),
        "nav_sectors": ("Secteurs", "Sectors"),
        "nav_settings": ("Paramètres", "Settings"),
        "nav_audit": ("Journal d'audit", "Audit trail"),
        "nav_account": ("Mon compte", "My account"),
        "nav_invoices": ("Factures", "Invoices"),
        "nav_settlements": ("Règlements", "Settlements"),
        "nav_ledger": ("FEC", "FEC"),
        "nav_propose": ("Proposer un échange", "Propose a deal"),
        "nav_files": ("Fichiers", "Files"),
        "nav_partnerInvoices": ("Factures", "Invoices"),
        "role_operator": ("opérateur", "operator"),
        "role_accountant": ("comptable", "accountant"),
        "role_partner": ("partenaire", "partner"),
        "kind_broker": ("courtier", "broker"),
        "kind_partner": ("firme partenaire", "partner firm"),
        "login_title": ("Connexion", "Sign in"),
        "login_name": ("Identifiant", "Login name"),
        "login_password": ("Mot de passe", "Password"),
        "login_submit": ("Se connecter", "Sign in"),
        "login_first_time": ("Première connexion ?", "First time here?"),
        "login_enrol_link": ("Activer votre compte avec votre code d'activation", "Activate your account with your enrolment code"),
        "login_refused": ("Identifiant ou mot de passe incorrect.", "Wrong login name or password."),
        "login_throttled": ("Trop de tentatives : réessayez dans {0} min.", "Too many attempts: try again in {0} min."),
        "login_enrolled": ("Votre compte est activé : connectez-vous.", "Your account is active: sign in."),
        "ended_sign-out": ("Vous êtes déconnecté.", "You are signed out."),
        "ended_sign-out-everywhere": ("Toutes vos sessions sont fermées.", "All your sessions are closed."),
        "ended_idle": (
            "Votre session a expiré après une période d'inactivité : reconnectez-vous.",
            "Your session ended after a period of inactivity: sign in again."
        ),
        "ended_expired": ("Votre session a atteint sa durée maximale : reconnectez-vous.", "Your session reached its maximum length: sign in again."),
        "ended_user-disabled": ("Ce compte est désactivé.", "This account is disabled."),
        "ended_re-enrolled": ("Votre compte a été réactivé : reconnectez-vous.", "Your account was re-activated: sign in again."),
        "code_title": ("Code de vérification", "Verification code"),
        "code_label": ("Code à 6 chiffres de votre application d'authentification", "6-digit code from your authenticator app"),
        "code_help": ("Le code change toutes les 30 secondes.", "The code changes every 30 seconds."),
        "code_submit": ("Vérifier", "Verify"),
        "code_refused": ("Code incorrect ou déjà utilisé : attendez le code suivant.", "Wrong or already used code: wait for the next one."),
        "enrol_title": ("Activation du compte", "Account activation"),
        "enrol_intro": ("Saisissez le code d'activation que le courtier vous a remis.", "Type the enrolment code the broker gave you."),
        "enrol_code": ("Code d'activation", "Enrolment code"),
        "enrol_code_help": (
            "Vingt lettres et chiffres, par groupes de quatre (XXXX-XXXX-…). Il n'est valable qu'une fois, 72 heures.",
            "Twenty letters and digits in groups of four (XXXX-XXXX-…). It works once, for 72 hours."
        ),
        "enrol_for": ("Activation pour", "Activation for"),
        "enrol_login_help": (
            "3 à 64 caractères : lettres, chiffres, « . », « _ », « @ » ou « - ».", "3 to 64 characters: letters, digits, “.”, “_”, “@” or “-”."
        ),
        "enrol_password": ("Mot de passe", "Password"),
        "enrol_password_help": (
            "12 à 128 caractères (72 octets au plus), sans votre identifiant.",
            "12 to 128 characters (72 bytes at most), not containing your login name."
        ),
        "enrol_confirmation": ("Mot de passe (confirmation)", "Password (again)"),
        "enrol_totp_legend": ("Second facteur (TOTP)", "Second factor (TOTP)"),
        "enrol_totp_intro": (
            "Scannez ce QR code avec votre application d'authentification, puis saisissez le code qu'elle affiche.",
            "Scan this QR code with your authenticator app, then type the code it shows."
        ),
        "enrol_totp_key": ("Ou saisissez cette clé à la main :", "Or type this key by hand:"),
        "enrol_totp_code": ("Code affiché par l'application", "Code shown by the app"),
        "enrol_totp_refused": (
            "Le code de l'application ne correspond pas : vérifiez l'heure du téléphone et saisissez le code actuel.",
            "The app's code does not match: check the phone's clock and type the current code."
        ),
        "enrol_qr_title": ("QR code de configuration de l'application d'authentification", "QR code to set up the authenticator app"),
        "enrol_submit": ("Activer le compte", "Activate the account"),
        "refusal_loginShape": (
            "Identifiant invalide : 3 à 64 lettres, chiffres, « . », « _ », « @ » ou « - ».",
            "Invalid login name: 3 to 64 letters, digits, “.”, “_”, “@” or “-”."
        ),
        "refusal_passwordLength": ("Le mot de passe doit compter 12 à 128 caractères.", "The password must be 12 to 128 characters long."),
        "refusal_passwordTooManyBytes": (
            "Le mot de passe dépasse 72 octets (les caractères accentués en comptent deux).",
            "The password is longer than 72 bytes (accented letters count as two)."
        ),
        "refusal_passwordControlCharacters": ("Le mot de passe contient un caractère de contrôle.", "The password contains a control character."),
        "refusal_passwordContainsLogin": ("Le mot de passe ne doit pas contenir l'identifiant.", "The password must not contain the login name."),
        "refusal_passwordsDiffer": ("Les deux mots de passe diffèrent.", "The two passwords differ."),
        "refusal_enrolmentCodeUnknown": (
            "Code d'activation inconnu : vérifiez-le caractère par caractère, ou demandez-en un nouveau au courtier.",
            "Unknown enrolment code: check it character by character, or ask the broker for a new one."
        ),
        "refusal_enrolmentCodeUsed": (
            "Ce code d'activation a déjà servi. Demandez-en un nouveau au courtier si ce n'était pas vous.",
            "This enrolment code was already used. Ask the broker for a new one if that was not you."
        ),
        "refusal_enrolmentCodeExpired": (
            "Ce code d'activation a expiré : demandez-en un nouveau au courtier.", "This enrolment code expired: ask the broker for a new one."
        ),
        "refusal_enrolmentCodeRevoked": (
            "Ce code d'activation a été remplacé par un plus récent : utilisez le dernier reçu.",
            "This enrolment code was replaced by a newer one: use the latest."
        ),
        "refusal_loginTaken": ("Cet identifiant est déjà pris : choisissez-en un autre.", "This login name is taken: choose another."),
        "account_title": ("Mon compte", "My account"),
        "account_name": ("Nom", "Name"),
        "account_role": ("Rôle", "Role"),
        "account_organisation": ("Organisation", "Organisation"),
        "account_second_factor": ("Second facteur", "Second factor"),
        "account_sessions": ("Sessions ouvertes", "Open sessions"),
        "account_session_since": ("Ouverte le", "Opened"),
        "account_session_last": ("Dernière activité", "Last activity"),
        "account_session_until": ("Fin au plus tard", "Ends at the latest"),
        "account_session_address": ("Adresse", "Address"),
        "account_this_session": ("cette session", "this session"),
        "account_everywhere": ("Se déconnecter partout", "Sign out everywhere"),
        "account_everywhere_confirm": ("Fermer toutes vos sessions, y compris celle-ci ?", "Close all your sessions, this one included?"),
        "dashboard_title": ("Tableau de bord", "Dashboard"),
        "dashboard_states": ("Échanges par état", "Deals by state"),
        "dashboard_for_operators": ("À traiter par les opérateurs", "Waiting for operators"),
        "dashboard_for_partners": ("En attente des firmes", "Waiting for the firms"),
        "dashboard_key_changes": ("Changements de clé à confirmer", "Key changes to confirm"),
        "wait_override": ("Secteurs sans lien : dérogation à décider", "Unrelated sectors: override to decide"),
        "wait_approval": ("Acceptés par les deux firmes : à approuver", "Accepted by both firms: to approve"),
        "wait_release": ("Approuvés : à libérer", "Approved: to release"),
        "wait_files": ("Fichiers attendus", "Files awaited"),
        "wait_acceptance": ("Rapport prêt : acceptations attendues", "Report ready: acceptances awaited"),
        "state_proposed": ("proposé", "proposed"),
        "state_awaiting-files": ("fichiers attendus", "awaiting files"),
        "state_matched": ("rapprochement fait", "matched"),
        "state_accepted": ("accepté", "accepted"),
        "state_approved": ("approuvé", "approved"),
        "state_released": ("libéré", "released"),
        "state_invoiced": ("facturé", "invoiced"),
        "state_closed": ("clos", "closed"),
        "state_rejected": ("refusé", "rejected"),
        "state_cancelled": ("annulé", "cancelled"),
        "state_expired": ("expiré", "expired"),
        "verdict_complementary": ("complémentaires", "complementary"),
        "verdict_unrelated": ("sans lien (dérogation requise)", "unrelated (override required)"),
        "verdict_competitor": ("concurrents", "competitors"),
        "verdict_confidential": ("secteur confidentiel", "confidential sector"),
        "policy_equal-count": ("nombre égal", "equal count"),
        "policy_quality-weighted": ("pondéré par la qualité", "quality-weighted"),
        "policy_all": ("tout", "all"),
        "deals_title": ("Échanges", "Deals"),
        "deals_title_partner": ("Mes échanges", "My deals"),
        "deals_search": ("Identifiant ou nom de firme", "Deal id or firm name"),
        "deals_none": ("Aucun échange ne correspond.", "No deal matches."),
        "deals_waiting_you": ("En attente de votre part", "Waiting for you"),
        "deal_title": ("Échange {0}", "Deal {0}"),
        "deal_id": ("Échange", "Deal"),
        "deal_state": ("État", "State"),
        "deal_proposer": ("Proposant", "Proposer"),
        "deal_partner": ("Partenaire", "Partner"),
        "deal_price": ("Prix pour 1 000 adresses", "Price per 1,000 addresses"),
        "deal_updated": ("Mis à jour", "Updated"),
        "deal_created": ("Proposé le", "Proposed"),
        "deal_expires": ("Expire le", "Expires"),
        "deal_verdict": ("Avis sectoriel", "Sector verdict"),
        "deal_override_reason": ("Motif de la dérogation", "Override reason"),
        "deal_policy": ("Équilibrage", "Balancing"),
        "deal_parties": ("Parties", "Parties"),
        "deal_party": ("Firme", "Firm"),
        "deal_role": ("Rôle", "Role"),
        "deal_file": ("Fichier déposé", "File uploaded"),
        "deal_accepted": ("Accepté le", "Accepted"),
        "deal_declined": ("refusé le", "declined"),
        "deal_you": ("vous", "you"),
        "deal_actions": ("Décisions", "Decisions"),
        "action_accept": ("Accepter le rapport", "Accept the report"),
        "action_decline": ("Refuser l'échange", "Decline the deal"),
        "action_override": ("Accorder la dérogation", "Grant the override"),
        "action_approve": ("Approuver l'échange", "Approve the deal"),
        "action_reject": ("Rejeter l'échange", "Reject the deal"),
        "action_release": ("Libérer les livraisons et facturer", "Release the deliveries and invoice"),
        "action_cancel": ("Annuler l'échange", "Cancel the deal"),
        "action_reason": ("Motif (inscrit au journal d'audit)", "Reason (goes in the audit trail)"),
        "action_reason_optional": ("Motif (facultatif)", "Reason (optional)"),
        "confirm_decline": ("Refuser définitivement cet échange ?", "Decline this deal for good?"),
        "confirm_reject": ("Rejeter définitivement cet échange ?", "Reject this deal for good?"),
        "confirm_release": (
            "Libérer les livraisons et émettre les factures ? Cette étape est définitive.",
            "Release the deliveries and issue the invoices? This cannot be undone."
        ),
        "confirm_cancel": ("Annuler cet échange ?", "Cancel this deal?"),
        "confirm_disable": (
            "Désactiver cet utilisateur ? Ses jetons et sessions cessent aussitôt.", "Disable this user? Its tokens and sessions stop at once."
        ),
        "confirm_erasure": (
            "Effacer cette personne de tous les fichiers non encore libérés ?", "Erase this person from every file not yet released?"
        ),
        "done_accept": ("Vous avez accepté le rapport.", "You accepted the report."),
        "done_decline": ("L'échange est refusé.", "The deal is declined."),
        "done_override": ("Dérogation accordée : les firmes peuvent déposer leurs fichiers.", "Override granted: the firms can upload their files."),
        "done_approve": ("Échange approuvé.", "Deal approved."),
        "done_reject": ("Échange rejeté.", "Deal rejected."),
        "done_release": ("Livraisons libérées et factures émises.", "Deliveries released and invoices issued."),
        "done_cancel": ("Échange annulé.", "Deal cancelled."),
        "done_propose": ("Échange proposé.", "Deal proposed."),
        "done_upload": ("Fichier reçu, déchiffré et vérifié par le courtier.", "File received, decrypted and checked by the broker."),
        "done_firm": ("Firme enregistrée.", "Firm registered."),
        "done_disable": ("Utilisateur désactivé.", "User disabled."),
        "done_sign-out": ("Sessions de l'utilisateur fermées.", "The user's sessions are closed."),
        "done_key-approve": ("Changement de clé approuvé.", "Key change approved."),
        "done_key-refuse": ("Changement de clé refusé.", "Key change refused."),
        "done_sectors": ("Tables sectorielles modifiées.", "Sector tables changed."),
        "done_settings": ("Paramètres enregistrés.", "Settings saved."),
        "report_title": ("Rapport de rapprochement", "Match report"),
        "report_exact": ("Chiffres exacts (vue opérateur).", "Exact figures (operator view)."),
        "report_partner_view": (
            "Vue partenaire : chiffres bruités (confidentialité différentielle, ε = {0} par firme), les effectifs de moins de 50 sont masqués.",
            "Partner view: noised figures (differential privacy, ε = {0} per firm); counts under 50 are hidden."
        ),
        "report_exchangeable_rate": ("Taux échangeable", "Exchangeable rate"),
        "report_as_of": ("Au", "As of"),
        "report_figure": ("Indicateur", "Figure"),
        "report_hidden": ("< 50", "< 50"),
        "report_rows": ("Lignes", "Rows"),
        "report_contacts": ("Contacts", "Contacts"),
        "report_duplicates": ("Doublons fusionnés", "Duplicates merged"),
        "report_valid_emails": ("Courriels valides", "Valid emails"),
        "report_valid_phones": ("Téléphones valides", "Valid phones"),
        "report_b2b": ("Professionnels (B2B)", "Businesses (B2B)"),
        "report_b2c": ("Particuliers (B2C)", "Consumers (B2C)"),
        "report_consent": ("Avec consentement", "With consent"),
        "report_no_consent": ("Sans consentement", "Without consent"),
        "report_refused": ("Opposition", "Objected"),
        "report_stale": ("Périmés", "Stale"),
        "report_undated": ("Sans date", "Undated"),
        "report_without_source": ("Sans source", "Without source"),
        "report_suppressed": ("Sur liste d'opposition", "Suppressed"),
        "report_exchangeable": ("Échangeables", "Exchangeable"),
        "report_held": ("Déjà détenus par l'autre", "Held by the other"),
        "report_held_by_partner": ("Contacts du proposant déjà détenus par le partenaire", "Proposer's contacts the partner already holds"),
        "report_net_new": ("Nouveaux pour l'autre", "New to the other"),
        "report_delivers": ("Livrés à l'autre", "Delivered to the other"),
        "report_quality": ("Score de qualité", "Quality score"),
        "report_overlap": ("Recouvrement", "Overlap"),
        "report_overlap_email": ("Courriels communs", "Shared emails"),
        "report_overlap_phone": ("Téléphones communs", "Shared phones"),
        "report_overlap_siret": ("SIRET communs", "Shared SIRETs"),
        "chart_data": ("Données du graphique", "Chart data"),
        "chart_status_title": ("Contacts par statut", "Contacts by status"),
        "chart_status_desc": (
            "Pour chaque firme : contacts, échangeables, déjà détenus par l'autre, nouveaux, périmés, sans consentement, en opposition, sur liste d'opposition.",
            "For each firm: contacts, exchangeable, held by the other, new, stale, without consent, objected, suppressed."
        ),
        "chart_status_desc_partner": (
            "Pour chaque firme : contacts, échangeables, nouveaux, périmés, avec consentement (chiffres bruités) ; les effectifs de moins de 50 sont masqués.",
            "For each firm: contacts, exchangeable, new, stale, with consent (noised figures); counts under 50 are hidden."
        ),
        "chart_quality_title": ("Qualité", "Quality"),
        "chart_quality_desc": (
            "Score de qualité moyen, de 0 à 1 : du fichier, des candidats à l'échange et des contacts livrés.",
            "Average quality score, 0 to 1: of the file, of the candidates and of the contacts delivered."
        ),
        "chart_quality_file": ("Fichier", "File"),
        "chart_quality_candidates": ("Candidats", "Candidates"),
        "chart_quality_delivered": ("Livrés", "Delivered"),
        "chart_balancing_title": ("Avant et après équilibrage", "Before and after balancing"),
        "chart_balancing_desc": (
            "Contacts nouveaux pour l'autre firme (candidats), puis ceux que l'équilibrage livre.",
            "Contacts new to the other firm (candidates), then those balancing delivers."
        ),
        "chart_balancing_candidates": ("Candidats (avant)", "Candidates (before)"),
        "chart_balancing_delivered": ("Livrés (après)", "Delivered (after)"),
        "upload_title": ("Déposer votre fichier", "Upload your file"),
        "upload_help": (
            "Le fichier est chiffré dans ce navigateur (HPKE, RFC 9180) pour la clé du courtier avant d'être envoyé ; il ne quitte jamais la page en clair.",
            "The file is encrypted in this browser (HPKE, RFC 9180) for the broker's key before it is sent; it never leaves the page in clear."
        ),
        "upload_broker_key": ("Empreinte de la clé du courtier :", "Broker key fingerprint:"),
        "upload_file": ("Fichier de contacts (CSV)", "Contact file (CSV)"),
        "upload_start": ("Chiffrer et envoyer", "Encrypt and send"),
        "upload_progress": ("Progression de l'envoi", "Upload progress"),
        "delivery_title": ("Votre livraison", "Your delivery"),
        "delivery_rows": ("Lignes :", "Rows:"),
        "delivery_remaining": ("Téléchargements restants :", "Downloads left:"),
        "delivery_expires": ("disponible jusqu'au", "available until"),
        "delivery_key": ("Chiffrée pour la clé d'empreinte", "Sealed to the key with fingerprint"),
        "delivery_help": (
            "Choisissez le fichier de clé privée de votre firme (créé par « troc keygen » ou par la page « Clé de livraison ») : il est lu dans ce navigateur et n'est jamais envoyé.",
            "Choose your firm's private key file (made by “troc keygen” or on the “Delivery key” page): it is read in this browser and never sent."
        ),
        "delivery_key_file": ("Clé privée de la firme (.pem)", "Firm's private key (.pem)"),
        "delivery_open": ("Télécharger et déchiffrer", "Download and decrypt"),
        "delivery_progress": ("Progression du déchiffrement", "Decryption progress"),
        "delivery_save": ("Enregistrer le fichier déchiffré", "Save the decrypted file"),
        "js_no_file": ("Choisissez d'abord un fichier.", "Choose a file first."),
        "js_wrong_broker_key": (
            "La clé du courtier reçue n'a pas l'empreinte affichée : envoi annulé.",
            "The broker key received does not have the fingerprint shown: upload cancelled."
        ),
        "js_sealing": ("Chiffrement dans le navigateur…", "Encrypting in the browser…"),
        "js_sending": ("Envoi du fichier chiffré…", "Sending the encrypted file…"),
        "js_processing": ("Le courtier vérifie le fichier…", "The broker is checking the file…"),
        "js_done": ("Fichier reçu.", "File received."),
        "js_failed": ("Échec :", "Failed:"),
        "js_no_key": ("Choisissez d'abord le fichier de clé privée.", "Choose the private key file first."),
        "js_wrong_key": (
            "Cette clé n'est pas celle pour laquelle la livraison est chiffrée (empreinte {0}).",
            "This key is not the one the delivery is sealed to (fingerprint {0})."
        ),
        "js_opening": ("Téléchargement et déchiffrement…", "Downloading and decrypting…"),
        "js_opened": ("Livraison déchiffrée et authentifiée : {0} octets.", "Delivery decrypted and authenticated: {0} bytes."),
        "propose_title": ("Proposer un échange", "Propose a deal"),
        "propose_partner": ("Identifiant de la firme partenaire", "Partner firm's id"),
        "propose_partner_help": ("L'identifiant org_… que la firme partenaire vous a communiqué.", "The org_… id the partner firm gave you."),
        "propose_partner_invalid": (
            "Identifiant de firme invalide : org_ suivi de 16 caractères.", "Invalid firm id: org_ followed by 16 characters."
        ),
        "propose_price": ("Prix pour 1 000 adresses (€)", "Price per 1,000 addresses (€)"),
        "propose_price_help": ("Entre {0} et {1}.", "Between {0} and {1}."),
        "propose_price_invalid": ("Prix invalide : un montant en euros, par exemple 25,50.", "Invalid price: an amount in euros, such as 25.50."),
        "propose_submit": ("Proposer", "Propose"),
        "files_title": ("Mes fichiers", "My files"),
        "files_stored": ("Fichiers déposés", "Stored files"),
        "files_none": ("Aucun fichier.", "No file."),
        "files_name": ("Nom", "Name"),
        "files_id": ("Identifiant", "Id"),
        "files_size": ("Taille (octets)", "Size (bytes)"),
        "files_rejected": ("Rejets", "Rejections"),
        "files_created": ("Déposé le", "Uploaded"),
        "files_hint": (
            "Pour joindre un fichier à un échange, déposez-le depuis la page de l'échange.",
            "To use a file in a deal, upload it from the deal's page."
        ),
        "firms_title": ("Firmes et utilisateurs", "Firms and users"),
        "firm_title": ("Firme", "Firm"),
        "firm_name": ("Raison sociale", "Legal name"),
        "firm_kind": ("Type", "Kind"),
        "firm_id": ("Identifiant", "Id"),
        "firm_city": ("Ville", "City"),
        "firm_users": ("Utilisateurs", "Users"),
        "firm_key": ("Clé de livraison", "Delivery key"),
        "firm_no_key": ("aucune clé enregistrée", "no key registered"),
        "firm_new": ("Enregistrer une firme partenaire", "Register a partner firm"),
        "firm_vat": ("N° de TVA", "VAT number"),
        "firm_naf": ("Code NAF", "NAF code"),
        "firm_street": ("Adresse", "Street"),
        "firm_postcode": ("Code postal", "Postcode"),
        "firm_country": ("Pays (code ISO)", "Country (ISO code)"),
        "firm_address": ("Adresse", "Address"),
        "firm_create": ("Enregistrer la firme", "Register the firm"),
        "firm_users_title": ("Utilisateurs", "Users"),
        "firm_no_users": ("Aucun utilisateur.", "No user."),
        "user_name": ("Nom", "Name"),
        "user_email": ("Courriel", "Email"),
        "user_role": ("Rôle", "Role"),
        "user_console": ("Console", "Console"),
        "user_created": ("Créé le", "Created"),
        "user_by": ("par", "by"),
        "user_state": ("État", "State"),
        "user_actions": ("Actions", "Actions"),
        "user_firm_admin": ("administrateur de la firme", "firm administrator"),
        "user_not_enrolled": ("pas encore activé", "not enrolled yet"),
        "user_enabled": ("actif", "active"),
        "user_disabled": ("désactivé le", "disabled on"),
        "user_issue_code": ("Nouveau code d'activation", "New enrolment code"),
        "user_sign_out": ("Fermer ses sessions", "Close its sessions"),
        "user_disable": ("Désactiver", "Disable"),
        "user_disable_reason": ("Motif de désactivation", "Reason for disabling"),
        "user_new": ("Ajouter un utilisateur", "Add a user"),
        "user_reason": ("Motif", "Reason"),
        "user_reason_help": (
            "Obligatoire si la firme a déjà des utilisateurs : il est audité et montré aux utilisateurs de la firme.",
            "Required when the firm already has users: it is audited and shown to the firm's users."
        ),
        "user_create": ("Créer l'utilisateur", "Create the user"),
        "issued_title": ("Remis une seule fois pour", "Shown once for"),
        "issued_code": ("Code d'activation :", "Enrolment code:"),
        "issued_until": ("valable jusqu'au", "valid until"),
        "issued_code_help": (
            "Transmettez-le par un canal sûr ; l'utilisateur l'utilise sur la page « Activation du compte ». Un nouveau code annule les précédents.",
            "Hand it over by a safe channel; the user types it on the “Account activation” page. A new code cancels older ones."
        ),
        "issued_token": ("Premier jeton d'API (pour l'outil « troc ») :", "First API token (for the “troc” tool):"),
        "keys_title": ("Changements de clé", "Key changes"),
        "keys_help": (
            "Avant d'approuver, relisez la nouvelle empreinte avec la firme par téléphone ou en personne, jamais par le canal de la demande.",
            "Before approving, read the new fingerprint back with the firm by telephone or in person, never through the channel the request came by."
        ),
        "keys_open": ("À décider", "To decide"),
        "keys_history": ("Historique", "History"),
        "keys_manage": ("Gérer les changements de clé", "Manage key changes"),
        "key_state": ("État", "State"),
        "key_requested": ("Demandé le", "Requested"),
        "key_old": ("Clé actuelle :", "Current key:"),
        "key_new": ("Nouvelle clé :", "New key:"),
        "key_effective": ("En vigueur le", "Effective"),
        "key_confirmed": ("Empreinte lue avec la firme", "Fingerprint read back with the firm"),
        "key_approve": ("Approuver", "Approve"),
        "key_refuse": ("Refuser", "Refuse"),
        "key_delay": ("La nouvelle clé entre en vigueur {0} h après l'approbation.", "The new key takes effect {0} h after approval."),
        "key_state_requested": ("demandé", "requested"),
        "key_state_approved": ("approuvé", "approved"),
        "key_state_refused": ("refusé", "refused"),
        "key_state_cancelled": ("annulé", "cancelled"),
        "key_state_effective": ("en vigueur", "effective"),
        "privacy_title": ("Données personnelles", "Personal data"),
        "privacy_total": ("Entrées sur la liste d'opposition :", "Entries on the suppression list:"),
        "privacy_help": (
            "Les valeurs sont hachées sous la clé du courtier puis oubliées.", "Values are hashed under the broker's key, then forgotten."
        ),
        "privacy_add": ("Ajouter à la liste d'opposition", "Add to the suppression list"),
        "privacy_values": ("Courriels, téléphones ou SIRET (un par ligne)", "Emails, phones or SIRETs (one per line)"),
        "privacy_values_help": (
            "Jusqu'à 100 000 valeurs ; les valeurs invalides sont signalées par leur ligne.",
            "Up to 100,000 values; invalid ones are reported by their line."
        ),
        "privacy_source": ("Origine", "Source"),
        "privacy_add_submit": ("Ajouter", "Add"),
        "privacy_import": ("Importer une liste", "Import a list"),
        "privacy_file": ("Fichier (une valeur par ligne)", "File (one value per line)"),
        "privacy_import_submit": ("Importer", "Import"),
        "source_optout": ("désinscription auprès d'une firme", "opt-out with a firm"),
        "source_unsubscribe": ("désabonnement d'un envoi", "unsubscribed from a mailing"),
        "source_opposition-list": ("liste d'opposition (Bloctel…)", "opposition list (Bloctel…)"),
        "suppress_result": ("{0} ajoutées, {1} déjà présentes, {2} rejetées.", "{0} added, {1} already listed, {2} rejected."),
        "suppress_line": ("ligne {0}", "line {0}"),
        "erasure_title": ("Demande d'effacement (RGPD art. 17)", "Erasure request (GDPR art. 17)"),
        "erasure_help": (
            "La personne est mise en opposition et retirée de tous les fichiers stockés et des livraisons en attente ; chaque firme qui l'a déjà reçue en est avisée (RGPD art. 19). L'effacement est enregistré sans ses données.",
            "The person is suppressed and removed from every stored file and held delivery; each firm that already received them is notified (GDPR art. 19). The erasure is recorded without their data."
        ),
        "erasure_emails": ("Courriels (un par ligne)", "Emails (one per line)"),
        "erasure_phones": ("Téléphones (un par ligne)", "Phones (one per line)"),
        "erasure_sirets": ("SIRET (un par ligne)", "SIRETs (one per line)"),
        "erasure_submit": ("Effacer", "Erase"),
        "erasure_result": (
            "Effacement {0} : {1} fichiers et {2} livraisons réécrits, {3} lignes retirées, {4} avis aux firmes destinataires ; la personne est en opposition.",
            "Erasure {0}: {1} files and {2} deliveries rewritten, {3} rows removed, {4} notices to the recipient firms; the person is suppressed."
        ),
        "erasure_history": ("Effacements effectués", "Erasures carried out"),
        "erasure_none": ("Aucun effacement.", "No erasure."),
        "erasure_id": ("Référence", "Reference"),
        "erasure_requested": ("Demandé le", "Requested"),
        "erasure_files": ("Fichiers réécrits", "Files rewritten"),
        "erasure_rows": ("Lignes retirées", "Rows removed"),
        "sectors_title": ("Tables sectorielles", "Sector tables"),
        "sectors_help": (
            "Chaque modification est auditée avec son motif. Les codes sont ceux de la NAF rév. 2.",
            "Every edit is audited with its reason. Codes are NAF rév. 2 subclasses."
        ),
        "sectors_cluster_edit": ("Grappes d'audience", "Audience clusters"),
        "sectors_confidential_edit": ("Secteurs confidentiels", "Confidential sectors"),
        "sectors_operation": ("Opération", "Operation"),
        "sectors_cluster_add": ("ajouter le code à la grappe", "add the code to the cluster"),
        "sectors_cluster_remove": ("retirer le code de la grappe", "remove the code from the cluster"),
        "sectors_confidential_add": ("déclarer le secteur confidentiel", "declare the sector confidential"),
        "sectors_confidential_remove": ("retirer des secteurs confidentiels", "remove from the confidential sectors"),
        "sectors_cluster": ("Grappe", "Cluster"),
        "sectors_rationale": ("Justification", "Rationale"),
        "sectors_scope": ("Portée", "Scope"),
        "sectors_label": ("Libellé", "Label"),
        "sectors_confidential": ("Secteurs confidentiels", "Confidential sectors"),
        "sectors_clusters": ("Grappes", "Clusters"),
        "settings_title": ("Paramètres du courtier", "Broker settings"),
        "settings_identity": ("Identité de facturation", "Invoicing identity"),
        "settings_legal_name": ("Raison sociale", "Legal name"),
        "settings_terms": ("Conditions", "Terms"),
        "settings_commission": ("Commission (%)", "Commission (%)"),
        "settings_price_min": ("Prix minimum pour 1 000 adresses (€)", "Minimum price per 1,000 addresses (€)"),
        "settings_price_max": ("Prix maximum pour 1 000 adresses (€)", "Maximum price per 1,000 addresses (€)"),
        "settings_payment_terms": ("Délai de paiement (jours)", "Payment terms (days)"),
        "settings_series": ("Préfixe des numéros de facture", "Invoice number prefix"),
        "settings_late_penalty": ("Pénalités de retard", "Late-payment penalty"),
        "settings_operations": ("Fonctionnement", "Operations"),
        "settings_reason_required": (
            "Indiquez le motif du changement : il est inscrit au journal d'audit.", "Give the reason for the change: it goes in the audit trail."
        ),
        "setting_deliveryDownloads": ("Téléchargements par livraison", "Downloads per delivery"),
        "setting_deliveryDays": ("Jours de disponibilité d'une livraison", "Days a delivery stays available"),
        "setting_retentionMonths": ("Durée de conservation (mois)", "Retention (months)"),
        "setting_dealExpiryDays": ("Jours sans activité avant expiration d'un échange", "Idle days before a deal expires"),
        "setting_keyChangeDelayHours": ("Délai d'entrée en vigueur d'une nouvelle clé (heures)", "Delay before a new key takes effect (hours)"),
        "setting_consoleIdleMinutes": ("Inactivité avant fin de session console (minutes)", "Idle time before a console session ends (minutes)"),
        "setting_consoleSessionHours": ("Durée maximale d'une session console (heures)", "Longest console session (hours)"),
        "setting_disputeWindowDays": ("Conservation des fichiers sources après libération (jours)", "Source files kept after release (days)"),
        "setting_unattachedFileDays": ("Conservation d'un fichier hors échange (jours)", "Files in no deal kept (days)"),
        "setting_minimumExchangeable": ("Contacts échangeables exigés par fichier", "Exchangeable contacts each file needs"),
        "setting_privacyReportsPerPair": ("Rapports par paire de firmes (budget de confidentialité)", "Reports per pair of firms (privacy budget)"),
        "setting_firmFileQuota": ("Fichiers stockés par firme", "Stored files per firm"),
        "audit_title": ("Journal d'audit", "Audit trail"),
        "audit_verify_title": ("Intégrité du journal", "Trail integrity"),
        "audit_verify": ("Vérifier la chaîne", "Verify the chain"),
        "audit_intact": ("Chaîne intacte : {0} entrées vérifiées.", "Chain intact: {0} entries verified."),
        "audit_damaged": ("Chaîne endommagée : {0}", "Chain damaged: {0}"),
        "audit_head": ("Tête à conserver hors de la machine :", "Head to keep off the machine:"),
        "audit_action": ("Action (début du code)", "Action (code prefix)"),
        "audit_actor": ("Auteur (usr_…)", "Actor (usr_…)"),
        "audit_organisation": ("Organisation (org_…)", "Organisation (org_…)"),
        "audit_deal": ("Échange (del_…)", "Deal (del_…)"),
        "audit_at": ("Date", "When"),
        "audit_detail": ("Détail", "Detail"),
        "audit_none": ("Aucune entrée ne correspond.", "No entry matches."),
        "audit_system": ("système", "system"),
        "invoices_title": ("Factures et avoirs", "Invoices and credit notes"),
        "invoices_none": ("Aucune facture sur cette période.", "No invoice in this period."),
        "invoice_seller": ("Vendeur", "Seller"),
        "invoice_buyer": ("Acheteur", "Buyer"),
        "invoice_purpose": ("Objet", "Purpose"),
        "invoice_kind": ("Type", "Kind"),
        "invoice_kind_invoice": ("facture", "invoice"),
        "invoice_kind_credit": ("avoir", "credit note"),
        "purpose_exchange": ("échange d'adresses", "address exchange"),
        "purpose_commission": ("commission du courtier", "broker's commission"),
        "invoice_totals": ("Totaux de la sélection", "Totals of the selection"),
        "invoice_count": ("Documents", "Documents"),
        "invoice_net": ("Montant HT", "Net"),
        "invoice_vat": ("TVA", "VAT"),
        "invoice_gross": ("Montant TTC", "Gross"),
        "invoice_number": ("Numéro", "Number"),
        "invoice_date": ("Date", "Date"),
        "invoice_files": ("Fichiers", "Files"),
        "invoice_credits": ("avoir de", "credits"),
        "export_format": ("Exporter la sélection en ZIP", "Export the selection as ZIP"),
        "export_submit": ("Télécharger le ZIP", "Download the ZIP"),
        "export_all": ("tous les formats", "every format"),
        "export_pdf": ("PDF Factur-X", "Factur-X PDF"),
        "export_ubl": ("UBL (EN 16931)", "UBL (EN 16931)"),
        "export_cii": ("CII (EN 16931)", "CII (EN 16931)"),
        "export_html": ("HTML", "HTML"),
        "export_csv": ("CSV", "CSV"),
        "export_json": ("JSON", "JSON"),
        "settlements_title": ("Règlements", "Settlements"),
        "settlements_none": ("Aucun règlement sur cette période.", "No settlement in this period."),
        "settlement_a_owes_b": ("A doit à B", "A owes B"),
        "settlement_b_owes_a": ("B doit à A", "B owes A"),
        "settlement_net": ("Solde", "Net"),
        "settlement_commissions": ("Commissions (A / B)", "Commissions (A / B)"),
        "settlement_pays": ("{0} verse {2} à {1}", "{0} pays {1} {2}"),
        "ledger_title": ("Fichier des écritures comptables (FEC)", "Accounting entries file (FEC)"),
        "ledger_help": (
            "Le FEC de l'année (art. A47 A-1 du LPF) : ventes du courtier, journal VT, 18 colonnes séparées par des tabulations.",
            "The year's FEC (LPF art. A47 A-1): the broker's sales, journal VT, 18 tab-separated columns."
        ),
        "ledger_year": ("Exercice", "Year"),
        "ledger_download": ("Télécharger le FEC", "Download the FEC"),
        "problem_400": ("Demande invalide", "Invalid request"),
        "problem_401": ("Connexion requise", "Sign-in required"),
        "problem_403": ("Action non autorisée", "Not allowed"),
        "problem_404": ("Introuvable", "Not found"),
        "problem_409": ("Impossible dans l'état actuel", "Not possible in the current state"),
        "problem_410": ("N'est plus disponible", "No longer available"),
        "problem_413": ("Trop volumineux", "Too large"),
        "problem_415": ("Format non accepté", "Format not accepted"),
        "problem_422": ("Données refusées", "Data refused"),
        "problem_429": ("Trop de tentatives", "Too many attempts"),
        "problem_500": ("Erreur du courtier", "Broker error"),
        "problem_summary_403": (
            "Votre rôle ne permet pas cette action, ou le formulaire a expiré : rechargez la page.",
            "Your role does not allow this, or the form expired: reload the page."
        ),
        "problem_summary_404": ("Cette page n'existe pas ou ne vous est pas visible.", "This page does not exist or is not visible to you."),
        "problem_summary_409": (
            "L'action ne correspond pas à l'état actuel : rechargez la page pour le voir.",
            "The action does not fit the current state: reload the page to see it."
        ),
        "problem_summary_422": (
            "Les données saisies ne respectent pas les règles : corrigez-les et recommencez.",
            "The data entered break the rules: correct them and try again."
        ),
        "problem_summary_500": (
            "Le courtier n'a pas pu terminer : l'incident est journalisé, réessayez plus tard.",
            "The broker could not finish: it is logged, try again later."
        ),
        "problem_summary_other": ("La demande n'a pas abouti.", "The request did not go through."),
        "nav_key": ("Clé de livraison", "Delivery key"),
        "nav_mandate": ("Mandat de facturation", "Billing mandate"),
        "mandate_title": ("Mandat de facturation", "Billing mandate"),
        "mandate_help": (
            "Le courtier émet en votre nom les factures d'échange des adresses que vous livrez, sous ce mandat (CGI art. 289, I-2) ; sans mandat en vigueur, un échange ne peut pas être facturé.",
            "The broker issues in your name the exchange invoices for the addresses you deliver, under this mandate (CGI art. 289, I-2); without a mandate in force, a deal cannot be invoiced."
        ),
        "mandate_in_force": ("Mandat en vigueur", "Mandate in force"),
        "mandate_reference": ("Référence", "Reference"),
        "mandate_accepted": ("Accepté le", "Accepted"),
        "mandate_contest_days": ("Délai de contestation (jours)", "Days to contest an invoice"),
        "mandate_wording": ("Texte du mandat", "Wording of the mandate"),
        "mandate_offer": ("Mandat proposé", "Mandate offered"),
        "mandate_accept": ("Accepter le mandat", "Accept the mandate"),
        "done_mandate": ("Mandat de facturation accepté.", "Billing mandate accepted."),
        "firm_vat_status": ("Régime de TVA", "VAT status"),
        "vat_registered": ("Assujetti (n° de TVA propre)", "Registered (own VAT number)"),
        "vat_franchise": ("Franchise en base (CGI art. 293 B)", "Franchise (CGI art. 293 B)"),
        "vat_overseas": ("Outre-mer (DOM)", "Overseas (DOM)"),
        "firm_iban": ("IBAN", "IBAN"),
        "firm_bic": ("BIC", "BIC"),
        "firm_mandate": ("Mandat de facturation", "Billing mandate"),
        "firm_mandate_none": ("aucun mandat en vigueur", "no mandate in force"),
        "key_title": ("Clé de livraison de la firme", "The firm's delivery key"),
        "key_current": ("Empreinte de la clé enregistrée :", "Registered key fingerprint:"),
        "key_none": (
            "Aucune clé enregistrée : vos livraisons ne peuvent pas encore vous être chiffrées.",
            "No key registered: your deliveries cannot be sealed to you yet."
        ),
        "key_pending": ("Changement en cours :", "Change in progress:"),
        "key_help": (
            "La clé privée reste sur votre poste ; le courtier ne reçoit que la clé publique. Tout changement de clé est confirmé par un opérateur au téléphone, puis prend effet après un délai.",
            "The private key stays on your computer; the broker receives only the public key. Any key change is confirmed by an operator by telephone, then takes effect after a delay."
        ),
        "key_generate": ("Générer une paire de clés dans ce navigateur", "Generate a key pair in this browser"),
        "key_generate_help": (
            "Enregistrez d'abord le fichier de clé privée proposé, puis envoyez la clé publique.",
            "Save the private key file offered first, then send the public key."
        ),
        "key_save_private": ("Enregistrer le fichier de clé privée", "Save the private key file"),
        "key_public": ("Clé publique (PEM, par exemple celle de « troc keygen »)", "Public key (PEM, such as the one from “troc keygen”)"),
        "key_note": ("Note pour l'opérateur (facultatif)", "Note for the operator (optional)"),
        "key_register": ("Enregistrer la clé publique", "Register the public key"),
        "key_request": ("Demander le changement de clé", "Ask for the key change"),
        "done_key-registered": ("Clé de livraison enregistrée.", "Delivery key registered."),
        "done_key-requested": (
            "Changement de clé demandé : un opérateur vous appellera pour confirmer l'empreinte.",
            "Key change requested: an operator will call you to confirm the fingerprint."
        ),
    ]
}
