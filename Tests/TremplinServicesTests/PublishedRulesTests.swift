import Foundation
import TremplinCore
import TremplinServices
import TremplinTestSupport
import XCTest

/// The published rules (`tremplin policy publish`): what they say, and that
/// docs/regles-publiees.md is exactly what the default policy gives.
final class PublishedRulesTests: XCTestCase {
    let bundle = try! PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])

    func testTheRulesNameEveryCriterionRuleAidAndWhatIsNeverUsed() {
        let md = PublishedRules.markdown(bundle)
        XCTAssertTrue(md.contains("Version : `\(bundle.version)`"))
        XCTAssertTrue(md.contains(bundle.policy.name))
        for c in Criterion.allCases { XCTAssertTrue(md.contains("| \(c.label) | \(bundle.policy.weight(c)) |"), c.label) }
        XCTAssertTrue(md.contains("Total maximum : \(bundle.policy.maximumPoints) points"))
        for r in Rule.allCases { XCTAssertTrue(md.contains("- **\(r.label)** :"), r.label) }
        for aid in bundle.aids.aids { XCTAssertTrue(md.contains("**\(aid.name)** (\(aid.funder))"), aid.code) }
        XCTAssertTrue(md.contains("Covoiturage"))
        XCTAssertTrue(md.contains("places libres × (1 + 25 %)"))
        for word in ["le sexe", "l'âge", "RQTH", "QPV", "la nationalité", "jamais une pénalité"] { XCTAssertTrue(md.contains(word), word) }
        XCTAssertTrue(md.contains("limite_min") == false, "no raw key: plain French")
    }

    func testThePublishedFileIsUpToDate() throws {
        let committed = try String(contentsOfFile: TestSupport.repositoryRoot + "/docs/regles-publiees.md", encoding: .utf8)
        XCTAssertEqual(committed, PublishedRules.markdown(bundle),
                       "docs/regles-publiees.md is stale: run « tremplin policy publish -o docs/regles-publiees.md »")
    }

    func testAnotherPolicyGivesAnotherVersion() throws {
        let text = try String(contentsOfFile: TestSupport.repositoryRoot + "/data/policies/default.toml", encoding: .utf8)
            .replacingOccurrences(of: "trajet = 25", with: "trajet = 30")
        let policy = try PolicyLoader.policy(from: text, file: "autre.toml")
        let other = PolicyBundle(policy: policy, aids: bundle.aids)
        let md = PublishedRules.markdown(other)
        XCTAssertTrue(md.contains("| Trajet | 30 |"))
        XCTAssertTrue(md.contains(other.version))
        XCTAssertNotEqual(other.version, bundle.version)
    }
}
