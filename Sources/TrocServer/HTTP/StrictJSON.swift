package import Foundation
import TrocCore

/// JSON bodies as the API accepts them: well-formed, with every required field, and no field the
/// API does not know (a typo such as `"sirne"` must not be silently ignored).
package enum StrictJSON {
    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    package static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Decodes `data` as `T`, refusing malformed JSON, missing or mistyped fields and unknown fields.
    package static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(RequestError) -> T {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw .malformedJSON(String(describing: error))
        }
        if let field = firstNUL(in: parsed, path: "") {
            throw .nulCharacter(in: field)
        }
        let value: T
        do {
            value = try decoder.decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .missingField(path(context.codingPath + [key]))
        } catch let DecodingError.valueNotFound(_, context) {
            throw .missingField(path(context.codingPath))
        } catch let DecodingError.typeMismatch(expected, context) {
            throw .invalidField(path(context.codingPath), "expected \(describe(expected))")
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalidField(path(context.codingPath), context.debugDescription)
        } catch {
            throw .malformedJSON(String(describing: error))
        }
        // Unknown fields are whatever the input has that the decoded value does not write back.
        if let encodable = value as? any Encodable, let known = try? JSONSerialization.jsonObject(with: encoder.encode(encodable)) {
            if let unknown = firstUnknownKey(in: parsed, comparedWith: known, path: "") { throw .unknownField(unknown) }
        }
        return value
    }

    /// The path of the first string (value or key) holding U+0000: GRDB binds a string to SQLite up to its first NUL, so
    /// such a field would be stored cut short, unlike what was accepted and audited.
    private static func firstNUL(in input: Any, path: String) -> String? {
        switch input {
        case let text as String:
            return text.utf8.contains(0) ? (path.isEmpty ? "(the body)" : path) : nil
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let child = path.isEmpty ? key : path + "." + key
                if key.utf8.contains(0) { return child }
                if let found = firstNUL(in: object[key]!, path: child) { return found }
            }
            return nil
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let found = firstNUL(in: element, path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }

    private static func firstUnknownKey(in input: Any, comparedWith known: Any, path: String) -> String? {
        switch (input, known) {
        case (let input as [String: Any], let known as [String: Any]):
            for key in input.keys.sorted() {
                let child = path.isEmpty ? key : path + "." + key
                guard let knownValue = known[key] else {
                    if input[key] is NSNull { continue }
                    return child
                }
                if let found = firstUnknownKey(in: input[key]!, comparedWith: knownValue, path: child) { return found }
            }
            return nil
        case (let input as [Any], let known as [Any]):
            for (index, element) in input.enumerated() where index < known.count {
                if let found = firstUnknownKey(in: element, comparedWith: known[index], path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "a \(type)"
        }
    }
}

/// Why a request itself is unusable, before any business rule.
package enum RequestError: Error, Equatable {
    case malformedJSON(String)
    case missingField(String)
    case invalidField(String, String)
    case unknownField(String)
    case missingParameter(String)
    case invalidParameter(String, String)
    case bodyTooLarge(limit: Int)
    case unsupportedMediaType(String)

    /// `field` holds U+0000, which GRDB would store cut short (it binds a string to SQLite up to its first NUL).
    static func nulCharacter(in field: String) -> RequestError {
        .invalidField(field, "it holds a NUL character (U+0000), which no field accepts")
    }
}
