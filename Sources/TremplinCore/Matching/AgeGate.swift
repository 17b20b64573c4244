/// What the matching core may know of a candidate's age: only how far they
/// are below `AgeGate.cap` years, which is enough to check any legal minimum
/// age (16 for training, 18 or 21 for some licences) and says nothing about
/// anyone older. Age beyond the legal minimum is a protected attribute and
/// must not reach scoring: a 30- and a 55-year-old get the same gate.
public struct AgeGate: Hashable, Sendable {
    /// Highest minimum age a session may require.
    public static let cap = 25

    /// Years below `cap` in `referenceYear` (0 = at least `cap` years old), or nil when the birth year is unknown.
    public let yearsBelowCap: UInt8?
    public let referenceYear: Int

    public static func unknown(referenceYear: Int) -> AgeGate { AgeGate(yearsBelowCap: nil, referenceYear: referenceYear) }

    /// Built from a birth year; the birth year itself is not kept.
    public init(birthYear: Int?, referenceYear: Int) {
        self.referenceYear = referenceYear
        guard let birthYear else { yearsBelowCap = nil; return }
        let age = referenceYear - birthYear
        yearsBelowCap = UInt8(clamping: max(0, AgeGate.cap - age))
    }

    private init(yearsBelowCap: UInt8?, referenceYear: Int) {
        self.yearsBelowCap = yearsBelowCap
        self.referenceYear = referenceYear
    }

    /// Whether the minimum age is met in the year of `date` (age counted by
    /// birth year, as the file records it). nil when the age is unknown.
    public func meets(minimumAge: Int, on date: LocalDate) -> Bool? {
        guard let below = yearsBelowCap else { return nil }
        if below == 0 { return true }
        let ageThen = AgeGate.cap - Int(below) + (date.year - referenceYear)
        return ageThen >= min(minimumAge, AgeGate.cap)
    }

    /// First year in which the minimum age is met, for « éligible à partir de 2027 ».
    public func firstYearMeeting(minimumAge: Int) -> Int? {
        guard let below = yearsBelowCap else { return nil }
        let age = AgeGate.cap - Int(below)
        return referenceYear + max(0, min(minimumAge, AgeGate.cap) - age)
    }

    /// Packed for the candidate pool: 255 = unknown.
    var packed: UInt8 { yearsBelowCap ?? 255 }

    init(packed: UInt8, referenceYear: Int) {
        self.init(yearsBelowCap: packed == 255 ? nil : packed, referenceYear: referenceYear)
    }
}
