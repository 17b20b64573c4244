import TremplinCore
import TremplinStore

extension OutreachService {
    /// A resumption and the waves it let out.
    public struct Resumed: Sendable {
        public let switched: OutreachSwitch.Switched
        /// People texted by the open campaigns' refills (places freed by replies during the suspension).
        public let texted: Int

        public init(switched: OutreachSwitch.Switched, texted: Int) {
            self.switched = switched
            self.texted = texted
        }
    }

    /// Resumes automated outreach (the stop switch), then lets every open
    /// campaign text the people the suspension held back: the replies read
    /// meanwhile may have freed places. Queued messages leave at the next
    /// sending round (`serve`, or `dispatch`), each once.
    public func resume(reason: String? = nil) throws -> Resumed {
        let switched = try OutreachSwitch(workspace: workspace, user: user).resume(reason: reason)
        guard switched.changed else { return Resumed(switched: switched, texted: 0) }
        let sessions = try workspace.store.read { db in try OutreachRepository(db).openCampaignSessions() }
        var texted = 0
        // A wave that cannot go out now (base busy, session closed) goes out at the next refusal or silence sweep.
        for session in sessions { texted += (try? refill(sessionId: session)) ?? 0 }
        return Resumed(switched: switched, texted: texted)
    }
}
