import Foundation
import FuzzSupport
import TrocCore
import TrocServer

/// The API's strict JSON decoder (`StrictJSON`) on every request body type the server decodes.
///
/// Input: a selector byte (the body type, modulo the list below), then the JSON. The decoder must answer
/// with a value or a `RequestError`, never crash; a value it accepts must encode to JSON it accepts again
/// as the same value (no field lost, none invented).
enum APIDecodersHarness {
    /// The request bodies, in the order Fuzz/make_corpus.py numbers its seeds; add a new body type at the end.
    nonisolated(unsafe) static let bodies: [any (Codable & Hashable).Type] = [
        NewOrganisation.self, NewUser.self, NewToken.self, PublicKeyRegistration.self, NewDeal.self, DealDecision.self, AttachFile.self,
        NewSuppressions.self, NewErasureRequest.self, SectorChange.self, NewCreditNote.self,
    ]

    /// One fuzzer input.
    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let body = bodies[Int(input.byte()) % bodies.count]
        check(body, json: Data(input.rest()))
    }

    /// Decodes `json` as `Body`; an accepted value round-trips through the encoder the responses use.
    static func check<Body: Codable & Hashable>(_ type: Body.Type, json: Data) {
        guard let value = try? StrictJSON.decode(Body.self, from: json) else { return }
        let encoded: Data
        do {
            encoded = try StrictJSON.encoder.encode(value)
        } catch {
            fatalError("invariant broken: an accepted \(Body.self) does not encode: \(error)")
        }
        do {
            FuzzCheck.equal(try StrictJSON.decode(Body.self, from: encoded), value, "\(Body.self) decoded from its own encoding")
        } catch {
            fatalError("invariant broken: \(Body.self) refuses its own encoding \(String(decoding: encoded, as: UTF8.self)): \(error)")
        }
    }
}
