/// Renders issued documents as UN/CEFACT CII (the XML of Factur-X, EN 16931 profile) with the French CTC mentions.
public enum CIIRenderer {
    /// The CII XML of `document`, UTF-8 text, identical for identical documents.
    public static func render(_ document: InvoiceDocument) throws(EInvoiceError) -> String {
        try EInvoiceProfile.check(document)
        var xml = XMLWriter()
        xml.group(
            "rsm:CrossIndustryInvoice",
            [
                ("xmlns:rsm", "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"),
                ("xmlns:ram", "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"),
                ("xmlns:udt", "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"),
                ("xmlns:qdt", "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"),
            ]
        ) { xml in
            xml.group("rsm:ExchangedDocumentContext") { xml in
                xml.group("ram:BusinessProcessSpecifiedDocumentContextParameter") { xml in xml.element("ram:ID", EInvoiceProfile.businessProcess) }
                xml.group("ram:GuidelineSpecifiedDocumentContextParameter") { xml in xml.element("ram:ID", EInvoiceProfile.specification) }
            }
            xml.group("rsm:ExchangedDocument") { xml in
                xml.element("ram:ID", document.number.text)
                xml.element("ram:TypeCode", document.kind.typeCode)
                date("ram:IssueDateTime", document.issueDate, into: &xml)
                for note in document.notes {
                    xml.group("ram:IncludedNote") { xml in
                        xml.element("ram:Content", note.text)
                        xml.element("ram:SubjectCode", note.subjectCode)
                    }
                }
            }
            xml.group("rsm:SupplyChainTradeTransaction") { xml in
                for line in document.lines { self.line(line, into: &xml) }
                xml.group("ram:ApplicableHeaderTradeAgreement") { xml in
                    let vatNumbers = EInvoiceProfile.carriesVATNumbers(document)
                    party("ram:SellerTradeParty", document.seller, isSeller: true, vatNumbers: vatNumbers, into: &xml)
                    party("ram:BuyerTradeParty", document.buyer, isSeller: false, vatNumbers: vatNumbers, into: &xml)
                    xml.group("ram:ContractReferencedDocument") { xml in xml.element("ram:IssuerAssignedID", document.dealID) }
                }
                xml.group("ram:ApplicableHeaderTradeDelivery") { xml in
                    xml.group("ram:ActualDeliverySupplyChainEvent") { xml in date("ram:OccurrenceDateTime", document.deliveryDate, into: &xml) }
                }
                xml.group("ram:ApplicableHeaderTradeSettlement") { xml in settlement(document, into: &xml) }
            }
        }
        return xml.output
    }

    private static func line(_ line: InvoiceLine, into xml: inout XMLWriter) {
        xml.group("ram:IncludedSupplyChainTradeLineItem") { xml in
            xml.group("ram:AssociatedDocumentLineDocument") { xml in xml.element("ram:LineID", String(line.number)) }
            xml.group("ram:SpecifiedTradeProduct") { xml in xml.element("ram:Name", line.description) }
            xml.group("ram:SpecifiedLineTradeAgreement") { xml in
                xml.group("ram:NetPriceProductTradePrice") { xml in
                    xml.element("ram:ChargeAmount", line.unitPrice.decimalString)
                    xml.element("ram:BasisQuantity", String(line.baseQuantity), [("unitCode", line.unitCode)])
                }
            }
            xml.group("ram:SpecifiedLineTradeDelivery") { xml in
                xml.element("ram:BilledQuantity", String(line.quantity), [("unitCode", line.unitCode)])
            }
            xml.group("ram:SpecifiedLineTradeSettlement") { xml in
                xml.group("ram:ApplicableTradeTax") { xml in
                    xml.element("ram:TypeCode", "VAT")
                    xml.element("ram:CategoryCode", line.vat.category.rawValue)
                    if line.vat.category.hasRate {
                        xml.element("ram:RateApplicablePercent", FrenchText.xmlPercentage(basisPoints: line.vat.rateBasisPoints))
                    }
                }
                xml.group("ram:SpecifiedTradeSettlementLineMonetarySummation") { xml in xml.element("ram:LineTotalAmount", line.net.decimalString) }
            }
        }
    }

    private static func settlement(_ document: InvoiceDocument, into xml: inout XMLWriter) {
        xml.element("ram:PaymentReference", document.number.text)
        xml.element("ram:InvoiceCurrencyCode", document.currencyCode)
        if let payee = document.payment.payee {
            xml.group("ram:PayeeTradeParty") { xml in
                xml.element("ram:Name", payee.name)
                xml.group("ram:SpecifiedLegalOrganization") { xml in xml.element("ram:ID", payee.siren, [("schemeID", EInvoiceProfile.sirenScheme)]) }
            }
        }
        xml.group("ram:SpecifiedTradeSettlementPaymentMeans") { xml in
            xml.element("ram:TypeCode", document.payment.meansCode)
            xml.group("ram:PayeePartyCreditorFinancialAccount") { xml in xml.element("ram:IBANID", document.payment.iban.text) }
            xml.group("ram:PayeeSpecifiedCreditorFinancialInstitution") { xml in xml.element("ram:BICID", document.payment.bic.text) }
        }
        for entry in document.vatBreakdown {
            xml.group("ram:ApplicableTradeTax") { xml in
                xml.element("ram:CalculatedAmount", entry.taxAmount.decimalString)
                xml.element("ram:TypeCode", "VAT")
                if let reason = entry.treatment.exemptionReason { xml.element("ram:ExemptionReason", reason) }
                xml.element("ram:BasisAmount", entry.taxableAmount.decimalString)
                xml.element("ram:CategoryCode", entry.treatment.category.rawValue)
                if let code = entry.treatment.exemptionReasonCode { xml.element("ram:ExemptionReasonCode", code) }
                if entry.treatment.category.hasRate {
                    xml.element("ram:RateApplicablePercent", FrenchText.xmlPercentage(basisPoints: entry.treatment.rateBasisPoints))
                }
            }
        }
        xml.group("ram:SpecifiedTradePaymentTerms") { xml in
            xml.element("ram:Description", document.paymentTermsText)
            date("ram:DueDateDateTime", document.dueDate, into: &xml)
        }
        xml.group("ram:SpecifiedTradeSettlementHeaderMonetarySummation") { xml in
            xml.element("ram:LineTotalAmount", document.totals.net.decimalString)
            xml.element("ram:TaxBasisTotalAmount", document.totals.net.decimalString)
            xml.element("ram:TaxTotalAmount", document.totals.vat.decimalString, [("currencyID", document.currencyCode)])
            xml.element("ram:GrandTotalAmount", document.totals.gross.decimalString)
            xml.element("ram:DuePayableAmount", document.totals.payable.decimalString)
        }
        if let preceding = document.precedingInvoice {
            xml.group("ram:InvoiceReferencedDocument") { xml in
                xml.element("ram:IssuerAssignedID", preceding.number.text)
                xml.group("ram:FormattedIssueDateTime") { xml in
                    xml.element("qdt:DateTimeString", preceding.issueDate.compact, [("format", "102")])
                }
            }
        }
    }

    /// A party; `vatNumbers` false leaves out the VAT identifiers, which a document not subject to VAT must not carry.
    private static func party(_ name: String, _ party: InvoiceParty, isSeller: Bool, vatNumbers: Bool, into xml: inout XMLWriter) {
        xml.group(name) { xml in
            xml.element("ram:Name", party.name)
            if let siren = party.siren {
                xml.group("ram:SpecifiedLegalOrganization") { xml in xml.element("ram:ID", siren, [("schemeID", EInvoiceProfile.sirenScheme)]) }
            } else if let registrationID = party.foreignRegistrationID {
                xml.group("ram:SpecifiedLegalOrganization") { xml in xml.element("ram:ID", registrationID) }
            }
            xml.group("ram:PostalTradeAddress") { xml in
                xml.element("ram:PostcodeCode", party.address.postcode)
                xml.element("ram:LineOne", party.address.street)
                xml.element("ram:CityName", party.address.city)
                xml.element("ram:CountryID", party.address.countryCode)
            }
            if let address = EInvoiceProfile.electronicAddress(of: party) {
                xml.group("ram:URIUniversalCommunication") { xml in xml.element("ram:URIID", address.identifier, [("schemeID", address.scheme)]) }
            }
            if vatNumbers, let vatNumber = party.vatNumber {
                xml.group("ram:SpecifiedTaxRegistration") { xml in xml.element("ram:ID", vatNumber.text, [("schemeID", "VA")]) }
            }
            if isSeller, let registration = party.taxRegistrationID {
                xml.group("ram:SpecifiedTaxRegistration") { xml in
                    xml.element("ram:ID", registration, [("schemeID", EInvoiceProfile.taxRegistrationScheme)])
                }
            }
        }
    }

    private static func date(_ name: String, _ date: CivilDate, into xml: inout XMLWriter) {
        xml.group(name) { xml in xml.element("udt:DateTimeString", date.compact, [("format", "102")]) }
    }
}
