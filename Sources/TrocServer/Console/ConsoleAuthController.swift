import Foundation
import Hummingbird
import Logging
import NIOCore
import TrocCore
import TrocCrypto
import TrocStore

/// Signing in to the console: enrolment with a one-time code (password, and a TOTP second factor for the broker's staff),
/// sign-in rate-limited per login name and per address, the second factor, sign-out and sign-out everywhere.
struct ConsoleAuthController {
    let console: ConsoleContext
    var broker: Broker { console.broker }

    /// The pages anyone may open: sign-in and enrolment.
    func addPublicRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("login", use: loginPage)
        router.post("login", use: login)
        router.get("enrol", use: enrolPage)
        router.post("enrol", use: enrolCode)
        router.post("enrol/complete", use: enrolComplete)
    }

    /// The second-factor page, for a session that passed its password.
    func addSecondFactorRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("login/code", use: codePage)
        router.post("login/code", use: code)
    }

    /// The pages of a signed-in user about its own account.
    func addSessionRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.post("logout", use: logout)
        router.post("logout-everywhere", use: logoutEverywhere)
        router.get("account", use: account)
    }

    // MARK: Sign-in

    @Sendable func loginPage(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let text = ConsoleText(console.language(request))
        var notice: String?
        if let ended = query.get("ended").flatMap(ConsoleSessionEnd.init(rawValue:)) { notice = text["ended_" + ended.rawValue] }
        if query.get("enrolled") != nil { notice = text["login_enrolled"] }
        return loginForm(request, context, login: "", error: nil, notice: notice)
    }

    @Sendable func login(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let fields = try await console.form(request)
        try Self.checkAnonymousForm(request, fields)
        let text = ConsoleText(console.language(request))
        let login = fields.text("login") ?? ""
        let password = fields["password"] ?? ""
        let now = broker.clock()
        let address = Self.limitedAddress(context)
        if let retryAfter = try await broker.store.signInRetryAfter(login: login, address: address, now: now) {
            let minutes = max(1, Int((retryAfter.timeIntervalSince(now) / 60).rounded(.up)))
            return loginForm(request, context, login: login, error: text.format("login_throttled", String(minutes)), status: .tooManyRequests)
        }
        let found = try await broker.store.consoleCredential(login: login)
        let matches = await ConsoleCredentials.verify(password, hash: found?.credential.passwordHash ?? ConsoleCredentials.unmatchableHash)
        guard matches, let found, found.user.disabledAt == nil else {
            let reason = found == nil ? "unknown-login" : matches ? "user-disabled" : "wrong-password"
            try await broker.store.recordSignInFailure(login: login, address: address, user: found?.user, reason: reason, now: now)
            context.logger.notice("console sign-in refused", metadata: ["reason": .string(reason)])
            return loginForm(request, context, login: login, error: text["login_refused"], status: .unauthorized)
        }
        let awaiting = found.credential.totpSecretSealed != nil
        let opened = try await broker.store.openConsoleSession(
            userID: found.user.id, login: found.credential.login, awaitingSecondFactor: awaiting, address: address, now: now)
        var response = ConsoleRenderer.redirect(awaiting ? "/console/login/code" : "/console/")
        response.setCookie(ConsoleCookies.make(ConsoleCookies.session, value: opened.secret))
        response.setCookie(ConsoleCookies.clear(ConsoleCookies.form))
        return response
    }

    /// The address the sign-in limits count under: the client's (behind a trusted proxy, the one it forwarded), or a
    /// placeholder shared by connections without one.
    private static func limitedAddress(_ context: TrocRequestContext) -> String {
        context.clientAddress ?? "unknown"
    }

    /// The signed-in user as the actor of its own sign-out, from the client's address.
    private static func actor(_ user: UserRecord, _ context: TrocRequestContext) -> AuditActor {
        var actor = AuditActor(user)
        actor.clientAddress = context.clientAddress
        return actor
    }

    @Sendable func codePage(_ request: Request, context: TrocRequestContext) async throws -> Response {
        console.page("second-factor", request, context, titleKey: "code_title", section: nil, values: [:])
    }

    @Sendable func code(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let session = try console.session(context)
        let fields = try await console.form(request)
        let text = ConsoleText(console.language(request))
        let now = broker.clock()
        guard let credential = try await broker.store.consoleCredential(userID: session.user.id), let sealed = credential.totpSecretSealed else {
            throw ConsoleError.signInRequired(nil)
        }
        if let retryAfter = try await broker.store.signInRetryAfter(login: credential.login, address: Self.limitedAddress(context), now: now) {
            let minutes = max(1, Int((retryAfter.timeIntervalSince(now) / 60).rounded(.up)))
            return console.page(
                "second-factor", request, context, titleKey: "code_title", section: nil,
                values: ["error": text.format("login_throttled", String(minutes))], status: .tooManyRequests)
        }
        let secret = try ConsoleCredentials.open(sealed, userID: session.user.id, key: broker.keys.rootHashingSecret.consoleSecretKey())
        let refused = { () async throws -> Response in
            try await broker.store.recordSignInFailure(
                login: credential.login, address: Self.limitedAddress(context), user: session.user, reason: "second-factor", now: now)
            return console.page(
                "second-factor", request, context, titleKey: "code_title", section: nil, values: ["error": text["code_refused"]],
                status: .unauthorized)
        }
        guard let step = ConsoleCredentials.matchingStep(code: fields["code"] ?? "", secret: secret, now: now) else { return try await refused() }
        let opened: OpenedConsoleSession
        switch await Result(catching: { () async throws(StoreError) in
            try await broker.store.verifySecondFactor(sessionID: session.sessionID, login: credential.login, step: step, now: now)
        }) {
        case .success(let session): opened = session
        case .failure(.console(.secondFactorRefused)): return try await refused()
        case .failure(let error): throw error
        }
        var response = ConsoleRenderer.redirect("/console/")
        response.setCookie(ConsoleCookies.make(ConsoleCookies.session, value: opened.secret))
        return response
    }

    @Sendable func logout(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let session = try console.session(context)
        try await broker.store.endConsoleSession(id: session.sessionID, actor: Self.actor(session.user, context), now: broker.clock())
        var response = ConsoleRenderer.redirect("/console/login?ended=sign-out")
        response.setCookie(ConsoleCookies.clear(ConsoleCookies.session))
        return response
    }

    @Sendable func logoutEverywhere(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let session = try console.session(context)
        _ = try await broker.store.endConsoleSessions(userID: session.user.id, actor: Self.actor(session.user, context), now: broker.clock())
        var response = ConsoleRenderer.redirect("/console/login?ended=sign-out-everywhere")
        response.setCookie(ConsoleCookies.clear(ConsoleCookies.session))
        return response
    }

    @Sendable func account(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let session = try console.session(context)
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let credential = try await broker.store.consoleCredential(userID: session.user.id)
        let sessions = try await broker.store.consoleSessions(userID: session.user.id, now: broker.clock()).filter(\.verified).map { record in
            [
                "id": record.id, "current": record.id == session.sessionID, "since": format.dateTime(record.createdAt),
                "lastSeen": format.dateTime(record.lastSeenAt), "until": format.dateTime(record.expiresAt), "address": record.address,
            ] as [String: Any?]
        }
        return console.page(
            "account", request, context, titleKey: "account_title", section: "account",
            values: [
                "name": session.user.name, "email": session.user.email, "role": text["role_" + session.user.role.rawValue],
                "organisation": session.organisation.name, "login": credential?.login, "secondFactor": credential?.totpSecretSealed != nil,
                "sessions": sessions,
            ])
    }

    // MARK: Enrolment

    @Sendable func enrolPage(_ request: Request, context: TrocRequestContext) async throws -> Response {
        enrolForm(request, context, step: .code(error: nil))
    }

    @Sendable func enrolCode(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let fields = try await console.form(request)
        try Self.checkAnonymousForm(request, fields)
        let code = fields.text("code") ?? ""
        let user: UserRecord
        switch await Self.enrolmentUser(broker, code: code) {
        case .success(let found): user = found
        case .failure(.console(let refusal)):
            return enrolForm(
                request, context, step: .code(error: ConsoleText(console.language(request)).refusal(refusal)), status: .unprocessableContent)
        case .failure(let error): throw error
        }
        let secret = user.role == .partner ? nil : ConsoleCredentials.newTOTPSecret()
        return enrolForm(request, context, step: .credentials(code: code, user: user, login: user.email ?? "", totpSecret: secret, error: nil))
    }

    /// The user of a valid enrolment code, or why the code is refused.
    private static func enrolmentUser(_ broker: Broker, code: String) async -> Result<UserRecord, StoreError> {
        await Result { () async throws(StoreError) in try await broker.store.enrolmentUser(code: code, now: broker.clock()).user }
    }

    @Sendable func enrolComplete(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let fields = try await console.form(request)
        try Self.checkAnonymousForm(request, fields)
        let text = ConsoleText(console.language(request))
        let code = fields.text("code") ?? ""
        let now = broker.clock()
        let user: UserRecord
        switch await Self.enrolmentUser(broker, code: code) {
        case .success(let found): user = found
        case .failure(.console(let refusal)):
            return enrolForm(request, context, step: .code(error: text.refusal(refusal)), status: .unprocessableContent)
        case .failure(let error): throw error
        }
        let login = fields.text("login") ?? ""
        let staff = user.role != .partner
        let typedSecret = fields["totpSecret"] ?? ""
        let secret = staff ? (ConsoleCredentials.isTOTPSecret(typedSecret) ? typedSecret : ConsoleCredentials.newTOTPSecret()) : nil
        func again(_ error: String) -> Response {
            enrolForm(
                request, context, step: .credentials(code: code, user: user, login: login, totpSecret: secret, error: error),
                status: .unprocessableContent)
        }
        do {
            try ConsoleCredentials.checkLogin(login)
            try ConsoleCredentials.checkPassword(fields["password"] ?? "", confirmation: fields["confirmation"] ?? "", login: login)
        } catch {
            return again(text["refusal_" + String(describing: error)])
        }
        var totp: (sealedSecret: Data, confirmedStep: Int64)?
        if let secret {
            guard let step = ConsoleCredentials.matchingStep(code: fields["totpCode"] ?? "", secret: secret, now: now) else {
                return again(text["enrol_totp_refused"])
            }
            totp = (try ConsoleCredentials.seal(secret, userID: user.id, key: broker.keys.rootHashingSecret.consoleSecretKey()), step)
        }
        let hash = await ConsoleCredentials.hash(fields["password"] ?? "")
        let enrolment = ConsoleEnrolment(login: login, passwordHash: hash, totp: totp, clientAddress: context.clientAddress)
        switch await Result(catching: { () async throws(StoreError) in try await broker.store.completeEnrolment(code: code, enrolment, now: now) }) {
        case .success: break
        case .failure(.console(let refusal)):
            if case .loginTaken = refusal { return again(text.refusal(refusal)) }
            return enrolForm(request, context, step: .code(error: text.refusal(refusal)), status: .unprocessableContent)
        case .failure(let error): throw error
        }
        context.logger.info("console enrolment", metadata: ["enrolled": .string(user.id)])
        return ConsoleRenderer.redirect("/console/login?enrolled=1")
    }

    /// Where an enrolment stands.
    private enum EnrolStep {
        /// Asking for the code.
        case code(error: String?)
        /// Asking for the login name, the password and, for staff, the authenticator's code.
        case credentials(code: String, user: UserRecord, login: String, totpSecret: String?, error: String?)
    }

    private func enrolForm(_ request: Request, _ context: TrocRequestContext, step: EnrolStep, status: HTTPResponse.Status = .ok) -> Response {
        let (token, cookie) = Self.anonymousFormToken(request)
        let text = ConsoleText(console.language(request))
        var values: [String: Any?] = ["formToken": token]
        switch step {
        case .code(let error):
            values["askCode"] = true
            values["error"] = error
        case .credentials(let code, let user, let login, let secret, let error):
            values["code"] = code
            values["name"] = user.name
            values["role"] = text["role_" + user.role.rawValue]
            values["login"] = login
            values["error"] = error
            if let secret {
                let uri = ConsoleCredentials.provisioningURI(secret: secret, login: login.isEmpty ? user.name : login, issuer: "Troc")
                values["totp"] =
                    [
                        "secret": secret, "key": ConsoleCredentials.base32Key(secret: secret),
                        "qr": (try? QRCode(text: uri).svg(title: text["enrol_qr_title"])) ?? "",
                    ] as [String: Any?]
            }
        }
        var response = console.page("enrol", request, context, titleKey: "enrol_title", section: nil, values: values, status: status)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    private func loginForm(
        _ request: Request, _ context: TrocRequestContext, login: String, error: String?, notice: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let (token, cookie) = Self.anonymousFormToken(request)
        var response = console.page(
            "login", request, context, titleKey: "login_title", section: nil,
            values: ["formToken": token, "login": login, "error": error, "notice": notice], status: status)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// The token of the sign-in and enrolment forms, kept in a cookie until a session exists, and the cookie to set if new.
    static func anonymousFormToken(_ request: Request) -> (token: String, cookie: Cookie?) {
        if let existing = request.cookies[ConsoleCookies.form]?.value, existing.utf8.count == 43 { return (existing, nil) }
        let token = TokenSecretText.random()
        return (token, ConsoleCookies.make(ConsoleCookies.form, value: token))
    }

    /// Refuses a sign-in or enrolment form that does not echo its cookie's token, or comes from another site.
    static func checkAnonymousForm(_ request: Request, _ fields: FormFields) throws {
        try ConsoleSessionMiddleware.checkOrigin(request)
        guard let cookie = request.cookies[ConsoleCookies.form]?.value, let field = fields["_csrf"], ConsoleSessionMiddleware.same(cookie, field)
        else { throw ConsoleError.formTokenRefused }
    }
}
