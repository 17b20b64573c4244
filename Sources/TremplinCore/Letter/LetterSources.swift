/// Where the data came from: the record and its imports and changes, the SMS
/// conversations with their dates, the facts the person gave by SMS that a
/// counsellor confirmed.
public struct LetterSources: Hashable, Sendable {
    public struct Change: Hashable, Sendable {
        public var on: LocalDate
        public var what: String
        public init(on: LocalDate, what: String) { self.on = on; self.what = what }
    }
    public struct SMSExchange: Hashable, Sendable {
        public var sessionTitle: String
        public var first: LocalDate
        public var last: LocalDate
        public var messages: Int
        public init(sessionTitle: String, first: LocalDate, last: LocalDate, messages: Int) {
            self.sessionTitle = sessionTitle
            self.first = first
            self.last = last
            self.messages = messages
        }
    }
    public struct ConfirmedFact: Hashable, Sendable {
        public var label: String
        public var value: String
        public var on: LocalDate
        public init(label: String, value: String, on: LocalDate) { self.label = label; self.value = value; self.on = on }
    }

    public var registeredOn: LocalDate
    public var changes: [Change]
    public var exchanges: [SMSExchange]
    public var confirmedFacts: [ConfirmedFact]

    public init(registeredOn: LocalDate, changes: [Change], exchanges: [SMSExchange], confirmedFacts: [ConfirmedFact]) {
        self.registeredOn = registeredOn
        self.changes = changes
        self.exchanges = exchanges
        self.confirmedFacts = confirmedFacts
    }
}
