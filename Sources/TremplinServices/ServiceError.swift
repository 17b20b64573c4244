import TremplinCore
import TremplinStore

/// Failures of a use case, each with its exit code (documented in README).
public enum ServiceError: Error, CustomStringConvertible {
    case referenceDataMissing(searched: [String])
    case referenceDataInvalid(file: String, reason: String)
    case unknownUser(String)
    case noUser
    /// No user, where the base itself needs one to answer (exit 67).
    case noUserFor(String)
    case forbidden(String)
    case notFound(String)
    case invalidInput(String)
    /// A file whose content is malformed (exit 65), as opposed to a bad option (64).
    case invalidData(String)
    case importRejected(ImportReport)
    case databaseExists(path: String)
    case alreadyExists(String)
    case fileUnreadable(path: String, reason: String)
    case fileUnwritable(path: String, reason: String)
    /// A policy, aids or theme file with an error at a known line and key.
    case configuration(ConfigurationError)
    /// Automated outreach is suspended (the stop switch): try again once it is resumed (exit 75).
    case suspended(String)
    /// The PostgreSQL server cannot be reached, or its address is wrong (exit 69).
    case server(String)
    /// Another counsellor took the last seat at the same moment (PostgreSQL):
    /// nothing was written; look at the updated ranking and decide again (exit 75).
    case seatTaken(String)

    public var description: String {
        switch self {
        case .referenceDataMissing(let searched):
            return "données de référence introuvables (communes, ROME) ; cherchées dans : \(searched.joined(separator: ", ")) ; définissez TREMPLIN_DATA_DIR"
        case .referenceDataInvalid(let file, let reason): return "données de référence invalides dans \(file) : \(reason)"
        case .unknownUser(let id): return "utilisateur « \(id) » inconnu (voir « tremplin users »)"
        case .noUserFor(let message): return message
        case .noUser: return "aucun utilisateur indiqué : utilisez --user ID ou la variable TREMPLIN_USER (voir « tremplin users »)"
        case .forbidden(let message): return "accès refusé : \(message)"
        case .notFound(let message): return message
        case .invalidInput(let message): return message
        case .invalidData(let message): return message
        case .importRejected(let report): return report.summary
        case .databaseExists(let path): return "la base \(path) contient déjà des données ; ajoutez --replace pour la remplacer par la démonstration"
        case .alreadyExists(let message): return message
        case .fileUnreadable(let path, let reason): return "impossible de lire \(path) : \(reason)"
        case .fileUnwritable(let path, let reason): return "impossible d'écrire \(path) : \(reason)"
        case .configuration(let error): return "configuration invalide : \(error.description)"
        case .suspended(let message): return message
        case .server(let message): return message
        case .seatTaken(let message): return message
        }
    }
}
