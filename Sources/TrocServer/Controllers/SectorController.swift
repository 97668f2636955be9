import Foundation
import Hummingbird
import Logging
import TrocCore
import TrocCrypto
import TrocStore

/// The sector tables and the statutory renovation / home-adaptation list: anyone authenticated reads them, operators
/// edit them (audited, with a reason).
struct SectorController {
    let broker: Broker

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("sectors", use: tables)
        router.put("sectors/clusters/:cluster/codes/:code") { request, context in try await edit(request, context, add: true, confidential: false) }
        router.post("sectors/clusters/:cluster/codes/:code/remove") { request, context in
            try await edit(request, context, add: false, confidential: false)
        }
        router.put("sectors/confidential/:code") { request, context in try await edit(request, context, add: true, confidential: true) }
        router.post("sectors/confidential/:code/remove") { request, context in try await edit(request, context, add: false, confidential: true) }
        router.get("sectors/renovation", use: renovation)
        router.put("sectors/renovation/:code") { request, context in try await editRenovation(request, context, add: true) }
        router.post("sectors/renovation/:code/remove") { request, context in try await editRenovation(request, context, add: false) }
    }

    @Sendable func renovation(_ request: Request, context: TrocRequestContext) async throws -> [RenovationListing] {
        _ = try context.caller()
        return try await renovationListings()
    }

    private func renovationListings() async throws -> [RenovationListing] {
        let reference = ReferenceData.embedded
        return try await broker.store.renovationSectors().map { sector in
            RenovationListing(
                code: sector.code, nomenclature: sector.nomenclature, label: reference.subclass(sector.code, in: sector.nomenclature)?.label ?? "",
                ground: sector.ground)
        }
    }

    /// Puts a trade on the renovation list or takes it off; the code may be of either nomenclature.
    private func editRenovation(_ request: Request, _ context: TrocRequestContext, add: Bool) async throws -> [RenovationListing] {
        let caller = try context.caller(in: .operator)
        let change = try await request.decode(as: RenovationChange.self, context: context)
        guard !change.reason.trimmed.isEmpty else { throw RequestError.invalidField("reason", "say why: it goes in the audit trail") }
        let subclass: NAFSubclass
        switch NAFCode.recognise(try context.parameters.require("code"), nomenclature: change.nomenclature) {
        case .success(let found): subclass = found
        case .failure(let error): throw RequestError.invalidParameter("code", error.description)
        }
        let actor = DealService(broker: broker).actor(caller)
        if add {
            guard let ground = change.ground else {
                throw RequestError.invalidField("ground", "say why the trade is listed: energy-renovation or home-adaptation")
            }
            _ = try await broker.store.addRenovationSector(
                RenovationSector(nomenclature: subclass.nomenclature, code: subclass.code, ground: ground), reason: change.reason, actor: actor,
                now: broker.clock())
        } else {
            _ = try await broker.store.removeRenovationSector(
                code: subclass.code, nomenclature: subclass.nomenclature, reason: change.reason, actor: actor, now: broker.clock())
        }
        return try await renovationListings()
    }

    @Sendable func tables(_ request: Request, context: TrocRequestContext) async throws -> SectorTables {
        _ = try context.caller()
        return try await current()
    }

    private func current() async throws -> SectorTables {
        let reference = try await broker.store.sectorReference()
        return SectorTables(
            clusters: reference.clusters.mapValues { $0.sorted() }, confidential: reference.confidential.values.sorted { $0.code < $1.code })
    }

    private func edit(_ request: Request, _ context: TrocRequestContext, add: Bool, confidential: Bool) async throws -> SectorTables {
        let caller = try context.caller(in: .operator)
        let change = try await request.decode(as: SectorChange.self, context: context)
        try await SectorService(broker: broker).edit(
            code: try context.parameters.require("code"), cluster: confidential ? nil : try context.parameters.require("cluster"), add: add,
            change: change, caller: caller)
        return try await current()
    }
}
