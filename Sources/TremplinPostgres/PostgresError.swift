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

    public var description: String {
        switch self {
        case .badLocation(let text), .unreachable(let text), .state(let text): return text
        case .server(let state, let message): return "PostgreSQL a refusé l'opération : \(message) (code \(state))"
        case .seatTaken(let session): return "la place vient d'être prise, classement mis à jour (session \(session))"
        }
    }

    /// SQLSTATE of Tremplin's own refusals raised by its triggers.
    static let seatTakenState = "TR001"
    static let appendOnlyState = "TR002"

    /// Turns the driver's errors into ours, keeping the server's own words.
    static func from(_ error: Error, location: PostgresLocation? = nil) -> PostgresError {
        if let mine = error as? PostgresError { return mine }
        if let psql = error as? PSQLError {
            if let server = psql.serverInfo {
                let state = server[.sqlState] ?? "?"
                let message = server[.message] ?? "erreur"
                if state == seatTakenState { return .seatTaken(session: server[.detail] ?? "?") }
                return .server(state: state, message: message)
            }
            let place = location.map { " (\($0.host):\($0.port))" } ?? ""
            switch psql.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown:
                return .unreachable("serveur PostgreSQL injoignable\(place) : \(psql.underlying.map { "\($0)" } ?? "connexion refusée ou coupée")")
            case .sslUnsupported:
                return .unreachable("le serveur PostgreSQL\(place) n'accepte pas TLS alors que sslmode l'exige")
            case .failedToAddSSLHandler:
                return .unreachable("TLS impossible avec le serveur PostgreSQL\(place) : \(psql.underlying.map { "\($0)" } ?? "certificat refusé")")
            default:
                return .unreachable("échange avec PostgreSQL\(place) interrompu : \(psql.code)\(psql.underlying.map { " (\($0))" } ?? "")")
            }
        }
        let place = location.map { " (\($0.host):\($0.port))" } ?? ""
        return .unreachable("échec de l'échange avec PostgreSQL\(place) : \(error)")
    }
}
