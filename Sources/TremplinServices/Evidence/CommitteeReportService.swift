import Crypto
import Foundation
import TremplinCore
import TremplinStore

/// The committee report (`tremplin report`): gathers the period's aggregate
/// evidence into a `CommitteeReport` and writes it as HTML
/// (`CommitteeReportHTML`). For supervisors, admins and the ethics committee;
/// a counsellor is refused, and the refusal logged. The ethics committee
/// never sees a person, not even a counsellor's name.
public struct CommitteeReportService {
    let source: CommitteeReportSource
    /// Where the project's assistant corpus lives (`data/assistant/corpus.jsonl`).
    let corpusPath: () throws -> String

    var user: User { source.user }

    public init(workspace: Workspace, user: User, bundle: PolicyBundle,
                corpusPath: (() throws -> String)? = nil,
                latestScenario: (() throws -> CommitteeReportScenario.Stored?)? = nil) {
        self.init(source: .sqlite(workspace, user: user, bundle: bundle, latestScenario: latestScenario), corpusPath: corpusPath)
    }

    public init(source: CommitteeReportSource, corpusPath: (() throws -> String)? = nil) {
        self.source = source
        self.corpusPath = corpusPath ?? { try ReferenceFiles.locate().directory + "/assistant/corpus.jsonl" }
    }

    /// Who may read the report: supervisors, admins and the ethics committee.
    func requireReader() throws {
        guard user.role == .supervisor || user.role == .admin || user.role == .ethics else {
            try source.refuse("report", "rapport aux comités",
                              "le rapport aux comités est réservé aux superviseurs, administrateurs et au comité d'éthique (\(user.id) est \(user.role.label))")
        }
    }

    /// The report for French calendar days `from` through `to`.
    public func report(from: LocalDate, to: LocalDate) throws -> CommitteeReport {
        try requireReader()
        guard from <= to else {
            throw ServiceError.invalidInput("la période commence (\(from.french)) après sa fin (\(to.french))")
        }
        // The report's own figures are read with the evidence commands' rules (and logged as they are).
        let evidence = CommitteeReportEvidence(source: source, period: EvidencePeriod(from: from, to: to))
        let figures = evidence.indicatorsReport()
        var scope: [String] = []
        if case .success(let r) = figures {
            scope.append("Périmètre : \(r.scope) ; chiffres agrégés, sans aucune donnée individuelle.")
            scope.append("\(FrenchNumber.integer(r.total.sessions)) session(s) de formation de la période, \(FrenchNumber.integer(r.total.seats ?? 0)) place(s).")
        }
        let now = source.now()
        scope.append("Base \(source.baseName), lue le \(FrenchTime.dateTime(now)) (heure de Paris).")
        return CommitteeReport(
            from: from, to: to, generatedAt: now, author: "\(user.id) (\(user.role.label))", scope: scope,
            indicators: evidence.indicators(figures), funnel: evidence.funnel(figures), fairness: evidence.fairness(),
            overrides: evidence.overrides(figures), audit: auditState(), contacts: evidence.contacts(figures), assistant: assistant(on: Store.localDate(of: now)),
            scenario: scenario())
    }

    /// The report as a complete HTML document.
    public func html(from: LocalDate, to: LocalDate) throws -> String {
        CommitteeReportHTML.render(try report(from: from, to: to))
    }

    /// Records, before the file is written, that this report leaves the base:
    /// period, file and the SHA-256 of its content.
    public func recordGenerated(from: LocalDate, to: LocalDate, file: String, html: String) throws {
        try requireReader()
        let digest = SHA256.hash(data: Data(html.utf8)).map { String(format: "%02x", $0) }.joined()
        try source.logRead(AuditAction.reportGenerated, "report",
                           ["du": JSONValue(from.iso), "au": JSONValue(to.iso), "fichier": JSONValue(file),
                            "sha256": JSONValue(digest), "octets": JSONValue(html.utf8.count)])
    }

    // MARK: Sections read here

    /// `tremplin audit verify`, as a section: the chain and its signed checkpoints.
    func auditState() -> CommitteeReport.Section<CommitteeReport.AuditState> {
        do {
            let (chain, checkpoints) = try source.audit()
            let latest = checkpoints.latest.map { CommitteeReport.AuditState.Checkpoint(day: $0.day, events: $0.eventCount) }
            switch chain {
            case .intact(let count, let head):
                let status: CommitteeReport.AuditState.Status
                if !checkpoints.problems.isEmpty {
                    status = .broken(atEvent: checkpoints.firstBadEvent ?? count + 1, reason: "les points de contrôle signés contredisent la chaîne")
                } else if let reason = checkpoints.unverifiable {
                    status = .unverifiable(reason: reason)
                } else {
                    status = .intact
                }
                return .available(.init(status: status, events: count, headHash: head, checkpoints: checkpoints.total,
                                        verifiedCheckpoints: checkpoints.verified, latestCheckpoint: latest, problems: checkpoints.problems))
            case .broken(let seq, let reason, let verified):
                return .available(.init(status: .broken(atEvent: seq, reason: reason), events: verified, headHash: nil,
                                        checkpoints: checkpoints.total, verifiedCheckpoints: checkpoints.verified, latestCheckpoint: latest,
                                        problems: checkpoints.problems))
            }
        } catch {
            return .unavailable("Vérification du journal impossible : \(SafeText.clean(String(describing: error))).")
        }
    }

    /// `tremplin assistant evaluate` on the project's corpus, as of today
    /// (as the command does without `--date`: the reference session and the
    /// dates people write follow from it).
    func assistant(on day: LocalDate) -> CommitteeReport.Section<CommitteeReport.Assistant> {
        do {
            let path = try corpusPath()
            let cases = try AssistantCorpus.load(path: path)
            let report = AssistantCorpus.evaluate(cases, date: day)
            return .available(.init(corpus: "data/assistant/" + (path as NSString).lastPathComponent, evaluatedOn: day, report: report))
        } catch {
            return .unavailable("Corpus de l'assistant non évalué : \(SafeText.clean(String(describing: error))). Il se trouve normalement dans data/assistant/corpus.jsonl (« tremplin assistant evaluate data/assistant/corpus.jsonl »).")
        }
    }

    func scenario() -> CommitteeReport.Section<CommitteeReport.Scenario> {
        let none = "Aucun scénario n'a encore été rejoué sur cette base. Pour en produire un : « tremplin scenario run data/scenarios/defaut.toml » ; le rapport suivant montrera ses résultats."
        do {
            guard let stored = try source.latestScenario() else { return .unavailable(none) }
            return try .available(CommitteeReportScenario.decode(stored))
        } catch let error as ServiceError {
            return .unavailable("Résultats du dernier scénario illisibles : \(error.description).")
        } catch {
            return .unavailable("Résultats du dernier scénario illisibles (\(SafeText.clean(String(describing: error)))).")
        }
    }
}
