import ArgumentParser
import Foundation
import Hummingbird
import TremplinCore
import TremplinServices
import TremplinStore

/// `tremplin serve`: the long-running side of outreach. Receives inbound SMS
/// and delivery reports from Kannel's smsbox over HTTP, advances the
/// conversations, and sends due messages. On SIGTERM it stops taking
/// requests, finishes those in flight and the current sending round, then
/// exits: an inbound message is stored before it is acknowledged, so none is lost.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Reçoit les SMS et accusés de remise (Kannel) et envoie les SMS programmés, jusqu'à SIGTERM.",
        discussion: "Adresses : GET/POST /sms/entrant?de=NUMERO&texte=TEXTE&ref=ID (get-url de smsbox), GET /sms/accuse?ref=REF&etat=CODE (dlr-url), GET /sante. Agit au nom de l'utilisateur --user (le compte de service de l'agence).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var options: OutreachOptions
    @Option(name: .customLong("port"), help: "Port d'écoute (sinon celui de data/outreach.toml).") var port: Int?
    @Option(name: .customLong("intervalle-ms"), help: "Période d'envoi des SMS programmés, en millisecondes.") var intervalMilliseconds = 200

    func run() throws {
        try guarded {
            let service = try outreachService(global, policyOptions, options)
            let settings = service.settings
            let channel = options.channel(settings)
            let listen = port ?? settings.server.port
            let interval = max(20, intervalMilliseconds)
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var failure: Error?
            Task {
                do { try await ServeCommand.serve(service: service, channel: channel, host: settings.server.host, port: listen, intervalMs: interval) }
                catch { failure = error }
                done.signal()
            }
            done.wait()
            if let failure { throw ServiceError.invalidInput("serveur arrêté : \(failure)") }
        }
    }

    static func serve(service: OutreachService, channel: any SMSChannel, host: String, port: Int, intervalMs: Int) async throws {
        let router = Router()
        router.get("sante") { _, _ in "ok\n" }
        let inbound: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var body = try await request.body.collect(upTo: 64 * 1024)
            let form = String(buffer: body.readSlice(length: body.readableBytes) ?? ByteBuffer())
            let params = QueryText.parse(request.uri.query ?? "").merging(QueryText.parse(form)) { a, _ in a }
            guard let from = params["de"] ?? params["from"], !from.isEmpty else {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "paramètre « de » manquant\n")))
            }
            let outcome = try service.receive(from: from, text: params["texte"] ?? params["text"] ?? "", gatewayRef: params["ref"].flatMap { $0.isEmpty ? nil : $0 })
            // The message is stored: only now is the gateway told so.
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: outcome.label + "\n")))
        }
        router.get("sms/entrant", use: inbound)
        router.post("sms/entrant", use: inbound)
        router.get("sms/accuse") { request, _ -> Response in
            let params = QueryText.parse(request.uri.query ?? "")
            guard let ref = params["ref"], let code = params["etat"].flatMap({ Int($0) }) else {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "paramètres « ref » et « etat » attendus\n")))
            }
            let known = try service.deliveryReport(ref: ref, code: code)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: known ? "ok\n" : "référence inconnue\n")))
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "tremplin"))
        let sender = Task.detached {
            var lastSweep = Date.distantPast
            while !Task.isCancelled {
                do {
                    let report = try service.dispatch(through: channel)
                    for error in Set(report.errors) { FileHandle.standardError.write(Data("tremplin serve : \(error)\n".utf8)) }
                    if Date().timeIntervalSince(lastSweep) > 60 { try service.sweepSilent(); lastSweep = Date() }
                } catch {
                    FileHandle.standardError.write(Data("tremplin serve : envoi : \(error)\n".utf8))
                }
                try? await Task.sleep(nanoseconds: UInt64(intervalMs) * 1_000_000)
            }
        }
        FileHandle.standardError.write(Data("tremplin serve : à l'écoute sur http://\(host):\(port) (canal \(service.settings.channel.rawValue))\n".utf8))
        // Returns after SIGTERM or SIGINT, once requests in flight are answered.
        try await app.runService()
        sender.cancel()
        _ = await sender.result
        FileHandle.standardError.write(Data("tremplin serve : arrêté proprement\n".utf8))
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
