import GRDB
import TremplinCore

/// The reference tables (communes, ROME), loaded once when a database is
/// created, so every candidate's commune and wish is checked by a foreign key.
public struct ReferenceRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public func isLoaded() throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM commune")! > 0
    }

    public func load(communes: [Commune], postalCodes: [(insee: String, postalCode: String)],
                     domains: [String: String], professionalDomains: [(code: String, label: String, domain: String)],
                     jobs: [RomeJob]) throws {
        let communeStatement = try db.makeStatement(sql: """
            INSERT INTO commune (insee, name, postal_code, departement, latitude, longitude, population) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for c in communes {
            try communeStatement.execute(arguments: [c.insee, c.name, c.postalCode, c.departement, c.latitude, c.longitude, c.population])
        }
        let postal = try db.makeStatement(sql: "INSERT OR IGNORE INTO commune_postal_code (insee, postal_code) VALUES (?, ?)")
        for pair in postalCodes { try postal.execute(arguments: [pair.insee, pair.postalCode]) }
        for (code, label) in domains.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "INSERT INTO rome_domain (code, label) VALUES (?, ?)", arguments: [code, label])
        }
        for d in professionalDomains {
            try db.execute(sql: "INSERT INTO rome_professional_domain (code, label, domain) VALUES (?, ?, ?)",
                           arguments: [d.code, d.label, d.domain])
        }
        let job = try db.makeStatement(sql: "INSERT INTO rome_job (code, label, parent_v3, professional_domain) VALUES (?, ?, ?, ?)")
        for j in jobs { try job.execute(arguments: [j.code, j.label, j.parentV3, j.professionalDomain]) }
    }

    public func communeDirectory() throws -> CommuneDirectory {
        let communes = try Row.fetchAll(db, sql: "SELECT insee, name, postal_code, departement, latitude, longitude, population FROM commune ORDER BY insee").map {
            Commune(insee: $0["insee"], name: $0["name"], postalCode: $0["postal_code"], departement: $0["departement"],
                    latitude: $0["latitude"], longitude: $0["longitude"], population: $0["population"])
        }
        let postal = try Row.fetchAll(db, sql: "SELECT insee, postal_code FROM commune_postal_code ORDER BY insee, postal_code").map {
            (insee: $0["insee"] as String, postalCode: $0["postal_code"] as String)
        }
        return CommuneDirectory(communes: communes, postalCodes: postal)
    }

    public func romeCatalogue() throws -> RomeCatalogue {
        let jobs = try Row.fetchAll(db, sql: "SELECT code, label, parent_v3 FROM rome_job").map {
            RomeJob(code: $0["code"], label: $0["label"], parentV3: $0["parent_v3"])
        }
        var professional: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT code, label FROM rome_professional_domain") { professional[row["code"]] = row["label"] }
        var domains: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT code, label FROM rome_domain") { domains[row["code"]] = row["label"] }
        return RomeCatalogue(jobs: jobs, professionalDomains: professional, domains: domains)
    }
}
