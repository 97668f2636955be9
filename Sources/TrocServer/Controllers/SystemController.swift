import Foundation
import Hummingbird
import NIOFoundationCompat
import Prometheus
import TrocCore
import TrocCrypto
import TrocStore

/// Endpoints anyone may call: health, metrics, the OpenAPI document, the broker's public key.
struct SystemController {
    let broker: Broker
    let metrics: PrometheusCollectorRegistry

    func addRoutes(to router: Router<TrocRequestContext>) {
        router.get("healthz", use: health)
        router.get("metrics", use: exposition)
        router.get("v1/openapi.yaml", use: openAPIDocument)
        router.get("v1/broker-key", use: brokerKey)
    }

    /// Liveness that also proves the database answers.
    @Sendable func health(_ request: Request, context: TrocRequestContext) async throws -> Health {
        _ = try await broker.store.brokerOrganisation()
        return Health(status: "ok")
    }

    /// The Prometheus exposition, for a scraper on this machine or an operator's token (`MetricsAccess`).
    @Sendable func exposition(_ request: Request, context: TrocRequestContext) async throws -> Response {
        if broker.configuration.metricsAccess == .loopbackOrOperator, context.clientAddress.flatMap(IPAddress.init)?.isLoopback == true {
            // The address a trusted proxy forwarded, not the proxy's own: through nginx every peer is on loopback.
            return metricsResponse()
        }
        guard request.headers[.authorization] != nil else {
            let from = broker.configuration.metricsAccess == .loopbackOrOperator ? "a scraper on the broker's machine (loopback) or " : ""
            throw ProblemMapping.make(
                401, "auth.missing-token", "Authentication required",
                "/metrics answers \(from)a request with an operator's token: send it as `Authorization: Bearer troc_…`")
        }
        return try await AuthenticationMiddleware(broker: broker).handle(request, context: context) { _, context in
            _ = try context.caller(in: .operator)
            return metricsResponse()
        }
    }

    private func metricsResponse() -> Response {
        var buffer: [UInt8] = []
        metrics.emit(into: &buffer)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    @Sendable func openAPIDocument(_ request: Request, context: TrocRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: try OpenAPIDocument.data())))
    }

    @Sendable func brokerKey(_ request: Request, context: TrocRequestContext) async throws -> BrokerKey {
        let key = broker.keys.publicKey
        return BrokerKey(
            publicKey: key.pemText, fingerprint: key.fingerprint,
            suite: "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM (RFC 9180 base mode)",
            uploadPurpose: TransferPurpose.upload(organisationID: "{organisationId}"))
    }
}
