import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrocCore
import TrocServer

/// The broker keeps the sector tables in memory between requests; an operator's edit is seen by the very next request.
@Suite struct SectorCacheAPITests {
    @Test func anOperatorsClusterEditIsSeenByThePartnersNextRequest() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let path = "/v1/sectors/clusters/renovation-habitat/codes/70.22Z"
            let before = try await client.decoded(SectorTables.self, .get, "/v1/sectors", token: parties.joineryToken)
            #expect(before.clusters["renovation-habitat"]?.contains("70.22Z") == false)
            _ = try await client.decoded(
                SectorTables.self, .put, path, token: broker.operatorToken, json: #"{"reason": "advisers of renovating firms"}"#)
            let after = try await client.decoded(SectorTables.self, .get, "/v1/sectors", token: parties.joineryToken)
            #expect(after.clusters["renovation-habitat"]?.contains("70.22Z") == true)
            _ = try await client.decoded(SectorTables.self, .post, path + "/remove", token: broker.operatorToken, json: #"{"reason": "reverted"}"#)
            let reverted = try await client.decoded(SectorTables.self, .get, "/v1/sectors", token: parties.joineryToken)
            #expect(reverted.clusters == before.clusters)
        }
    }
}
