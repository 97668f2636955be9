import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrocCore
import TrocServer
import TrocStore

/// Who creates a firm's users, disabling a user, operators over any user's tokens, and tokens that never outlive the
/// token they were minted with: each test performs the attack it stops, through the API.
@Suite struct UserAdministrationAPITests {
    /// The attack: an operator quietly adds a user to a firm and receives its token. Now it needs a reason, is audited, and
    /// every user of the firm sees it; the firm's own administrator adds its users.
    @Test func anOperatorAddingAUserToAFirmMustSayWhyAndTheFirmSeesIt() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let firm = parties.joinery.id
            let first = try await client.decoded(Me.self, .get, "/v1/me", token: parties.joineryToken)
            #expect(first.user.firmAdmin && first.user.createdByRole == .operator && first.user.creationReason == nil)
            #expect(first.usersAddedByOperators.isEmpty)

            let quiet = try await client.call(
                .post, "/v1/users", token: broker.operatorToken, json: #"{"name": "Mallory", "role": "partner", "organisationId": "\#(firm)"}"#)
            #expect(quiet.status.code == 422, "today the operator gets the token: \(String(buffer: quiet.body))")
            let problem = try ServerTestJSON.problem(quiet)
            #expect(problem.code == "user.reason-required" && problem.errors?.first?.field == "reason")

            let added = try await client.decoded(
                CreatedUser.self, .post, "/v1/users", token: broker.operatorToken,
                json: #"{"name": "Marc", "role": "partner", "organisationId": "\#(firm)", "reason": "Jeanne is on leave, ticket 4411"}"#)
            #expect(!added.user.firmAdmin && added.user.creationReason == "Jeanne is on leave, ticket 4411")
            let seen = try await client.decoded(Me.self, .get, "/v1/me", token: parties.joineryToken)
            #expect(seen.usersAddedByOperators.map(\.id) == [added.user.id])
            #expect(seen.usersAddedByOperators.first?.createdByRole == .operator)
            let listed = try await client.decoded([User].self, .get, "/v1/users", token: parties.joineryToken)
            #expect(Set(listed.map(\.organisationId)) == [firm] && listed.count == 2)
            let entry = try #require(try await auditEntries(client, broker, action: "user.create").last)
            #expect(entry.reason == "Jeanne is on leave, ticket 4411" && entry.organisationId == firm && entry.detail["user"] == added.user.id)

            // The firm's administrator adds its own users, with no reason and no notice; a plain user cannot.
            let colleague = try await client.decoded(
                CreatedUser.self, .post, "/v1/users", token: parties.joineryToken, json: #"{"name": "Paul", "role": "partner"}"#)
            #expect(colleague.user.organisationId == firm && colleague.user.createdBy == first.user.id && !colleague.user.firmAdmin)
            #expect(try await client.decoded(Me.self, .get, "/v1/me", token: parties.joineryToken).usersAddedByOperators.count == 1)
            _ = try await client.problem(
                .post, "/v1/users", token: colleague.token.token, json: #"{"name": "Eve", "role": "partner"}"#, status: 403,
                code: "user.firm-admin-required")
            _ = try await client.problem(
                .post, "/v1/users", token: parties.joineryToken,
                json: #"{"name": "Eve", "role": "partner", "organisationId": "\#(parties.heating.id)"}"#, status: 404, code: "not-found")
            _ = try await client.problem(
                .post, "/v1/users", token: parties.joineryToken, json: #"{"name": "Eve", "role": "operator"}"#, status: 422, code: "user.invalid")
            let admin = try await client.decoded(
                CreatedUser.self, .post, "/v1/users", token: parties.joineryToken, json: #"{"name": "Alice", "role": "partner", "firmAdmin": true}"#)
            #expect(admin.user.firmAdmin)
            _ = try await client.decoded(
                CreatedUser.self, .post, "/v1/users", token: admin.token.token, json: #"{"name": "Bob", "role": "partner"}"#)

            // Operators still create the broker's own users without a reason; accountants create nobody.
            let accountant = try await client.decoded(
                CreatedUser.self, .post, "/v1/users", token: broker.operatorToken, json: #"{"name": "Anne", "role": "accountant"}"#)
            _ = try await client.problem(
                .post, "/v1/users", token: accountant.token.token, json: #"{"name": "X", "role": "accountant"}"#, status: 403,
                code: "auth.forbidden-role")
        }
    }

    /// The attack: a departing employee's tokens keep working. Disabling the user stops all of them at once.
    @Test func disablingAUserStopsEveryTokenAtOnce() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let leaver = try await client.decoded(
                CreatedUser.self, .post, "/v1/users", token: parties.joineryToken, json: #"{"name": "Paul", "role": "partner"}"#)
            let second = try await client.decoded(
                IssuedToken.self, .post, "/v1/tokens", token: leaver.token.token, json: #"{"label": "script", "expiresInDays": 30}"#)
            for token in [leaver.token.token, second.token] { #expect(try await client.call(.get, "/v1/me", token: token).status == .ok) }

            _ = try await client.problem(
                .post, "/v1/users/\(leaver.user.id)/disable", token: parties.heatingToken, json: "{}", status: 404, code: "not-found")
            _ = try await client.problem(
                .post, "/v1/users/\(leaver.user.id)/disable", token: leaver.token.token, json: "{}", status: 422, code: "user.self-disable")
            let disabled = try await client.decoded(
                User.self, .post, "/v1/users/\(leaver.user.id)/disable", token: parties.joineryToken, json: #"{"reason": "left the firm"}"#)
            #expect(disabled.disabledAt != nil)
            for token in [leaver.token.token, second.token] {
                _ = try await client.problem(.get, "/v1/me", token: token, status: 401, code: "auth.disabled-user")
            }
            let tokens = try await client.decoded([TokenInfo].self, .get, "/v1/users/\(leaver.user.id)/tokens", token: broker.operatorToken)
            #expect(tokens.count == 2 && tokens.allSatisfy { $0.revokedAt != nil })
            let entry = try #require(try await auditEntries(client, broker, action: "user.disable").first)
            #expect(entry.reason == "left the firm" && entry.actorRole == .partner && entry.detail["user"] == leaver.user.id)
            #expect(entry.detail["tokensRevoked"]?.contains(leaver.token.id) == true && entry.detail["tokensRevoked"]?.contains(second.id) == true)

            // Operators disable anyone but themselves.
            let me = try await client.decoded(Me.self, .get, "/v1/me", token: broker.operatorToken)
            _ = try await client.problem(
                .post, "/v1/users/\(me.user.id)/disable", token: broker.operatorToken, json: "{}", status: 422, code: "user.self-disable")
            let heatingUser = try await client.decoded(Me.self, .get, "/v1/me", token: parties.heatingToken).user
            _ = try await client.decoded(User.self, .post, "/v1/users/\(heatingUser.id)/disable", token: broker.operatorToken, json: "{}")
            _ = try await client.problem(.get, "/v1/me", token: parties.heatingToken, status: 401, code: "auth.disabled-user")
        }
    }

    /// Operators list and revoke any user's tokens; a partner sees and revokes only its own (or its firm's, as administrator).
    @Test func operatorsListAndRevokeAnyUsersTokens() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let jeanne = try await client.decoded(Me.self, .get, "/v1/me", token: parties.joineryToken).user
            let hugo = try await client.decoded(Me.self, .get, "/v1/me", token: parties.heatingToken).user
            let listed = try await client.decoded([TokenInfo].self, .get, "/v1/users/\(jeanne.id)/tokens", token: broker.operatorToken)
            #expect(listed.count == 1)
            _ = try await client.problem(.get, "/v1/users/\(jeanne.id)/tokens", token: parties.heatingToken, status: 404, code: "not-found")
            _ = try await client.problem(.delete, "/v1/tokens/\(listed[0].id)", token: parties.heatingToken, status: 404, code: "not-found")
            let hugoTokens = try await client.decoded([TokenInfo].self, .get, "/v1/tokens", token: parties.heatingToken)
            _ = try await client.problem(.delete, "/v1/tokens/\(hugoTokens[0].id)", token: parties.joineryToken, status: 404, code: "not-found")

            #expect(try await client.call(.delete, "/v1/tokens/\(listed[0].id)", token: broker.operatorToken).status == .noContent)
            _ = try await client.problem(.get, "/v1/me", token: parties.joineryToken, status: 401, code: "auth.revoked-token")
            let entry = try #require(try await auditEntries(client, broker, action: "token.revoke").first)
            #expect(entry.actorRole == .operator && entry.detail["token"] == listed[0].id && entry.detail["user"] == jeanne.id)
            _ = hugo
        }
    }

    /// The attack: a short-lived token mints a 365-day one that survives its revocation. Now the child is capped at the
    /// parent's expiry and revoked with it, however deep the chain.
    @Test func aTokenMintedWithATokenNeverOutlivesIt() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let parent = try await client.decoded(
                IssuedToken.self, .post, "/v1/tokens", token: parties.joineryToken, json: #"{"label": "short", "expiresInDays": 2}"#)
            let child = try await client.decoded(
                IssuedToken.self, .post, "/v1/tokens", token: parent.token, json: #"{"label": "long", "expiresInDays": 365}"#)
            #expect(child.expiresAt == parent.expiresAt, "today the child lives 365 days: \(child.expiresAt) vs \(parent.expiresAt)")
            let grandchild = try await client.decoded(IssuedToken.self, .post, "/v1/tokens", token: child.token, json: #"{"label": "deeper"}"#)
            #expect(grandchild.expiresAt <= parent.expiresAt)
            let sibling = try await client.decoded(IssuedToken.self, .post, "/v1/tokens", token: parties.joineryToken, json: "{}")

            let infos = try await client.decoded([TokenInfo].self, .get, "/v1/tokens", token: parties.joineryToken)
            #expect(infos.first { $0.id == grandchild.id }?.parentId == child.id && infos.first { $0.id == child.id }?.parentId == parent.id)
            let created = try await auditEntries(client, broker, action: "token.create")
            #expect(created.first { $0.detail["token"] == child.id }?.detail["cappedByParent"] == "true")

            #expect(try await client.call(.delete, "/v1/tokens/\(parent.id)", token: parties.joineryToken).status == .noContent)
            for token in [parent.token, child.token, grandchild.token] {
                _ = try await client.problem(.get, "/v1/me", token: token, status: 401, code: "auth.revoked-token")
            }
            #expect(try await client.call(.get, "/v1/me", token: sibling.token).status == .ok)
            #expect(try await client.call(.get, "/v1/me", token: parties.joineryToken).status == .ok)
            let revoked = try #require(try await auditEntries(client, broker, action: "token.revoke").first)
            #expect(revoked.detail["descendantsRevoked"] == "[\([child.id, grandchild.id].sorted().joined(separator: ", "))]")

            // Past the parent's expiry the child stops too.
            let another = try await client.decoded(
                IssuedToken.self, .post, "/v1/tokens", token: parties.joineryToken, json: #"{"expiresInDays": 1}"#)
            let minted = try await client.decoded(IssuedToken.self, .post, "/v1/tokens", token: another.token, json: #"{"expiresInDays": 30}"#)
            broker.clock.advance(days: 1.01)
            _ = try await client.problem(.get, "/v1/me", token: minted.token, status: 401, code: "auth.expired-token")
        }
    }
}
