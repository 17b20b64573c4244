import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// A base with one of each thing « Ma journée » lists, for Camille Martin
/// (agency ft-strasbourg), written straight into the tables:
/// - a session of Strasbourg whose registration closes in 5 days, 10 seats, none taken, with an open campaign;
/// - `handedOver`: a conversation handed over to a person (« à appeler »);
/// - `silent`: a conversation without answer;
/// - `qualified`: qualified by the assistant, application still « souhait »;
/// - `convoked`: qualified and already convoked (nothing left to do);
/// - `contradicting`: said « pas de véhicule » while the record says they have one;
/// - `otherAgency`: handed over, but followed by another agency (Camille must not see them).
public struct DayFixture {
    public let workspace: Workspace
    public let session: String
    public let sessionTitle: String
    public let handedOver: String
    public let silent: String
    public let qualified: String
    public let convoked: String
    public let contradicting: String
    public let otherAgency: String

    public static let sessionId = "JOUR-0001"

    public static func build(_ name: String = #function) throws -> DayFixture {
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 4, seed: 5, name)
        let today = workspace.store.today
        let now = workspace.store.now
        return try workspace.store.write { db, audit -> DayFixture in
            let candidates = CandidateRepository(db)
            let own = try candidates.list(CandidateRepository.Filter(agencyId: "ft-strasbourg")).map(\.id)
            let other = try candidates.list(CandidateRepository.Filter(agencyId: "ft-mulhouse")).map(\.id)
            guard own.count >= 5, let stranger = other.first else { throw ServiceError.notFound("demo base too small for the day fixture") }
            // The session: Strasbourg, registration closing in 5 days, 10 free seats.
            var session = try SessionRepository(db).all()[0]
            session.id = sessionId
            session.title = "Agent de propreté (journée)"
            session.communeInsee = "67482"
            session.startDate = today.adding(days: 20)
            session.endDate = today.adding(days: 80)
            session.registrationDeadline = today.adding(days: 5)
            session.seats = 10
            session.minimumToOpen = 1
            session.status = .open
            session.missing = []
            _ = try SessionRepository(db).upsert(session)
            let outreach = OutreachRepository(db)
            let campaign = try outreach.createCampaign(session: sessionId, by: "camille.martin", at: now)
            let applications = ApplicationRepository(db)
            var phones = 0
            func converse(_ candidate: String, _ status: ConversationStatus, facts: [Fact] = [], application: PipelineStatus? = .wishing) throws {
                phones += 1
                var state = ConversationState(step: .done, status: status)
                state.facts = facts
                _ = try outreach.insertConversation(campaign: campaign, session: sessionId, candidate: candidate,
                                                    phone: "+33612340\(100 + phones)", state: state, at: now)
                if let application {
                    try applications.insert(Application(candidateId: candidate, sessionId: sessionId,
                                                        history: [StatusTransition(status: .wishing, at: now, actor: "test")]))
                    if application != .wishing {
                        _ = try applications.move(candidateId: candidate, sessionId: sessionId, to: application, at: now, actor: "test")
                    }
                }
            }
            try converse(own[0], .handedOver)
            try converse(own[1], .noAnswer, application: nil)
            try converse(own[2], .qualified)
            try converse(own[3], .qualified, application: .approved)
            // The record says they have a vehicle; by SMS they say they have none.
            var record = try XCTUnwrapOrThrow(try candidates.find(own[4]))
            record.mobility.hasVehicle = true
            _ = try CandidateWriter(db).upsert(record)
            try converse(own[4], .answering, facts: [Fact(.vehicle, "non", confidence: 1, messageId: 4_242, quote: "j'ai pas de voiture")])
            try converse(stranger, .handedOver)
            try audit.record(actor: "test", action: AuditAction.candidateUpserted, subject: "candidates", payload: ["ids": JSONValue([own[4]])])
            return DayFixture(workspace: workspace, session: sessionId, sessionTitle: session.title, handedOver: own[0], silent: own[1],
                              qualified: own[2], convoked: own[3], contradicting: own[4], otherAgency: stranger)
        }
    }

    static func XCTUnwrapOrThrow<T>(_ value: T?) throws -> T {
        guard let value else { throw ServiceError.notFound("missing fixture record") }
        return value
    }
}
