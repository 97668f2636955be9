/// Renders issued documents as UBL 2.1 Invoice or CreditNote under EN 16931 with the French CTC mentions.
public enum UBLRenderer {
    /// The UBL XML of `document`, UTF-8 text, identical for identical documents.
    public static func render(_ document: InvoiceDocument) throws(EInvoiceError) -> String {
        try EInvoiceProfile.check(document)
        let isInvoice = document.kind == .invoice
        let root = isInvoice ? "Invoice" : "CreditNote"
        var xml = XMLWriter()
        xml.group(
            root,
            [
                ("xmlns", "urn:oasis:names:specification:ubl:schema:xsd:\(root)-2"),
                ("xmlns:cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"),
                ("xmlns:cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"),
            ]
        ) { xml in
            xml.element("cbc:CustomizationID", EInvoiceProfile.specification)
            xml.element("cbc:ProfileID", EInvoiceProfile.businessProcess)
            xml.element("cbc:ID", document.number.text)
            xml.element("cbc:IssueDate", document.issueDate.iso8601)
            // A UBL CreditNote has no header due date: it goes into PaymentMeans below.
            if isInvoice { xml.element("cbc:DueDate", document.dueDate.iso8601) }
            xml.element(isInvoice ? "cbc:InvoiceTypeCode" : "cbc:CreditNoteTypeCode", document.kind.typeCode)
            for note in document.notes { xml.element("cbc:Note", EInvoiceProfile.ublNote(note)) }
            xml.element("cbc:DocumentCurrencyCode", document.currencyCode)
            if let preceding = document.precedingInvoice {
                xml.group("cac:BillingReference") { xml in
                    xml.group("cac:InvoiceDocumentReference") { xml in
                        xml.element("cbc:ID", preceding.number.text)
                        xml.element("cbc:IssueDate", preceding.issueDate.iso8601)
                    }
                }
            }
            xml.group("cac:ContractDocumentReference") { xml in xml.element("cbc:ID", document.dealID) }
            let vatNumbers = EInvoiceProfile.carriesVATNumbers(document)
            xml.group("cac:AccountingSupplierParty") { xml in party(document.seller, isSeller: true, vatNumbers: vatNumbers, into: &xml) }
            xml.group("cac:AccountingCustomerParty") { xml in party(document.buyer, isSeller: false, vatNumbers: vatNumbers, into: &xml) }
            if let payee = document.payment.payee {
                xml.group("cac:PayeeParty") { xml in
                    xml.group("cac:PartyName") { xml in xml.element("cbc:Name", payee.name) }
                    xml.group("cac:PartyLegalEntity") { xml in xml.element("cbc:CompanyID", payee.siren, [("schemeID", EInvoiceProfile.sirenScheme)])
                    }
                }
            }
            xml.group("cac:Delivery") { xml in xml.element("cbc:ActualDeliveryDate", document.deliveryDate.iso8601) }
            xml.group("cac:PaymentMeans") { xml in
                xml.element("cbc:PaymentMeansCode", document.payment.meansCode)
                if !isInvoice { xml.element("cbc:PaymentDueDate", document.dueDate.iso8601) }
                xml.element("cbc:PaymentID", document.number.text)
                xml.group("cac:PayeeFinancialAccount") { xml in
                    xml.element("cbc:ID", document.payment.iban.text)
                    xml.group("cac:FinancialInstitutionBranch") { xml in xml.element("cbc:ID", document.payment.bic.text) }
                }
            }
            xml.group("cac:PaymentTerms") { xml in xml.element("cbc:Note", document.paymentTermsText) }
            xml.group("cac:TaxTotal") { xml in
                xml.element("cbc:TaxAmount", document.totals.vat.decimalString, currency(document))
                for entry in document.vatBreakdown {
                    xml.group("cac:TaxSubtotal") { xml in
                        xml.element("cbc:TaxableAmount", entry.taxableAmount.decimalString, currency(document))
                        xml.element("cbc:TaxAmount", entry.taxAmount.decimalString, currency(document))
                        taxCategory("cac:TaxCategory", entry.treatment, withExemption: true, into: &xml)
                    }
                }
            }
            xml.group("cac:LegalMonetaryTotal") { xml in
                xml.element("cbc:LineExtensionAmount", document.totals.net.decimalString, currency(document))
                xml.element("cbc:TaxExclusiveAmount", document.totals.net.decimalString, currency(document))
                xml.element("cbc:TaxInclusiveAmount", document.totals.gross.decimalString, currency(document))
                xml.element("cbc:PayableAmount", document.totals.payable.decimalString, currency(document))
            }
            for line in document.lines {
                xml.group(isInvoice ? "cac:InvoiceLine" : "cac:CreditNoteLine") { xml in
                    xml.element("cbc:ID", String(line.number))
                    xml.element(isInvoice ? "cbc:InvoicedQuantity" : "cbc:CreditedQuantity", String(line.quantity), [("unitCode", line.unitCode)])
                    xml.element("cbc:LineExtensionAmount", line.net.decimalString, currency(document))
                    xml.group("cac:Item") { xml in
                        xml.element("cbc:Name", line.description)
                        taxCategory("cac:ClassifiedTaxCategory", line.vat, withExemption: false, into: &xml)
                    }
                    xml.group("cac:Price") { xml in
                        xml.element("cbc:PriceAmount", line.unitPrice.decimalString, currency(document))
                        xml.element("cbc:BaseQuantity", String(line.baseQuantity), [("unitCode", line.unitCode)])
                    }
                }
            }
        }
        return xml.output
    }

    private static func currency(_ document: InvoiceDocument) -> [(String, String)] { [("currencyID", document.currencyCode)] }

    /// A party; `vatNumbers` false leaves out the VAT identifiers, which a document not subject to VAT must not carry.
    private static func party(_ party: InvoiceParty, isSeller: Bool, vatNumbers: Bool, into xml: inout XMLWriter) {
        xml.group("cac:Party") { xml in
            if let address = EInvoiceProfile.electronicAddress(of: party) {
                xml.element("cbc:EndpointID", address.identifier, [("schemeID", address.scheme)])
            }
            xml.group("cac:PartyName") { xml in xml.element("cbc:Name", party.name) }
            xml.group("cac:PostalAddress") { xml in
                xml.element("cbc:StreetName", party.address.street)
                xml.element("cbc:CityName", party.address.city)
                xml.element("cbc:PostalZone", party.address.postcode)
                xml.group("cac:Country") { xml in xml.element("cbc:IdentificationCode", party.address.countryCode) }
            }
            if vatNumbers, let vatNumber = party.vatNumber {
                xml.group("cac:PartyTaxScheme") { xml in
                    xml.element("cbc:CompanyID", vatNumber.text)
                    xml.group("cac:TaxScheme") { xml in xml.element("cbc:ID", "VAT") }
                }
            }
            if isSeller, let registration = party.taxRegistrationID {
                xml.group("cac:PartyTaxScheme") { xml in
                    xml.element("cbc:CompanyID", registration)
                    xml.group("cac:TaxScheme") { xml in xml.element("cbc:ID", EInvoiceProfile.taxRegistrationScheme) }
                }
            }
            xml.group("cac:PartyLegalEntity") { xml in
                xml.element("cbc:RegistrationName", party.name)
                if let siren = party.siren {
                    xml.element("cbc:CompanyID", siren, [("schemeID", EInvoiceProfile.sirenScheme)])
                } else if let registrationID = party.foreignRegistrationID {
                    xml.element("cbc:CompanyID", registrationID)
                }
            }
        }
    }

    private static func taxCategory(_ name: String, _ treatment: VATTreatment, withExemption: Bool, into xml: inout XMLWriter) {
        xml.group(name) { xml in
            xml.element("cbc:ID", treatment.category.rawValue)
            if treatment.category.hasRate { xml.element("cbc:Percent", FrenchText.xmlPercentage(basisPoints: treatment.rateBasisPoints)) }
            if withExemption, let code = treatment.exemptionReasonCode { xml.element("cbc:TaxExemptionReasonCode", code) }
            if withExemption, let reason = treatment.exemptionReason { xml.element("cbc:TaxExemptionReason", reason) }
            xml.group("cac:TaxScheme") { xml in xml.element("cbc:ID", "VAT") }
        }
    }
}
