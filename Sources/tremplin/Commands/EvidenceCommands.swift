import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// `--du`, `--au` and `--par`, shared by the committees' commands.
struct PeriodOptions: ParsableArguments {
    @Option(name: .customLong("du"), help: ArgumentHelp("Premier jour de la période (JJ/MM/AAAA ou AAAA-MM-JJ ; défaut : il y a 12 mois).", valueName: "date"))
    var from: String?
    @Option(name: .customLong("au"), help: ArgumentHelp("Dernier jour de la période, inclus (défaut : dans 6 mois).", valueName: "date"))
    var to: String?

    func period(today: LocalDate) throws -> EvidencePeriod {
        try EvidenceService.period(from: try parseDate(from, option: "du"), to: try parseDate(to, option: "au"), today: today)
    }
}

extension EvidenceGrouping: ExpressibleByArgument {}

/// Encodes a figures report as JSON with sorted keys (stable output), the
/// controls JSON leaves raw escaped like every other JSON output.
func printEncoded<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let data = try encoder.encode(value)
    Console.out(SafeText.escapingJSON(String(decoding: data, as: UTF8.self)))
}

/// The width text reports are laid out for: the terminal's, else 100.
func reportWidth() -> Int {
    var size = winsize()
    if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 60 { return Int(size.ws_col) }
    return 100
}

struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Indicateurs du pilote : remplissage, délais, mises en relation en 24 h, entonnoir SMS, suites de formation, côté humain.",
        discussion: """
            Sessions qui commencent dans la période. Remplissage = convoqués (places tenues, ou entrés puis sortis) / places ; \
            délais en médiane et quartiles ; l'entonnoir SMS est comparé aux chiffres publiés du pilote (19 min, 90 % en 5 h). \
            Superviseurs, administrateurs et rôle « éthique » : toute la région (le rôle « éthique » sans aucun nom) ; \
            un conseiller : les sessions du département de son agence et les personnes de son agence.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var policy: PolicyOptions
    @Option(name: .customLong("par"), help: ArgumentHelp("Détail par metier, departement, agence ou organisme.", valueName: "axe"))
    var grouping: EvidenceGrouping?
    @Flag(help: "Sortie JSON.") var json = false
    @Flag(help: "Sortie CSV (une ligne par session, ou par groupe avec --par).") var csv = false
    @Option(name: .long, help: ArgumentHelp("Réplique PostgreSQL en lecture seule d'où lire les chiffres (avec --db postgres://…) : le serveur principal n'est pas chargé.", valueName: "url"))
    var replica: String?

    func validate() throws {
        if json && csv { throw ValidationError("--json et --csv s'excluent : choisissez un format") }
    }

    func run() throws {
        try guarded {
            let location = Workspace.databasePath(option: global.db)
            let report: IndicatorsReport
            if RegionService.isPostgres(location) {
                try checkReplica(replica, location: location)
                let user = global.user ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"]
                report = try RegionEvidence(primary: location, replica: replica)
                    .indicators(userId: user, period: { try period.period(today: $0) }, grouping: grouping)
            } else {
                try checkReplica(replica, location: location)
                let workspace = try openWorkspace(global)
                let user = try workspace.actingUser(global.user, aggregatesOnly: true)
                let service = EvidenceService(workspace: workspace, user: user, bundle: try policy.load())
                report = try service.indicators(period: try period.period(today: workspace.store.today), grouping: grouping)
            }
            if json { try printEncoded(report); return }
            if csv { Console.out(Self.csv(report)); return }
            for line in EvidenceText.indicators(report, width: reportWidth()) { Console.out(line) }
        }
    }

    static func csv(_ r: IndicatorsReport) -> String {
        func n(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "" }
        func q(_ v: Statistics.Quartiles?) -> [String] { [n(v?.q1), n(v?.median), n(v?.q3)] }
        if r.grouping != nil {
            let header = ["cle", "libelle", "sessions", "places", "convoques", "taux_remplissage", "entres", "taux_entree",
                          "delai_ouverture_q1_j", "delai_ouverture_mediane_j", "delai_ouverture_q3_j", "delai_contact_q1_h",
                          "delai_contact_mediane_h", "delai_contact_q3_h", "convoques_24h", "convoques_contact_connu", "part_24h"]
            let rows = r.groups.map { g -> [String] in
                let f = g.figures
                return [g.key, g.label, String(f.sessions), f.seats.map(String.init) ?? "", String(f.convoked), n(f.fill?.rate),
                        f.entry.map { String($0.count) } ?? "", n(f.entry?.rate)] + q(f.daysFromOpening) + q(f.hoursFromFirstContact)
                    + [String(f.within24h.count), String(f.within24h.of), n(f.within24h.rate)]
            }
            return ([header] + rows).map { CSVWriter.line($0, numeric: Set(2..<header.count)) }.joined().dropLastNewline
        }
        let header = ["session", "intitule", "departement", "organisme", "debut", "places", "convoques", "taux_remplissage", "entres"]
        let rows = r.sessions.map { s in
            [s.id, s.title, s.departement, s.provider, s.start.iso, String(s.seats), String(s.convoked), n(s.fill), s.entered.map(String.init) ?? ""]
        }
        return ([header] + rows).map { CSVWriter.line($0, numeric: [5, 6, 7, 8]) }.joined().dropLastNewline
    }
}

struct FairnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fairness",
        abstract: "Suivi de l'équité : taux de passage de chaque étape par sexe, âge, RQTH, QPV et nationalité, alertes et dérogations par groupe.",
        discussion: """
            Étapes : souhait → éligible → présélectionné → contacté → qualifié → convoqué → entré → terminé. Pour chaque groupe : effectif, \
            taux, ratio au groupe le mieux servi (alerte sous 0,8 quand le test exact de Fisher donne p < 0,05) ; groupes de moins de \
            10 personnes montrés « < 10 », sans taux. Les attributs protégés ne sont lus qu'ici, jamais par le classement. \
            Réservé aux superviseurs, administrateurs et au rôle « éthique » (qui ne voit que des agrégats).
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var policy: PolicyOptions
    @Option(name: .customLong("par"), help: ArgumentHelp("Détail par metier ou departement.", valueName: "axe"))
    var grouping: EvidenceGrouping?
    @Flag(help: "Sortie JSON : {\"stages\": [{\"stage\", \"attribute\", \"groups\": [{\"group\", \"count\", \"rate\", \"ratio\", \"suppressed\", \"alert\"}]}], …}.")
    var json = false
    @Option(name: .long, help: ArgumentHelp("Réplique PostgreSQL en lecture seule d'où lire les chiffres (avec --db postgres://…) : le serveur principal n'est pas chargé.", valueName: "url"))
    var replica: String?

    func validate() throws {
        if let grouping, grouping == .agency || grouping == .provider {
            throw ValidationError("--par : l'équité se détaille par metier ou departement")
        }
    }

    func run() throws {
        try guarded {
            let location = Workspace.databasePath(option: global.db)
            try checkReplica(replica, location: location)
            let report: FairnessReport
            if RegionService.isPostgres(location) {
                let user = global.user ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"]
                report = try RegionEvidence(primary: location, replica: replica)
                    .fairness(userId: user, period: { try period.period(today: $0) }, grouping: grouping, bundle: try policy.load())
            } else {
                let workspace = try openWorkspace(global)
                let user = try workspace.actingUser(global.user, aggregatesOnly: true)
                let service = EvidenceService(workspace: workspace, user: user, bundle: try policy.load())
                report = try service.fairness(period: try period.period(today: workspace.store.today), grouping: grouping)
            }
            if json { try printEncoded(report); return }
            for line in EvidenceText.fairness(report, width: reportWidth()) { Console.out(line) }
        }
    }
}

struct OutcomesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes",
        abstract: "Suites de formation après convocation : entrée, formation terminée, abandon (avec motif), absence.",
        subcommands: [Record.self, Import.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record", abstract: "Enregistre la suite de formation d'une personne convoquée.",
            discussion: "RÉSULTAT : entree, terminee, abandon ou absent (« entré », « terminé », « sortie anticipée », « ne s'est pas présenté » sont compris).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Identifiant du candidat.", valueName: "candidat")) var candidate: String
        @Argument(help: ArgumentHelp("Identifiant de la session.", valueName: "session")) var session: String
        @Argument(help: ArgumentHelp("entree, terminee, abandon ou absent.", valueName: "résultat")) var outcome: String
        @Option(help: ArgumentHelp("Jour de l'événement (défaut : début de session pour une entrée, fin de session pour une formation terminée, aujourd'hui sinon).", valueName: "date"))
        var date: String?
        @Option(help: ArgumentHelp("Motif (d'un abandon, d'une absence).", valueName: "texte")) var motif: String?

        func run() throws {
            try guarded {
                let parsed: OutcomeService.Outcome
                switch OutcomeService.Outcome.parse(outcome) {
                case .success(let o): parsed = o
                case .failure(let error): throw ValidationError("résultat : \(error.message)")
                }
                let day = try parseDate(date, option: "date")
                let (service, close) = try outcomeService(global, purpose: "outcomes record")
                defer { close() }
                let r = try service.record(candidateId: candidate, sessionId: session, outcome: parsed, on: day, reason: motif)
                Console.out(r.changed ? "Enregistré : \(r.outcome.label) le \(r.on.french) (\(candidate), session \(session))"
                                      : "Déjà enregistré : \(r.outcome.label) (\(candidate), session \(session)) ; rien n'a changé")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Importe le fichier CSV d'un organisme de formation (candidat ; session ; résultat ; date ; motif).",
            discussion: "Chaque ligne est vérifiée avant toute écriture : un fichier qui contient une erreur n'enregistre rien, et chaque erreur est donnée avec sa ligne. Un fichier renvoyé deux fois ne change rien la seconde fois.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Fichier CSV (« - » : entrée standard).", valueName: "fichier")) var file: String

        func run() throws {
            try guarded {
                let (service, close) = try outcomeService(global, purpose: "outcomes import", existing: true)
                defer { close() }
                let result = try service.importFile(path: file)
                if !result.problems.isEmpty {
                    for problem in result.problems.prefix(50) { Console.err(problem.description) }
                    if result.problems.count > 50 { Console.err("… et \(result.problems.count - 50) autre(s) problème(s)") }
                    Console.err("Rien n'a été enregistré : corrigez le fichier et relancez l'import.")
                    throw ExitCode(Exit.dataError)
                }
                Console.out("\(result.recorded.count) ligne(s) lue(s) : \(result.changed) suite(s) enregistrée(s), "
                            + "\(result.recorded.count - result.changed) déjà connue(s)")
            }
        }
    }
}

private extension String {
    var dropLastNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}

/// `--replica` reads a PostgreSQL standby: an address, and only beside a PostgreSQL base.
func checkReplica(_ replica: String?, location: String) throws {
    guard let replica else { return }
    guard RegionService.isPostgres(location) else {
        throw ValidationError("--replica lit une réplique PostgreSQL : la base doit être PostgreSQL aussi (--db postgres://…)")
    }
    if !RegionService.isPostgres(replica) {
        throw ValidationError("--replica : « \(SafeText.clean(replica).prefix(80)) » n'est pas une adresse PostgreSQL")
    }
}

/// The outcomes' service on whichever base `--db` names, and how to close it.
func outcomeService(_ global: GlobalOptions, purpose: String, existing: Bool = false) throws -> (OutcomeService, close: () -> Void) {
    try onEitherBase(global, purpose: purpose, existing: existing, region: { OutcomeService(region: $0) }, local: { OutcomeService(workspace: $0, user: $1) })
}
