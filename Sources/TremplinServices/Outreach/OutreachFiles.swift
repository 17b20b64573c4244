import Foundation
import TremplinCore

/// Finds the outreach settings: `--reglages`, else `$TREMPLIN_OUTREACH`, else `data/outreach.toml`.
public enum OutreachFiles {
    public static func load(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OutreachSettings {
        let file = try path ?? environment["TREMPLIN_OUTREACH"].flatMap({ $0.isEmpty ? nil : $0 })
            ?? (ReferenceFiles.locate(environment: environment).directory + "/outreach.toml")
        do { return try OutreachSettings.load(try PolicyFiles.read(file), file: file) } catch let error as ConfigurationError {
            throw ServiceError.configuration(error)
        }
    }
}

/// French local time for the quiet hours (the base stores UTC).
enum ParisTime {
    static let zone = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600)!

    static func offset(_ t: Timestamp) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t.secondsSinceEpoch))))
    }

    /// The local day and minute of the day of an instant.
    static func local(_ t: Timestamp) -> (LocalDate, Int) {
        let local = t.secondsSinceEpoch + offset(t)
        let day = Int((local / 86_400) - (local % 86_400 < 0 ? 1 : 0))
        let seconds = Int(local - Int64(day) * 86_400)
        return (LocalDate(daysSinceEpoch: day), seconds / 60)
    }

    static func instant(_ date: LocalDate, minute: Int) -> Timestamp {
        let guess = Int64(date.daysSinceEpoch) * 86_400 + Int64(minute) * 60
        return Timestamp(secondsSinceEpoch: guess - offset(Timestamp(secondsSinceEpoch: guess)))
    }
}
