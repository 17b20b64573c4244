import Testing
@testable import TremplinTUI

@Suite struct TextWidthTests {
    @Test func latinAccentsCJKAndEmoji() {
        #expect(TextWidth.of("Sélestat") == 8)
        #expect(TextWidth.of("Œuvre à l'été") == 13)
        #expect(TextWidth.of("陈伟") == 4)
        #expect(TextWidth.of("Nguyễn") == 6)
        #expect(TextWidth.of("e\u{301}") == 1)          // e + combining acute: one column
        #expect(TextWidth.of("👍") == 2)
        #expect(TextWidth.of("❤️") == 2)                // with variation selector 16
        #expect(TextWidth.of("Ｆ") == 2)                 // fullwidth Latin
    }

    @Test func truncateAndPadRespectColumns() {
        #expect(TextWidth.truncate("Châlons-en-Champagne", to: 10) == "Châlons-e…")
        #expect(TextWidth.truncate("陈伟陈伟", to: 5) == "陈伟…")
        #expect(TextWidth.of(TextWidth.pad("陈伟", to: 7)) == 7)
        #expect(TextWidth.pad("abc", to: 2) == "a…")
        #expect(TextWidth.truncate("abc", to: 0) == "")
    }
}

@Suite struct SanitizerTests {
    @Test func escapeSequencesCannotReachTheTerminal() {
        let clean = Sanitizer.clean("\u{1B}[2JDupont\u{7}\u{9B}31m")
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F) })
        #expect(clean == "␛[2JDupont��31m")
        #expect(Sanitizer.clean("a\tb\nc") == "a b c")
        // A bidi override is shown, not silently dropped: the reader sees something was there.
        #expect(Sanitizer.clean("abc\u{202E}def") == "abc\u{FFFD}def")
        #expect(Sanitizer.clean("Zoé Lefèvre") == "Zoé Lefèvre")
    }
}

@Suite struct ScreenBufferTests {
    @Test func writesClipAndKeepWideCharactersWhole() {
        var screen = ScreenBuffer(width: 10, height: 2)
        #expect(screen.write("Sélestat (67)", x: 0, y: 0) == 10)
        #expect(screen.lines[0] == "Sélestat …")
        #expect(screen.write("陈伟陈伟陈伟", x: 1, y: 1, maxWidth: 6) == 5)
        #expect(screen.lines[1] == " 陈伟…    ")
        #expect(TextWidth.of(screen.lines[1]) == 10)
        #expect(screen.write("hors écran", x: 0, y: 5) == 0)
    }

    @Test func dataCannotClearTheScreen() {
        var screen = ScreenBuffer(width: 20, height: 1)
        screen.write("\u{1B}[2J\u{1B}[H", x: 0, y: 0)
        #expect(screen.lines[0].hasPrefix("␛[2J␛[H"))
    }

    @Test func changesListOnlyWhatDiffers() {
        var a = ScreenBuffer(width: 8, height: 2)
        a.write("abc", x: 0, y: 0)
        var b = a
        b.write("X", x: 5, y: 1)
        let changes = b.changes(since: a)
        #expect(changes == [ScreenBuffer.Change(x: 5, y: 1, cells: [Cell("X")])])
        #expect(b.changes(since: b).isEmpty)
        #expect(b.changes(since: nil).count == 2)                     // first frame: every row
        #expect(b.changes(since: ScreenBuffer(width: 4, height: 2)).count == 2)   // after a resize: every row
        // A changed wide character is redrawn from its left half.
        var c = b
        c.write("陈", x: 2, y: 0)
        var d = c
        d.write("伟", x: 2, y: 0)
        #expect(d.changes(since: c).first?.x == 2)
    }
}
