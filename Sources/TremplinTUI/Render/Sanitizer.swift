import TremplinCore

/// Neutralises what data must never send to the terminal: control
/// characters and escape sequences (a candidate named "\u{1B}[2J" must not
/// clear the screen) and bidirectional controls (which reorder what follows).
/// The rule lives in `SafeText` (TremplinCore), shared with the command line,
/// import reports and logs: ESC becomes « ␛ », other controls and bidi
/// controls « � », tabs and newlines a space.
public enum Sanitizer {
    public static func clean(_ text: String) -> String { SafeText.clean(text) }
}
