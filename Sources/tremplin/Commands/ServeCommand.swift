import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOPosix
import Synchronization
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTUI

/// `tremplin serve`: the long-running side of outreach. Receives inbound SMS
/// and delivery reports from Kannel's smsbox over HTTP, advances the
/// conversations, and sends due messages. On SIGTERM it stops taking
/// requests, finishes those in flight and the current sending round, then
/// exits: an inbound message is stored before it is acknowledged, so none is lost.
///
/// The handlers and the sender await; the base is written with blocking
/// SQLite calls (up to the busy timeout), so those run on a small pool of
/// threads of their own, never on the event loops that answer requests.
/// The network (Kannel, the language model) is awaited outside any transaction.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Reçoit les SMS et accusés de remise (Kannel) et envoie les SMS programmés, jusqu'à SIGTERM.",
        discussion: "Adresses : GET/POST /sms/entrant?de=NUMERO&texte=TEXTE&ref=ID (get-url de smsbox), GET /sms/accuse?ref=REF&etat=CODE (dlr-url), GET /sante. Agit au nom de l'utilisateur --user (le compte de service de l'agence). Journal sur la sortie d'erreur, une ligne key=value (logfmt) par requête : méthode, chemin, statut, durée, issue ; ni numéro de téléphone ni texte de SMS.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var options: OutreachOptions
    @Option(name: .customLong("port"), help: "Port d'écoute (sinon celui de data/outreach.toml).") var port: Int?
    @Option(name: .customLong("intervalle-ms"), help: "Période d'envoi des SMS programmés, en millisecondes.") var intervalMilliseconds = 200
    @Option(name: .customLong("log-level"), help: ArgumentHelp("Niveau du journal : trace, debug, info, notice, warning, error ou critical.", valueName: "niveau"))
    var logLevel = "info"
    @Option(name: .customLong("conservation"), help: ArgumentHelp("Durées de conservation appliquées chaque jour (sinon $TREMPLIN_RETENTION, puis data/retention.toml).", valueName: "fichier"))
    var retentionFile: String?

    /// Threads for the base: SQLite serialises writers anyway; a few let a read go beside a write.
    static let databaseThreads = 4

    func run() async throws {
        try await guarded {
            guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
                throw ValidationError("--log-level « \(Sanitizer.clean(String(logLevel.prefix(40)))) » : trace, debug, info, notice, warning, error ou critical attendu")
            }
            let logger = Logger.serve(level: level)
            Console.warningSink = { logger.warning("\($0)") }
            let service = try outreachService(global, policyOptions, options)
            let settings = service.settings
            let retention = try RetentionFiles.load(path: retentionFile)
            let pool = NIOThreadPool(numberOfThreads: Self.databaseThreads)
            pool.start()
            do {
                try await ServeCommand.serve(service: service, channel: options.channel(settings), host: settings.server.host, port: port ?? settings.server.port,
                                             interval: .milliseconds(max(20, intervalMilliseconds)), database: pool, logger: logger,
                                             retention: retention)
                try? await pool.shutdownGracefully()
            } catch {
                try? await pool.shutdownGracefully()
                throw ServiceError.invalidInput("serveur arrêté : \(error)")
            }
        }
    }

    static func serve(service: OutreachService, channel: any SMSChannel, host: String, port: Int, interval: Duration,
                      database pool: NIOThreadPool, logger: Logger, retention: RetentionPolicy) async throws {
        let router = Router()
        router.get("sante") { request, _ in
            await answer(request, logger: logger, level: .debug) { Answer(.ok, "ok", outcome: "ok") }
        }
        let inbound: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var body = try await request.body.collect(upTo: 64 * 1024)
            let form = String(buffer: body.readSlice(length: body.readableBytes) ?? ByteBuffer())
            return await answer(request, logger: logger) {
                let params = QueryText.parse(request.uri.query ?? "").merging(QueryText.parse(form)) { a, _ in a }
                let ref = params["ref"].flatMap { $0.isEmpty ? nil : $0 }
                var fields: Logger.Metadata = [:]
                if let ref { fields["ref"] = .string(LogfmtHandler.reference(ref)) }
                guard let from = params["de"] ?? params["from"], !from.isEmpty else {
                    return Answer(.badRequest, "paramètre « de » manquant", outcome: "refusé", fields)
                }
                let text = params["texte"] ?? params["text"] ?? ""
                fields["length"] = "\(text.count)"
                // The model (when on) is asked before the write and outside the database threads.
                var question: OutreachService.ModelQuestion?
                if service.settings.languageModel.enabled { question = try await pool.runIfActive { service.modelQuestion(from: from, text: text) } }
                let assisted = await question?.ask() ?? []
                let outcome = try await pool.runIfActive { try service.receive(from: from, text: text, gatewayRef: ref, assisted: assisted) }
                // The message is stored: only now is the gateway told so.
                return Answer(.ok, outcome.label, outcome: outcome.logged, fields.merging(outcome.fields) { a, _ in a })
            }
        }
        router.get("sms/entrant", use: inbound)
        router.post("sms/entrant", use: inbound)
        router.get("sms/accuse") { request, _ -> Response in
            await answer(request, logger: logger) {
                let params = QueryText.parse(request.uri.query ?? "")
                guard let ref = params["ref"], let code = params["etat"].flatMap({ Int($0) }) else {
                    return Answer(.badRequest, "paramètres « ref » et « etat » attendus", outcome: "refusé")
                }
                let known = try await pool.runIfActive { try service.deliveryReport(ref: ref, code: code) }
                return Answer(.ok, known ? "ok" : "référence inconnue", outcome: known ? "accusé" : "référence inconnue",
                              ["ref": .string(LogfmtHandler.reference(ref)), "code": "\(code)"])
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "tremplin"), logger: logger)
        logger.notice("à l'écoute", metadata: ["address": "http://\(host):\(port)", "channel": "\(service.settings.channel.rawValue)"])
        let stopping = StopSignal()
        // The server and the sender as one structured pair: when the server
        // returns (SIGTERM, or a failure to listen), the sender ends its round and stops.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { stopping.raise() }
                // Returns after SIGTERM or SIGINT, once requests in flight are answered.
                try await app.runService()
            }
            group.addTask {
                await send(service: service, channel: channel, every: interval, database: pool, logger: logger, until: stopping)
            }
            group.addTask {
                await purgeDaily(retention, workspace: service.workspace, database: pool, logger: logger, until: stopping)
            }
            try await group.waitForAll()
        }
        logger.notice("arrêté proprement")
    }

    /// The sending round, every `interval` until `stopped`: claims the due
    /// messages (a short write), hands them to the channel (awaited, no
    /// transaction open), writes down the outcome; silent conversations are
    /// swept once a minute. A round in progress is finished, never cut.
    static func send(service: OutreachService, channel: any SMSChannel, every interval: Duration, database pool: NIOThreadPool, logger: Logger,
                     until stopping: StopSignal) async {
        var lastSweep = ContinuousClock.now - .seconds(3600)
        while !stopping.isRaised {
            do {
                if let batch = try await pool.runIfActive({ try service.claimDue() }) {
                    let results = await service.send(batch, through: channel)
                    let report = try await pool.runIfActive { try service.settle(results) }
                    for error in Set(report.errors) { logger.warning("envoi", metadata: ["error": "\(error)"]) }
                    if report.sent + report.failed > 0 {
                        logger.info("envoi", metadata: ["sent": "\(report.sent)", "failed": "\(report.failed)", "retry_later": "\(report.retryLater)"])
                    }
                }
                if ContinuousClock.now - lastSweep > .seconds(60) {
                    let silent = try await pool.runIfActive { try service.sweepSilent() }
                    if silent > 0 { logger.info("sans réponse", metadata: ["conversations": "\(silent)"]) }
                    lastSweep = .now
                }
            } catch {
                logger.error("envoi", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// The retention policy, applied at start and then every 24 hours, in the
    /// system's name (each purge is audited). Checks for the stop every second.
    static func purgeDaily(_ policy: RetentionPolicy, workspace: Workspace, database pool: NIOThreadPool, logger: Logger,
                           until stopping: StopSignal) async {
        while !stopping.isRaised {
            do {
                let result = try await pool.runIfActive { try GDPRService.scheduledPurge(policy, workspace: workspace) }
                logger.info("conservation", metadata: ["erased": "\(result.erased)", "sms_blanked": "\(result.messagesBlanked)"])
            } catch {
                logger.error("conservation", metadata: ["error": "\(error)"])
            }
            let next = ContinuousClock.now + .seconds(24 * 3600)
            while !stopping.isRaised, ContinuousClock.now < next { try? await Task.sleep(for: .seconds(1)) }
        }
    }

    /// Tells the sender to stop after its round (a cancellation would cut the round short).
    final class StopSignal: Sendable {
        private let raised = Mutex(false)
        func raise() { raised.withLock { $0 = true } }
        var isRaised: Bool { raised.withLock { $0 } }
    }

    /// What a handler answers, and what its log line says of it.
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var text: String
        var outcome: String
        var fields: Logger.Metadata

        init(_ status: HTTPResponse.Status, _ text: String, outcome: String, _ fields: Logger.Metadata = [:]) {
            self.status = status
            self.text = text
            self.outcome = outcome
            self.fields = fields
        }
    }

    /// Runs a handler and logs one line for the request: method, path (never
    /// the query: it holds the phone number and the text), status, duration,
    /// outcome. A failure (base busy past its timeout) is a 500, so the gateway
    /// keeps the message and sends it again; its reason goes to the log only.
    static func answer(_ request: Request, logger: Logger, level: Logger.Level? = nil, _ body: () async throws -> Answer) async -> Response {
        let started = ContinuousClock.now
        var answer: Answer
        do {
            answer = try await body()
        } catch {
            answer = Answer(.internalServerError, "erreur interne", outcome: "erreur", ["error": "\(error)"])
        }
        let elapsed = (ContinuousClock.now - started).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(answer.status.code)",
            "duration_ms": "\(String(format: "%.1f", milliseconds))", "outcome": "\(answer.outcome)",
        ]
        metadata.merge(answer.fields) { a, _ in a }
        let code = answer.status.code
        logger.log(level: level ?? (code >= 500 ? .error : code >= 400 ? .notice : .info), "requête", metadata: metadata)
        return Response(status: answer.status, body: .init(byteBuffer: ByteBuffer(string: answer.text + "\n")))
    }
}

extension OutreachService.InboundOutcome {
    /// The outcome in a log line: a short word, no personal data.
    var logged: String {
        switch self {
        case .processed: return "reçu"
        case .duplicate: return "doublon"
        case .unknownNumber: return "numéro inconnu"
        case .sharedNumber: return "numéro partagé"
        case .afterEnd: return "après la fin"
        case .stopped: return "STOP"
        }
    }

    var fields: Logger.Metadata {
        switch self {
        case .processed(let c, let replies, let status): return ["conversation": "\(c)", "replies": "\(replies)", "conversation_status": "\(status.label)"]
        case .afterEnd(let c), .stopped(let c): return ["conversation": "\(c)"]
        case .sharedNumber(let n): return ["candidates": "\(n)"]
        case .duplicate, .unknownNumber: return [:]
        }
    }
}

/// Query strings as gateways send them: `+` is a space, percent escapes are
/// bytes, and bytes that are not UTF-8 (a gateway in Latin-1) are read as
/// Latin-1 rather than lost.
enum QueryText {
    static func parse(_ query: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first.map({ decode(Substring($0)) }), !key.isEmpty else { continue }
            out[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var i = text.utf8.startIndex
        let utf8 = text.utf8
        while i < utf8.endIndex {
            let b = utf8[i]
            if b == UInt8(ascii: "+") { bytes.append(32) }
            else if b == UInt8(ascii: "%"), let j = utf8.index(i, offsetBy: 2, limitedBy: utf8.endIndex), j < utf8.endIndex,
                    let v = UInt8(String(decoding: utf8[utf8.index(after: i)...j], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i = j
            } else { bytes.append(b) }
            i = utf8.index(after: i)
        }
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}
