import TremplinCore
import TremplinServices
import TremplinStore

/// The audit pane's text and measures, from the state alone: `update`
/// scrolls and jumps with them, the view draws them.
enum AuditText {
    /// What the flags mean, under the table: the thresholds and why.
    static var ratesNote: String {
        typealias R = AuditQueries.OverrideRate
        return "Taux = (convocations hors présélection + dérogations) ÷ décisions. Dès \(R.minimumDecisions) décisions, "
            + "« ⚠ bas » sous \(Format.percent(R.lowRate)) : classement peut-être entériné sans examen (biais d'automatisation) ; "
            + "« ⚠ élevé » au-delà de \(Format.percent(R.highRate)) : politique de classement peut-être inadaptée au terrain."
    }
    /// The event the chain or a signed checkpoint says is broken, if any.
    static func brokenEvent(_ data: AuditData) -> Int64? {
        if case .broken(let seq, _, _) = data.chain { return seq }
        if let report = data.checkpoints, !report.problems.isEmpty { return report.firstBadEvent }
        return nil
    }
    /// « 0000469A » for `candidate:0000469A`, « S26-0010 » for a session;
    /// other subjects in French.
    static func subject(_ raw: String) -> String {
        let words = ["database": "base", "reference": "référentiels", "candidates": "candidats", "sessions": "sessions",
                     "audit": "journal", "sms": "SMS", "users": "utilisateurs", "conversations": "conversations",
                     "retention": "conservation"]
        if let word = words[raw] { return word }
        for (prefix, label) in [("candidate:", ""), ("session:", ""), ("agency:", "agence "), ("file:", "fichier "),
                                ("user:", "utilisateur "), ("conversation:", "conversation "), ("erasure:", "effacée ")] where raw.hasPrefix(prefix) {
            return label + raw.dropFirst(prefix.count)
        }
        return raw
    }
    /// The rates table's rows: the note on the flags always stays in view below it.
    static func rateRows(_ layout: Layout) -> Int {
        max(1, layout.auditRows - Wrap.lines(ratesNote, width: layout.width - 2).count - 1)
    }
    static func detailLines(_ state: AppState, width: Int) -> [String] {
        guard let a = state.audit, let seq = a.detail, let data = a.data, let event = data.events.first(where: { $0.seq == seq }) else { return [] }
        var out: [String] = []
        func add(_ t: String) { out += Wrap.lines(t, width: width, indent: "    ") }
        add("Événement \(event.seq) · \(FrenchTime.dateTime(event.at)) (heure de Paris)")
        if brokenEvent(data) == event.seq { add("✘ La chaîne d'audit est rompue à cet événement : il a pu être modifié, supprimé ou inséré après coup.") }
        add("Qui : \(event.actor)")
        add("Action : \(AuditVocabulary.action(event.action))")
        add("Objet : \(subject(event.subject))")
        out.append("")
        add("Contenu :")
        let fields = AuditVocabulary.payloadFields(event.payload)
        if fields.isEmpty { add("  —") }
        for field in fields { add("  \(field.label) : \(field.value)") }
        out.append("")
        add("Empreinte précédente : \(event.prevHash)")
        add("Empreinte : \(event.hash)")
        return out
    }
}
