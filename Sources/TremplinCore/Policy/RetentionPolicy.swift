/// How long Tremplin keeps people's data, as data (`data/retention.toml`),
/// so the data protection officer sets it and `tremplin gdpr purge` applies it.
///
/// - A candidate is erased (as by `gdpr erase`) once nothing has happened in
///   their file for `candidateMonths` (registration, an import of their
///   record, an application step, an SMS exchange, a decision).
/// - SMS texts and numbers are blanked after `smsMonths`: the conversation's
///   outcome and timings stay for the figures, the words go.
/// - Audit events are kept whole: the chain cannot lose an event without
///   breaking, and holds no personal value in clear (see the store's vault).
///   The file states the minimum the law asks (AI Act art. 12: six months),
///   and no candidate retention may be shorter than it, so the log never
///   outlives what it can tell about.
public struct RetentionPolicy: Hashable, Sendable {
    public var candidateMonths: Int
    public var smsMonths: Int
    public var auditMinimumMonths: Int

    /// The shortest audit retention the law allows (AI Act art. 12).
    public static let legalAuditMinimumMonths = 6

    public init(candidateMonths: Int, smsMonths: Int, auditMinimumMonths: Int) {
        self.candidateMonths = candidateMonths
        self.smsMonths = smsMonths
        self.auditMinimumMonths = auditMinimumMonths
    }

    public static func load(_ text: String, file: String) throws(ConfigurationError) -> RetentionPolicy {
        let document: TOMLTable
        do { document = try TOMLReader.parse(text) } catch {
            throw ConfigurationError(file: file, line: error.line, key: nil, message: error.message)
        }
        var root = TOMLFields(file: file, table: document)
        var candidates = try root.subtable("candidats")
        let candidateMonths = try candidates.int("mois_apres_derniere_activite", in: 1...120)
        try candidates.finish()
        var sms = try root.subtable("sms")
        let smsMonths = try sms.int("mois", in: 1...120)
        try sms.finish()
        var audit = try root.subtable("journal")
        let auditMonths = try audit.int("mois_minimum", in: 1...600)
        if auditMonths < legalAuditMinimumMonths {
            throw audit.error("mois_minimum", "\(auditMonths) mois : le journal se garde au moins \(legalAuditMinimumMonths) mois (AI Act, art. 12)")
        }
        try audit.finish()
        if smsMonths > candidateMonths {
            throw sms.error("mois", "\(smsMonths) mois : les SMS ne peuvent pas être gardés plus longtemps que le dossier (\(candidateMonths) mois)")
        }
        try root.finish()
        return RetentionPolicy(candidateMonths: candidateMonths, smsMonths: smsMonths, auditMinimumMonths: auditMonths)
    }

    /// The first day still kept: anything last active before it goes.
    public func candidateCutoff(today: LocalDate) -> LocalDate { today.adding(months: -candidateMonths) }
    public func smsCutoff(today: LocalDate) -> LocalDate { today.adding(months: -smsMonths) }
}
