import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTUI

/// Options every command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Fichier de la base SQLite, ou postgres://utilisateur@hôte:port/base?sslmode=… (sinon $TREMPLIN_DB, puis $XDG_DATA_HOME/tremplin/tremplin.sqlite).", valueName: "chemin|url"))
    var db: String?

    /// An empty `--db` (an unset variable in a script) must not quietly mean the default base.
    func validate() throws {
        if let db, db.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--db est vide : indiquez le fichier de la base ou son adresse postgres://…, ou retirez l'option")
        }
    }

    @Option(name: .long, help: ArgumentHelp("Identifiant de l'utilisateur qui agit (sinon $TREMPLIN_USER).", valueName: "id"))
    var user: String?
}

/// The one way the command line writes for a person. Everything passes
/// through `SafeText`: whatever a value holds (an e-mail field with
/// ESC ]0;… BEL, a name with U+202E), the terminal receives visible symbols,
/// never a control character; newlines and tabs Tremplin wrote stay.
enum Console {
    /// Where warnings go: a French line on stderr, or `serve`'s structured
    /// log (set before it opens the base), so every line of that log parses.
    nonisolated(unsafe) static var warningSink: @Sendable (String) -> Void = { Console.err("tremplin : attention : " + $0) }

    static func warn(_ text: String) { warningSink(text) }

    static func out(_ text: String) {
        write(FileHandle.standardOutput, text)
    }

    static func err(_ text: String) {
        write(FileHandle.standardError, text)
    }

    /// A reader that went away (`tremplin indicators | head`) ends the
    /// command quietly, as a shell tool does, not with a crash report.
    private static func write(_ handle: FileHandle, _ text: String) {
        do {
            try handle.write(contentsOf: Data((SafeText.cleanKeepingLayout(text) + "\n").utf8))
        } catch {
            exit(141)
        }
    }
}

/// Documented exit codes (README « Codes de sortie »).
enum Exit {
    static let chainBroken: Int32 = 1
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let noUser: Int32 = 67
    static let notFound: Int32 = 68
    static let unavailable: Int32 = 69
    static let cannotCreate: Int32 = 73
    static let ioError: Int32 = 74
    static let busy: Int32 = 75
    static let forbidden: Int32 = 77
    static let config: Int32 = 78
}

/// Runs a command body, turning every failure into one clear line on
/// stderr (or an import report) and its documented exit code.
func guarded(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let validation as ValidationError {
        // One French line, like every other error (not the parser's usage dump).
        Console.err("tremplin : \(validation.message)")
        throw ExitCode(Exit.usage)
    } catch let error as ServiceError {
        Console.err("tremplin : \(error.description)")
        switch error {
        case .referenceDataMissing, .referenceDataInvalid, .configuration: throw ExitCode(Exit.config)
        case .unknownUser, .noUser, .noUserFor: throw ExitCode(Exit.noUser)
        case .forbidden: throw ExitCode(Exit.forbidden)
        case .notFound: throw ExitCode(Exit.notFound)
        case .invalidInput: throw ExitCode(Exit.usage)
        case .invalidData: throw ExitCode(Exit.dataError)
        case .importRejected: throw ExitCode(Exit.dataError)
        case .databaseExists, .alreadyExists: throw ExitCode(Exit.cannotCreate)
        case .fileUnreadable: throw ExitCode(Exit.noInput)
        case .fileUnwritable: throw ExitCode(Exit.cannotCreate)
        case .suspended, .seatTaken: throw ExitCode(Exit.busy)
        case .server: throw ExitCode(Exit.unavailable)
        }
    } catch let error as StoreError {
        Console.err("tremplin : \(error.description)")
        switch error {
        case .busy: throw ExitCode(Exit.busy)
        default: throw ExitCode(Exit.ioError)
        }
    } catch let error as CocoaError {
        // Foundation's own text is English: say what happened in French, and where when known.
        let why: String
        switch error.code {
        case .fileWriteOutOfSpace: why = "plus de place sur le disque"
        case .fileWriteNoPermission, .fileReadNoPermission: why = "permission refusée"
        case .fileNoSuchFile, .fileReadNoSuchFile: why = "fichier ou dossier introuvable"
        case .fileWriteVolumeReadOnly: why = "volume en lecture seule"
        case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: why = "fichier illisible"
        default: why = "erreur d'entrée-sortie (code \(error.code.rawValue))"
        }
        let place = (error.userInfo[NSFilePathErrorKey] as? String).map { " (\(SafeText.clean($0)))" } ?? ""
        Console.err("tremplin : erreur de fichier\(place) : \(why)")
        throw ExitCode(Exit.ioError)
    } catch {
        Console.err("tremplin : erreur inattendue : \(error)")
        throw ExitCode(Exit.ioError)
    }
}

/// `guarded` for the commands that await (network, `serve`): the same lines and exit codes.
func guarded(_ body: () async throws -> Void) async throws {
    var failure: (any Error)?
    do { try await body() } catch { failure = error }
    if let failure { try guarded { throw failure } }
}

/// The user a command acts as on the region's base: `--user`, else
/// `$TREMPLIN_USER`, else (a personal login) the login itself.
func regionUser(_ global: GlobalOptions) -> String? {
    global.user.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"]
}

/// A service on whichever base `--db` names — `region` builds it on the
/// region's PostgreSQL base (the connection in the acting user's name),
/// `local` on the SQLite workspace — with what closes the connection.
/// `aggregatesOnly`: the « éthique » role may use it (it shows no person);
/// `existing`: a missing SQLite base is refused, never created with demo data.
func onEitherBase<T>(_ global: GlobalOptions, purpose: String, aggregatesOnly: Bool = false, existing: Bool = false,
                     region: (RegionConnection) throws -> T, local: (Workspace, User) throws -> T) throws -> (T, close: () -> Void) {
    let path = Workspace.databasePath(option: global.db)
    if RegionService.isPostgres(path) {
        let connection = try RegionConnection(path, userId: regionUser(global), purpose: purpose, aggregatesOnly: aggregatesOnly)
        do { return (try region(connection), { connection.close() }) } catch {
            connection.close()
            throw error
        }
    }
    let workspace = try existing ? openExistingWorkspace(global) : openWorkspace(global)
    return (try local(workspace, try workspace.actingUser(global.user, aggregatesOnly: aggregatesOnly)), {})
}

/// What does not work on a PostgreSQL base yet says so plainly (and what
/// to do instead) rather than creating a SQLite file named like a URL.
func refusePostgres(_ path: String) throws {
    guard RegionService.isPostgres(path) else { return }
    let location = try RegionService.location(path)
    throw ServiceError.invalidInput("cette commande ne travaille encore que sur une base SQLite, pas sur la base PostgreSQL de la région (\(location.description)) : "
        + "les campagnes SMS (tremplin outreach SESSION, tremplin simulate), « tremplin serve » et le laboratoire de scénarios (tremplin scenario) "
        + "restent sur SQLite pour l'instant ; tout le reste fonctionne sur PostgreSQL (voir « Déployer pour une région » dans le README)")
}

/// Opens the database, creating it with demo data on first run — only at
/// a place the user could mean (the default location or an existing folder)
/// and only when the command will run: a command that needs a user names one
/// of the demo accounts, checked before anything is created.
func openWorkspace(_ global: GlobalOptions, needsUser: Bool = true) throws -> Workspace {
    let environment = ProcessInfo.processInfo.environment
    let path = Workspace.databasePath(option: global.db)
    try refusePostgres(path)
    try Workspace.requireNotDirectory(path)
    if !Workspace.exists(path: path) {
        try Workspace.requireCreatable(path: path, defaultLocation: Workspace.isDefaultLocation(option: global.db))
        if needsUser {
            let id = global.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["TREMPLIN_USER"].flatMap { $0.isEmpty ? nil : $0 }
            guard let id else { throw ServiceError.noUser }
            guard DemoService.userIds.contains(id) else { throw ServiceError.unknownUser(id) }
        }
        let plan = DemoGenerator.Plan(today: Store.localToday())
        let summary = try DemoService.create(path: path, plan: plan, replace: false)
        Console.err("Première utilisation : base créée dans \(path) avec des données de démonstration "
                    + "(\(summary.candidates) candidats, \(summary.sessions) sessions). Utilisateurs : « tremplin users ».")
        sealNewBase(path, announce: Console.err)
    }
    return try openWorkspace(at: path)
}

/// Opens a base that must already exist: importing into a mistyped path
/// must not invent a demo base to import into.
func openExistingWorkspace(_ global: GlobalOptions) throws -> Workspace {
    let path = Workspace.databasePath(option: global.db)
    try refusePostgres(path)
    try Workspace.requireNotDirectory(path)
    guard Workspace.exists(path: path) else {
        throw ServiceError.fileUnreadable(path: path, reason: "la base n'existe pas ; créez-la avec « tremplin init » (vraie agence) ou « tremplin demo »")
    }
    return try openWorkspace(at: path)
}

/// Opens the base with the key that signs the audit log's daily
/// checkpoint. A missing key never fails the command: one warning on stderr.
func openWorkspace(at path: String) throws -> Workspace {
    try refusePostgres(path)
    let key: AuditKey?
    do { key = try AuditKeyFiles.load(databasePath: path) } catch {
        Console.warn("clé de signature du journal non lue (\(Sanitizer.clean("\(error)"))) ; points de contrôle suspendus")
        key = nil
    }
    return try Workspace(path: path, auditKey: key, warn: { Console.warn($0) })
}

/// A base just created (`demo`, `init`, first run) gets its checkpoint
/// signing key (when absent) and its first signed checkpoint. Failing to do
/// so is reported, not fatal: the base itself is sound.
func sealNewBase(_ path: String, announce: (String) -> Void) {
    do {
        let created = try AuditKeyFiles.createIfAbsent(databasePath: path)
        let workspace = try Workspace(path: path)
        _ = try workspace.store.checkpoint(actor: "system", key: created.key)
        if created.created {
            announce("Clé de signature du journal d'audit créée : \(created.path) (à garder hors de la base, lisible du seul compte superviseur ; clé publique \(AuditKeyFiles.publicPath(created.path))).")
        }
    } catch {
        Console.err("tremplin : attention : point de contrôle signé initial non créé (\(Sanitizer.clean("\(error)")))")
    }
}

/// Renders rows as aligned columns (by character count, which is what a
/// terminal shows for the Latin text of this data). Each cell is one line:
/// a newline or tab inside a value shows as a space, not as a broken table.
func table(_ headers: [String], _ rows: [[String]]) -> String {
    let rows = rows.map { $0.map(SafeText.clean) }
    var widths = headers.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            i == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
        }.joined(separator: "  ")
    }
    return ([line(headers)] + rows.map(line)).joined(separator: "\n")
}

func truncated(_ text: String, _ width: Int) -> String {
    text.count <= width ? text : String(text.prefix(width - 1)) + "…"
}

/// Writes a JSON value to stdout in its canonical (stable) form, with the
/// controls JSON leaves raw (C1, bidi) as \u escapes: still the same values.
func printJSON(_ value: JSONValue) {
    Console.out(SafeText.escapingJSON(value.canonical))
}

/// `--departement`, checked against the reference data.
func checkDepartement(_ raw: String?, in workspace: Workspace) throws {
    try checkDepartement(raw, in: workspace.communes)
}

func checkDepartement(_ raw: String?, in communes: CommuneDirectory) throws {
    guard let raw else { return }
    if case .failure(let error) = communes.validateDepartement(raw) {
        throw ValidationError("--departement : \(error.message)")
    }
}

func parseDate(_ raw: String?, option: String) throws -> LocalDate? {
    guard let raw else { return nil }
    guard let date = LocalDate(parsing: raw) else {
        throw ValidationError("--\(option) : « \(raw) » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)")
    }
    return date
}
