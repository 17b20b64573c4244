import Testing
@testable import TremplinCore

/// The committee report's HTML: self-contained, A4, every value escaped, a
/// missing section says why, the ethics committee sees no person.
@Suite struct CommitteeReportHTMLTests {
    static let hostile = "<script>alert(\"x\")</script>\u{1B}]0;pwn\u{7}\u{202E}txt.exe & 'q'"
    static let from = LocalDate(year: 2026, month: 9, day: 1)!, to = LocalDate(year: 2026, month: 11, day: 30)!

    static func sample(counsellors: [CommitteeReport.CounsellorOverrides]? = [.init(name: "Camille Martin", decisions: 40, departures: 0, flag: "taux bas")],
                       scenario: CommitteeReport.Section<CommitteeReport.Scenario>? = nil) -> CommitteeReport {
        var evaluation = AssistantEvaluation.Report()
        evaluation.replies = 1_100
        evaluation.fullyRight = 1_066
        var available = AssistantEvaluation.KeyCount()
        available.right = 90
        available.wrong = 2
        available.missed = 1
        evaluation.keys["available"] = available
        let scenarioSection = scenario ?? .available(.init(
            ranAt: Timestamp(date: to, hour: 9), name: hostile, runs: 30, seed: 42,
            policies: [.init(name: "baseline", fillRate: .init(mean: 0.5, low: 0.47, high: 0.53), timeToMatchDays: .init(mean: 21, low: 19, high: 23),
                             within24Hours: .init(mean: 0.1, low: nil, high: nil), counsellorHours: .init(mean: 320, low: 300, high: 340)),
                       .init(name: hostile, fillRate: .init(mean: 0.72, low: 0.69, high: 0.75), timeToMatchDays: nil, within24Hours: nil,
                             counsellorHours: nil)],
            sensitivity: [.init(measure: "taux de remplissage", base: 0.72, swings: [.init(parameter: hostile, low: 0.65, high: 0.78),
                                                                                      .init(parameter: "délai de réponse", low: 0.71, high: 0.73)])]))
        return CommitteeReport(
            from: from, to: to, generatedAt: Timestamp(date: to, hour: 10), author: "sophie.lambert (superviseur)",
            scope: ["Toutes les agences du Grand Est (10)", hostile],
            indicators: .available(.init(
                fill: .init(part: 52, total: 100), entered: .init(part: 40, total: 100),
                sessions: [.init(title: hostile, provider: hostile, departement: "67", start: from.adding(days: 10), seats: 12, convoked: 6, entered: 5),
                           .init(title: "Aide-soignant", provider: "IFSI", departement: "57", start: from.adding(days: 20), seats: 0, convoked: 0)],
                fillOverTime: [.init(name: hostile, points: [.init(date: from, value: 0.3), .init(date: to, value: 0.52)])],
                timeToMatch: [.init(label: "depuis l'ouverture de la session", unit: "j", count: 52, q1: 3, median: 6.5, q3: 12)],
                within24Hours: .init(part: 30, total: 52),
                completion: .init(convoked: 52, entered: 40, completed: 30, droppedOut: 4, reasons: [.init(label: hostile, count: 2)]))),
            funnel: .available(.init(steps: [.init(label: "contactés", count: 200), .init(label: hostile, count: 120)],
                                     medianFirstReplyMinutes: 22, qualifiedWithin5Hours: .init(part: 150, total: 200))),
            fairness: .available(.init(tables: [
                .init(stage: "retenus", attribute: "sexe", groups: [
                    .init(name: "F", count: 120, rate: 0.3, ratio: 0.6, pValue: 0.004, suppressed: false, alert: true),
                    .init(name: "H", count: 130, rate: 0.5, ratio: 1, suppressed: false, alert: false),
                    .init(name: hostile, count: nil, rate: nil, ratio: nil, suppressed: true, alert: false)],
                       alerts: [.init(text: "les femmes sont retenues 0,6 fois autant que les hommes", driver: hostile)]),
            ])),
            overrides: .available(.init(decisions: 80, directions: [.init(label: "écarté(e)", count: 5)], counsellors: counsellors)),
            audit: .available(.init(status: .intact, events: 1_234, headHash: String(repeating: "ab", count: 32), checkpoints: 3,
                                    verifiedCheckpoints: 3, latestCheckpoint: .init(day: to, events: 1_200), problems: [])),
            contacts: .available(.init(conversations: 200, optOuts: 7, handovers: 11)),
            assistant: .available(.init(corpus: "data/assistant/corpus.jsonl", evaluatedOn: to, report: evaluation)),
            scenario: scenarioSection)
    }

    @Test func theDocumentIsSelfContainedAndPrintsOnA4() {
        let html = CommitteeReportHTML.render(Self.sample())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<html lang=\"fr\">"))
        #expect(html.contains("@page { size: A4; margin: 15mm; }"))
        #expect(html.contains("break-inside: avoid"))
        // No script, no fetched resource: the only URL is the SVG namespace.
        #expect(!html.lowercased().contains("<script"))
        for forbidden in ["src=", "href=", "@import", "url(", "<link", "<iframe", "<object", "<img"] {
            #expect(!html.lowercased().contains(forbidden), "« \(forbidden) »")
        }
        let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg\"") })
    }

    @Test func everySectionAndChartIsThere() {
        let html = CommitteeReportHTML.render(Self.sample())
        for id in ["perimetre", "indicateurs", "sms", "equite", "derogations", "audit", "desinscriptions", "assistant", "scenarios"] {
            #expect(html.contains("<section id=\"\(id)\">"))
        }
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4)   // fill over time, funnel, fairness, tornado
        #expect(html.contains("Période du 01/09/2026 au 30/11/2026"))
        #expect(html.contains("52,0\u{202F}%"))                          // fill rate
        #expect(html.contains("19\u{202F}min") && html.contains("90\u{202F}%"))   // the pilot's figures
        #expect(html.contains("Journal intact"))
        #expect(html.contains("96,9\u{202F}%"))                          // 1,066 of 1,100
        #expect(html.contains("Camille Martin"))
    }

    @Test func hostileValuesAreEscapedEverywhere() {
        let html = CommitteeReportHTML.render(Self.sample())
        #expect(!html.contains("<script"))
        #expect(!html.contains("alert(\"x\")"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        #expect(!html.unicodeScalars.contains { ($0.value < 0x20 && $0.value != 0x0A) || (0x7F...0x9F).contains($0.value)
                                                 || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
        for part in html.components(separatedBy: "&").dropFirst() {
            #expect(["amp;", "lt;", "gt;", "quot;", "#39;"].contains { part.hasPrefix($0) }, "« &\(part.prefix(10)) »")
        }
    }

    @Test func smallGroupsShowNoRateNorCount() {
        let html = CommitteeReportHTML.render(Self.sample())
        #expect(html.contains("&lt; 10"))
        #expect(html.contains("class=\"alert\">alerte</span>"))
        #expect(html.contains("Ce qui l'explique"))
    }

    @Test func theEthicsCommitteeSeesNoCounsellor() {
        let html = CommitteeReportHTML.render(Self.sample(counsellors: nil))
        #expect(!html.contains("Camille Martin"))
        #expect(!html.contains("Par conseiller"))
        #expect(html.contains("n'est pas montré au comité d'éthique"))
    }

    @Test func aMissingSectionSaysWhyAndHowToFillIt() {
        let html = CommitteeReportHTML.render(Self.sample(scenario: .unavailable("Aucun scénario : tremplin scenario run data/scenarios/defaut.toml")))
        #expect(html.contains("tremplin scenario run data/scenarios/defaut.toml"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)
    }
}
