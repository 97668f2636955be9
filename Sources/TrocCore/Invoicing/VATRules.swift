/// The VAT of a service Troc invoices (prospect addresses, brokerage), from the seller's and the buyer's VAT statuses.
///
/// Between businesses a service is supplied where the buyer is established (CGI art. 259-1°; art. 44 of directive
/// 2006/112/EC). Between metropolitan France and the overseas departments that place only decides the rate: there is no
/// reverse charge between them (BOI-TVA-GEO-20-40). So, in this order:
/// 1. a buyer in Guyane or Mayotte: VAT does not apply there (CGI art. 294-1), category `O`;
/// 2. a buyer in another member state: reverse charge (art. 196 of the directive), category `AE`, both VAT numbers
///    required and the seller not under the French franchise;
/// 3. a seller in another member state selling into France: reverse charge by the French buyer (CGI art. 283-2);
/// 4. a seller under the franchise (CGI art. 293 B): category `E`, no VAT, the 293 B mention;
/// 5. otherwise the standard rate of the buyer's territory: 20 % in metropolitan France, 8.5 % in Guadeloupe,
///    Martinique and La Réunion (CGI art. 296-1°), which the seller must be VAT-registered to charge.
public enum VATRules {
    /// The treatment of a sale from `seller` to `buyer` (name and status each), or why Troc cannot invoice it.
    public static func treatment(seller: (name: String, status: FirmVATStatus), buyer: (name: String, status: FirmVATStatus))
        throws(InvoicingError) -> VATTreatment
    {
        let (sellerTerritory, buyerTerritory) = (seller.status.territory, buyer.status.territory)
        if case .overseas(let department) = buyerTerritory, !department.appliesVAT { return .notApplicableOverseas }
        if case .memberState = buyerTerritory {
            guard sellerTerritory != buyerTerritory else { throw unsupported(seller, buyer) }
            guard seller.status.regime != .franchise else {
                throw .franchiseSellerAbroad(seller: seller.name, buyer: buyer.name, buyerTerritory: buyerTerritory.description)
            }
            for party in [seller, buyer] where party.status.vatNumber == nil {
                throw .missingVATNumber(party: party.name, countryCode: party.status.territory.rawValue)
            }
            return .intraCommunityReverseCharge
        }
        if case .memberState = sellerTerritory {
            for party in [seller, buyer] where party.status.vatNumber == nil {
                throw .missingVATNumber(party: party.name, countryCode: party.status.territory.rawValue)
            }
            return .intraCommunityReverseCharge
        }
        if seller.status.regime == .franchise { return .franchise }
        guard seller.status.vatNumber != nil, let rate = buyerTerritory.domesticStandardRateBasisPoints else {
            throw .sellerNotRegistered(seller: seller.name, sellerTerritory: sellerTerritory.description, buyerTerritory: buyerTerritory.description)
        }
        return .standard(rateBasisPoints: rate)
    }

    private static func unsupported(_ seller: (name: String, status: FirmVATStatus), _ buyer: (name: String, status: FirmVATStatus))
        -> InvoicingError
    {
        .unsupportedVATSituation(
            seller: seller.name, sellerCountry: seller.status.territory.rawValue, buyer: buyer.name, buyerCountry: buyer.status.territory.rawValue)
    }
}
