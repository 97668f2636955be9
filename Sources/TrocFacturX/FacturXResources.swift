import Foundation
import TrocPDF

/// The fonts and colour profile every Factur-X PDF embeds, shipped as SwiftPM resources (licences beside them in
/// `Resources/`) and parsed once per process: Liberation Sans regular and bold (SIL OFL 1.1) and the sRGB
/// IEC 61966-2.1 profile of Debian's icc-profiles-free (zlib licence).
struct FacturXResources: Sendable {
    /// Liberation Sans.
    let regular: TrueTypeFont
    /// Liberation Sans Bold.
    let bold: TrueTypeFont
    /// The sRGB output intent.
    let outputIntent: PDFA3Document.OutputIntent

    /// The resources, read on first use; the error says which file is missing or unreadable.
    static let shared: Result<FacturXResources, FacturXError> = Result { () throws(FacturXError) in
        FacturXResources(
            regular: try font("LiberationSans-Regular"), bold: try font("LiberationSans-Bold"),
            outputIntent: PDFA3Document.OutputIntent(profile: try file("sRGB", extension: "icc"), identifier: "sRGB IEC61966-2.1"))
    }

    private static func font(_ name: String) throws(FacturXError) -> TrueTypeFont {
        let bytes = try file(name, extension: "ttf")
        do {
            return try TrueTypeFont(bytes)
        } catch {
            throw .unusableResource("\(name).ttf", reason: error.description)
        }
    }

    private static func file(_ name: String, extension fileExtension: String) throws(FacturXError) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: fileExtension, subdirectory: "Resources"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw .unusableResource("\(name).\(fileExtension)", reason: "not installed beside the executable (troc_TrocFacturX.resources)") }
        return Array(data)
    }
}

/// Why a Factur-X PDF could not be written: only an installation fault, never the invoice.
public enum FacturXError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A bundled font or profile is missing or unreadable.
    case unusableResource(String, reason: String)

    public var description: String {
        switch self {
        case .unusableResource(let name, let reason):
            "cannot write Factur-X PDFs: resource \(name): \(reason); reinstall trocd with its resource bundle"
        }
    }
}
