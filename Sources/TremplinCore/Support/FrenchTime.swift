import Foundation

/// France's legal time, in which counsellors read every date and time.
public enum FrenchTime {
    /// Europe/Paris (CET/CEST); a fixed UTC+1 only if the system lacks the zone database.
    public static let paris = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600)!
}
