extension EUMemberState {
    /// The country's name as a French address prints it.
    public var frenchName: String {
        switch self {
        case .austria: "Autriche"
        case .belgium: "Belgique"
        case .bulgaria: "Bulgarie"
        case .cyprus: "Chypre"
        case .czechia: "Tchéquie"
        case .germany: "Allemagne"
        case .denmark: "Danemark"
        case .estonia: "Estonie"
        case .spain: "Espagne"
        case .finland: "Finlande"
        case .france: "France"
        case .greece: "Grèce"
        case .croatia: "Croatie"
        case .hungary: "Hongrie"
        case .ireland: "Irlande"
        case .italy: "Italie"
        case .lithuania: "Lituanie"
        case .luxembourg: "Luxembourg"
        case .latvia: "Lettonie"
        case .malta: "Malte"
        case .netherlands: "Pays-Bas"
        case .poland: "Pologne"
        case .portugal: "Portugal"
        case .romania: "Roumanie"
        case .sweden: "Suède"
        case .slovenia: "Slovénie"
        case .slovakia: "Slovaquie"
        }
    }
}
