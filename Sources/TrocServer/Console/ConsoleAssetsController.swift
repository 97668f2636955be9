import Foundation
import Hummingbird
import NIOCore

/// The console's static files (style sheet, scripts, the envelope module), read once at start from the module's
/// resources and served from this origin only.
struct ConsoleAssetsController: Sendable {
    /// File name to its bytes and media type.
    let files: [String: (bytes: [UInt8], contentType: String)]

    /// Loads every file of the `Assets` resource directory.
    static func load() throws -> ConsoleAssetsController {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Assets"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { throw ConsoleRenderer.MissingTemplates(description: "the console assets are not installed beside trocd") }
        var files: [String: (bytes: [UInt8], contentType: String)] = [:]
        for name in names {
            let type: String
            switch (name as NSString).pathExtension {
            case "js": type = "text/javascript; charset=utf-8"
            case "css": type = "text/css; charset=utf-8"
            case "svg": type = "image/svg+xml"
            default: continue
            }
            files[name] = (Array(try Data(contentsOf: directory.appendingPathComponent(name))), type)
        }
        return ConsoleAssetsController(files: files)
    }

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get(":file", use: serve)
    }

    @Sendable func serve(_ request: Request, context: TrocRequestContext) async throws -> Response {
        guard let file = files[try context.parameters.require("file")] else { throw AccessError.notFound("file") }
        var headers = HTTPFields()
        headers[.contentType] = file.contentType
        // No version in the names: browsers check back each time, which costs one small request on a back office.
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
