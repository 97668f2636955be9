import Foundation
import Testing
import TrocClient
import TrocCore

/// The API attacked from its own specification: schemathesis (PyPI, the version `.ci/run` pins) reads the OpenAPI
/// document the real daemon serves and sends it generated requests, valid and invalid, as a partner, an operator and an
/// accountant, following the responses' links; no answer may be a 5xx or fall outside the documented statuses, content
/// types, headers and schemas.
@Suite(.serialized) struct SpecificationEndToEndTests {
    /// The bound on one role's run, in seconds; three roles make the whole test about three minutes on two cores.
    static let secondsPerRole = 50
    /// A fixed seed: a finding reproduces with the same command.
    static let seed = 15

    @Test func noGeneratedRequestGetsAServerErrorOrAnUndocumentedAnswer() throws {
        let world = try BrokerEndToEndTests.World.make("spec")
        defer { world.cleanUp() }
        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")
        // Something for every role to read: a proposed deal and a stored file.
        let file = world.directory.appendingPathComponent("prospects.csv")
        try Data(BrokerEndToEndTests.contacts.utf8).write(to: file)
        try world.joinery.succeed("upload", file.path)
        try world.joinery.succeed("deal", "propose", "--with", world.heatingID, "--price-per-1000", "30.00")
        let accountant = try DealEndToEndTests.accountant(world)
        let ca = world.directory.appendingPathComponent("troc-dev-cert.pem").path
        for user in [world.joinery, accountant, world.operatorUser] {
            let token = try ProfileStore(environment: ["TROC_CONFIG_DIR": user.home.path]).load("default").token
            let result = try run(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-m", "schemathesis.cli", "run", "\(world.daemon.url)/v1/openapi.yaml", "--url", world.daemon.url, "--tls-verify", ca,
                    "--header", "Authorization: Bearer \(token)", "--checks",
                    "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance",
                    "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", "25", "--max-time", String(Self.secondsPerRole), "--seed",
                    String(Self.seed), "--continue-on-failure", "--no-color", "--workers", "1",
                ], in: world.directory)
            #expect(
                result.status == 0,
                "schemathesis as \(user.name) (exit \(result.status)):\n\(result.output.suffix(20_000))\n\(result.error.suffix(4_000))")
        }
        #expect(!world.daemon.output.contains("critical"), "\(world.daemon.output.suffix(4_000))")
    }
}
