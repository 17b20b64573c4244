import Foundation
import Testing
@testable import TremplinCore

/// Resolution against the real reference file shipped in data/.
@Suite struct CommuneDirectoryTests {
    static let directory: CommuneDirectory = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        var communes: [Commune] = []
        try! CSVReader(bytes: Array(FileManager.default.contents(atPath: root + "/data/communes_grand_est.csv")!)).forEachRecord { r in
            guard r.line > 1 else { return }
            let f = r.fields
            communes.append(Commune(insee: f[0], name: f[1], postalCode: f[2], departement: f[3],
                                    latitude: Double(f[4])!, longitude: Double(f[5])!, population: Int(f[6])!))
        }
        var postal: [(insee: String, postalCode: String)] = []
        try! CSVReader(bytes: Array(FileManager.default.contents(atPath: root + "/data/communes_grand_est_codes_postaux.csv")!)).forEachRecord { r in
            if r.line > 1 { postal.append((r.fields[0], r.fields[1])) }
        }
        return CommuneDirectory(communes: communes, postalCodes: postal)
    }()

    private func name(_ text: String) -> String? { try? Self.directory.resolve(text).get().name }

    @Test func byInseePostalCodeAndName() {
        #expect(name("67482") == "Strasbourg")
        #expect(name("67000") == "Strasbourg")
        #expect(name("67100 Strasbourg") == "Strasbourg")
        #expect((try? Self.directory.resolve(postalCode: "67100", name: nil).get())?.name == "Strasbourg")
        #expect((try? Self.directory.resolve(insee: "67100").get())?.name == "Donnenheim")
        #expect(name("Sélestat") == "Sélestat")
        #expect(name("SELESTAT") == "Sélestat")
        #expect(name("st die des vosges") == "Saint-Dié-des-Vosges")
        #expect(name("Charleville Mezieres") == "Charleville-Mézières")
        #expect(name("67600 Sélestat") == "Sélestat")
        #expect(name("Sélestat 67600") == "Sélestat")
    }

    @Test func ambiguityIsExplained() {
        // Several communes share a postal code; some names exist in two départements.
        guard case .failure(let error) = Self.directory.resolve(postalCode: "88100", name: nil) else { Issue.record("88100 should be ambiguous"); return }
        #expect(error.message.contains("désigne plusieurs communes"))
        guard case .failure(let both) = Self.directory.resolve("67100") else { Issue.record("67100 should be ambiguous"); return }
        #expect(both.message.contains("à la fois le code INSEE de Donnenheim et le code postal de Strasbourg"))
        let duplicated = Dictionary(grouping: Self.directory.communes, by: { CommuneDirectory.nameKey($0.name) }).first { $0.value.count > 1 }!
        let sample = duplicated.value[0]
        guard case .failure = Self.directory.resolve(sample.name) else { Issue.record("\(sample.name) should be ambiguous"); return }
        #expect((try? Self.directory.resolve("\(sample.name) (\(sample.departement))").get())?.departement == sample.departement
                || duplicated.value.filter { $0.departement == sample.departement }.count > 1)
    }

    @Test func unknownCommunesAreRefused() {
        guard case .failure(let error) = Self.directory.resolve("Strasbourgg") else { Issue.record("accepted"); return }
        #expect(error.message == "« Strasbourgg » n'est pas une commune du Grand Est")
        guard case .failure = Self.directory.resolve("75056") else { Issue.record("Paris accepted"); return }
    }

    @Test func departementsComeFromTheReferenceData() {
        #expect(Self.directory.departements == ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"])
        guard case .failure(let error) = Self.directory.validateDepartement("75") else { Issue.record("75 accepted"); return }
        #expect(error.message.contains("n'est pas un département du Grand Est"))
    }

    @Test func distances() {
        let strasbourg = Self.directory["67482"]!, colmar = try! Self.directory.resolve("Colmar").get()
        let d = strasbourg.distanceKilometres(to: colmar)
        // Between the communes' geometric centres: 50.9 km north–south, 27.3 km east–west.
        #expect(d > 57 && d < 58.5, "Strasbourg–Colmar centres are about 57.8 km apart, got \(d)")
        #expect(strasbourg.distanceKilometres(to: strasbourg) < 0.001)
    }
}
