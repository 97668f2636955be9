#!/usr/bin/env python3
"""The Troc console in a real Chromium, through Playwright, against a running `trocd serve --dev`.

One scenario drives a whole swap through the console alone: the operator enrols with TOTP, registers two firms and
their users, imports an opposition list; the partners enrol, generate their key pairs in the page, propose, upload
their files encrypted in the page, read the report and accept; the operator approves with the keyboard alone and
releases; the partners download their deliveries and decrypt them in the page; an accountant enrols and downloads the
invoices, a ZIP of them and the FEC. Then: a form without the session's token is refused, a disabled user's session
ends, a partner guessing another firm's deal finds nothing. axe-core checks every page (no serious or critical
violation); a screenshot of each page is saved.

Usage: console_scenarios.py --url https://localhost:PORT --code ENROLMENT-CODE --fixtures DIR --out DIR
Writes DIR/result.json (the deal, the decrypted deliveries, the invoices downloaded) for the Swift test to check.
Requires: pip install playwright axe-playwright-python; apt-get install chromium (launched from /usr/bin/chromium).
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import struct
import sys
import time

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

PASSWORD = "Un mot de passe assez long 42"
CHROMIUM = os.environ.get("TROC_CHROMIUM", "/usr/bin/chromium")


def totp(base32_key, at=None, step_offset=0):
    """RFC 6238 code (HMAC-SHA-1, 30 s, 6 digits), computed here from the key the page shows."""
    key = base64.b32decode(base32_key + "=" * (-len(base32_key) % 8))
    counter = int((at or time.time()) // 30) + step_offset
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class Run:
    """The browser, the axe checker, the screenshots, and what the scenario found."""

    def __init__(self, playwright, url, out):
        self.url = url
        self.out = out
        self.shots = os.path.join(out, "screenshots")
        os.makedirs(self.shots, exist_ok=True)
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        self.axe = Axe()
        self.count = 0
        self.violations = []
        self.checked = set()

    def context(self, locale="fr-FR"):
        context = self.browser.new_context(
            ignore_https_errors=True, locale=locale, accept_downloads=True, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        return context

    def look(self, page, name):
        """Screenshot the page and run axe-core on it once per page kind."""
        self.count += 1
        page.screenshot(path=os.path.join(self.shots, f"{self.count:02d}-{name}.png"), full_page=True)
        if name in self.checked:
            return
        self.checked.add(name)
        results = self.axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                nodes = [node["target"] for node in violation["nodes"]][:5]
                self.violations.append(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} at {nodes}")

    def goto(self, page, path, name):
        page.goto(self.url + path)
        self.look(page, name)


def enrol(run, page, code, login, name):
    """Enrols with a code; for staff, reads the TOTP key the page shows. Returns the key or None."""
    run.goto(page, "/console/enrol", "enrol-code")
    page.get_by_label("Code d'activation").fill(code)
    page.get_by_role("button", name="Continuer").click()
    key = None
    if page.locator("#totp-key").count():
        key = page.locator("#totp-key").inner_text().strip()
    run.look(page, f"enrol-form-{'staff' if key else 'partner'}")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    if key:
        page.get_by_label("Code affiché par l'application").fill(totp(key))
    page.get_by_role("button", name="Activer le compte").click()
    expect(page.locator(".flash")).to_contain_text("Votre compte est activé")
    return key


def sign_in(run, page, login, key=None, name="login"):
    """Signs in; a staff member types the next TOTP code (the current one was spent at enrolment)."""
    run.goto(page, "/console/login", name)
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if key:
        run.look(page, "second-factor")
        page.get_by_label("Code à 6 chiffres").fill(totp(key, step_offset=1))
        page.get_by_role("button", name="Vérifier").click()
    expect(page.locator("header .who")).to_be_visible()


def create_firm(run, page, fields):
    run.goto(page, "/console/firms", "firms")
    for label, value in fields.items():
        if label == "vatStatus":
            page.locator(f"#{label}").select_option(value)
        else:
            page.locator(f"#{label}").fill(value)
    page.get_by_role("button", name="Enregistrer la firme").click()
    expect(page.locator(".flash")).to_contain_text("Firme enregistrée")
    return page.url.split("/console/firms/")[1].split("?")[0]


def create_user(run, page, organisation_id, name, role=None, reason=None):
    run.goto(page, f"/console/firms/{organisation_id}", "firm")
    page.locator("#user-name").fill(name)
    if role:
        page.locator("#user-role").select_option(role)
    if reason:
        page.locator("#user-reason").fill(reason)
    page.get_by_role("button", name="Créer l'utilisateur").click()
    code = page.locator("#enrolment-code").inner_text().strip()
    run.look(page, "firm-user-created")
    return code


def generate_key(run, page, path):
    """The firm's key pair, generated in the page: the private key saved to `path`, the public key registered."""
    run.goto(page, "/console/key", "key")
    page.get_by_role("button", name="Générer une paire de clés dans ce navigateur").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Enregistrer le fichier de clé privée").click()
    download.value.save_as(path)
    page.get_by_role("button", name="Enregistrer la clé publique").click()
    expect(page.locator(".flash")).to_contain_text("Clé de livraison enregistrée")
    return page.locator("#fingerprint").inner_text().strip()


def upload(run, page, deal_id, path):
    run.goto(page, f"/console/deals/{deal_id}", "deal-awaiting-files")
    page.get_by_label("Fichier de contacts (CSV)").set_input_files(path)
    page.get_by_role("button", name="Chiffrer et envoyer").click()
    page.wait_for_url(re.compile(r".*done=upload$"))
    expect(page.locator(".flash")).to_contain_text("Fichier reçu")


def download_delivery(run, page, deal_id, key_path, out_path):
    run.goto(page, f"/console/deals/{deal_id}", "deal-released-partner")
    page.get_by_label("Clé privée de la firme (.pem)").set_input_files(key_path)
    page.get_by_role("button", name="Télécharger et déchiffrer").click()
    save = page.locator("#delivery-save")
    expect(save).to_be_visible()
    with page.expect_download() as download:
        save.click()
    download.value.save_as(out_path)


def tab_to(page, selector, limit=120):
    """Presses Tab until `selector` has the focus: proves it is reachable with the keyboard alone."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement && document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} never received the focus by Tab")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--code", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    out = arguments.out
    result = {}
    with sync_playwright() as playwright:
        run = Run(playwright, arguments.url, out)
        operator_context = run.context()
        operator = operator_context.new_page()
        operator.on("dialog", lambda dialog: dialog.accept())

        # The operator enrols with the code trocd printed, with a TOTP second factor, and signs in.
        operator_key = enrol(run, operator, arguments.code, "olivia", "Olivia")
        assert operator_key, "an operator enrols with a second factor"
        sign_in(run, operator, "olivia", operator_key)
        run.look(operator, "dashboard")

        # The scenario's files are small: the operator lets their deals match (500 exchangeable contacts by default).
        run.goto(operator, "/console/settings", "settings")
        operator.locator("#minimumExchangeable").fill("1")
        operator.locator("#reason").fill("small test files")
        operator.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(operator.locator(".flash")).to_contain_text("Paramètres enregistrés")

        joinery_id = create_firm(run, operator, {
            "name": "Menuiseries Durand SARL", "siren": "732829320", "naf": "43.32A", "street": "2 avenue des Artisans",
            "postcode": "69001", "city": "Lyon", "vatStatus": "registered", "vat": "FR44732829320",
            "iban": "FR76 3000 4000 0312 3456 7890 143", "bic": "BNPAFRPP"})
        heating_id = create_firm(run, operator, {
            "name": "Géothermie Martin SAS", "siret": "55210055400013", "naf": "43.22B", "street": "12 chemin des Sources",
            "postcode": "33000", "city": "Bordeaux", "vatStatus": "registered", "vat": "FR96552100554",
            "iban": "FR14 2004 1010 0505 0001 3M02 606", "bic": "PSSTFRPPXXX"})
        caterer_id = create_firm(run, operator, {
            "name": "Saveurs du Rhône SAS", "siren": "817654320", "naf": "56.21Z", "street": "8 quai Saint-Antoine",
            "postcode": "69002", "city": "Lyon", "vatStatus": "franchise", "iban": "FR76 3000 4000 0312 3456 7890 143",
            "bic": "BNPAFRPP"})
        joinery_code = create_user(run, operator, joinery_id, "Jeanne Durand")
        heating_code = create_user(run, operator, heating_id, "Hugo Martin")
        caterer_code = create_user(run, operator, caterer_id, "Camille Roux")
        operator.goto(arguments.url + "/console/firms")
        broker_id = operator.locator("tbody tr", has_text="courtier").locator("a").first.get_attribute("href").split("/")[-1]
        accountant_code = create_user(run, operator, broker_id, "Agnès Comptable", role="accountant")

        # The opposition list, imported as a file.
        run.goto(operator, "/console/privacy", "privacy")
        operator.get_by_label("Fichier (une valeur par ligne)").set_input_files(os.path.join(arguments.fixtures, "opposition-2026.txt"))
        operator.locator("#import-source").select_option("opposition-list")
        operator.get_by_role("button", name="Importer").click()
        expect(operator.locator("section[role=status]")).to_contain_text("4 ajoutées")
        run.look(operator, "privacy-imported")

        # The partners enrol (password only) and generate their delivery keys in the page.
        joinery = run.context().new_page()
        heating = run.context().new_page()
        for page in (joinery, heating):
            page.on("dialog", lambda dialog: dialog.accept())
        enrol(run, joinery, joinery_code, "jeanne.durand", "Jeanne")
        sign_in(run, joinery, "jeanne.durand")
        enrol(run, heating, heating_code, "hugo.martin", "Hugo")
        sign_in(run, heating, "hugo.martin")
        joinery_key = os.path.join(out, "joinery.key.pem")
        heating_key = os.path.join(out, "heating.key.pem")
        generate_key(run, joinery, joinery_key)
        generate_key(run, heating, heating_key)

        # Each partner reads and accepts the billing mandate, under which the broker invoices in its name.
        for page in (joinery, heating):
            run.goto(page, "/console/mandate", "mandate")
            page.get_by_role("button", name="Accepter le mandat").click()
            expect(page.locator(".flash")).to_contain_text("Mandat de facturation accepté")

        # The joinery proposes; both upload their files, sealed in the page.
        run.goto(joinery, "/console/deals/new", "propose")
        joinery.get_by_label("Identifiant de la firme partenaire").fill(heating_id)
        joinery.get_by_label("Prix pour 1 000 adresses (€)").fill("35,00")
        joinery.get_by_role("button", name="Proposer").click()
        expect(joinery.locator(".flash")).to_contain_text("Échange proposé")
        deal_id = joinery.url.split("/console/deals/")[1].split("?")[0]
        result["deal"] = deal_id
        upload(run, joinery, deal_id, os.path.join(arguments.fixtures, "menuiserie-atlantique.csv"))
        upload(run, heating, deal_id, os.path.join(arguments.fixtures, "peinture-erdre.csv"))

        # Partners see the partner view of the report (small counts hidden), with its charts, and accept.
        for page, name in ((joinery, "joinery"), (heating, "heating")):
            run.goto(page, f"/console/deals/{deal_id}", f"deal-matched-partner")
            expect(page.locator("#report-title")).to_be_visible()
            assert "< 50" in page.locator("table.report").inner_text(), "small counts are hidden from partners"
            assert page.locator("svg.chart").count() == 3
            page.get_by_role("button", name="Accepter le rapport").click()
            expect(page.locator(".flash")).to_contain_text("Vous avez accepté")
        run.goto(joinery, "/console/files", "files")

        # The operator approves with the keyboard alone: from the dashboard to the deal, then the button.
        run.goto(operator, "/console/", "dashboard-accepted")
        tab_to(operator, f'a[href="/console/deals/{deal_id}"]')
        operator.keyboard.press("Enter")
        operator.wait_for_url(re.compile(f".*/console/deals/{deal_id}$"))
        run.look(operator, "deal-accepted-operator")
        # The README's pictures: the operator's deal page as it first shows (decisions, then the exact report).
        operator.screenshot(path=os.path.join(run.shots, "readme-deal-operator.png"))
        assert "Doublons fusionnés" in operator.locator("table.report").inner_text(), "operators see the exact report"
        tab_to(operator, "#approve")
        operator.keyboard.press("Enter")
        expect(operator.locator(".flash")).to_contain_text("Échange approuvé")
        operator.get_by_role("button", name="Libérer les livraisons et facturer").click()
        expect(operator.locator(".flash")).to_contain_text("Livraisons libérées")
        run.look(operator, "deal-released-operator")

        # Each firm downloads its delivery and decrypts it in the page with its private key file.
        result["toJoinery"] = os.path.join(out, "to-joinery.csv")
        result["toHeating"] = os.path.join(out, "to-heating.csv")
        download_delivery(run, joinery, deal_id, joinery_key, result["toJoinery"])
        download_delivery(run, heating, deal_id, heating_key, result["toHeating"])

        # The accountant enrols with TOTP and takes the invoices in every format, a ZIP and the FEC.
        accountant = run.context().new_page()
        accountant_key = enrol(run, accountant, accountant_code, "agnes", "Agnès")
        assert accountant_key, "an accountant enrols with a second factor"
        sign_in(run, accountant, "agnes", accountant_key, name="login-accountant")
        run.look(accountant, "invoices")
        expect(accountant.locator("tbody")).to_contain_text("Menuiseries Durand SARL")  # sellers and buyers by name
        accountant.screenshot(path=os.path.join(run.shots, "readme-invoices.png"))
        accountant.wait_for_load_state("networkidle")
        numbers = [cell.inner_text().strip().split("\n")[0] for cell in accountant.locator("tbody th[scope=row]").all()]
        assert len(numbers) == 4, f"four invoices, found {numbers}"
        result["invoices"] = []
        for number in numbers:
            for fmt in ("ubl", "cii", "pdf"):
                # The link's target, fetched with the page's session, so that a refusal shows its page instead of no download.
                href = accountant.get_by_role("link", name=f"{number} {fmt.upper()}").get_attribute("href")
                response = accountant.request.get(arguments.url + href)
                assert response.ok, f"{href}: {response.status} {response.text()[:2000]}"
                name = response.headers["content-disposition"].split('filename="')[1].rstrip('"')
                path = os.path.join(out, name)
                with open(path, "wb") as file:
                    file.write(response.body())
                result["invoices"].append(path)
        accountant.locator("#format").select_option("all")
        with accountant.expect_download() as download:
            accountant.get_by_role("button", name="Télécharger le ZIP").click()
        result["zip"] = os.path.join(out, download.value.suggested_filename)
        download.value.save_as(result["zip"])
        run.goto(accountant, "/console/settlements", "settlements")
        expect(accountant.locator("tbody tr")).to_have_count(1)
        run.goto(accountant, "/console/ledger", "ledger")
        with accountant.expect_download() as download:
            accountant.get_by_role("button", name="Télécharger le FEC").click()
        result["fec"] = os.path.join(out, download.value.suggested_filename)
        download.value.save_as(result["fec"])

        # The operator's other pages.
        for path, name in (("/console/deals", "deals"), ("/console/key-changes", "key-changes"), ("/console/sectors", "sectors"),
                           ("/console/settings", "settings"), ("/console/account", "account"), ("/console/invoices", "invoices-operator")):
            run.goto(operator, path, name)
        run.goto(operator, "/console/audit", "audit")
        operator.get_by_role("button", name="Vérifier la chaîne").click()
        expect(operator.locator("p.ok")).to_contain_text("Chaîne intacte")
        run.look(operator, "audit-verified")

        # A form sent without the session's token is refused, and does nothing.
        refused = joinery.request.post(arguments.url + "/console/logout-everywhere", form={"_csrf": "forged"})
        assert refused.status == 403, f"a forged form token answered {refused.status}"
        run.goto(joinery, "/console/account", "account-partner")

        # A partner guessing another firm's deal finds nothing, however it asks.
        caterer = run.context().new_page()
        enrol(run, caterer, caterer_code, "camille.roux", "Camille")
        sign_in(run, caterer, "camille.roux")
        response = caterer.goto(arguments.url + f"/console/deals/{deal_id}")
        assert response.status == 404, f"another firm's deal answered {response.status}"
        run.look(caterer, "not-found")
        assert caterer.request.get(arguments.url + f"/console/deals/{deal_id}/delivery").status == 404

        # A disabled user's session ends at once.
        run.goto(operator, f"/console/firms/{caterer_id}", "firm-partner")
        operator.locator("tbody tr", has_text="Camille Roux").get_by_role("button", name="Désactiver").click()
        expect(operator.locator(".flash")).to_contain_text("Utilisateur désactivé")
        caterer.goto(arguments.url + "/console/deals")
        expect(caterer.locator(".flash")).to_contain_text("Ce compte est désactivé")
        run.look(caterer, "login-disabled")

        # English when the browser asks for it.
        english = run.context(locale="en-GB").new_page()
        run.goto(english, "/console/login", "login-english")
        expect(english.get_by_role("button", name="Sign in")).to_be_visible()

        result["screenshots"] = run.shots
        result["violations"] = run.violations
        result["pagesChecked"] = sorted(run.checked)
        run.browser.close()
    with open(os.path.join(out, "result.json"), "w") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
    if result["violations"]:
        print("\n".join(result["violations"]), file=sys.stderr)
        sys.exit(3)
    print(f"console scenarios passed; {len(result['pagesChecked'])} page kinds checked by axe-core; screenshots in {run.shots}")


if __name__ == "__main__":
    main()
