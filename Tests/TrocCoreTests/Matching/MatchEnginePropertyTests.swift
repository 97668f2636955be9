import PropertyBased
import Testing

@testable import TrocCore

/// Invariants of dedupe, overlap and balancing over random small files drawn from shared pools of
/// emails, phones and SIRETs, so that duplicates within a file and overlaps between files are common.
@Suite struct MatchEnginePropertyTests {
    typealias T = TestSupport

    static let sirets = ["73282932000074", "30326504500017", "35600000000048", "35600000049837"]

    /// One random row: indices into the pools (-1 for an empty cell), a company, an age in days, a consent.
    struct Row: Sendable {
        var email: Int
        var phone: Int
        var siret: Int
        var company: Int
        var age: Int
        var consent: Int

        init(_ seed: Int) {
            var rest = seed
            func next(_ count: Int) -> Int {
                defer { rest /= count }
                return rest % count
            }
            email = next(16) - 1
            phone = next(11) - 1
            siret = next(5) - 1
            company = next(4)
            age = next(401)
            consent = next(3)
        }
    }

    static let rowGen = Gen.int(in: 0...Int(Int32.max)).map { Row($0) }

    static func text(_ rows: [Row]) -> String {
        T.file(
            rows.map { row in
                let (email, phone, siret, company, age, consent) = (row.email, row.phone, row.siret, row.company, row.age, row.consent)
                return
                    T.row(
                        email: email < 0 ? "" : (email % 3 == 0 ? "perso\(email)@gmail.com" : "contact\(email)@entreprise\(email % 4).fr"),
                        phone: phone < 0 ? "" : "06 12 34 56 \(10 + phone)", company: company == 0 ? "" : "Société \(company)",
                        siret: siret < 0 ? "" : sirets[siret], collected: T.asOf.adding(days: -age).french, consent: ["oui", "non", ""][consent])
            })
    }

    /// The key sets of a file, by kind.
    static func keySets(_ file: ContactSet) -> [Set<UInt64>] {
        file.keys.map { Set($0.map(\.high)) }
    }

    /// The keys of the row that starts at `line`.
    static func keys(ofLine line: UInt32, in file: ContactSet) -> [Set<UInt64>] {
        guard let row = file.rows.firstIndex(where: { $0.line == line }) else { return [[], [], []] }
        return file.keys.map { Set($0.filter { $0.row == UInt32(row) }.map(\.high)) }
    }

    @Test(arguments: BalancingPolicy.allCases)
    func balancingInvariants(policy: BalancingPolicy) async {
        await propertyCheck(count: 60, input: Self.rowGen.array(of: 0...25), Self.rowGen.array(of: 0...25)) { rowsA, rowsB in
            guard let a = try? T.read(Self.text(rowsA)), let b = try? T.read(Self.text(rowsB)) else {
                // Only files with no acceptable row at all fail to read; that is not what this test is about.
                return
            }
            let outcome = MatchEngine.match(a, b, options: MatchOptions(rules: T.rules, policy: policy))
            let report = outcome.report

            // Dedupe never grows a file.
            #expect(report.a.contacts <= a.acceptedRows && a.acceptedRows <= report.a.rows)
            #expect(report.b.contacts <= b.acceptedRows && b.acceptedRows <= report.b.rows)
            #expect(report.netNew.a <= report.a.exchangeable && report.netNew.b <= report.b.exchangeable)

            // Nothing delivered is held by its recipient.
            let heldByB = Self.keySets(b)
            for delivered in outcome.toB {
                let keys = Self.keys(ofLine: delivered.line, in: a)
                for kind in 0..<3 { #expect(keys[kind].isDisjoint(with: heldByB[kind]), "line \(delivered.line) of A is held by B") }
            }
            let heldByA = Self.keySets(a)
            for delivered in outcome.toA {
                let keys = Self.keys(ofLine: delivered.line, in: b)
                for kind in 0..<3 { #expect(keys[kind].isDisjoint(with: heldByA[kind]), "line \(delivered.line) of B is held by A") }
            }
            // Deliveries come from the candidates, once each, in file order.
            #expect(outcome.toB.count <= report.netNew.a && outcome.toA.count <= report.netNew.b)
            #expect(outcome.toB.map(\.line) == outcome.toB.map(\.line).sorted() && Set(outcome.toB.map(\.line)).count == outcome.toB.count)

            let balancing = report.balancing
            switch policy {
            case .equalCount:
                #expect(outcome.toA.count == outcome.toB.count)
                #expect(outcome.toA.count == min(report.netNew.a, report.netNew.b))
            case .qualityWeighted:
                let target = min(balancing.candidateQuality.a, balancing.candidateQuality.b)
                #expect(balancing.deliveredQuality.a <= target + 0.0001 && balancing.deliveredQuality.b <= target + 0.0001)
            case .all:
                #expect(outcome.toB.count == report.netNew.a && outcome.toA.count == report.netNew.b)
            }
        }
    }

    @Test func theResultDoesNotDependOnHowTheBytesArrive() async {
        await propertyCheck(count: 30, input: Self.rowGen.array(of: 1...30), Gen.int(in: 1...64)) { rows, chunkSize in
            let text = Self.text(rows)
            guard let whole = try? T.read(text), let chunked = try? T.read(Array(text.utf8), chunkSize: chunkSize, parallelism: 1) else { return }
            let other = try? T.read(Self.text([Row(0)]))
            guard let other else { return }
            let first = MatchEngine.match(whole, other, options: MatchOptions(rules: T.rules))
            let second = MatchEngine.match(chunked, other, options: MatchOptions(rules: T.rules))
            #expect(first.report == second.report)
            #expect(first.toB == second.toB)
        }
    }
}
