/// Two partner firms of complementary sectors (window joinery, heating), as an operator registers them through the API;
/// shared by the server's and the client's tests.
package enum SampleFirms {
    package static let joinery = """
        {"name": "Menuiseries Durand SARL", "siren": "732829320", "nafCode": "43.32A",
         "address": {"street": "2 avenue des Artisans", "postcode": "69001", "city": "Lyon", "countryCode": "FR"},
         "vatStatus": "registered", "vatNumber": "FR44732829320",
         "bankAccount": {"iban": "FR76 3000 4000 0312 3456 7890 143", "bic": "BNPAFRPP"}}
        """
    package static let heating = """
        {"name": "Géothermie Martin SAS", "siret": "55210055400013", "nafCode": "43.22B",
         "address": {"street": "12 chemin des Sources", "postcode": "33000", "city": "Bordeaux", "countryCode": "FR"},
         "vatStatus": "registered", "vatNumber": "FR96552100554",
         "bankAccount": {"iban": "FR14 2004 1010 0505 0001 3M02 606", "bic": "PSSTFRPPXXX"}}
        """
}
