import Foundation
import Hummingbird
import Mustache
import NIOCore
import TrocCore
import TrocStore

/// The console's swift-mustache templates, read once at start from the module's resources, and the page frame every
/// page shares: language, catalogue, navigation, the signed-in user and the form token.
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary

    /// Why the templates could not be loaded: an installation fault.
    struct MissingTemplates: Error, CustomStringConvertible {
        var description: String
    }

    /// Loads every `*.mustache` file of the `Templates` resource directory.
    static func load() throws -> ConsoleRenderer {
        guard let templates = templateTexts() else {
            throw MissingTemplates(description: "the console templates are not installed beside trocd")
        }
        var library = MustacheLibrary()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) { try library.register(text, named: name) }
        return ConsoleRenderer(library: library)
    }

    /// The templates' names and texts, from the `Templates` resource directory.
    static func templateTexts() -> [String: String]? {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return nil }
        var texts: [String: String] = [:]
        for name in names where name.hasSuffix(".mustache") {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return nil }
            texts[String(name.dropLast(".mustache".count))] = text
        }
        return texts
    }

    /// A whole page: `template` rendered inside the layout with `values` and the frame.
    func page(_ template: String, frame: ConsolePageFrame, values: [String: Any?], status: HTTPResponse.Status = .ok) -> Response {
        var context = frame.values
        for (key, value) in values { context[key] = value }
        let html =
            library.render(Self.clean(context) ?? [:], withTemplate: template)
            ?? "<!doctype html><title>Troc</title><p>template \(template) missing</p>"
        return Self.html(html, status: status)
    }

    /// Template values without optionals: nil entries dropped and values unwrapped, since a dictionary's `nil` would
    /// otherwise count as present for a section.
    static func clean(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let inner = mirror.children.first?.value else { return nil }
            return clean(inner)
        }
        if let dictionary = value as? [String: Any?] { return dictionary.compactMapValues { $0.flatMap(clean) } }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues(clean) }
        if let array = value as? [Any] { return array.compactMap(clean) }
        return value
    }

    /// An HTML response that no cache keeps.
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 303 to `location` after a form, so reloading the page does not send the form again.
    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}

/// What every page shows around its content, for one request.
struct ConsolePageFrame {
    /// The reader's language.
    let language: ConsoleLanguage
    /// The page's title.
    let title: String
    /// The signed-in session, if any.
    let session: ConsoleSessionState?
    /// The navigation entry of this page, highlighted.
    let section: String?
    /// A message after an action (`?done=…`).
    let flash: String?

    /// The catalogue in the reader's language.
    var text: ConsoleText { ConsoleText(language) }
    /// Formats in the reader's language.
    var format: ConsoleFormat { ConsoleFormat(language: language) }

    /// The template values of the frame.
    var values: [String: Any?] {
        var values: [String: Any?] = [
            "lang": language.rawValue, "t": text.table, "title": title, "flash": flash,
            "otherLanguage": language == .fr ? "English" : "Français",
        ]
        if let session {
            values["csrf"] = session.csrfToken
            if session.verified {
                values["user"] = [
                    "name": session.user.name, "roleLabel": text["role_" + session.user.role.rawValue],
                    "organisation": session.organisation.name,
                ]
                values["nav"] = Self.navigation(for: session, text: text).map { entry in
                    ["href": entry.href, "label": entry.label, "current": entry.key == section]
                }
            }
        }
        return values
    }

    /// The menu of a role.
    static func navigation(for session: ConsoleSessionState, text: ConsoleText) -> [(key: String, href: String, label: String)] {
        let entries: [(String, String)]
        switch session.user.role {
        case .operator:
            entries = [
                ("dashboard", "/console/"), ("deals", "/console/deals"), ("firms", "/console/firms"), ("keys", "/console/key-changes"),
                ("privacy", "/console/privacy"), ("sectors", "/console/sectors"), ("settings", "/console/settings"), ("audit", "/console/audit"),
                ("account", "/console/account"),
            ]
        case .accountant:
            entries = [
                ("invoices", "/console/invoices"), ("settlements", "/console/settlements"), ("ledger", "/console/ledger"),
                ("account", "/console/account"),
            ]
        case .partner:
            entries = [
                ("deals", "/console/deals"), ("propose", "/console/deals/new"), ("files", "/console/files"), ("key", "/console/key"),
                ("mandate", "/console/mandate"), ("partnerInvoices", "/console/invoices"),
                ("account", "/console/account"),
            ]
        }
        return entries.map { (key: $0.0, href: $0.1, label: text["nav_" + $0.0]) }
    }
}
