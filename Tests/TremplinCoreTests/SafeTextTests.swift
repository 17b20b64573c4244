import Foundation
import PropertyBased
import Testing
@testable import TremplinCore

/// Text on its way to a terminal or a report: no control or bidi character
/// gets through, whatever the data holds, and ordinary text is untouched.
@Suite struct SafeTextTests {
    /// Letters, accents, the layout characters, ESC, BEL, DEL, C1 controls and every bidi control.
    static let hostile = Gen.element(of: Array("aé Œ€😀\n\t\r\u{0}\u{7}\u{1B}\u{7F}\u{80}\u{85}\u{9B}\u{9F}\u{202A}\u{202E}\u{2066}\u{2069}\u{200E}\u{200F}\u{061C}]0;[2J"))
        .compactMap { $0 }.string(of: 0...24)

    static func unsafeScalars(_ text: String, allowing allowed: Set<UInt32> = []) -> [UInt32] {
        text.unicodeScalars.map(\.value).filter { v in
            !allowed.contains(v) && (v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
                                     || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C)
        }
    }

    @Test func anyTextLosesEveryControlAndBidiCharacter() async {
        await propertyCheck(input: Self.hostile) { text in
            #expect(Self.unsafeScalars(SafeText.clean(text)).isEmpty, "\(Array(text.unicodeScalars))")
            #expect(Self.unsafeScalars(SafeText.cleanKeepingLayout(text), allowing: [0x0A, 0x09]).isEmpty)
            // One visible symbol for each character removed: nothing disappears unseen.
            #expect(SafeText.clean(text).unicodeScalars.count == text.unicodeScalars.count)
            #expect(SafeText.firstUnsafe(in: SafeText.clean(text)) == nil)
        }
    }

    @Test func terminalSequencesBecomeVisibleSymbols() {
        #expect(SafeText.clean("\u{1B}]0;titre\u{7}\u{1B}[2J") == "␛]0;titre\u{FFFD}␛[2J")
        #expect(SafeText.clean("abc\u{202E}def\u{9B}") == "abc\u{FFFD}def\u{FFFD}")
        #expect(SafeText.clean("a\tb\nc\rd") == "a b c d")
        #expect(SafeText.cleanKeepingLayout("a\tb\nc\rd") == "a\tb\nc d")
        #expect(SafeText.clean("Zoé Lefèvre — N’Diaye") == "Zoé Lefèvre — N’Diaye")
    }

    @Test func theFirstUnsafeCharacterIsLocated() throws {
        let found = try #require(SafeText.firstUnsafe(in: "jé@x.fr\u{1B}[2J"))
        #expect(found.position == 8)
        #expect(SafeText.describe(found.scalar) == "U+001B (échappement)")
        #expect(SafeText.describe("\u{202E}") == "U+202E (inversion droite-à-gauche)")
        #expect(SafeText.describe("\u{85}") == "U+0085 (caractère de contrôle)")
        #expect(SafeText.firstUnsafe(in: "N’Diaye Œhler") == nil)
    }

    @Test func aLongValueIsQuotedAsAShortExcerptWithItsSize() {
        let huge = String(repeating: "A", count: 1_048_576)
        #expect(SafeText.excerpt(huge) == "« \(String(repeating: "A", count: 40))… » (1\u{202F}048\u{202F}576 caractères)")
        #expect(SafeText.excerpt("Strasbourgg") == "« Strasbourgg »")
        #expect(SafeText.excerpt("x\u{1B}[2J") == "« x␛[2J »")
    }

    @Test func anExcerptIsBoundedWhateverTheText() async {
        await propertyCheck(input: Self.hostile.array(of: 0...40)) { parts in
            let text = parts.joined()
            let excerpt = SafeText.excerpt(text)
            #expect(excerpt.count <= 40 + 40, "\(excerpt)")
            #expect(Self.unsafeScalars(excerpt).isEmpty)
        }
    }

    @Test func escapedJSONDecodesToTheSameString() async throws {
        await propertyCheck(input: Self.hostile) { text in
            let json = SafeText.escapingJSON(JSONValue.array([.string(text)]).canonical)
            #expect(Self.unsafeScalars(json).isEmpty, "\(json)")
            let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
            #expect(decoded == [text])
        }
    }
}

/// Cells a spreadsheet would run: neutralised on export, restored on import.
@Suite struct SpreadsheetCellTests {
    static let cell = Gen.element(of: Array("'=+-@\t\ra1 ,é(\"")).compactMap { $0 }.string(of: 0...8)

    @Test func hostileCellsGetOneApostrophe() {
        #expect(SpreadsheetCell.neutralise(#"=HYPERLINK("http://x","y")"#) == #"'=HYPERLINK("http://x","y")"#)
        #expect(SpreadsheetCell.neutralise("@SUM(A1)") == "'@SUM(A1)")
        #expect(SpreadsheetCell.neutralise("+33612345678") == "'+33612345678")
        #expect(SpreadsheetCell.neutralise("-1") == "'-1")
        #expect(SpreadsheetCell.neutralise("\t=1") == "'\t=1")
        #expect(SpreadsheetCell.neutralise("\r=1") == "'\r=1")
        #expect(SpreadsheetCell.neutralise("'=1") == "''=1", "a value that already starts with '= survives the round trip")
        #expect(SpreadsheetCell.neutralise("Dupont") == "Dupont")
        #expect(SpreadsheetCell.neutralise("l'école") == "l'école")
        #expect(SpreadsheetCell.neutralise("'ok") == "'ok")
        #expect(SpreadsheetCell.restore("'ok") == "'ok", "an apostrophe before text is the value's own")
    }

    @Test func everyValueRoundTripsAndNoCellStartsWithATrigger() async {
        await propertyCheck(input: Self.cell) { value in
            let written = SpreadsheetCell.neutralise(value)
            #expect(SpreadsheetCell.restore(written) == value)
            #expect(SpreadsheetCell.neutralise(SpreadsheetCell.restore(written)) == written)
            if let first = written.unicodeScalars.first { #expect(!"=+-@\t\r".unicodeScalars.contains(first), "\(written)") }
        }
    }

    @Test func numericColumnsKeepPlainNumbersOnly() {
        #expect(CSVWriter.line(["-3,0", "-1", "=1+1", "-2+3+cmd|' /C calc'!A0"], numeric: [0, 1, 2, 3])
                == "\"-3,0\";-1;'=1+1;'-2+3+cmd|' /C calc'!A0\n", "a decimal comma is quoted, the number stays a number")
        #expect(CSVWriter.line(["-1", "+33612345678"]) == "'-1;'+33612345678\n", "text columns always get the prefix")
        for number in ["0", "12", "-3,5", "+0.25"] { #expect(SpreadsheetCell.isPlainNumber(number)) }
        for text in ["", "-", "1,", ",5", "1,2,3", "1e3", "-1-1", "+33 6"] { #expect(!SpreadsheetCell.isPlainNumber(text), "\(text)") }
    }
}
