import Dispatch
import Foundation
import Synchronization
@testable import TremplinApp
import TremplinServices
import TremplinStore
import XCTest

/// The interface's worker: effects run in the order `update` asked for them,
/// one at a time; a failure comes back as a message and the next effects
/// still run; quitting finishes the decision being written, drops the reads
/// still queued and starts nothing after.
final class EffectWorkerTests: XCTestCase {
    /// What the stand-in runner saw, shared with the test (the runner itself is handed to the worker).
    final class Journal: Sendable {
        private let state = Mutex((started: [Effect](), finished: [Effect](), running: 0, mostAtOnce: 0))
        /// Effects that wait for `release` before finishing (a write held by another counsellor's lock).
        let held: Set<Effect>
        let release = DispatchSemaphore(value: 0)
        let heldStarted = DispatchSemaphore(value: 0)

        init(holding held: Set<Effect> = []) { self.held = held }

        func begin(_ effect: Effect) {
            state.withLock { s in
                s.started.append(effect)
                s.running += 1
                s.mostAtOnce = max(s.mostAtOnce, s.running)
            }
        }

        func end(_ effect: Effect) {
            state.withLock { s in
                s.finished.append(effect)
                s.running -= 1
            }
        }

        var started: [Effect] { state.withLock { $0.started } }
        var finished: [Effect] { state.withLock { $0.finished } }
        var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
    }

    final class Answer: Sendable {
        private let state = Mutex<Bool?>(nil)
        func set(_ value: Bool) { state.withLock { $0 = value } }
        var value: Bool? { state.withLock { $0 } }
    }

    /// Runs nothing real: records, waits when told to, fails on « introuvable ».
    final class StandIn: EffectPerforming {
        let journal: Journal
        init(_ journal: Journal) { self.journal = journal }

        func perform(_ effect: Effect) throws -> [Message] {
            journal.begin(effect)
            defer { journal.end(effect) }
            if journal.held.contains(effect) {
                journal.heldStarted.signal()
                journal.release.wait()
            } else {
                Thread.sleep(forTimeInterval: 0.002)     // long enough for two effects to overlap if the worker let them
            }
            switch effect {
            case .loadCandidate("introuvable"): throw ServiceError.notFound("candidat introuvable")
            case .loadCandidate("occupé"): throw StoreError.busy(path: "base.sqlite")
            default: return [.resize(width: journal.started.count, height: 0)]
            }
        }
    }

    static let approve = Effect.approve(candidateId: "C1", sessionId: "S1", comment: "", rank: 1, outsideShortlist: false, runId: 1)
    static let review = Effect.reviewFact(candidateId: "C2", sessionId: "S1", factId: "f1", confirm: true)

    /// Drains until `count` messages came back (or fails after a few seconds).
    func messages(from worker: EffectWorker, count: Int) -> [Message] {
        var out: [Message] = []
        let deadline = Date().addingTimeInterval(5)
        while out.count < count && Date() < deadline {
            out += worker.drain()
            usleep(1_000)
        }
        XCTAssertEqual(out.count, count, "messages back from the worker")
        return out
    }

    /// Running the cursor down a list asks for many explanations: only the
    /// one the counsellor stops on is computed (and its reading logged), and
    /// only once it has stayed on screen for a moment.
    func testExplanationsTheCursorLeftAreCancelledAndTheLastWaitsItsMoment() {
        let journal = Journal(holding: [.loadSessions])
        let worker = EffectWorker(runner: StandIn(journal))
        defer { worker.stop() }
        worker.submit([.loadSessions])
        journal.heldStarted.wait()
        let start = ContinuousClock.now
        for id in ["A", "B", "C", "D"] { worker.submit([.explain(sessionId: "S1", candidateId: id)]) }
        worker.submit([.openSession("S1"), .openSession("S2")])
        journal.release.signal()
        _ = messages(from: worker, count: 3)
        XCTAssertEqual(journal.started, [.loadSessions, .explain(sessionId: "S1", candidateId: "D"), .openSession("S2")])
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, EffectWorker.settle, "the explanation waited to be looked at")
    }

    func testEffectsRunInOrderOneAtATimeAndIdenticalWaitingOnesAreDroppedOnce() {
        let journal = Journal()
        let worker = EffectWorker(runner: StandIn(journal))
        defer { worker.stop() }
        let asked: [Effect] = [.loadSessions, .openSession("S1"), Self.approve, .loadCandidate("C1"), Self.review, .checkForChanges]
        worker.submit(Array(asked.prefix(3)))
        worker.submit(Array(asked.dropFirst(3)))
        let back = messages(from: worker, count: asked.count)
        XCTAssertEqual(journal.started, asked, "in the order update asked for them")
        XCTAssertEqual(journal.mostAtOnce, 1, "one at a time")
        XCTAssertEqual(back.map { if case .resize(let n, _) = $0 { n } else { -1 } }, Array(1...asked.count), "messages in the order their effects ran")

        // The same effect queued twice while the first is still waiting runs once.
        let held = Journal(holding: [.loadSessions])
        let busy = EffectWorker(runner: StandIn(held))
        defer { busy.stop() }
        busy.submit([.loadSessions])
        held.heldStarted.wait()
        busy.submit([.openSession("S1"), .openSession("S1")])
        busy.submit([.openSession("S1")])
        held.release.signal()
        _ = messages(from: busy, count: 2)
        XCTAssertEqual(held.started, [.loadSessions, .openSession("S1")])
    }

    func testAFailingEffectComesBackAsAMessageAndTheNextOnesStillRun() {
        let journal = Journal()
        let worker = EffectWorker(runner: StandIn(journal))
        defer { worker.stop() }
        worker.submit([.loadCandidate("introuvable"), .loadCandidate("occupé"), Self.approve, .loadCandidate("C3")])
        let back = messages(from: worker, count: 4)
        guard case .failed(let task, let message, let retry) = back[0] else { return XCTFail("\(back[0])") }
        XCTAssertEqual(task, "fiche")
        XCTAssertTrue(message.contains("introuvable"), message)
        XCTAssertNil(retry, "not found: nothing to try again")
        guard case .failed(_, let busyMessage, let busyRetry) = back[1] else { return XCTFail("\(back[1])") }
        XCTAssertEqual(busyRetry, .loadCandidate("occupé"), "a busy base can be tried again")
        XCTAssertFalse(busyMessage.isEmpty)
        XCTAssertEqual(journal.finished, [.loadCandidate("introuvable"), .loadCandidate("occupé"), Self.approve, .loadCandidate("C3")])
    }

    func testQuittingWaitsForTheWriteInFlightFinishesQueuedWritesAndStartsNoRead() {
        let journal = Journal(holding: [Self.approve])
        let worker = EffectWorker(runner: StandIn(journal))
        worker.submit([Self.approve, .loadCandidate("C1"), Self.review, .openSession("S1")])
        journal.heldStarted.wait()
        XCTAssertTrue(worker.isWriting)

        let quitting = DispatchSemaphore(value: 0)
        let result = Answer()
        Thread.detachNewThread { [worker] in
            result.set(worker.quit(waitingUpTo: .seconds(10)))
            quitting.signal()
        }
        XCTAssertEqual(quitting.wait(timeout: .now() + 0.3), .timedOut, "quitting waits while the decision is being written")
        worker.submit([.loadAudit(AuditFilter())])                    // a key pressed while quitting: not taken
        journal.release.signal()
        XCTAssertEqual(quitting.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(result.value, true, "every write finished")
        XCTAssertEqual(journal.finished, [Self.approve, Self.review], "the queued write is finished; the queued reads are dropped")
        XCTAssertFalse(worker.isWriting)
        worker.submit([.loadSessions])
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(journal.started, [Self.approve, Self.review], "nothing starts after quitting")
    }

    func testQuittingGivesUpAtTheDeadlineAndWithoutWritesReturnsAtOnce() {
        let journal = Journal(holding: [Self.approve])
        let worker = EffectWorker(runner: StandIn(journal))
        worker.submit([Self.approve])
        journal.heldStarted.wait()
        let started = Date()
        XCTAssertFalse(worker.quit(waitingUpTo: .milliseconds(200)), "a write still unfinished is reported")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        journal.release.signal()

        let idle = EffectWorker(runner: StandIn(Journal()))
        let quick = Date()
        XCTAssertTrue(idle.quit(waitingUpTo: .seconds(10)))
        XCTAssertLessThan(Date().timeIntervalSince(quick), 0.5)
    }
}
