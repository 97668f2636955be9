#!/usr/bin/env python3
"""Writes the contact-file fixtures of Fixtures/contacts/ (see Fixtures/README.md).

Every file in this directory except this script is this script's output: edit the rows here and
run `python3 Fixtures/contacts/make_fixtures.py` (from anywhere; no third-party package). The
output is deterministic: no clock, no randomness, ZIP entries stored with a fixed date.

Reference date of every expected figure: 2026-11-23 (`--as-of 2026-11-23`), retention 13 months,
so a collection or last-contact date is fresh from 2025-10-23 on.
"""

import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------------------------
# Helpers


def luhn_ok(digits):
    """The Luhn check over a string of digits (every second digit from the right doubled)."""
    total = 0
    for offset, char in enumerate(reversed(digits)):
        digit = int(char)
        if offset % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def check_siret(value, valid=True):
    """Asserts that a SIREN/SIRET cell (spaces allowed) does or does not pass Luhn."""
    digits = value.replace(" ", "")
    assert digits.isdigit() and len(digits) in (9, 14), value
    assert luhn_ok(digits) == valid, value
    return value


def cell(value, delimiter):
    """RFC 4180: quote a cell holding the delimiter, a quote or a line break; double its quotes."""
    if any(char in value for char in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_text(header, rows, delimiter, newline):
    """Header and rows joined as CSV text. A row given as a str is written verbatim (hand-made bad rows)."""
    lines = [delimiter.join(cell(value, delimiter) for value in header)]
    for row in rows:
        if isinstance(row, str):
            lines.append(row)
        else:
            assert len(row) == len(header), (len(row), len(header), row)
            lines.append(delimiter.join(cell(value, delimiter) for value in row))
    return newline.join(lines) + newline


def start_lines(header, rows):
    """The physical line (1-based) where each data row starts, counting line breaks inside quoted cells."""
    line = 2
    result = []
    for row in rows:
        result.append(line)
        text = row if isinstance(row, str) else "".join(row)
        line += 1 + text.count("\n")
    return result


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as handle:
        handle.write(data)


def encode(text, encoding):
    if encoding == "utf-8":
        return text.encode("utf-8")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding == "utf-16le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if encoding == "cp1252":
        return text.encode("cp1252")  # strict: every character must exist in Windows-1252
    raise ValueError(encoding)


# SIRETs and SIRENs used below: all pass Luhn unless marked otherwise.
ARCADIA = check_siret("44187325400011")  # Cabinet Arcadia Architectes (Nantes): in both files of pair 1
NHG = check_siret("80231977200025")
BATI_OUEST = check_siret("51368840800030")
PLOMBERIE_MARTIN = check_siret("90412276900014")
ROBIN_BAD = check_siret("833 550 122 00043", valid=False)  # the real one ends in 42
LELIEVRE = check_siret("75218840900037")
ATELIER_DECO = check_siret("88401237800011")
DAVID = check_siret("49950216900026")
VINCENT = check_siret("530 217 843 00016")  # on the suppression list
SYNDIC_PROVENCE = check_siret("395128705")  # a SIREN
SYNDIC_BAD = check_siret("395128706", valid=False)
SAINT_HILAIRE = check_siret("847 200 193 00013")  # in both files of pair 2
MARCHETTI = check_siret("522478916")
MEYER = check_siret("811663426")
FABRE_BTP = check_siret("470933128")
MONTPLAISIR = check_siret("89230457700018")  # in both files of pair 3
CHAPUIS = check_siret("42870163500024")
FLEURS_BAD = check_siret("470 933 128 00015", valid=False)  # the real one ends in 14
CARON = check_siret("406523811")
FLASHBOX = check_siret("81166342600013")
RHONE_EXPRESS = check_siret("50318745200019")


# ---------------------------------------------------------------------------------------------
# Pair "renovation": a window installer and a painter around Nantes.
#
# A: menuiserie-atlantique.csv — Excel (French Windows) "CSV UTF-8": BOM, `;`, CRLF, cells with
#    Alt+Enter line breaks (LF inside quotes), a `;` inside a quoted address, doubled quotes.

RENOVATION_A_HEADER = [
    "Civilité", "Nom", "Prénom", "E-mail", "Téléphone", "Portable", "Adresse", "Code postal", "Ville",
    "Raison sociale", "SIRET", "Code APE", "Origine", "Date de collecte", "Opt-in",
]
RENOVATION_A = [
    # r1 L2: B2C with opt-in; B holds the same address in another case.
    ["M.", "Lefèvre", "Étienne", "etienne.lefevre@orange.fr", "02 40 12 34 56", "", "12 rue de la Fosse", "44000", "Nantes", "", "", "", "Salon Habitat Nantes 2026", "14/03/2026", "oui"],
    # r2 L3: B2C with opt-in, `;` inside the quoted address; B holds clairemoreau@gmail.com.
    ["Mme", "Moreau", "Claire", "claire.moreau@gmail.com", "", "06 11 22 33 44", "Résidence Les Pins; bât. C", "44300", "Nantes", "", "", "", "Formulaire devis site", "02/05/2026", "oui"],
    # r3 L4: the same person by googlemail + tag: a duplicate of r2 (less complete).
    ["", "Moreau", "Claire", "Claire.Moreau+fenetres@googlemail.com", "", "", "", "", "", "", "", "", "Formulaire devis site", "20/09/2026", "1"],
    # r4 L5: architect; same SIRET as r25 (duplicate) and as B's row 2 (overlap).
    ["M.", "Girard", "Paul", "contact@arcadia-archi.fr", "02 40 47 11 90", "", "5 quai de Versailles", "44000", "Nantes", "Cabinet Arcadia Architectes", "441 873 254 00011", "71.11Z", "Prescripteur", "15/01/2026", ""],
    # r5 L6: property manager; mobile written +33 (0)6 …; B holds it as 0672184409.
    ["M.", "Bernard", "Julien", "j.bernard@nantes-habitat-gestion.fr", "", "+33 (0)6 72 18 44 09", "18 rue Crébillon", "44000", "Nantes", "Nantes Habitat Gestion", NHG, "68.32A", "Salon de la copropriété", "2026-03-12", ""],
    # r6 L7-8: B2C phone only, consent "x", address typed with Alt+Enter.
    ["M.", "Garnier", "Louis", "", "", "06.45.78.12.90", "3 impasse des Tilleuls\nLieu-dit La Chapelle", "44470", "Carquefou", "", "", "", "Porte ouverte showroom", "07/06/2026", "x"],
    # r7 L9: B2C who refused.
    ["Mme", "Petit", "Sandrine", "sandrine.petit@free.fr", "02 51 80 22 31", "", "27 rue de la Paix", "44600", "Saint-Nazaire", "", "", "", "Foire de Nantes", "05/04/2026", "non"],
    # r8 L10: B2C without any opt-in.
    ["Mme", "Roux", "Amandine", "amandine.roux@laposte.net", "", "07 81 22 45 19", "9 allée des Camélias", "44800", "Saint-Herblain", "", "", "", "Salon Habitat Nantes 2026", "14/03/2026", ""],
    # r9 L11: B2B collected in 2024: stale.
    ["M.", "Le Goff", "Yannick", "contact@bati-ouest.fr", "02 40 63 18 77", "", "ZA de la Lande", "44240", "Sucé-sur-Erdre", "SARL Bâti-Ouest", BATI_OUEST, "41.20A", "Annuaire CAPEB", "12/09/2024", ""],
    # r10 L12: B2B collected the day before the window opens: stale.
    ["Mme", "Guérin", "Anne", "agence@immoloire.fr", "02 40 20 55 61", "", "", "44000", "Nantes", "Immo Loire", "", "68.31Z", "Annuaire CAPEB", "22/10/2025", ""],
    # r11 L13: B2B collected the day the window opens: fresh.
    ["M.", "Chauvin", "Bruno", "b.chauvin@erdre-syndic.fr", "02 40 71 36 52", "", "", "44000", "Nantes", "Erdre Syndic", "", "68.32A", "Salon de la copropriété", "23/10/2025", ""],
    # r12 L14: B2B without source.
    ["M.", "Hamon", "Cédric", "cedric@comptoir-du-bois.fr", "02 40 89 12 47", "", "", "", "Rezé", "Le Comptoir du Bois", "", "47.52A", "", "10/06/2026", ""],
    # r13 L15: B2B without date.
    ["Mme", "Blanchard", "Élodie", "e.blanchard@cabinet-blanchard.fr", "", "06 24 87 55 10", "", "", "", "Cabinet Blanchard", "", "69.20Z", "Salon des entrepreneurs", "", ""],
    # r14 L16: email without TLD (rejected value), valid landline: B2C with opt-in, phone only.
    ["Mme", "Dubois", "Nathalie", "nathalie.dubois@wanadoo", "02 40 29 31 08", "", "14 rue Paul Bellamy", "44000", "Nantes", "", "", "", "Salon Habitat Nantes 2026", "14/03/2026", "oui"],
    # r15 L17: email without @ and no phone: the row is rejected.
    ["M.", "Fontaine", "Hugo", "hugo.fontaine.hotmail.fr", "", "", "", "44100", "Nantes", "", "", "", "Formulaire devis site", "11/11/2026", "oui"],
    # r16 L18: only an 08 special-rate number: the row is rejected.
    ["", "", "", "", "08 92 68 01 23", "", "", "", "", "Domotique Services", "", "", "Annuaire CAPEB", "01/09/2026", ""],
    # r17 L19: SIRET with a wrong check digit (rejected value); still B2B by its company name.
    ["M.", "Robin", "Thierry", "t.robin@robin-charpente.fr", "02 40 33 27 14", "", "", "44470", "Carquefou", "Charpente Robin", ROBIN_BAD, "43.91A", "Annuaire CAPEB", "18/02/2026", ""],
    # r18 L20: NAF code that does not exist (rejected value).
    ["Mme", "Lemaire", "Julie", "julie@lemaire-renovation.fr", "06 52 14 78 33", "", "", "", "", "Lemaire Rénovation", "", "43.32Z", "Salon Habitat Nantes 2026", "14/03/2026", ""],
    # r19 L21: collection date in the future (rejected value): undated.
    ["M.", "Perrin", "Alexandre", "a.perrin@perrin-btp.fr", "02 40 94 61 20", "", "", "", "", "Perrin BTP", "", "43.99C", "Salon Habitat Nantes 2026", "02/12/2026", ""],
    # r20 L22: consent value nobody can read (rejected value); B2B so it does not matter.
    ["Mme", "Colin", "Martine", "m.colin@colin-immobilier.fr", "02 40 48 90 12", "", "", "", "", "Colin Immobilier", "", "68.31Z", "Salon de la copropriété", "12/03/2026", "à relancer"],
    # r21 L23: Réunion mobile 0692 …; B holds it as +262 692 …; consent given as a date.
    ["M.", "Payet", "Jean-Marc", "jm.payet@gmail.com", "", "0692 45 67 89", "", "97400", "Saint-Denis", "", "", "", "Formulaire devis site", "12/02/2026", "12/02/2026"],
    # r22 L24: landline that Excel turned into a number (lost its leading 0).
    ["M.", "Martin", "Patrick", "p.martin@plomberie-martin.fr", "251473690", "", "", "85000", "La Roche-sur-Yon", "Plomberie Martin", PLOMBERIE_MARTIN, "43.22A", "Annuaire CAPEB", "30/06/2026", ""],
    # r23 L25: on the suppression list by email (written in another case there).
    ["Mme", "Texier", "Valérie", "v.texier@texier-agencement.fr", "02 40 52 67 38", "", "", "", "", "Texier Agencement", "", "43.32B", "Salon Habitat Nantes 2026", "14/03/2026", ""],
    # r24 L26: B2C with opt-in, on the suppression list by phone (written +33 6 … there).
    ["M.", "Hoarau", "Didier", "didier.hoarau@hotmail.fr", "", "06 98 12 45 77", "", "44100", "Nantes", "", "", "", "Formulaire devis site", "03/10/2026", "oui"],
    # r25 L27: a colleague of r4, same SIRET: duplicate; as complete as r4 and more recent, so it represents.
    ["Mme", "Leroy", "Marion", "m.leroy@arcadia-archi.fr", "02 40 47 11 92", "", "5 quai de Versailles", "44000", "Nantes", "Cabinet Arcadia Architectes", ARCADIA, "71.11Z", "Prescripteur", "04/11/2026", ""],
    # r26 L28: doubled quotes in the company name.
    ["M.", "Chevalier", "Marc", "marc@chene-dor.fr", "02 40 08 55 17", "", "", "44000", "Nantes", 'Ébénisterie "Le Chêne d\'Or"', "", "", "Salon Habitat Nantes 2026", "09/09/2026", ""],
    # r27 L29
    ["Mme", "Tessier", "Nadège", "n.tessier@tessier-immo.fr", "02 40 73 84 21", "", "", "", "", "Tessier Immobilier", "", "68.31Z", "Salon de la copropriété", "12/03/2026", ""],
    # r28 L30: ISO date.
    ["M.", "Briand", "Loïc", "l.briand@briand-paysage.fr", "", "06 80 45 12 36", "", "44119", "Treillières", "Briand Paysage", "", "81.30Z", "Salon Habitat Nantes 2026", "2026-10-30", ""],
]

# B: peinture-erdre.csv — Excel "CSV (séparateur : point-virgule)" on French Windows:
#    Windows-1252 (é, È, Œ, ’), `;`, CRLF, upper-case headers, typographic apostrophe in a header.
RENOVATION_B_HEADER = [
    "CIVILITE", "NOM", "PRENOM", "Courriel", "Tél.", "Société", "N° SIRET", "Code NAF", "Source",
    "Date d’inscription", "Consentement RGPD", "Dernier contact",
]
RENOVATION_B = [
    # b1 L2: A holds this address (other case); collected in 2025 but contacted in January: fresh.
    ["M", "LEFEVRE", "Etienne", "Etienne.Lefevre@Orange.fr", "06 08 14 22 71", "", "", "", "Chantier particulier", "15/06/2025", "OUI", "10/01/2026"],
    # b2 L3: same SIRET as A's architect.
    ["Mme", "ARNAUD", "Sophie", "s.arnaud@arcadia-archi.fr", "02 40 47 11 91", "Cabinet Arcadia Architectes", "441 873 254 00011", "7111Z", "Réseau prescripteurs", "03/02/2026", "", ""],
    # b3 L4: A's r5 mobile, written 0672184409.
    ["M", "BERNARD", "Julien", "julien.bernard@nhg-syndic.fr", "0672184409", "Nantes Habitat Gestion", "", "6832A", "Salon de la copropriété", "12/03/2026", "", ""],
    # b4 L5: A's claire.moreau@gmail.com without the dot.
    ["Mme", "MOREAU", "Claire", "clairemoreau@gmail.com", "", "", "", "", "Recommandation", "18/04/2026", "oui", ""],
    # b5 L6: A's r21 Réunion mobile in international form.
    ["M", "PAYET", "Jean-Marc", "payet.jeanmarc@yahoo.fr", "+262 692 45 67 89", "", "", "", "Recommandation", "02/02/2026", "oui", ""],
    # b6 L7
    ["Mme", "LELIÈVRE", "Françoise", "f.lelievre@lelievre-immobilier.fr", "02 40 35 12 88", "Agence Lelièvre Immobilier", LELIEVRE, "68.31Z", "Salon de la copropriété", "12/03/2026", "", ""],
    # b7 L8: typographic apostrophe; landline that lost its 0.
    ["M", "NGUYEN", "Thanh", "contact@atelier-deco-nantes.fr", "240351289", "L’Atelier Déco", ATELIER_DECO, "47.59A", "Annuaire FFB", "05/07/2026", "", ""],
    # b8 L9: B2C with opt-in (Œ in Windows-1252).
    ["Mme", "BŒUF", "Hélène", "helene.boeuf@sfr.fr", "06 71 30 58 24", "", "", "", "Chantier particulier", "22/08/2026", "oui", ""],
    # b9 L10: B2C without opt-in.
    ["M", "FAURE", "Grégoire", "gregoire.faure@gmail.com", "", "", "", "", "Chantier particulier", "14/09/2026", "", ""],
    # b10 L11 / b11 L12: the same mobile in two formats: duplicates; b11 (email, SIRET) represents.
    ["M", "DAVID", "Olivier", "", "06 33 41 27 88", "David Carrelage", "", "43.33Z", "Annuaire FFB", "01/04/2026", "", ""],
    ["M", "DAVID", "Olivier", "o.david@david-carrelage.fr", "+33633412788", "David Carrelage", DAVID, "43.33Z", "Annuaire FFB", "19/10/2026", "", ""],
    # b12 L13 / b13 L14: the same email in two cases: duplicates; b12 (phone, NAF) represents.
    ["Mme", "ROUSSEAU", "Inès", "ines.rousseau@rousseau-archi.fr", "02 40 12 98 76", "Rousseau Architecture", "", "71.11Z", "Réseau prescripteurs", "07/05/2026", "", ""],
    ["Mme", "ROUSSEAU", "Inès", "Ines.Rousseau@Rousseau-Archi.fr", "", "Rousseau Architecture", "", "", "Réseau prescripteurs", "01/10/2026", "", ""],
    # b14 L15: registered 2024, last contact 15/09/2025: stale.
    ["M", "GAUTHIER", "Rémi", "remi@gauthier-sols.fr", "02 40 77 41 05", "Gauthier Sols", "", "43.33Z", "Annuaire FFB", "03/03/2024", "", "15/09/2025"],
    # b15 L16: registered 2023, last contact a month ago: fresh.
    ["Mme", "MERCIER", "Laure", "l.mercier@mercier-gestion.fr", "02 40 58 63 14", "Mercier Gestion", "", "68.32A", "Salon de la copropriété", "11/05/2023", "", "20/10/2026"],
    # b16 L17: B2B who objected.
    ["M", "BRUNET", "Sylvain", "s.brunet@brunet-elec.fr", "02 40 66 17 23", "Brunet Électricité", "", "43.21A", "Annuaire FFB", "08/06/2026", "non", ""],
    # b17 L18: phone too short (rejected value), the email carries the row.
    ["Mme", "FABRE", "Chloé", "chloe@fabre-paysage.fr", "06 12 34 56", "Fabre Paysage", "", "81.30Z", "Annuaire FFB", "21/03/2026", "", ""],
    # b18 L19: 31 February (rejected value): undated.
    ["M", "ROCHE", "Damien", "d.roche@roche-couverture.fr", "02 40 25 70 36", "Roche Couverture", "", "43.91B", "Annuaire FFB", "31/02/2026", "", ""],
    # b19 L20: on the suppression list by SIRET.
    ["M", "VINCENT", "Arnaud", "a.vincent@vincent-batiment.fr", "02 40 81 47 59", "Vincent Bâtiment", VINCENT, "41.20A", "Annuaire FFB", "17/07/2026", "", ""],
    # b20 L21: Belgian customer: foreign phone.
    ["M", "PEETERS", "Jan", "jan.peeters@peeters-renovatie.be", "+32 2 512 34 56", "Peeters Renovatie", "", "", "Salon Batibouw", "26/02/2026", "", ""],
    # b21 L22: 09 VoIP number.
    ["Mme", "CARON", "Agnès", "agnes.caron@caron-deco.fr", "09 72 41 18 30", "Caron Déco", "", "47.59A", "Annuaire FFB", "14/10/2026", "", ""],
]

# The broker's opposition list for pair "renovation": one value per line, first line a header.
OPPOSITION = "\n".join([
    "valeur",
    "V.Texier@texier-agencement.fr",  # A r23, by email (case differs)
    "+33 6 98 12 45 77",  # A r24, by phone (format differs)
    "",
    VINCENT,  # B b19, by SIRET
    "jean.dupont@exemple.fr",  # in neither file
    "inconnu",  # not a value: skipped with a warning on stderr
]) + "\n"


# ---------------------------------------------------------------------------------------------
# Pair "paysage": a landscaper and a pool builder around Aix-en-Provence.
#
# A: jardins-de-provence.txt — Excel "Texte Unicode (*.txt)": UTF-16LE with BOM, TAB, CRLF, a
#    cell with a line break, doubled quotes, an Excel serial date, dd/mm/yy.
PAYSAGE_A_HEADER = [
    "Civilité", "Nom", "Prénom", "Adresse e-mail", "Tél. portable", "Tél. fixe", "Adresse", "CP", "Commune",
    "Entreprise", "SIREN", "Type de contact", "Provenance", "Date de création", "Opt-in e-mail", "Remarques",
]
PAYSAGE_A = [
    # a1 L2: B holds Isabelle.Ferrand+piscine@gmail.com (same gmail key).
    ["Mme", "Ferrand", "Isabelle", "isabelle.ferrand@gmail.com", "06 14 52 36 98", "04 42 27 18 36", "8 chemin des Oliviers", "13100", "Aix-en-Provence", "", "", "Particulier", "Salon Vivre Côté Sud", "14/06/2026", "oui", "Devis terrasse"],
    # a2 L3: only a landline, in the second phone column; B holds it as +33 4 42 96 11 70.
    ["M.", "Olivier", "Fabrice", "fabrice.olivier@orange.fr", "", "04 42 96 11 70", "21 avenue des Belges", "13100", "Aix-en-Provence", "", "", "Particulier", "Site internet", "02/03/2026", "x", ""],
    # a3 L4: contact type nobody can read (rejected value): derived B2B (company, SIREN).
    ["M.", "Baptiste", "Rémy", "r.baptiste@syndic-provence.fr", "06 03 44 81 27", "", "", "13090", "Aix-en-Provence", "Syndic Provence Gestion", SYNDIC_PROVENCE, "Syndic de copropriété", "Appel d'offres", "03/09/2026", "", ""],
    # a4 L5: a SIRET in the SIREN column (B holds it); Excel serial date 46100 = 2026-03-19.
    ["Mme", "Aubert", "Carole", "c.aubert@domaine-saint-hilaire.fr", "", "04 42 61 08 95", "Route de Puyricard", "13540", "Puyricard", "Domaine Saint-Hilaire", SAINT_HILAIRE, "Professionnel", "Recommandation", "46100", "", "Entretien annuel"],
    # a5 L6: B2C without opt-in.
    ["M.", "Giraud", "Thomas", "thomas.giraud@free.fr", "06 62 17 93 40", "", "5 impasse des Lavandes", "13090", "Aix-en-Provence", "", "", "Particulier", "Salon Vivre Côté Sud", "14/06/2026", "", ""],
    # a6 L7: explicitly "Professionnel" with a gmail address; dd/mm/yy date.
    ["M.", "Reynaud", "Lucas", "lucas.reynaud.paysage@gmail.com", "06 45 90 12 33", "", "", "13120", "Gardanne", "", "", "Professionnel", "Bouche-à-oreille", "02/10/26", "", "Auto-entrepreneur"],
    # a7 L8: a1's mobile as +33 6 …: duplicate of a1 (less complete).
    ["M.", "Ferrand", "Gilles", "gilles.ferrand@wanadoo.fr", "+33 6 14 52 36 98", "", "", "13100", "Aix-en-Provence", "", "", "Particulier", "Salon Vivre Côté Sud", "14/06/2026", "", ""],
    # a8 L9: stale (15/09/2025).
    ["Mme", "Marchetti", "Sylvie", "s.marchetti@marchetti-immobilier.fr", "", "04 42 38 55 60", "", "", "", "Marchetti Immobilier", MARCHETTI, "Professionnel", "Salon de l'immobilier", "15/09/2025", "", ""],
    # a9 L10: Swiss mobile: foreign.
    ["M.", "Keller", "Hans", "h.keller@bluewin.ch", "+41 22 345 67 89", "", "Chemin du Vallon", "13105", "Mimet", "", "", "Particulier", "Site internet", "27/07/2026", "oui", "Résidence secondaire"],
    # a10 L11: placeholder mobile (rejected value); the email carries the row.
    ["Mme", "Lopez", "Carmen", "carmen.lopez@hotmail.fr", "06 66 66 66 66", "", "", "13400", "Aubagne", "", "", "Particulier", "Site internet", "09/08/2026", "oui", ""],
    # a11 L12: "N/A" in the SIREN column (rejected value).
    ["M.", "Blanc", "Henri", "h.blanc@pepinieres-blanc.fr", "04 42 58 20 14", "", "", "", "", "Pépinières Blanc", "N/A", "Professionnel", "Salon Vivre Côté Sud", "14/06/2026", "", ""],
    # a12 L13: SIREN with a wrong check digit (rejected value).
    ["Mme", "Dumas", "Océane", "oceane@dumas-paysage.fr", "06 70 81 92 03", "", "", "", "", "Dumas Paysage", SYNDIC_BAD, "Professionnel", "Bouche-à-oreille", "20/05/2026", "", ""],
    # a13 L14-15: a remark typed with Alt+Enter.
    ["M.", "Arnoux", "Pierre", "pierre.arnoux@laposte.net", "06 21 43 65 87", "", "4 rue des Cigales", "13100", "Aix-en-Provence", "", "", "Particulier", "Salon Vivre Côté Sud", "14/06/2026", "1", "Portail coulissant\nà motoriser"],
    # a14 L16: opt-in dated in the future (rejected value): no opt-in.
    ["Mme", "Garcia", "Léa", "lea.garcia@gmail.com", "07 68 22 41 09", "", "", "13090", "Aix-en-Provence", "", "", "Particulier", "Site internet", "01/11/2026", "15/01/2027", ""],
    # a15 L17: New Caledonia mobile (+687, six digits).
    ["M.", "Wamytan", "Paul", "paul.wamytan@gmail.com", "+687 79 12 34", "", "", "", "Aix-en-Provence", "", "", "Particulier", "Site internet", "18/10/2026", "oui", "Client de Nouméa"],
    # a16 L18: B holds this exact address; doubled quotes in the remark.
    ["M.", "Castel", "Bernard", "contact@mas-des-cigales.fr", "", "04 90 92 15 43", "Mas des Cigales", "13210", "Saint-Rémy-de-Provence", "Mas des Cigales", "", "Professionnel", "Recommandation", "11/04/2026", "", 'Devis "jardin sec" envoyé'],
    # a17 L19: +33 (0)4 …; collected 25/10/2025, two days inside the window.
    ["M.", "Meyer", "Antoine", "a.meyer@meyer-architectes.fr", "+33 (0)4 42 93 18 27", "", "", "", "", "Meyer Architectes", MEYER, "Professionnel", "Salon de l'immobilier", "25/10/2025", "", ""],
    # a18 L20: B2C who refused.
    ["Mme", "Roche", "Camille", "camille.roche@gmail.com", "06 58 47 36 25", "", "", "13100", "Aix-en-Provence", "", "", "Particulier", "Salon Vivre Côté Sud", "14/06/2026", "non", ""],
    # a19 L21: a landline and a mobile: only the first valid one is the phone match key.
    ["M.", "Fabre", "Julien", "julien.fabre@fabre-btp.fr", "04 42 24 63 81", "06 31 72 58 40", "", "", "", "Fabre BTP", FABRE_BTP, "Professionnel", "Appel d'offres", "2026-09-14", "", ""],
    # a20 L22: neither email nor phone: the row is rejected.
    ["Mme", "Perrot", "Agathe", "", "", "", "", "", "", "", "", "Particulier", "Salon Vivre Côté Sud", "14/06/2026", "oui", "Pas de coordonnées"],
]

# B: piscines-azur-hubspot.csv — a CRM export: UTF-8 without BOM, `,`, LF, English headers, RFC 4180
#    quoting (commas, line breaks and doubled quotes inside quoted cells), ISO dates with times.
PAYSAGE_B_HEADER = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone", "Company Name", "SIRET",
    "Street Address", "Postal Code", "City", "Country", "Lead Source", "Created at", "GDPR Consent",
    "Last Contacted", "Job Title", "Notes",
]
PAYSAGE_B = [
    # p1 L2: gmail + tag of A's a1.
    ["1001", "Isabelle", "Ferrand", "Isabelle.Ferrand+piscine@gmail.com", "", "", "", "", "8, chemin des Oliviers", "13100", "Aix-en-Provence", "France", "Salon Vivre Côté Sud", "2026-06-14 10:12", "true", "", "", ""],
    # p2 L3: A's a2 landline in international form.
    ["1002", "Fabrice", "Olivier", "f.olivier@orange.fr", "+33 4 42 96 11 70", "", "", "", "21 avenue des Belges", "13100", "Aix-en-Provence", "France", "Website", "2026-02-11", "yes", "", "", ""],
    # p3 L4: A's a4 SIRET.
    ["1003", "Carole", "Aubert", "carole.aubert@domaine-saint-hilaire.fr", "04 42 61 08 96", "", "Domaine Saint-Hilaire", "84720019300013", "Route de Puyricard", "13540", "Puyricard", "France", "Referral", "2026-04-02", "", "2026-10-05", "Gérante", ""],
    # p4 L5: A's a16 email, same spelling.
    ["1004", "Bernard", "Castel", "contact@mas-des-cigales.fr", "04 90 92 15 44", "", "Mas des Cigales", "", "", "13210", "Saint-Rémy-de-Provence", "France", "Trade show", "2026-05-23", "", "", "", ""],
    # p5 L6 / p6 L7: the same gmail with and without dots: duplicates; p5 represents.
    ["1005", "Marc-Antoine", "Rey", "marc.antoine.rey@gmail.com", "", "06 19 28 37 46", "", "", 'Villa "Les Restanques"', "13600", "La Ciotat", "France", "Website", "2026-07-21", "true", "", "", ""],
    ["1006", "Marc-Antoine", "Rey", "marcantoinerey@gmail.com", "", "", "", "", "", "", "", "", "Website", "2026-08-02", "true", "", "", "Relance spa"],
    # p7 L8 / p8 L9: the same landline as 0033 … and 04.42…: duplicates; p7 represents.
    ["1007", "Nicolas", "Bonnet", "n.bonnet@bonnet-paysages.fr", "0033 4 42 51 73 90", "", "Bonnet Paysages", "", "", "13080", "Luynes", "France", "Trade show", "2026-03-27", "", "", "Gérant", "Partenaire potentiel, à rappeler"],
    ["1008", "Nicolas", "Bonnet", "nicolas@bonnet-paysages.fr", "04.42.51.73.90", "", "Bonnet Paysages", "", "", "", "", "", "Trade show", "2026-03-27", "", "", "", ""],
    # p9 L10: last contacted 2025-10-22, one day before the window: stale.
    ["1009", "Audrey", "Chabert", "a.chabert@chabert-immo.fr", "04 91 33 72 18", "", "Chabert Immobilier", "", "", "13008", "Marseille", "France", "Referral", "2024-03-02", "", "2025-10-22", "", ""],
    # p10 L11: created 2023, last contacted today: fresh.
    ["1010", "Yves", "Martel", "y.martel@martel-hotels.fr", "04 42 12 45 78", "", "Hôtel Martel", "", "", "13100", "Aix-en-Provence", "France", "Referral", "2023-05-10", "", "2026-11-23", "Directeur", ""],
    # p11 L12: B2C who said no.
    ["1011", "Sandra", "Vidal", "sandra.vidal@yahoo.fr", "06 84 27 19 53", "", "", "", "12, avenue Victor Hugo", "13100", "Aix-en-Provence", "France", "Website", "2026-05-14 09:32", "false", "", "", ""],
    # p12 L13: double dot (rejected value); the phone carries the row.
    ["1012", "Marie", "Dupuis", "marie..dupuis@gmail.com", "06 47 18 29 30", "", "", "", "", "13400", "Aubagne", "France", "Website", "2026-06-30", "true", "", "", ""],
    # p13 L14: space in the address and no phone: the row is rejected.
    ["1013", "Jean Pierre", "Lambert", "jean pierre@laposte.net", "", "", "", "", "", "", "", "", "Website", "2026-09-09", "true", "", "", ""],
    # p14 L15: letters in the phone (rejected value).
    ["1014", "Kevin", "Morel", "k.morel@morel-spa.fr", "06 12 AB 34 56", "", "Morel Spa", "", "", "13013", "Marseille", "France", "Trade show", "2026-04-18", "", "", "", ""],
    # p15 L16: +999 is no country (rejected value); German webmail: B2C with consent.
    ["1015", "Laura", "Schmitt", "laura.schmitt@gmx.de", "+999 1234 5678", "", "", "", "", "", "", "Germany", "Website", "2026-08-19", "true", "", "", ""],
    # p16 L17: mailto: prefix.
    ["1016", "Chantal", "Roussel", "mailto:c.roussel@roussel-conciergerie.fr", "04 42 20 31 42", "", "Roussel Conciergerie", "", "", "13100", "Aix-en-Provence", "France", "Referral", "2026-10-01", "", "", "", ""],
    # p17 L18: B2C without consent.
    ["1017", "Hugo", "Perret", "hugo.perret@icloud.com", "06 22 33 44 55", "", "", "", "", "13090", "Aix-en-Provence", "France", "Website", "2026-09-30", "", "", "", ""],
    # p18 L19-21: two line breaks inside quoted cells.
    ["1018", "Élise", "Garnier", "elise.garnier@garnier-archi.fr", "04 42 27 63 10", "07 61 84 29 37", "Garnier Architecture", "", "Le Patio\n3 cours Mirabeau", "13100", "Aix-en-Provence", "France", "Referral", "2026-01-20", "", "", "Architecte DPLG", "Projet villa:\nbassin miroir, 12 x 4 m"],
    # p19 L22: B2C phone only, no consent.
    ["1019", "Thierry", "Blanc", "", "06 45 21 36 98", "", "", "", "", "13090", "Aix-en-Provence", "France", "Website", "2026-08-12", "", "", "", ""],
    # p20 L23: no lead source.
    ["1020", "Noémie", "Faure", "noemie.faure@faure-events.fr", "", "", "Faure Events", "", "", "13100", "Aix-en-Provence", "France", "", "2026-09-01", "", "", "", ""],
    # p21 L24: no date at all.
    ["1021", "Sébastien", "Michel", "s.michel@michel-paysage.fr", "04 42 22 18 90", "", "Michel Paysage", "", "", "13100", "Aix-en-Provence", "France", "Referral", "", "", "", "", ""],
]


# ---------------------------------------------------------------------------------------------
# Pair "mariage": a caterer and a wedding photographer in Lyon.
#
# A: traiteur-saveurs-du-rhone.csv — UTF-16BE with BOM, `|`, LF; headers in odd case and spacing.
MARIAGE_A_HEADER = [
    "NOM", "Prénom", "E-MAIL", "  Numéro de téléphone  ", "Société", "siret", "Code NAF/APE",
    "Source de collecte", "Date de collecte", "CONSENTEMENT", "Dernier contact", "Type",
]
MARIAGE_A = [
    # t1 L2: B holds this mobile as +33 6 30 12 45 78.
    ["Durand", "Émilie", "emilie.durand@gmail.com", "06 30 12 45 78", "", "", "", "Salon du Mariage Lyon", "18/01/2026", "oui", "", "Particulier"],
    # t2 L3: googlemail; B holds lucie.bonnet+mariage@gmail.com.
    ["Bonnet", "Lucie", "lucie.bonnet@googlemail.com", "07 82 14 63 59", "", "", "", "Salon du Mariage Lyon", "18/01/2026", "1", "", "Particulier"],
    # t3 L4: hotel; B holds its SIRET.
    ["Rivière", "Anne", "a.riviere@chateau-montplaisir.fr", "04 78 56 12 34", "Château de Montplaisir", MONTPLAISIR, "55.10Z", "Partenariat", "12/02/2026", "", "", ""],
    # t4 L5: 0033 …; B holds it as 641526374 (Excel dropped the 0).
    ["Garnier", "Hugo", "hugo.garnier@outlook.fr", "0033 6 41 52 63 74", "", "", "", "Salon du Mariage Lyon", "18/01/2026", "18/01/2026", "", "Particulier"],
    # t5 L6: upper-case address; B holds it in lower case.
    ["Lambert", "Agathe", "AGATHE.LAMBERT@LAPOSTE.NET", "06 55 44 33 21", "", "", "", "Site internet", "07/03/2026", "oui", "", "Particulier"],
    # t6 L7: refused.
    ["Roux", "Mathieu", "mathieu.roux@free.fr", "06 71 82 93 04", "", "", "", "Salon du Mariage Lyon", "18/01/2026", "non", "", "Particulier"],
    # t7 L8: no consent.
    ["Petit", "Sarah", "sarah.petit@gmail.com", "06 27 38 49 50", "", "", "", "Site internet", "05/05/2026", "", "", "Particulier"],
    # t8 L9
    ["Chapuis", "Olivier", "o.chapuis@chapuis-events.fr", "04 72 41 85 96", "Chapuis Events", CHAPUIS, "82.30Z", "Salon Séminaires Pro", "2026-02-20", "", "", "Professionnel"],
    # t9 L10 / t10 L11: the same email twice; t9 (phone, consent) represents.
    ["Morel", "Inès", "ines.morel@yahoo.fr", "06 14 25 36 47", "", "", "", "Salon du Mariage Lyon", "18/01/2026", "oui", "02/11/2026", "Particulier"],
    ["Morel", "Inès", "ines.morel@yahoo.fr", "", "", "", "", "Salon du Mariage Lyon", "18/01/2026", "", "", "Particulier"],
    # t11 L12: collected 2024, last contact 12/10/2025: stale.
    ["Fontaine", "Jade", "jade.fontaine@hotmail.fr", "06 98 76 54 32", "", "", "", "Salon du Mariage Lyon", "14/10/2024", "oui", "12/10/2025", "Particulier"],
    # t12 L13: dd.mm.yyyy date, consent "x".
    ["Blanc", "Théo", "theo.blanc@sfr.fr", "06 33 22 11 00", "", "", "", "Bouche-à-oreille", "12.06.2026", "x", "", "Particulier"],
    # t13 L14: consent "opt-in".
    ["Girard", "Manon", "manon.girard@gmail.com", "+33 7 49 58 67 76", "", "", "", "Site internet", "2026-08-30", "opt-in", "", "Particulier"],
    # t14 L15: SIRET with a wrong check digit (rejected value).
    ["Meunier", "Claire", "contact@fleurs-et-sens.fr", "04 78 42 17 93", "Fleurs & Sens", FLEURS_BAD, "47.76Z", "Partenariat", "10/09/2026", "", "", ""],
    # t15 L16: gmail, explicitly "Pro".
    ["Vasseur", "Romain", "romain.vasseur@gmail.com", "06 87 65 43 21", "", "", "", "Salon du Mariage Lyon", "18/01/2026", "oui", "", "Pro"],
    # t16 L17: 31 November (rejected value): undated.
    ["Collet", "Lina", "lina.collet@orange.fr", "06 52 63 74 85", "", "", "", "Site internet", "31/11/2026", "oui", "", "Particulier"],
    # t17 L18: only a 0 800 number: the row is rejected.
    ["Dumont", "Zoé", "", "0 800 12 34 56", "Domaine des Étangs", "", "93.29Z", "Partenariat", "05/10/2026", "", "", ""],
    # t18 L19: consent "Oui".
    ["Noël", "Gabriel", "gabriel.noel@icloud.com", "06 19 28 37 46", "", "", "", "Salon du Mariage Lyon", "18/01/2026", "Oui", "", "Particulier"],
    # t19 L20: a SIREN only.
    ["Caron", "Élodie", "elodie.caron@caron-wedding.fr", "06 44 55 66 77", "Caron Wedding Planner", CARON, "96.09Z", "Salon du Mariage Lyon", "18/01/2026", "", "", "Professionnel"],
    # t20 L21: 06 90 … is a Guadeloupe mobile (+590 690 …), not a metropolitan one.
    ["Martinez", "Léo", "leo.martinez@gmail.com", "06 90 12 34 56", "", "", "", "Salon du Mariage Lyon", "18/01/2026", "oui", "", "Particulier"],
]

# B: studio-lumiere-ainay.csv — a hand-kept sheet: UTF-8 without BOM, `;`, LF, with the defects
#    such sheets have: short and long rows, a cell pasted from a Latin-1 file, a NUL byte, an
#    unclosed quote, trailing empty cells.
MARIAGE_B_HEADER = ["Nom complet", "Email", "Tel", "Ville", "Société", "SIRET", "Source", "Date d'ajout", "Optin", "Type", "Remarque"]
MARIAGE_B = [
    # s1 L2: A's t1 mobile.
    ["Émilie et Thomas Durand", "thomas.durand@gmail.com", "+33 6 30 12 45 78", "Lyon", "", "", "Salon du Mariage Lyon", "18/01/2026", "oui", "Particulier", "Mariage le 12/09/2026"],
    # s2 L3: A's t2 gmail key; dd/mm/yy.
    ["Lucie Bonnet", "lucie.bonnet+mariage@gmail.com", "", "Villeurbanne", "", "", "Instagram", "03/02/26", "oui", "Particulier", ""],
    # s3 L4: A's t3 SIRET.
    ["Anne Rivière", "events@chateau-montplaisir.fr", "04 78 56 12 35", "Lyon", "Château de Montplaisir", "892 304 577 00018", "Partenariat", "15/03/2026", "", "Professionnel", ""],
    # s4 L5: A's t4 mobile without its 0.
    ["Hugo Garnier", "hugo.g@outlook.fr", "641526374", "Lyon", "", "", "Salon du Mariage Lyon", "18/01/2026", "oui", "Particulier", ""],
    # s5 L6: A's t5 email; dd-mm-yyyy.
    ["Agathe Lambert", "agathe.lambert@laposte.net", "", "Écully", "", "", "Site internet", "07-03-2026", "OUI", "Particulier", ""],
    # s6 L7: a `;` inside a quoted remark.
    ["Camille Fournier", "camille.fournier@gmail.com", "06 11 22 33 44", "Lyon", "", "", "Instagram", "12/05/2026", "oui", "Particulier", "Séance engagement; parc de la Tête d'Or"],
    # s7 L8: two cells missing: 9 fields, ragged.
    "Julien Marchand;julien.marchand@gmail.com;06 22 33 44 55;Lyon;Instagram;20/06/2026;oui;Particulier;",
    # s8 L9: doubled quotes; B2C without consent.
    ["Nadia Benali", "nadia.benali@hotmail.fr", "06 58 69 70 81", "Villeurbanne", "", "", "Salon du Mariage Lyon", "18/01/2026", "", "Particulier", 'Demande tarifs "album prestige"'],
    # s9 L10-11: a line break inside a quoted remark.
    ["Sophie & Marc Lenoir", "lenoir.mariage@gmail.com", "06 47 58 69 70", "Lyon", "", "", "Salon du Mariage Lyon", "18/01/2026", "oui", "Particulier", "Cérémonie laïque\nvin d'honneur au domaine"],
    # s10 L12
    ["Maxime Perrin", "contact@flashbox-lyon.fr", "04 72 10 20 30", "Lyon", "Flashbox Lyon", FLASHBOX, "Partenariat", "02/09/2026", "", "Professionnel", ""],
    # s11 L13: Latin-1 bytes pasted into the name (written as bytes below).
    "@LATIN1@",
    # s12 L14: consent "refus".
    ["Léa et Hugo Faure", "lea.faure@gmail.com", "06 25 36 47 58", "Caluire-et-Cuire", "", "", "Salon du Mariage Lyon", "18/01/2026", "refus", "Particulier", ""],
    # s13 L15: s6 again (email case, phone format): duplicate; s6 (earlier, as complete) represents.
    ["Camille Fournier", "Camille.Fournier@gmail.com", "+33 6 11 22 33 44", "Lyon", "", "", "Instagram", "12/05/2026", "oui", "Particulier", "Doublon"],
    # s14 L16: collected 20/01/2025: stale.
    ["Chloé Vincent", "chloe.vincent@free.fr", "06 74 85 96 07", "Lyon", "", "", "Salon du Mariage Lyon", "20/01/2025", "oui", "Particulier", ""],
    # s15 L17: a NUL byte in the remark (written as bytes below), past the first kilobyte.
    "@NUL@",
    # s16 L18: 06 96 … is a Martinique mobile; no consent.
    ["Marc Giraud", "marc.giraud@gmail.com", "06 96 07 18 29", "Lyon", "", "", "Instagram", "01/10/2026", "", "", ""],
    # s17 L19: 09 VoIP.
    ["DJ Set Events", "booking@djset-events.fr", "09 51 23 45 67", "Lyon", "DJ Set Events", "", "Partenariat", "2026-09-15", "", "Professionnel", ""],
    # s18 L20: no date.
    ["Margaux Lefèvre", "margaux.lefevre@gmail.com", "06 13 24 35 46", "Lyon", "", "", "Instagram", "", "oui", "Particulier", ""],
    # s19 L21: no source.
    ["Antoine Giraud", "antoine.giraud@orange.fr", "06 57 68 79 80", "Bron", "", "", "", "11/09/2026", "oui", "Particulier", ""],
    # s20 L22: an unquoted `;` in the remark: 12 fields, ragged.
    "Yasmine Haddad;yasmine.haddad@gmail.com;06 31 42 53 64;Lyon;;;Salon du Mariage Lyon;18/01/2026;oui;Particulier;Mariage civil; puis brunch",
    # s21 L23: two trailing empty cells: accepted.
    "Kevin Da Silva;kevin.dasilva@gmail.com;06 42 53 64 75;Vénissieux;;;Instagram;28/09/2026;oui;Particulier;;;",
    # s22 L24: gmail, explicitly "Pro".
    ["Florian Chevalier", "florian.chevalier.photo@gmail.com", "06 53 64 75 86", "Lyon", "", "", "Instagram", "05/11/2026", "", "Pro", "Second shooter"],
    # s23 L25: a quote opened in the remark and never closed.
    'Amélie Roussel;amelie.roussel@gmail.com;06 64 75 86 97;Lyon;;;Salon du Mariage Lyon;18/01/2026;oui;Particulier;"Rappeler après le 15',
    # s24 L26: read normally after the unclosed quote.
    "Romain Petit;romain.petit@laposte.net;06 75 86 97 08;Lyon;;;Site internet;20/10/2026;oui;Particulier;",
]
LATIN1_ROW = "Clément Gauthier;clement.gauthier@gmail.com;06 36 47 58 69;Lyon;;;Instagram;10/07/2026;oui;Particulier;".encode("latin-1")
NUL_ROW = b"Pauline Robert;pauline.robert@gmail.com;06 85 96 07 18;Lyon;;;Instagram;14/08/2026;oui;Particulier;Voir fiche\x00\x00"


# ---------------------------------------------------------------------------------------------
# Pair "consentement": a driving school and a bike shop in Lyon, after loi 2025-594.
#
# A: auto-ecole-confluence-sellsy.csv — a French CRM export (Sellsy-like): UTF-8 with BOM, `;`,
#    CRLF, consent per channel (e-mail, SMS, phone) with the consent's date, partner scope and proof,
#    a do-not-call column, the date of the person's last request, a last contact with its direction.
CONSENT_A_HEADER = [
    "Civilité", "Prénom", "Nom", "Email", "Mobile", "Téléphone fixe", "Société", "SIRET", "Code postal", "Ville", "Origine",
    "Date de création", "Opt-in email", "Opt-in SMS", "Opt-in téléphone", "Date du consentement", "Accord partenaires",
    "Preuve du consentement", "Ne pas appeler", "Date dernière demande", "Dernier contact", "Sens du dernier contact",
]
PROOF_WEB = "Formulaire d'inscription web v4 (cases e-mail, SMS, téléphone, partenaires)"
PROOF_PAPER = "Bulletin papier accueil, signé"
PROOF_SALON = "Bulletin salon RH 2026, signé"
CONSENT_A = [
    # c1 L2: a consumer who ticked every box, dated: email, phone and SMS; B holds her email.
    ["Mme", "Chloé", "Bertrand", "chloe.bertrand@gmail.com", "06 12 45 78 90", "", "", "", "69002", "Lyon", "Site internet", "12/09/2026", "oui", "oui", "oui", "12/09/2026", "oui", PROOF_WEB, "", "", "", ""],
    # c2 L3: email and SMS, phone refused.
    ["M.", "Hugo", "Lambert", "hugo.lambert@orange.fr", "06 23 56 89 01", "", "", "", "69007", "Lyon", "Salon de l'étudiant", "03/05/2026", "oui", "oui", "non", "03/05/2026", "oui", PROOF_PAPER, "", "", "", ""],
    # c3 L4: email consent, but nothing for partners, phone or SMS.
    ["Mme", "Inès", "Moreau", "ines.moreau@free.fr", "06 34 67 90 12", "", "", "", "69003", "Lyon", "Site internet", "21/06/2026", "oui", "", "", "21/06/2026", "", PROOF_WEB, "", "", "", ""],
    # c4 L5: a phone consent without any date; email yes.
    ["M.", "Nathan", "Roche", "nathan.roche@laposte.net", "06 45 78 01 23", "", "", "", "69100", "Villeurbanne", "Journée portes ouvertes", "14/03/2026", "oui", "", "oui", "", "oui", PROOF_PAPER, "", "", "", ""],
    # c5 L6: partners yes, no channel consent at all.
    ["Mme", "Léa", "Fontaine", "lea.fontaine@hotmail.fr", "06 56 89 12 34", "", "", "", "69004", "Lyon", "Site internet", "02/08/2026", "", "", "", "", "oui", "", "", "", "", ""],
    # c6 L7: the consent dated in the future.
    ["M.", "Yanis", "Girard", "yanis.girard@gmail.com", "06 67 90 23 45", "", "", "", "69008", "Lyon", "Site internet", "05/11/2026", "oui", "", "oui", "15/01/2027", "oui", PROOF_WEB, "", "", "", ""],
    # c7 L8: the consent dated before the contact was collected.
    ["Mme", "Manon", "Petit", "manon.petit@sfr.fr", "06 78 01 34 56", "", "", "", "69005", "Lyon", "Salon de l'étudiant", "10/06/2026", "oui", "oui", "oui", "02/01/2026", "oui", "Bulletin papier salon 2026", "", "", "", ""],
    # c8 L9: a business contact who asked not to be called.
    ["M.", "Karim", "Benali", "k.benali@rhone-express.fr", "06 89 12 45 67", "", "Transports Rhône Express", RHONE_EXPRESS, "69007", "Lyon", "Salon RH Lyon", "18/09/2026", "", "", "", "", "", "", "oui", "", "", ""],
    # c9 L10: a company name with a gmail address: a consumer; email consent covering partners.
    ["Mme", "Sophie", "Garnier", "sophie.garnier.rh@gmail.com", "06 90 23 56 78", "", "Garnier Conseil RH", "", "69006", "Lyon", "Salon RH Lyon", "18/09/2026", "oui", "", "", "18/09/2026", "oui", PROOF_SALON, "", "", "", ""],
    # c10 L11: collected in 2024, asked for a quote in October: fresh; B holds this mobile.
    ["M.", "Thomas", "Roux", "thomas.roux@outlook.fr", "07 12 34 56 78", "", "", "", "69009", "Lyon", "Site internet", "14/05/2024", "oui", "oui", "oui", "14/05/2024", "oui", PROOF_WEB, "", "02/10/2026", "", ""],
    # c11 L12: collected in 2024, called by the school in October: stale.
    ["Mme", "Camille", "Faure", "camille.faure@gmail.com", "07 23 45 67 89", "", "", "", "69003", "Lyon", "Site internet", "20/03/2024", "oui", "oui", "oui", "20/03/2024", "oui", PROOF_WEB, "", "", "20/10/2026", "sortant"],
    # c12 L13: collected in 2024, called the school in September: fresh.
    ["M.", "Lucas", "Mercier", "lucas.mercier@yahoo.fr", "07 34 56 78 90", "", "", "", "69001", "Lyon", "Journée portes ouvertes", "08/02/2024", "oui", "oui", "", "08/02/2024", "oui", PROOF_PAPER, "", "", "15/09/2026", "entrant"],
    # c13 L14: SMS consent dated in its own cell, a mobile and a landline, no email.
    ["Mme", "Zoé", "Lefèvre", "", "07 45 67 89 01", "04 78 12 34 56", "", "", "69002", "Lyon", "Site internet", "14/06/2026", "", "14/06/2026", "", "", "oui", PROOF_WEB, "", "", "", ""],
    # c14 L15: email refused, phone consent dated in its own cell.
    ["M.", "Adam", "Chevalier", "adam.chevalier@icloud.com", "07 56 78 90 12", "", "", "", "69006", "Lyon", "Site internet", "30/07/2026", "non", "", "30/07/2026", "", "oui", PROOF_WEB, "", "", "", ""],
    # c15 L16: c12's mobile, answering STOP to an SMS campaign: a duplicate whose refusal wins.
    ["M.", "Lucas", "Mercier", "", "07 34 56 78 90", "", "", "", "", "", "Campagne SMS", "01/10/2026", "", "non", "", "", "", "", "", "", "", ""],
    # c16 L17: a business contact with a landline and no consent recorded.
    ["Mme", "Aurélie", "Blanc", "a.blanc@clinique-du-parc.fr", "", "04 72 11 22 33", "Clinique du Parc", "", "69006", "Lyon", "Salon RH Lyon", "18/09/2026", "", "", "", "", "", "", "", "", "", ""],
    # c17 L18: a double opt-in still pending: no consent yet.
    ["M.", "Enzo", "Martin", "enzo.martin@gmail.com", "07 67 89 01 23", "", "", "", "69008", "Lyon", "Site internet", "19/11/2026", "en attente", "", "", "", "oui", PROOF_WEB, "", "", "", ""],
    # c18 L19: every consent, but no source.
    ["Mme", "Julie", "Perrin", "julie.perrin@free.fr", "07 78 90 12 34", "", "", "", "69007", "Lyon", "", "11/09/2026", "oui", "oui", "oui", "11/09/2026", "oui", PROOF_WEB, "", "", "", ""],
]

# B: velos-saone-newsletter.csv — a bike shop's newsletter and workshop export: UTF-8 without BOM,
#    `,`, LF, one generic opt-in column and no partner scope, mostly consumers.
CONSENT_B_HEADER = [
    "Nom", "Prénom", "E-mail", "Portable", "Téléphone", "Entreprise", "Code postal", "Ville", "Source", "Date d'inscription", "Opt-in",
]
CONSENT_B = [
    # v1 L2: a consumer with the generic opt-in.
    ["Dupont", "Marion", "marion.dupont@gmail.com", "06 11 22 33 44", "", "", "69003", "Lyon", "Newsletter boutique", "12/04/2026", "oui"],
    # v2 L3: a phone-only consumer with only the generic opt-in.
    ["Colin", "Paul", "", "06 22 33 44 55", "", "", "69100", "Villeurbanne", "Atelier réparation", "03/06/2026", "oui"],
    # v3 L4: refused.
    ["Renaud", "Alice", "alice.renaud@free.fr", "06 33 44 55 66", "", "", "69004", "Lyon", "Newsletter boutique", "21/05/2026", "non"],
    # v4 L5: no opt-in.
    ["Simon", "Louis", "louis.simon@orange.fr", "06 44 55 66 77", "", "", "69005", "Lyon", "Newsletter boutique", "09/09/2026", ""],
    # v5 L6: A's c1, email in another case.
    ["Bertrand", "Chloé", "Chloe.Bertrand@gmail.com", "", "", "", "69002", "Lyon", "Newsletter boutique", "28/09/2026", "oui"],
    # v6 L7: A's c10 mobile in international form.
    ["Roux", "Thomas", "", "+33 7 12 34 56 78", "", "", "69009", "Lyon", "Atelier réparation", "11/10/2026", "oui"],
    # v7 L8: a business (cargo bikes) with a landline.
    ["Vidal", "Marc", "marc.vidal@lyon-cargo-bikes.fr", "", "04 78 98 76 54", "Lyon Cargo Bikes SAS", "69007", "Lyon", "Salon Vélo Pro", "15/10/2026", ""],
    # v8 L9: a business with a landline.
    ["Morel", "Anne", "a.morel@residence-tilleuls.fr", "", "04 72 55 66 77", "Résidence Les Tilleuls", "69006", "Lyon", "Salon Vélo Pro", "15/10/2026", ""],
    # v9 L10: a business with a mobile and the generic opt-in.
    ["Fabre", "Julien", "j.fabre@coursiers-lyonnais.fr", "06 55 66 77 88", "", "Coursiers Lyonnais SARL", "69002", "Lyon", "Salon Vélo Pro", "15/10/2026", "oui"],
    # v10 L11: the opt-in given as a date.
    ["Gauthier", "Emma", "emma.gauthier@gmail.com", "06 66 77 88 99", "", "", "69001", "Lyon", "Newsletter boutique", "2026-05-14", "2026-05-14"],
    # v11 L12: collected in 2024: stale.
    ["Lemoine", "Hugo", "hugo.lemoine@laposte.net", "06 77 88 99 00", "", "", "69008", "Lyon", "Newsletter boutique", "17/06/2024", "oui"],
    # v12 L13: a company name with an orange.fr address: a consumer.
    ["Henry", "Claire", "claire.henry@orange.fr", "06 88 99 00 11", "", "Henry Architecture", "69003", "Lyon", "Salon Vélo Pro", "15/10/2026", "oui"],
    # v13 L14: a consumer with a landline.
    ["Perret", "Sarah", "sarah.perret@hotmail.fr", "", "04 78 00 11 22", "", "69005", "Lyon", "Newsletter boutique", "01/11/2026", "oui"],
]


# ---------------------------------------------------------------------------------------------
# Single files: bad input.

BAD_RAGGED_HEADER = ["Nom", "Prénom", "Email", "Téléphone", "Société", "Ville", "Source", "Date de collecte"]
BAD_RAGGED = [
    # L2: fine.
    "Durand,Paul,paul.durand@durand-sa.fr,01 45 67 89 10,Durand SA,Paris,Salon Batimat,12/03/2026",
    # L3: unquoted comma in the company: 9 fields.
    "Dupont,Marie,m.dupont@dupont-fils.fr,01 42 33 44 55,Dupont, Fils et Cie,Paris,Salon Batimat,12/03/2026",
    # L4 and L5: an unquoted line break in the city cuts the row in two (6 and 3 fields).
    "Martin,Luc,luc.martin@martin-conseil.fr,01 40 20 30 40,Martin Conseil,Paris",
    "8e,Salon Batimat,12/03/2026",
    # L6: two trailing empty cells: accepted.
    "Leroy,Anne,a.leroy@leroy-avocats.fr,01 53 00 11 22,Leroy Avocats,Paris,Salon Batimat,12/03/2026,,",
    # L7: a row of empty cells, as spreadsheets leave below the data: no email or phone.
    ",,,,,,,",
    # L8: a blank line: skipped, not counted.
    "",
    # L9: fine.
    "Petit,Julie,julie.petit@petit-archi.fr,01 47 00 12 34,Petit Architecture,Paris,Salon Batimat,12/03/2026",
    # L10: three fields only.
    "Moulin,Paul,p.moulin@moulin-sa.fr",
]

BAD_QUOTE_HEADER = ["Nom", "Prénom", "Courriel", "Portable", "Adresse", "Ville", "Origine", "Date de collecte"]
BAD_QUOTE = [
    # L2
    ["Martin", "Jean", "jean.martin@exemple.fr", "06 12 34 56 78", "3 rue Neuve", "Lyon", "Salon", "14/06/2026"],
    # L3: a correctly quoted address with a `;`.
    ["Durand", "Paul", "paul.durand@exemple.fr", "06 23 45 67 89", "Bât. B; 2e étage", "Lyon", "Salon", "14/06/2026"],
    # L4: the address opens a quote that is never closed.
    'Morel;Inès;ines.morel@exemple.fr;06 14 25 36 47;"Résidence du Parc, apt 12;Lyon;Salon;14/06/2026',
    # L5, L6: read normally.
    ["Leroy", "Léo", "leo.leroy@exemple.fr", "06 34 56 78 90", "8 place Bellecour", "Lyon", "Salon", "14/06/2026"],
    ["Petit", "Zoé", "zoe.petit@exemple.fr", "06 45 67 89 01", "12 quai Perrache", "Lyon", "Salon", "14/06/2026"],
]

BAD_ENCODING_HEADER = ["Nom", "Prénom", "E-mail", "Téléphone", "Société", "Source", "Date de collecte"]


def bad_encoding_bytes():
    lines = [
        ";".join(BAD_ENCODING_HEADER).encode("utf-8"),
        # L2: valid UTF-8 accents: the file is UTF-8.
        "Lefèvre;Hélène;h.lefevre@lefevre-conseil.fr;01 44 55 66 77;Lefèvre Conseil;Salon;10/10/2026".encode("utf-8"),
        # L3: the company pasted from a Latin-1 file.
        "Girard;Marc;m.girard@girard-elec.fr;01 45 22 33 44;".encode("utf-8") + "Girard Électricité".encode("latin-1") + b";Salon;10/10/2026",
        # L4: fine.
        "Müller;Anna;a.muller@muller-design.fr;01 46 77 88 99;Müller Design;Salon;10/10/2026".encode("utf-8"),
        # L5: a Windows-1252 apostrophe (0x92) in the name.
        "L’Hermite;Paul;p.lhermite@lhermite-avocats.fr;01 47 88 99 00;L'Hermite Avocats;Salon;10/10/2026".encode("cp1252"),
        # L6: fine.
        "Nguyễn;Văn;van.nguyen@nguyen-conseil.fr;01 48 99 00 11;Nguyễn Conseil;Salon;10/10/2026".encode("utf-8"),
    ]
    return b"\n".join(lines) + b"\n"


def nul_padded_bytes():
    """A short export followed by NUL padding, as a crash or a bad copy leaves: the first NUL is
    between byte 512 and 1024."""
    header = "Nom;Prénom;Email;Téléphone;Société;Source;Date de collecte"
    rows = [
        "Bertin;Claude;c.bertin@bertin-sa.fr;01 45 67 89 10;Bertin SA;Salon;12/03/2026",
        "Carré;Sylvie;s.carre@carre-immo.fr;01 42 33 44 55;Carré Immobilier;Salon;12/03/2026",
        "Dumas;Henri;h.dumas@dumas-btp.fr;01 40 20 30 40;Dumas BTP;Salon;12/03/2026",
        "Étienne;Lise;l.etienne@etienne-archi.fr;01 53 00 11 22;Étienne Architecture;Salon;12/03/2026",
        "Fabre;Yves;y.fabre@fabre-conseil.fr;01 47 00 12 34;Fabre Conseil;Salon;12/03/2026",
        "Gros;Anaïs;a.gros@gros-deco.fr;01 46 11 22 33;Gros Déco;Salon;12/03/2026",
        "Hervé;Marc;m.herve@herve-plomberie.fr;01 43 44 55 66;Hervé Plomberie;Salon;12/03/2026",
    ]
    text = ("\r\n".join([header] + rows) + "\r\n").encode("utf-8")
    assert 512 < len(text) < 1024, len(text)
    return text + b"\x00" * 512


def tiny_xlsx():
    """A real (minimal) .xlsx workbook: one sheet, a header and one contact. Entries are stored
    (not deflated) with a fixed date so the bytes never change."""
    parts = [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
         '</Types>'),
        ("_rels/.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>'),
        ("xl/workbook.xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
         '<sheets><sheet name="Prospects" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
         '</Relationships>'),
        ("xl/worksheets/sheet1.xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c><c r="B1" t="inlineStr"><is><t>E-mail</t></is></c>'
         '<c r="C1" t="inlineStr"><is><t>Téléphone</t></is></c></row>'
         '<row r="2"><c r="A2" t="inlineStr"><is><t>Martin</t></is></c><c r="B2" t="inlineStr"><is><t>jean.martin@exemple.fr</t></is></c>'
         '<c r="C2" t="inlineStr"><is><t>06 12 34 56 78</t></is></c></row>'
         '</sheetData></worksheet>'),
    ]
    path = os.path.join(HERE, "classeur.xlsx")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in parts:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 23, 9, 0, 0))
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, content.encode("utf-8"), compress_type=zipfile.ZIP_STORED)


# ---------------------------------------------------------------------------------------------
# Known engine deviations (see Fixtures/README.md "Known deviations"): tiny files, one problem each.

SECOND_PHONE_A_HEADER = ["Nom", "E-mail", "Téléphone", "Portable", "Raison sociale", "Origine", "Date de collecte"]
SECOND_PHONE_A = [
    # L2: a landline and a mobile.
    ["Roux", "contact@roux-menuiserie.fr", "02 40 12 34 56", "06 12 34 56 78", "Roux Menuiserie", "Salon", "14/03/2026"],
]
SECOND_PHONE_B_HEADER = ["Nom", "E-mail", "Téléphone", "Raison sociale", "Origine", "Date de collecte"]
SECOND_PHONE_B = [
    # L2: the same person by A's mobile only.
    ["Roux", "p.roux@gmail.com", "+33 6 12 34 56 78", "Roux Menuiserie", "Chantier", "02/05/2026"],
    # L3: someone else.
    ["Vidal", "contact@vidal-peinture.fr", "02 40 98 76 54", "Vidal Peinture", "Chantier", "02/05/2026"],
]
SIREN_SUPPRESSION = "valeur\n732829320\n"  # a SIREN (no SIRET, email or phone) on an opposition list
SIREN_PHONE_HEADER = ["Nom", "E-mail", "Téléphone", "Raison sociale", "Origine", "Date de collecte"]
SIREN_PHONE = [
    # L2: a mobile whose digits, without the 0, are that SIREN.
    ["Weber", "contact@weber-elec.fr", "07 32 82 93 20", "Weber Électricité", "Salon", "14/03/2026"],
]
REFUSAL_HEADER = ["Civilité", "Nom", "Prénom", "E-mail", "Téléphone", "Adresse", "Code postal", "Ville", "Origine", "Date de collecte", "Opt-in"]
REFUSAL = [
    # L2: opt-in at a trade fair in March.
    ["Mme", "Roux", "Amandine", "amandine.roux@laposte.net", "07 81 22 45 19", "9 allée des Camélias", "44800", "Saint-Herblain", "Salon Habitat Nantes 2026", "14/03/2026", "oui"],
    # L3: the same address unsubscribed in November: an objection, recorded on a shorter row.
    ["", "", "", "amandine.roux@laposte.net", "", "", "", "", "Désinscription newsletter", "02/11/2026", "non"],
]
LAST_CONTACT_HEADER = ["Nom", "E-mail", "Raison sociale", "Origine", "Date de collecte", "Date du dernier contact"]
LAST_CONTACT = [
    # L2: collected in 2024 (stale), last contacted last month (fresh).
    ["Caillet", "contact@caillet-sa.fr", "Caillet SA", "Salon", "12/09/2024", "15/10/2026"],
]


# ---------------------------------------------------------------------------------------------


def pair_file(name, header, rows, delimiter, newline, encoding, raw=None):
    text = csv_text(header, rows, delimiter, newline)
    data = encode(text, encoding)
    for marker, replacement in (raw or {}).items():
        assert data.count(marker.encode("utf-8")) == 1, marker
        data = data.replace(marker.encode("utf-8"), replacement)
    write(name, data)
    return data


def main():
    pair_file("menuiserie-atlantique.csv", RENOVATION_A_HEADER, RENOVATION_A, ";", "\r\n", "utf-8-bom")
    pair_file("peinture-erdre.csv", RENOVATION_B_HEADER, RENOVATION_B, ";", "\r\n", "cp1252")
    write("opposition-2026.txt", OPPOSITION.encode("utf-8"))

    pair_file("jardins-de-provence.txt", PAYSAGE_A_HEADER, PAYSAGE_A, "\t", "\r\n", "utf-16le-bom")
    pair_file("piscines-azur-hubspot.csv", PAYSAGE_B_HEADER, PAYSAGE_B, ",", "\n", "utf-8")

    pair_file("traiteur-saveurs-du-rhone.csv", MARIAGE_A_HEADER, MARIAGE_A, "|", "\n", "utf-16be-bom")
    data = pair_file(
        "studio-lumiere-ainay.csv", MARIAGE_B_HEADER, MARIAGE_B, ";", "\n", "utf-8",
        raw={"@LATIN1@": LATIN1_ROW, "@NUL@": NUL_ROW})
    assert data.index(b"\x00") > 1024, data.index(b"\x00")  # past the first kilobyte: a row problem, not a binary file

    pair_file("auto-ecole-confluence-sellsy.csv", CONSENT_A_HEADER, CONSENT_A, ";", "\r\n", "utf-8-bom")
    pair_file("velos-saone-newsletter.csv", CONSENT_B_HEADER, CONSENT_B, ",", "\n", "utf-8")

    write("vide.csv", b"")
    write("bom-seul.csv", b"\xef\xbb\xbf\r\n")
    write("entete-seule.csv", encode(";".join(["Civilité", "Nom", "Prénom", "E-mail", "Téléphone", "Société", "Date de collecte"]) + "\r\n\r\n", "utf-8-bom"))
    write("sans-email-ni-telephone.csv", encode(csv_text(
        ["Raison sociale", "SIRET", "Adresse", "Code postal", "Ville", "Contact"],
        [
            ["Durand SA", PLOMBERIE_MARTIN, "12 rue de la République", "69002", "Lyon", "Paul Durand"],
            ["Leroy Avocats", LELIEVRE, "8 place Bellecour", "69002", "Lyon", "Anne Leroy"],
            ["Petit Architecture", ATELIER_DECO, "3 quai Perrache", "69002", "Lyon", "Julie Petit"],
        ], ";", "\r\n"), "cp1252"))
    pair_file("lignes-irregulieres.csv", BAD_RAGGED_HEADER, BAD_RAGGED, ",", "\n", "utf-8")
    pair_file("guillemet-non-ferme.csv", BAD_QUOTE_HEADER, BAD_QUOTE, ";", "\r\n", "utf-8")
    write("utf8-invalide.csv", bad_encoding_bytes())
    write("octets-nuls.csv", nul_padded_bytes())
    tiny_xlsx()

    pair_file("ecart-second-telephone-a.csv", SECOND_PHONE_A_HEADER, SECOND_PHONE_A, ";", "\r\n", "utf-8")
    pair_file("ecart-second-telephone-b.csv", SECOND_PHONE_B_HEADER, SECOND_PHONE_B, ";", "\r\n", "utf-8")
    write("ecart-opposition-siren.txt", SIREN_SUPPRESSION.encode("utf-8"))
    write("ecart-opposition-crlf.txt", OPPOSITION.replace("\n", "\r\n").encode("utf-8"))  # the same list saved on Windows
    pair_file("ecart-refus-en-doublon.csv", REFUSAL_HEADER, REFUSAL, ";", "\r\n", "utf-8")
    pair_file("ecart-opposition-siren.csv", SIREN_PHONE_HEADER, SIREN_PHONE, ";", "\r\n", "utf-8")
    pair_file("ecart-date-du-dernier-contact.csv", LAST_CONTACT_HEADER, LAST_CONTACT, ";", "\r\n", "utf-8")

    # Physical start line of every data row of the pair files, for the README tables.
    if os.environ.get("FIXTURE_LINES"):
        for name, header, rows in [
            ("menuiserie-atlantique.csv", RENOVATION_A_HEADER, RENOVATION_A),
            ("peinture-erdre.csv", RENOVATION_B_HEADER, RENOVATION_B),
            ("jardins-de-provence.txt", PAYSAGE_A_HEADER, PAYSAGE_A),
            ("piscines-azur-hubspot.csv", PAYSAGE_B_HEADER, PAYSAGE_B),
            ("traiteur-saveurs-du-rhone.csv", MARIAGE_A_HEADER, MARIAGE_A),
            ("studio-lumiere-ainay.csv", MARIAGE_B_HEADER, MARIAGE_B),
            ("auto-ecole-confluence-sellsy.csv", CONSENT_A_HEADER, CONSENT_A),
            ("velos-saone-newsletter.csv", CONSENT_B_HEADER, CONSENT_B),
        ]:
            print(name, start_lines(header, rows))


if __name__ == "__main__":
    main()
