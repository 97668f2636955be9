extension ContactField {
    /// Header spellings seen in French and English exports and CRMs (HubSpot, Salesforce, Brevo,
    /// Mailchimp, Sellsy, Axonaut, Pipedrive), compared after folding (see `fold`).
    var synonyms: [String] {
        switch self {
        case .civility: ["civilite", "civ", "titre", "title", "salutation", "genre", "gender", "mmemr", "mme/m"]
        case .lastName: ["nom", "nomdefamille", "lastname", "surname", "familyname", "nomcontact", "nomdenaissance"]
        case .firstName: ["prenom", "firstname", "givenname", "prenomcontact"]
        case .fullName: ["nomcomplet", "fullname", "name", "contact", "nomprenom", "prenomnom", "nometprenom"]
        case .email:
            [
                "email", "mail", "courriel", "adresseemail", "adressemail", "adresseelectronique", "emailaddress", "mailaddress",
                "adressecourriel", "emailcontact", "emailpro", "emailprofessionnel", "emailperso",
            ]
        case .phone:
            [
                "telephone", "tel", "phone", "phonenumber", "numerodetelephone", "numerotelephone", "notelephone", "portable", "mobile",
                "gsm", "telportable", "telephoneportable", "telephonemobile", "telmobile", "cellulaire", "mobilephone", "cellphone",
                "tel1", "telephone1", "fixe", "telfixe", "telephonefixe", "landline", "mobilephonenumber",
                // Brevo's SMS attribute is the contact's mobile number.
                "sms",
            ]
        case .secondPhone: ["telephone2", "tel2", "phone2", "autretelephone", "telephonesecondaire"]
        case .address:
            [
                "adresse", "adressepostale", "address", "rue", "street", "streetaddress", "adresse1", "adresseligne1", "addressline1", "voie",
                "numeroetrue",
            ]
        case .postalCode: ["codepostal", "cp", "postalcode", "zip", "zipcode", "postcode"]
        case .city: ["ville", "commune", "city", "localite", "town"]
        case .country: ["pays", "country"]
        case .company:
            [
                "raisonsociale", "societe", "entreprise", "company", "companyname", "organisation", "organization", "denomination",
                "nomentreprise", "nomsociete", "enseigne", "etablissement",
            ]
        case .siret: ["siret", "siren", "sirensiret", "siretsiren", "nsiret", "nosiret", "numerosiret", "numerosiren", "companyid"]
        case .naf: ["naf", "codenaf", "ape", "codeape", "nafape", "apenaf", "codenafape", "activitycode", "nace"]
        case .source: ["source", "origine", "provenance", "canal", "origin", "sourcecontact", "sourcedecollecte", "leadsource", "originalsource"]
        case .collectedOn:
            [
                "datedecollecte", "datecollecte", "collecte", "datedinscription", "dateinscription", "datedecreation", "datecreation",
                "collectiondate", "collectedon", "createdat", "createdate", "createddate", "dateajout", "datedajout", "addedtime",
            ]
        case .consent:
            [
                "consentement", "optin", "consent", "accord", "rgpd", "accepte", "consentementrgpd", "gdprconsent", "consentementprospection",
                "optinprospection", "consentementcommercial",
            ]
        case .lastContactOn:
            [
                "datederniercontact", "dateduderniercontact", "datedederniercontact", "derniercontact", "lastcontact", "lastcontacted",
                "lastcontactdate", "datedernierechange", "datedederniereinteraction", "lastactivitydate", "datedernieractivite",
            ]
        case .segment: ["typecontact", "typedecontact", "type", "segment", "b2bb2c", "cible", "particulierprofessionnel", "clientele"]
        case .consentEmail:
            [
                "optinemail", "optinmail", "optincourriel", "emailoptin", "mailoptin", "consentementemail", "consentementmail",
                "consentementcourriel", "emailconsent", "consentemail", "emailmarketingconsent", "accepteemails", "accepteemail",
                "accepteemailing", "optinnewsletter", "newsletter", "doubleoptin", "confirmtime", "marketingstatus",
                "emailmarketingstatus", "personmarketingstatus", "abonnementemail", "emailsubscription",
            ]
        case .consentPhone:
            [
                "optintel", "optintelephone", "optinphone", "optinappel", "optintelephonique", "telephoneoptin", "phoneoptin",
                "consentementtelephone", "consentementtel", "consentementappel", "consentementtelephonique",
                "consentementdemarchagetelephonique", "consenttelephone", "phoneconsent", "callconsent", "telemarketingconsent",
                "accepteappels", "accepteappel",
            ]
        case .consentSMS: ["optinsms", "smsoptin", "consentementsms", "smsconsent", "consentsms", "acceptesms", "smsmarketingconsent"]
        case .emailOptOut:
            [
                "emailoptout", "optoutemail", "optoutmail", "hasoptedoutofemail", "unsubscribedfromallemail", "unsubscribed", "desinscrit",
                "desinscritemail", "desabonne", "desabonneemail", "emailblacklisted", "blacklistemail", "oppositionemail", "desinscription",
                "datedesinscription", "unsubscribedate",
            ]
        case .phoneOptOut:
            [
                "donotcall", "nepasappeler", "bloctel", "inscritbloctel", "inscriptionbloctel", "oppositiontelephone",
                "oppositiondemarchagetelephonique", "optouttelephone", "optouttel", "phoneoptout", "telephoneoptout",
            ]
        case .smsOptOut: ["smsoptout", "optoutsms", "smsblacklisted", "blacklistsms", "stopsms", "desinscritsms", "oppositionsms"]
        case .consentEmailOn:
            [
                "dateconsentementemail", "datedeconsentementemail", "dateconsentementmail", "dateoptinemail", "datedoptinemail", "dateoptinmail",
                "emailoptindate",
                "emailconsentdate",
            ]
        case .consentPhoneOn:
            [
                "dateconsentementtelephone", "dateconsentementtel", "dateoptintelephone", "dateoptintel", "datedoptintelephone",
                "phoneconsentdate", "phoneoptindate", "telephoneoptindate",
            ]
        case .consentSMSOn: ["dateconsentementsms", "dateoptinsms", "datedoptinsms", "smsconsentdate", "smsoptindate"]
        case .consentDate:
            [
                "dateconsentement", "datedeconsentement", "dateduconsentement", "consentdate", "consentementdate", "dateoptin", "datedoptin",
                "optindate", "optintime", "dateaccord", "datedaccord", "consentgivenon", "dateconsentementrgpd", "gdprconsentdate",
            ]
        case .consentProof:
            [
                "preuveconsentement", "preuvedeconsentement", "preuveduconsentement", "preuve", "consentproof", "proofofconsent",
                "texteconsentement", "texteduconsentement", "libelleconsentement", "mentionconsentement", "consentwording", "consenttext",
                "formulaireconsentement", "formulairedeconsentement", "sourceconsentement", "sourceduconsentement", "consentsource",
                "optinsource", "sourceoptin", "consentform", "referenceformulaire",
            ]
        case .partnerConsent:
            [
                "cessionpartenaires", "cessionpartenaire", "accordpartenaires", "accordpartenaire", "optinpartenaires", "optinpartenaire",
                "consentementpartenaires", "consentementpartenaire", "offrespartenaires", "accepteoffrespartenaires", "partenaires",
                "partnerconsent", "partneroptin", "optinpartners", "partnersoptin", "thirdpartyconsent", "sharewithpartners", "cessiontiers",
                "transmissionpartenaires", "optintiers", "consentementtiers",
            ]
        case .lastInboundOn:
            [
                "datederniercontactentrant", "derniercontactentrant", "datedernieredemande", "dernieredemande", "datedernierereponse",
                "dernierereponse", "lastinbound", "lastinboundcontact", "lastinbounddate", "lastinboundcontactdate", "lastinboundactivity",
                "lastreply", "lastreplydate", "lastemailreceived", "recentconversiondate", "lastengagementdate", "recentsalesemailreplieddate",
            ]
        case .lastContactDirection:
            [
                "sensderniercontact", "sensduderniercontact", "sensducontact", "sens", "direction", "lastcontactdirection",
                "directionderniercontact", "typederniercontact", "initiepar", "initiateur", "calldirection",
            ]
        }
    }
}
