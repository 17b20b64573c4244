import GRDB
import TremplinCore
import TremplinStore

/// What « Ma journée » reads, on either backend. The people (conversations,
/// records, reviewed facts) are the user's agency's; the figures of the
/// campaigns and of the convocations count every agency.
protocol DayReading {
    func sessions() throws -> [String: DayRepository.SessionLine]
    func seatsTaken() throws -> [String: Int]
    func conversations(agency: String?) throws -> [DayRepository.Conversation]
    func withFacts(agency: String?) throws -> [OutreachRepository.ConversationRow]
    func candidates(_ ids: [String]) throws -> [String: Candidate]
    func reviewed(conversations: [Int64]) throws -> Set<OutreachRepository.FactKey>
    func campaignConversations() throws -> [DayRepository.CampaignConversation]
    func openCampaigns() throws -> [String: Timestamp]
    func convocations() throws -> [String: DayRepository.Convocations]
    /// The commune (INSEE) of an agency.
    func agencyCommune(_ agency: String) throws -> String?
}

/// The SQLite base's side: its repositories, inside the caller's read.
struct SQLiteDayReader: DayReading {
    let db: Database

    var day: DayRepository { DayRepository(db) }

    func sessions() throws -> [String: DayRepository.SessionLine] { try day.sessions() }
    func seatsTaken() throws -> [String: Int] { try SessionRepository(db).seatsTaken() }
    func conversations(agency: String?) throws -> [DayRepository.Conversation] { try day.conversations(agency: agency) }
    func withFacts(agency: String?) throws -> [OutreachRepository.ConversationRow] { try day.withFacts(agency: agency) }
    func candidates(_ ids: [String]) throws -> [String: Candidate] { try day.candidates(ids) }
    func reviewed(conversations: [Int64]) throws -> Set<OutreachRepository.FactKey> { try OutreachRepository(db).reviewed(conversations: conversations) }
    func campaignConversations() throws -> [DayRepository.CampaignConversation] { try day.campaignConversations() }
    func openCampaigns() throws -> [String: Timestamp] { try day.openCampaigns() }
    func convocations() throws -> [String: DayRepository.Convocations] { try day.convocations() }
    func agencyCommune(_ agency: String) throws -> String? { try UserRepository(db).agencies().first { $0.id == agency }?.communeInsee }
}
