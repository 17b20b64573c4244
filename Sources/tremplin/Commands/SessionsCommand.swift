import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions", abstract: "Liste les sessions de formation avec leur taux de remplissage.")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Code ROME du métier.", valueName: "code")) var metier: String?
    @Option(help: ArgumentHelp("Département (ex. 67).", valueName: "dep")) var departement: String?
    @Option(help: ArgumentHelp("Statut : brouillon, ouverte, complete, annulee, commencee.", valueName: "statut")) var statut: String?
    @Flag(name: .customLong("sous-remplies"), help: "Seulement les sessions remplies à moins de 70 %.") var underFilled = false
    @Option(help: ArgumentHelp("Début au plus tôt.", valueName: "date")) var du: String?
    @Option(help: ArgumentHelp("Début au plus tard.", valueName: "date")) var au: String?
    @Flag(help: "Sortie JSON.") var json = false

    func run() throws {
        try guarded {
            // The same list on the region's base: sessions and seats are everyone's.
            let path = Workspace.databasePath(option: global.db)
            let communes: CommuneDirectory, rome: RomeCatalogue
            let list: (SessionQueries.Filter) throws -> [SessionQueries.Summary]
            var close: () -> Void = {}
            if RegionService.isPostgres(path) {
                let region = try RegionConnection(path, userId: global.user ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"], purpose: "sessions")
                close = { region.close() }
                let queries = RegionQueries(region: region)
                let reference = try queries.reference()
                (communes, rome) = (reference.communes, reference.rome)
                list = { try queries.sessions($0, communes: reference.communes) }
            } else {
                let workspace = try openWorkspace(global)
                _ = try workspace.actingUser(global.user)
                (communes, rome) = (workspace.communes, workspace.rome)
                list = { try SessionQueries(workspace: workspace).list($0, today: workspace.store.today) }
            }
            defer { close() }
            try checkDepartement(departement, in: communes)
            let from = try parseDate(du, option: "du"), to = try parseDate(au, option: "au")
            if let from, let to, to < from { throw ValidationError("--au (\(to.french)) précède --du (\(from.french))") }
            var filter = SessionQueries.Filter(departement: departement, from: from, to: to)
            if let metier {
                guard case .success(let job) = rome.resolve(metier) else { throw ValidationError("--metier : « \(metier) » n'est pas un code ROME") }
                filter.romeCode = job.code
            }
            if let statut {
                switch SessionStatus.parse(statut) {
                case .success(let s): filter.status = s
                case .failure(let e): throw ValidationError("--statut : \(e.message)")
                }
            }
            if underFilled { filter.underFilledBelow = 0.7 }
            let summaries = try list(filter)
            if json {
                printJSON(.array(summaries.map { s in
                    ["id": JSONValue(s.session.id), "intitule": JSONValue(s.session.title), "codes_rome": JSONValue(s.session.romeCodes),
                     "organisme": JSONValue(s.session.provider.name), "commune": JSONValue(s.session.communeInsee),
                     "ville": JSONValue(s.commune?.name), "departement": JSONValue(s.commune?.departement),
                     "date_debut": JSONValue(s.session.startDate.iso), "date_fin": JSONValue(s.session.endDate.iso),
                     "places": s.session.missing.contains(.seats) ? .null : JSONValue(s.session.seats), "convoques": JSONValue(s.approved),
                     "heures": s.session.missing.contains(.totalHours) ? .null : JSONValue(s.session.totalHours),
                     "a_completer": JSONValue(s.session.missing.map(\.rawValue)),
                     "remplissage_pourcent": JSONValue(Int((s.fillRate * 100).rounded())), "jours_avant_debut": JSONValue(s.daysUntilStart),
                     "statut": JSONValue(s.session.status.rawValue)]
                }))
                return
            }
            if summaries.isEmpty { Console.out("Aucune session ne correspond."); return }
            Console.out(table(["SESSION", "MÉTIER", "INTITULÉ", "VILLE", "DÉBUT", "J-", "CONV./PL.", "REMPL.", "STATUT"], summaries.map { s in
                [s.session.id, s.session.romeCodes.joined(separator: ","), truncated(s.session.title, 40),
                 truncated(s.commune.map { "\($0.name) (\($0.departement))" } ?? s.session.communeInsee, 28),
                 s.session.startDate.french, String(s.daysUntilStart),
                 "\(s.approved)/" + (s.session.missing.contains(.seats) ? "?" : "\(s.session.seats)"),
                 "\(Int((s.fillRate * 100).rounded())) %", s.session.status.label + (s.session.missingText.map { ", \($0)" } ?? "")]
            }))
            let seats = summaries.reduce(0) { $0 + $1.session.seats }, approved = summaries.reduce(0) { $0 + $1.approved }
            Console.out("\n\(summaries.count) session(s), \(approved) convoqué(s) pour \(seats) places : remplissage \(seats == 0 ? 0 : Int((Double(approved) * 100 / Double(seats)).rounded())) %")
        }
    }
}
