import Foundation
import Hummingbird
import NIOCore
import TrocCore

/// What every console handler needs: the broker, the templates, and helpers to read forms and frame pages.
struct ConsoleContext: Sendable {
    let broker: Broker
    let renderer: ConsoleRenderer

    /// Largest urlencoded form read.
    static let formLimit = 1 << 20

    /// The reader's language.
    func language(_ request: Request) -> ConsoleLanguage {
        ConsoleLanguage.preferred(request.headers[.acceptLanguage])
    }

    /// The frame of a page titled by catalogue key `titleKey` (or a given title), in the `section` of the menu.
    func frame(_ request: Request, _ context: TrocRequestContext, titleKey: String, title: String? = nil, section: String?) -> ConsolePageFrame {
        let language = language(request)
        let text = ConsoleText(language)
        let done = request.uri.queryParameters.get("done").flatMap { text.optional("done_" + $0) }
        return ConsolePageFrame(language: language, title: title ?? text[titleKey], session: context.console, section: section, flash: done)
    }

    /// Renders a page.
    func page(
        _ template: String, _ request: Request, _ context: TrocRequestContext, titleKey: String, title: String? = nil, section: String?,
        values: [String: Any?], status: HTTPResponse.Status = .ok
    ) -> Response {
        renderer.page(template, frame: frame(request, context, titleKey: titleKey, title: title, section: section), values: values, status: status)
    }

    /// The fields of an urlencoded form body.
    func form(_ request: Request) async throws -> FormFields {
        try FormFields(encoded: String(buffer: try await request.body.collect(upTo: Self.formLimit))).refusingNUL()
    }

    /// The signed-in caller of a session route.
    func caller(_ context: TrocRequestContext, in roles: Role...) throws -> Identity {
        let identity = try context.caller()
        guard roles.isEmpty || roles.contains(identity.role) else { throw AccessError.forbiddenRole(identity.role, allowed: roles) }
        return identity
    }

    /// The session of a session route.
    func session(_ context: TrocRequestContext) throws -> ConsoleSessionState {
        guard let session = context.console else { throw ConsoleError.signInRequired(nil) }
        return session
    }

    /// A page number from `?page=`, from 1.
    static func pageNumber(_ request: Request) -> Int {
        max(1, min(100_000, request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1))
    }

    /// The pager of a list: where it stands and the links to the pages before and after, keeping the other query values.
    static func pager(_ request: Request, page: Int, pageSize: Int, total: Int, text: ConsoleText) -> [String: Any?] {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        func link(_ number: Int) -> String {
            var items = FormFields(encoded: request.uri.query ?? "").pairs.filter { $0.name != "page" && $0.name != "done" }
            items.append(("page", String(number)))
            return request.uri.path + "?" + items.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
        }
        return [
            "summary": text.format("pager_summary", String(page), String(pages), String(total)),
            "previous": page > 1 ? link(page - 1) : nil, "next": page < pages ? link(page + 1) : nil,
            "shown": pages > 1,
        ]
    }

    /// Percent-escapes a query value.
    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
