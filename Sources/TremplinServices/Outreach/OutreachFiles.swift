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

/// Dates and times as French counsellors read them: « lun. 7 déc. 08:00 ».
public enum FrenchTime {
    static let days = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
    static let months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]

    public static func short(_ t: Timestamp) -> String {
        let (day, minute) = ParisTime.local(t)
        let (_, m, d) = day.components
        return "\(days[day.weekday.index]) \(d) \(months[m - 1]) " + String(format: "%02d:%02d", minute / 60, minute % 60)
    }

    /// « 3 h 05 », « 42 min », « 2 j 4 h »: a duration for a person.
    public static func duration(seconds: Int64) -> String {
        let minutes = Int(max(0, seconds) / 60)
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h " + String(format: "%02d", minutes % 60) }
        return "\(minutes / 1440) j \(minutes % 1440 / 60) h"
    }
}
