import Hummingbird

/// The web console under `/console`: its assets and sign-in pages for anyone, the second-factor page for a session that
/// passed its password, and every other page for a signed-in session; all with the console's headers and error pages.
enum ConsoleRoutes {
    /// Adds the console's routes to the broker's router.
    static func add(to router: Router<TrocRequestContext>, broker: Broker) throws {
        let console = ConsoleContext(broker: broker, renderer: try ConsoleRenderer.load())
        let root = router.group("console").add(middleware: ConsoleHeadersMiddleware()).add(
            middleware: ConsoleErrorMiddleware(renderer: console.renderer))
        try ConsoleAssetsController.load().addRoutes(to: root.group("assets"))
        let auth = ConsoleAuthController(console: console)
        auth.addPublicRoutes(to: root)
        auth.addSecondFactorRoutes(to: root.group().add(middleware: ConsoleSessionMiddleware(broker: broker, awaitingSecondFactor: true)))
        let signedIn = root.group().add(middleware: ConsoleSessionMiddleware(broker: broker))
        auth.addSessionRoutes(to: signedIn)
        ConsoleDealController(console: console).addRoutes(to: signedIn)
        ConsoleAdminController(console: console).addRoutes(to: signedIn)
        ConsoleAccountingController(console: console).addRoutes(to: signedIn)
        ConsoleMandateController(console: console).addRoutes(to: signedIn)
    }
}
