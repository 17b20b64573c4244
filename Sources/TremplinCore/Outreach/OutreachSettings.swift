/// How the assistant may contact people, as data (`data/outreach.toml`):
/// allowed days and hours (French local time), a daily limit per person,
/// when silence counts as « no answer », the channel and its gateway, and
/// the optional language model (off by default).
public struct OutreachSettings: Sendable, Hashable {
    public var days: Set<Weekday>
    public var from: TimeOfDay
    public var until: TimeOfDay
    public var perPersonPerDay: Int
    public var noAnswerHours: Int
    public var channel: Channel
    public var kannel: Kannel
    public var server: Server
    public var contact: String
    /// One short message after STOP, when the policy wants it (else nothing at all is sent).
    public var stopConfirmation: String?
    public var languageModel: LanguageModel

    public enum Channel: String, Sendable, Hashable { case simulator = "simulateur", kannel }

    public struct Kannel: Sendable, Hashable {
        public var sendURL: String
        public var username: String
        public var password: String
        public var sender: String
        /// Where the gateway reports delivery (`tremplin serve`'s address).
        public var reportURL: String
    }

    public struct Server: Sendable, Hashable {
        public var host: String
        public var port: Int
    }

    public struct LanguageModel: Sendable, Hashable {
        public var enabled: Bool
        public var url: String
        public var model: String
        public var timeoutSeconds: Int
    }

    /// When a message written at `local` (French time, as minutes since the
    /// epoch's midnight) may leave: now if allowed, else the next opening.
    /// Works on local time; the caller converts to and from UTC.
    public func nextAllowed(localDate: LocalDate, minuteOfDay: Int) -> (LocalDate, Int) {
        var date = localDate
        var minute = minuteOfDay
        for _ in 0..<8 {
            if days.contains(date.weekday) {
                if minute < from.minutes { return (date, from.minutes) }
                if minute < until.minutes { return (date, minute) }
            }
            date = date.adding(days: 1)
            minute = 0
        }
        return (localDate, minuteOfDay)    // no allowed day at all: refused when loading
    }

    public static func load(_ text: String, file: String) throws(ConfigurationError) -> OutreachSettings {
        let document: TOMLTable
        do { document = try TOMLReader.parse(text) } catch {
            throw ConfigurationError(file: file, line: error.line, key: nil, message: error.message)
        }
        var root = TOMLFields(file: file, table: document)
        _ = try root.string("nom")
        var hours = try root.subtable("horaires")
        var days: Set<Weekday> = []
        for raw in try hours.strings("jours") {
            guard let day = Weekday(parsing: raw) else { throw hours.error("jours", "jour « \(raw) » inconnu (lundi … dimanche)") }
            days.insert(day)
        }
        if days.isEmpty { throw hours.error("jours", "au moins un jour d'envoi est nécessaire") }
        let fromText = try hours.string("debut"), untilText = try hours.string("fin")
        guard let from = TimeOfDay(parsing: fromText) else { throw hours.error("debut", "heure « \(fromText) » illisible (ex. 08:00)") }
        guard let until = TimeOfDay(parsing: untilText), until > from else { throw hours.error("fin", "heure « \(untilText) » illisible ou avant le début") }
        try hours.finish()
        var limits = try root.subtable("limites")
        let perDay = try limits.int("messages_par_jour", in: 1...50)
        let noAnswer = try limits.int("sans_reponse_heures", in: 1...720)
        try limits.finish()
        var channelTable = try root.subtable("canal")
        let typeText = try channelTable.string("type")
        guard let channel = Channel(rawValue: typeText) else { throw channelTable.error("type", "canal « \(typeText) » inconnu (simulateur ou kannel)") }
        try channelTable.finish()
        var k = try root.subtable("kannel")
        let kannel = Kannel(sendURL: try k.string("sendsms"), username: try k.string("utilisateur"), password: try k.string("mot_de_passe"),
                            sender: try k.string("expediteur"), reportURL: try k.string("accuses_url"))
        try k.finish()
        var s = try root.subtable("serveur")
        let server = Server(host: try s.string("adresse"), port: try s.int("port", in: 1...65535))
        try s.finish()
        var c = try root.subtable("contact")
        let contact = try c.string("texte")
        let stopConfirmation = try c.optionalString("confirmation_stop").flatMap { $0.trimmingSpaces.isEmpty ? nil : $0 }
        if let text = stopConfirmation, text.count > 160 { throw c.error("confirmation_stop", "un seul SMS : 160 caractères au plus (\(text.count))") }
        try c.finish()
        var m = try root.subtable("modele")
        let model = LanguageModel(enabled: try m.bool("actif"), url: try m.string("url"), model: try m.string("modele"),
                                  timeoutSeconds: try m.int("delai_secondes", in: 1...60))
        try m.finish()
        try root.finish()
        return OutreachSettings(days: days, from: from, until: until, perPersonPerDay: perDay, noAnswerHours: noAnswer, channel: channel,
                                kannel: kannel, server: server, contact: contact, stopConfirmation: stopConfirmation, languageModel: model)
    }
}
