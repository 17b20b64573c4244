import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// Issue 14, section 3: access (GDPR art. 15), erasure (art. 17) with an
/// audit chain that still verifies, and retention.
final class PeoplesRightsTests: XCTestCase {
    let data = ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"]

    struct Person {
        let id, first, last, phone, email, commune: String
    }

    func person(_ id: String, _ workspace: Workspace) throws -> Person {
        try workspace.store.read { db in
            let row = try XCTUnwrap(try Row.fetchOne(db, sql: "SELECT first_name, last_name, phone, email, commune_insee FROM candidate WHERE id = ?",
                                                     arguments: [id]))
            return Person(id: id, first: row["first_name"], last: row["last_name"], phone: row["phone"] ?? "", email: row["email"] ?? "",
                          commune: row["commune_insee"])
        }
    }

    /// A person who went through everything: shortlisted in a stored run,
    /// read by a counsellor, overridden with a justification naming them,
    /// texted from their phone. Returns the workspace and the person.
    func livedThrough() throws -> (Workspace, Person, String) {
        let workspace = try TestSupport.demoWorkspace(candidates: 400, sessions: 8, pastSessions: 3)
        let bundle = try PolicyFiles.load(environment: data)
        let admin = try TestSupport.user("admin", in: workspace)
        let sessions = try workspace.store.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM training_session WHERE status = 'ouverte' AND start_date > ? ORDER BY id",
                                arguments: [TestSupport.fixedNow.date.iso])
        }
        var chosen: (session: String, candidate: String)?
        for session in sessions {
            let outcome = try MatchingService(workspace: workspace, user: admin, bundle: bundle).rank(sessionId: session)
            if let first = outcome.ranking.shortlist.first { chosen = (session, first.candidateId); break }
        }
        let (session, id) = try XCTUnwrap(chosen, "a session with a shortlist")
        let p = try person(id, workspace)
        let agency = try workspace.store.read { db in try CandidateRepository(db).agency(of: id)! }
        let counsellor = try workspace.store.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM app_user WHERE role = 'conseiller' AND agency_id = ? ORDER BY id", arguments: [agency])!
        }
        _ = try CandidateQueries(workspace: workspace, user: try TestSupport.user(counsellor, in: workspace)).show(id)
        _ = try DecisionService(workspace: workspace, user: admin).override(
            candidateId: id, sessionId: session, action: .exclude, reason: .newInformation,
            justification: "\(p.first) \(p.last) a retrouvé un emploi à temps plein", algorithmicRank: 1, rankingRunId: nil)
        let settings = try OutreachFiles.load(environment: data)
        _ = try OutreachService(workspace: workspace, user: admin, settings: settings, bundle: bundle)
            .receive(from: p.phone, text: "Bonjour c'est \(p.first) \(p.last), rappelez-moi", gatewayRef: "kannel-7f3a9c")
        return (workspace, p, session)
    }

    func bytes(_ workspace: Workspace) throws -> Data {
        try workspace.store.reclaimFreedSpace()
        var all = Data()
        for suffix in ["", "-wal"] {
            if let d = FileManager.default.contents(atPath: workspace.store.path + suffix) { all.append(d) }
        }
        return all
    }

    func assertAbsent(_ needle: String, in haystack: Data, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(haystack.range(of: Data(needle.utf8)), "« \(needle) » still in the base's bytes", file: file, line: line)
    }

    func testErasureLeavesNoPersonalValueInTheFileAndTheChainStillVerifies() throws {
        let (workspace, p, session) = try livedThrough()
        let before = try bytes(workspace)
        for value in [p.id, "\(p.first) \(p.last)", p.phone] {
            XCTAssertNotNil(before.range(of: Data(value.utf8)), "the test needs « \(value) » in the base before erasure")
        }
        let decisionsBefore = try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM decision")! }
        let figures = { () throws -> String in
            let evidence = EvidenceService(workspace: workspace, user: try TestSupport.user("sophie.lambert", in: workspace),
                                           bundle: try PolicyFiles.load(environment: self.data))
            let report = try evidence.indicators(period: try EvidenceService.period(from: nil, to: nil, today: workspace.store.today),
                                                 grouping: .agency)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: try encoder.encode(report), as: UTF8.self)
        }
        let figuresBefore = try figures()
        let applicationsBefore = try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM application")! }

        let erased = try GDPRService(workspace: workspace, user: try TestSupport.user("admin", in: workspace)).erase(p.id)
        XCTAssertTrue(erased.pseudonym.hasPrefix("EFF-"))
        XCTAssertEqual(erased.legacyEvents, 0)
        XCTAssertGreaterThan(erased.counts["ranking_run"] ?? 0, 0, "the stored run that shortlisted them is redacted")

        let after = try bytes(workspace)
        for value in [p.id, "\(p.first) \(p.last)", p.phone, String(p.phone.dropFirst(3)), "a retrouvé un emploi à temps plein", "rappelez-moi"] {
            assertAbsent(value, in: after)
        }
        if !p.email.isEmpty { assertAbsent(p.email, in: after) }

        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("the chain must still verify after erasure") }
        XCTAssertEqual(try figures(), figuresBefore, "the committees' figures keep the erased person, without them")
        try workspace.store.read { db in
            // Figures keep them, without them.
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM decision")!, decisionsBefore)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM application")!, applicationsBefore)
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT candidate_id FROM decision WHERE session_id = ? AND kind LIKE 'override%'",
                                               arguments: [session]), erased.pseudonym)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate WHERE id = ?", arguments: [p.id]), 0)
            // The erasure's event names the pseudonym, never the person.
            let last = try XCTUnwrap(try AuditLog(db).events(.init(action: AuditAction.gdprErased)).last)
            XCTAssertEqual(last.subject, "erasure:\(erased.pseudonym)")
            // The audit pane shows their texts as erased.
            let override = try XCTUnwrap(try AuditLog(db).events(.init(action: AuditAction.decisionRecorded)).last { $0.payload.contains(erased.pseudonym) })
            XCTAssertTrue(override.payload.contains(PersonalVault.erasedValue), override.payload)
        }
    }

    func testAnyOtherEditIsStillCaughtAfterAnErasure() throws {
        let (workspace, p, _) = try livedThrough()
        _ = try GDPRService(workspace: workspace, user: try TestSupport.user("admin", in: workspace)).erase(p.id)
        let path = workspace.store.path
        // Someone edits another person's justification in the vault: caught.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE audit_personal_value SET value = '\"rien à signaler, écarté\"' WHERE token = (SELECT min(token) FROM audit_personal_value)")
        }
        guard case .broken(_, let reason, _) = try workspace.store.verifyAuditChain() else { return XCTFail("vault edit not detected") }
        XCTAssertTrue(reason.contains("coffre"), reason)
        try queue.write { db in try db.execute(sql: "DELETE FROM audit_personal_value") }   // values gone: no longer checkable…
        // …but an edited event is, as ever.
        try queue.write { db in
            for trigger in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'") {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            try db.execute(sql: "UPDATE audit_event SET actor = 'quelqu.un' WHERE seq = 3")
        }
        guard case .broken(let seq, _, _) = try workspace.store.verifyAuditChain() else { return XCTFail("event edit not detected") }
        XCTAssertEqual(seq, 3)
    }

    func testAccessHandsOverTheirDataAndNoOneElses() throws {
        let (workspace, p, _) = try livedThrough()
        let supervisor = try TestSupport.user("sophie.lambert", in: workspace)
        let dossier = try GDPRService(workspace: workspace, user: supervisor).access(p.id)
        var strings: [String] = []
        func walk(_ v: JSONValue) {
            switch v {
            case .string(let s): strings.append(s)
            case .array(let items): items.forEach(walk)
            case .object(let m): m.forEach { strings.append($0.key); walk($0.value) }
            default: break
            }
        }
        walk(dossier.json)
        let text = strings.joined(separator: "\n")
        for value in [p.id, p.first, p.last, p.phone, p.commune, "a retrouvé un emploi à temps plein", "rappelez-moi"] {
            XCTAssertTrue(text.contains(value), "the export holds « \(value) »")
        }
        XCTAssertTrue(dossier.summary.contains("\(p.first) \(p.last)"))
        XCTAssertTrue(dossier.summary.contains("Qui a consulté le dossier"))
        // Who read the file: the counsellor's reading is there, by name.
        guard case .object(let root) = dossier.json, case .array(let readings)? = root["consultations"] else { return XCTFail("no readings") }
        XCTAssertTrue(readings.contains { if case .object(let m) = $0, m["action"] == .string("fiche consultée") { return true } else { return false } })
        // No one else: no other person's identifier, name or phone anywhere.
        let others = try workspace.store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, phone FROM candidate WHERE id != ?", arguments: [p.id])
        }
        let words = Set(strings)
        for other in others {
            XCTAssertFalse(words.contains(other["id"] as String), "another person's id \(other["id"] as String) leaked")
            if let phone = other["phone"] as String? { XCTAssertFalse(text.contains(phone), "another person's phone leaked") }
        }
        try workspace.store.read { db in
            let event = try XCTUnwrap(try AuditLog(db).events(.init(action: AuditAction.gdprAccess)).last)
            XCTAssertEqual(event.actor, supervisor.id)
            XCTAssertEqual(event.subject, "candidate:\(p.id)")
        }
    }

    func testRightsAreRestrictedAndRefusalsLogged() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 50, sessions: 2)
        let id = try workspace.store.read { db in try String.fetchOne(db, sql: "SELECT id FROM candidate ORDER BY id")! }
        let counsellor = try TestSupport.user("camille.martin", in: workspace)
        let supervisor = try TestSupport.user("sophie.lambert", in: workspace)
        let policy = try RetentionFiles.load(environment: data)
        XCTAssertThrowsError(try GDPRService(workspace: workspace, user: counsellor).access(id))
        XCTAssertThrowsError(try GDPRService(workspace: workspace, user: supervisor).erase(id))
        XCTAssertThrowsError(try GDPRService(workspace: workspace, user: supervisor).purge(policy, dryRun: true))
        let refusals = try workspace.store.read { db in try AuditLog(db).events(.init(action: AuditAction.accessDenied)) }
        XCTAssertEqual(refusals.suffix(3).map(\.actor), ["camille.martin", "sophie.lambert", "sophie.lambert"])
        XCTAssertEqual(try workspace.store.read { db in try CandidateRepository(db).count() }, 50, "nothing erased")
        XCTAssertThrowsError(try GDPRService(workspace: workspace, user: try TestSupport.user("admin", in: workspace)).erase("INCONNU-1")) { error in
            XCTAssertTrue("\(error)".contains("introuvable"), "\(error)")
        }
    }

    func testPurgeDryRunChangesNothingThenTheRunErasesTheInactive() throws {
        let (demo, _, _) = try livedThrough()
        let path = demo.store.path
        let people = try demo.store.read { db in try CandidateRepository(db).count() }
        let later = Timestamp(secondsSinceEpoch: TestSupport.fixedNow.secondsSinceEpoch + 900 * 86_400)
        let workspace = try Workspace(path: path, reference: { TestSupport.referenceFiles }, clock: { later })
        let admin = try TestSupport.user("admin", in: workspace)
        let policy = try RetentionFiles.load(environment: data)
        let service = GDPRService(workspace: workspace, user: admin)
        let countsBefore = try TestSupport.counts(workspace)
        let dry = try service.purge(policy, dryRun: true)
        XCTAssertEqual(dry.plan.candidates.count, people, "nothing happened for 30 months: everyone is past 24")
        XCTAssertGreaterThan(dry.plan.messages, 0)
        var countsAfterDry = try TestSupport.counts(workspace)
        countsAfterDry["audit_event"] = countsBefore["audit_event"]
        XCTAssertEqual(countsAfterDry, countsBefore, "a dry run changes nothing but the log")
        let result = try service.purge(policy, dryRun: false)
        XCTAssertEqual(result.erased, people)
        XCTAssertEqual(try workspace.store.read { db in try CandidateRepository(db).count() }, 0)
        XCTAssertEqual(try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE body != '' OR phone != ''")! }, 0)
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("chain broken by the purge") }
        let purges = try workspace.store.read { db in try AuditLog(db).events(.init(action: AuditAction.gdprPurge)) }
        XCTAssertEqual(purges.count, 2)
        XCTAssertTrue(purges[0].payload.contains("\"simulation\":true"))
        XCTAssertEqual(try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM erasure WHERE reason = 'conservation'")! }, people)
        // A year later nothing is left to purge.
        XCTAssertEqual(try service.plan(policy).candidates.count, 0)
    }

    func testRetentionFileErrorsNameLineAndKey() throws {
        XCTAssertThrowsError(try RetentionPolicy.load("[candidats]\nmois_apres_derniere_activite = 24\n[sms]\nmois = 12\n[journal]\nmois_minimum = 3\n", file: "r.toml")) { error in
            XCTAssertTrue("\(error)".contains("r.toml:6"), "\(error)")
            XCTAssertTrue("\(error)".contains("six mois") || "\(error)".contains("6 mois"), "\(error)")
        }
        XCTAssertThrowsError(try RetentionPolicy.load("[candidats]\nmois_apres_derniere_activite = 12\n[sms]\nmois = 24\n[journal]\nmois_minimum = 6\n", file: "r.toml"))
        XCTAssertThrowsError(try RetentionPolicy.load("[candidats]\nmois_apres_derniere_activite = 24\nmois = 1\n[sms]\nmois = 12\n[journal]\nmois_minimum = 6\n", file: "r.toml"))
        let policy = try RetentionFiles.load(environment: data)
        XCTAssertEqual(policy, RetentionPolicy(candidateMonths: 24, smsMonths: 12, auditMinimumMonths: 6))
    }

    func testAnOutcomeReasonWrittenAboutThePersonGoesAndAUsualOneStays() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 400, sessions: 6, pastSessions: 4)
        let admin = try TestSupport.user("admin", in: workspace)
        // Two people convoked to sessions already started.
        let convoked = try workspace.store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.candidate_id, a.session_id FROM application a JOIN training_session s ON s.id = a.session_id
                WHERE a.status IN ('convoque', 'inscrit', 'en_formation') AND s.start_date <= ? ORDER BY a.id LIMIT 2
                """, arguments: [TestSupport.fixedNow.date.iso]).map { ($0["candidate_id"] as String, $0["session_id"] as String) }
        }
        guard convoked.count == 2 else { return XCTFail("the demo's past season has people convoked or in training") }
        let outcomes = OutcomeService(workspace: workspace, user: admin)
        let personal = "a suivi son conjoint muté à Mulhouse"
        _ = try outcomes.record(candidateId: convoked[0].0, sessionId: convoked[0].1, outcome: .droppedOut, reason: personal)
        _ = try outcomes.record(candidateId: convoked[1].0, sessionId: convoked[1].1, outcome: .droppedOut, reason: "déménagement")
        let service = GDPRService(workspace: workspace, user: admin)
        let first = try service.erase(convoked[0].0)
        let second = try service.erase(convoked[1].0)
        try workspace.store.reclaimFreedSpace()
        let bytes = FileManager.default.contents(atPath: workspace.store.path) ?? Data()
        XCTAssertNil(bytes.range(of: Data(personal.utf8)), "the reason written about them is gone from the file")
        try workspace.store.read { db in
            func reason(_ pseudonym: String) throws -> String? {
                try String.fetchOne(db, sql: """
                    SELECT t.reason FROM application_transition t JOIN application a ON a.id = t.application_id
                    WHERE a.candidate_id = ? AND t.reason IS NOT NULL
                    """, arguments: [pseudonym])
            }
            XCTAssertEqual(try reason(first.pseudonym), "autre motif")
            XCTAssertEqual(try reason(second.pseudonym), "déménagement", "a usual reason is a category: the figures keep it")
        }
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("chain broken") }
    }

    /// The vault cannot be edited around: an erasure made by hand, a swap of
    /// two people, a text deleted or moved to another person, all break `verify`.
    func testEveryHandEditOfTheVaultIsCaught() throws {
        let (workspace, p, _) = try livedThrough()
        _ = try GDPRService(workspace: workspace, user: try TestSupport.user("admin", in: workspace)).erase(p.id)
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("intact after a real erasure") }
        let path = workspace.store.path
        let pristine = path + ".copie"
        try FileManager.default.copyItem(atPath: path, toPath: pristine)
        let edits: [(String, String)] = [
            ("a live person « erased » by hand (salt removed)", "UPDATE audit_person SET salt = NULL WHERE token = (SELECT max(token) FROM audit_person WHERE salt IS NOT NULL)"),
            ("two people swapped, salts removed",
             "UPDATE audit_person SET salt = NULL, candidate_id = 'EFF-' || substr(token, 6, 12) WHERE salt IS NOT NULL AND token IN (SELECT token FROM audit_person WHERE salt IS NOT NULL LIMIT 2)"),
            ("a person's row deleted", "DELETE FROM audit_person WHERE token = (SELECT substr(subject, 11) FROM audit_event WHERE subject LIKE 'candidate:pers-%' AND substr(subject, 11) IN (SELECT token FROM audit_person WHERE salt IS NOT NULL) LIMIT 1)"),
            ("a text deleted for a person still there", "DELETE FROM audit_personal_value WHERE token = (SELECT min(token) FROM audit_personal_value)"),
            ("a text moved to another person", "UPDATE audit_personal_value SET person = (SELECT max(token) FROM audit_person) WHERE token = (SELECT min(token) FROM audit_personal_value)"),
            ("an erasure added by hand", "INSERT INTO erasure (pseudonym, agency_id, erased_at, actor, reason) VALUES ('EFF-000000000000', NULL, '2026-01-01T00:00:00Z', 'admin', 'demande')"),
            ("everything in the vault deleted", "DELETE FROM audit_person; DELETE FROM audit_personal_value"),
        ]
        for (what, sql) in edits {
            try? FileManager.default.removeItem(atPath: path + "-wal")
            try? FileManager.default.removeItem(atPath: path + "-shm")
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: pristine, toPath: path)
            try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
            guard case .broken = try Store(path: path).verifyAuditChain() else { XCTFail("not caught: \(what)"); continue }
        }
    }

    func testANameWrittenInSomeoneElsesRecordGoesWithThePersonAndSearchesKeepNoName() throws {
        let (workspace, p, session) = try livedThrough()
        let admin = try TestSupport.user("admin", in: workspace)
        let other = try workspace.store.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM candidate WHERE id != ? ORDER BY id LIMIT 1", arguments: [p.id])!
        }
        _ = try DecisionService(workspace: workspace, user: admin).override(
            candidateId: other, sessionId: session, action: .exclude, reason: .newInformation,
            justification: "Covoiturage prévu avec \(p.first.uppercased()) \(p.last), sa voisine", algorithmicRank: 2, rankingRunId: nil)
        _ = try CandidateQueries(workspace: workspace, user: admin).list(CandidateRepository.Filter(nameContains: p.last))
        let erased = try GDPRService(workspace: workspace, user: admin).erase(p.id)
        XCTAssertGreaterThanOrEqual(erased.counts["mentions_elsewhere"] ?? 0, 2, "their decision row and its text in the vault")
        try workspace.store.read { db in
            let justification = try String.fetchOne(db, sql: "SELECT justification FROM decision WHERE candidate_id = ? ORDER BY id DESC LIMIT 1", arguments: [other])
            XCTAssertEqual(justification, "Covoiturage prévu avec [personne effacée], sa voisine")
            let listing = try XCTUnwrap(try AuditLog(db).events(.init(action: AuditAction.candidatesListed)).last)
            XCTAssertFalse(listing.storedPayload.contains(p.last), "a searched name is never kept")
            XCTAssertTrue(listing.payload.contains(PersonalVault.hiddenValue), listing.payload)
        }
        try workspace.store.reclaimFreedSpace()
        let bytes = FileManager.default.contents(atPath: workspace.store.path) ?? Data()
        XCTAssertNil(bytes.range(of: Data("\(p.first.uppercased()) \(p.last)".utf8)))
        XCTAssertNil(bytes.range(of: Data("\(p.first) \(p.last)".utf8)))
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("the redacted text is accounted for") }
    }
}
