import Testing
@testable import TremplinCore

/// The letter built from stored facts alone: the stored points win over any
/// wording that disagrees, nothing from « now », no other person named, every
/// value escaped in HTML.
@Suite struct ExplanationLetterTests {
    static let hostile = "<script>alert(\"x\")</script>\u{1B}]0;pwn\u{7} & 'q'"
    static let at = Timestamp(date: Fixture.date(2026, 11, 23), hour: 10)

    static func facts(list: ListKind = .waitlist, failed: [Rule] = [], remediable: [Rule] = [], inCarpool: Bool = false,
                      wording: Explanation? = nil, decisions: [LetterDecision] = []) -> LetterFacts {
        var points: [Criterion: Int] = [:]
        for (i, c) in Criterion.allCases.enumerated() { points[c] = 10 * (i + 1) }
        let entry = StoredRunEntry(candidateId: "C1", list: list, rank: list == .ineligible ? nil : 7, algorithmicRank: list == .ineligible ? nil : 7,
                                   total: points.values.reduce(0, +), points: points, failedRules: failed, remediableRules: remediable,
                                   travelMode: .car, travelMinutes: 24, carpoolMissing: false, inCarpool: inCarpool, status: nil)
        let run = StoredRun(id: 42, sessionId: "S1", at: at, rankedOn: at.date, policyVersion: String(repeating: "ab", count: 32), freeSeats: 4,
                            shortlistSize: 5, considered: 30, eligible: 12, entry: entry)
        var weights: [Criterion: Int] = [:]
        for c in Criterion.allCases { weights[c] = 20 }
        return LetterFacts(candidateId: "C1", personName: "Zoé \(hostile)", agencyName: "France Travail Sélestat", session: Fixture.session().session,
                           sessionCommune: "Sélestat", run: run, policyName: "Politique de test", weights: weights, overInvitationPerMille: 250,
                           wording: wording, decisions: decisions,
                           sources: LetterSources(registeredOn: Fixture.date(2025, 1, 6), changes: [], exchanges: [
                               .init(sessionTitle: "Formation S1", first: Fixture.date(2026, 11, 20), last: Fixture.date(2026, 11, 21), messages: 6),
                           ], confirmedFacts: [.init(label: "Permis B", value: "oui", on: Fixture.date(2026, 11, 22))]))
    }

    static func flat(_ letter: ExplanationLetter) -> String {
        LetterRendering.text(letter).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func storedPointsAndRulesAreStatedWithoutAWording() {
        let text = Self.flat(.build(Self.facts(failed: [.dates], remediable: [.childcare])))
        #expect(text.contains("Trajet : 1,0 point sur 20. Le détail chiffré n'est pas repris"))
        #expect(text.contains("Délai avant le début : 6,0 points sur 20."))
        #expect(text.contains("Total : 21,0 points sur 120."))
        #expect(text.contains("Disponible aux dates : non remplie."))
        #expect(text.contains("Garde d'enfants : pouvait être levée par une solution."))
        #expect(text.contains("Session ouverte et non complète : remplie. Le jour du classement, 4 places libres sur 4"))
        #expect(text.contains("liste d'attente, au rang 7"))
        #expect(text.contains("du 20/11/2026 au 21/11/2026, au sujet de « Formation S1 » : 6 messages"))
        #expect(text.contains("Permis B : oui (confirmé le 22/11/2026)"))
        #expect(text.contains("version \(String(repeating: "ab", count: 32))"))
        #expect(text.contains("Le 23/11/2026"))
    }

    @Test func aWordingThatDisagreesWithTheRunIsNotUsed() {
        let lines = Criterion.allCases.map { c in
            ContributionLine(criterion: c, points: c == .travel ? 10 : 999, maximum: 200, sentence: "Phrase \(c.rawValue) : \(frenchPoints(c == .travel ? 10 : 999)) / 20 pts")
        }
        let verdicts = Rule.allCases.map { RuleVerdict(rule: $0, outcome: .pass, reason: "Raison \($0.rawValue)") }
        let wording = Explanation(candidateId: "C1", total: 0, maximum: 1200, contributions: lines, verdicts: verdicts,
                                  remedies: [RemedyProposal(kind: .aid(code: "cmg"), barrier: .childcare, title: "CMG — CAF", details: ["Enfant de 2 ans"])],
                                  changes: [], policyVersion: "v")
        let text = Self.flat(.build(Self.facts(failed: [.dates], wording: wording)))
        #expect(text.contains("Trajet : 1,0 point sur 20. Phrase trajet"), "agrees: the sentence, without its points")
        #expect(!text.contains("Phrase trajet :"))
        #expect(text.contains("Souhait : 2,0 points sur 20. Votre dossier a changé depuis ce classement"))
        #expect(!text.contains("Phrase souhait"))
        #expect(text.contains("Disponible aux dates : non remplie. Constaté le jour du classement"))
        #expect(text.contains("Niveau de diplôme : remplie. Raison diplome"))
        // The rules disagree (dates): the aids computed from today's record are left out.
        #expect(!text.contains("CMG"))
        #expect(text.contains("Aucune aide particulière"))
    }

    @Test func noAgeNorAnotherPersonIsEverNamed() {
        let verdicts = Rule.allCases.map { RuleVerdict(rule: $0, outcome: $0 == .travel ? .remediable : .pass, reason: "né(e) en 1987 (atteint en 2027)") }
        let wording = Explanation(candidateId: "C1", total: 0, maximum: 1200, contributions: [], verdicts: verdicts, remedies: [], changes: [], policyVersion: "v")
        let text = Self.flat(.build(Self.facts(list: .shortlist, remediable: [.travel], inCarpool: true, wording: wording)))
        #expect(text.contains("Âge minimum légal : remplie. Âge minimum légal atteint au début de la session"))
        #expect(text.contains("leurs noms ne figurent pas dans ce courrier"))
        #expect(text.contains("Ne sont jamais utilisés : votre sexe"))
    }

    @Test func decisionsNameTheirAuthorAndJustificationAndDateTheLetter() {
        let later = Timestamp(date: Fixture.date(2026, 11, 30), hour: 15)
        let decision = LetterDecision(kind: .override(.includeDespiteFailedRule(rule: "dates")), reason: .newInformation,
                                      justification: "Disponible plus tôt, attestation de fin de contrat reçue", authorName: "Camille Martin",
                                      authorRole: "conseiller ou conseillère", at: later, rankingRunId: "42")
        let letter = ExplanationLetter.build(Self.facts(list: .ineligible, failed: [.dates], decisions: [decision]))
        let text = Self.flat(letter)
        #expect(letter.dateLine == "Le 30/11/2026", "the decision's date, never today's")
        #expect(text.contains("La décision a été prise par Camille Martin (conseiller ou conseillère) le 30/11/2026"))
        #expect(text.contains("vous êtes retenu(e) alors que la condition « disponible aux dates » n'était pas remplie"))
        #expect(text.contains("raison écrite : « Disponible plus tôt, attestation de fin de contrat reçue » (dérogation au classement)"))
        #expect(text.contains("motif : information plus récente que le dossier"))
        #expect(text.contains("vous n'avez pas été classé(e)"))
        #expect(LetterRendering.text(letter) == LetterRendering.text(.build(Self.facts(list: .ineligible, failed: [.dates], decisions: [decision]))))
    }

    @Test func htmlIsSelfContainedAndEscaped() {
        let html = LetterRendering.html(.build(Self.facts()))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("\u{1B}") && !html.contains("\u{7}"))
        #expect(!html.contains("http"))
        #expect(html.contains("@page { size: A4"))
        let text = LetterRendering.text(.build(Self.facts()))
        #expect(!text.contains("\u{1B}"))
        for line in text.split(separator: "\n") where line.contains(" ") { #expect(line.count <= LetterRendering.width, "\(line)") }
    }
}
