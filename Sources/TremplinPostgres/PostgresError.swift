import PostgresNIO

/// What went wrong with a PostgreSQL base, in French, saying what and where.
public enum PostgresError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The `--db` URL cannot be read.
    case badLocation(String)
    /// The server cannot be reached or refused the connection.
    case unreachable(String)
    /// The server refused a statement: SQLSTATE and its message.
    case server(state: String, message: String)
    /// A seat was taken by someone else between reading and approving.
    case seatTaken(session: String)
    /// The base is not in the state the operation needs.
    case state(String)
    /// Someone else changed the same row at the same moment: nothing was written.
    case changedMeanwhile(String)

    public var description: String {
        switch self {
        case .badLocation(let text), .unreachable(let text), .state(let text), .changedMeanwhile(let text): return text
        case .server(let state, let message): return "PostgreSQL a refusé l'opération : \(message) (code \(state))"
        case .seatTaken(let session): return "la place vient d'être prise, classement mis à jour (session \(session))"
        }
    }

    /// SQLSTATE of Tremplin's own refusals raised by its triggers.
    static let seatTakenState = "TR001"
    public static let appendOnlyState = "TR002"

    /// Turns the driver's errors into ours, keeping the server's own words.
    static func from(_ error: Error, location: PostgresLocation? = nil) -> PostgresError {
        if let mine = error as? PostgresError { return mine }
        if let psql = error as? PSQLError {
            if let server = psql.serverInfo {
                let state = server[.sqlState] ?? "?"
                let message = server[.message] ?? "erreur"
                if state == seatTakenState { return .seatTaken(session: server[.detail] ?? "?") }
                let base = location.map { "« \($0.database) »" } ?? ""
                switch state {
                case "3D000": return .unreachable("la base \(base) n'existe pas sur ce serveur : créez-la (createdb) ou corrigez l'adresse")
                case "28000", "28P01": return .unreachable("authentification refusée par le serveur PostgreSQL pour « \(location?.user ?? "?") » (mot de passe, pg_hba.conf)")
                case "42501": return .server(state: state, message: "droits insuffisants pour ce compte PostgreSQL : \(message)")
                case "25006": return .server(state: state, message: "ce serveur est en lecture seule (une réplique) : écrivez sur le serveur principal")
                case "40001": return .server(state: state, message: "une autre transaction a modifié les mêmes données en même temps : recommencez")
                case appendOnlyState:
                    return .server(state: state, message: "refusé par les règles de la base (journal et décisions en ajout seul, chacun en son nom) : \(message)")
                case "53300": return .unreachable("le serveur PostgreSQL n'accepte plus de connexions (max_connections atteint)")
                case "57P01", "57P02", "57P03":
                    return .unreachable("le serveur PostgreSQL a fermé la connexion (arrêt, redémarrage ou connexion terminée par l'administrateur) : "
                                        + "rien n'est enregistré de ce qui était en cours, recommencez")
                case let state where state.hasPrefix("08"):
                    return .unreachable("connexion au serveur PostgreSQL perdue : rien n'est enregistré de ce qui était en cours, recommencez")
                default: return .server(state: state, message: message)
                }
            }
            let place = location.map { " (\($0.host):\($0.port))" } ?? ""
            switch psql.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown:
                let detail = psql.underlying.map { "\($0)" } ?? ""
                let why = detail.contains("Connection refused") ? "connexion refusée (serveur arrêté ou mauvais port)"
                    : detail.contains("DNS") || detail.contains("resolve") ? "hôte introuvable"
                    : detail.contains("timed out") || detail.contains("Timeout") ? "pas de réponse dans les 10 s"
                    : detail.contains("certificate") || detail.contains("SSL") || detail.contains("handshake") || detail.contains("Hostname")
                        ? "certificat TLS du serveur refusé (autorité inconnue, nom d'hôte différent, ou sslrootcert illisible)"
                    : detail.isEmpty ? "connexion refusée ou coupée" : "connexion coupée"
                return .unreachable("serveur PostgreSQL injoignable\(place) : \(why)")
            case .sslUnsupported:
                return .unreachable("le serveur PostgreSQL\(place) n'accepte pas TLS alors que sslmode l'exige")
            case .failedToAddSSLHandler:
                return .unreachable("TLS impossible avec le serveur PostgreSQL\(place) : certificat ou sslrootcert illisible ou refusé")
            default:
                return .unreachable("échange avec PostgreSQL\(place) interrompu (\(psql.code))")
            }
        }
        let place = location.map { " (\($0.host):\($0.port))" } ?? ""
        return .unreachable("échec de l'échange avec PostgreSQL\(place) : \(error)")
    }
}
