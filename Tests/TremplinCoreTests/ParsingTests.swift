import PropertyBased
import Testing
@testable import TremplinCore

@Suite struct PhoneNumberTests {
    @Test func normalisesFrenchMobiles() throws {
        for text in ["06 12 34 56 78", "06.12.34.56.78", "0612345678", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78",
                     "0033 6 12 34 56 78", "33612345678", "06-12-34-56-78"] {
            #expect(try PhoneNumber.parse(text).get().e164 == "+33612345678", "\(text)")
        }
        #expect(try PhoneNumber.parse("07 98 76 54 32").get().national == "07 98 76 54 32")
    }

    @Test func refusesWhatCannotReceiveAnSMS() {
        for text in ["03 88 12 34 56", "06 12 34 56", "+49 151 2345678", "06 12 34 56 78 9", "06 12 AB 56 78", ""] {
            guard case .failure = PhoneNumber.parse(text) else { Issue.record("accepted \(text)"); continue }
        }
    }

    @Test func everyWrittenFormOfAMobileMeetsTheSameNumber() async {
        await propertyCheck(input: Gen.int(in: 0...99_999_999), Gen.bool) { n, seven in
            let digits = String(n)
            let eight = String(repeating: "0", count: 8 - digits.count) + digits
            let national = (seven ? "07" : "06") + eight
            let spaced = stride(from: 0, to: 10, by: 2).map { i -> String in
                let a = national.index(national.startIndex, offsetBy: i)
                return String(national[a..<national.index(a, offsetBy: 2)])
            }.joined(separator: " ")
            let a = try? PhoneNumber.parse(national).get()
            #expect(a != nil)
            #expect(a == (try? PhoneNumber.parse(spaced).get()))
            #expect(a == (try? PhoneNumber.parse("+33" + national.dropFirst()).get()))
            #expect(a.map { (try? PhoneNumber.parse($0.national).get()) == $0 } == true)
        }
    }
}

@Suite struct CSVTests {
    private func read(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        try CSVReader(bytes: Array(text.utf8)).forEachRecord { rows.append($0.fields) }
        return rows
    }

    @Test func detectsTheSeparator() throws {
        #expect(try read("a;b;c\n1;2;3\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try read("a,b,c\r\n1,2,3\r\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try read("\u{FEFF}a,\"b;c\"\n") == [["a", "b;c"]])
    }

    @Test func quotedFieldsKeepSeparatorsQuotesAndNewlines() throws {
        #expect(try read("a;b\n\"x;y\";\"il a dit \"\"oui\"\"\"\n\"deux\nlignes\";z\n") ==
                [["a", "b"], ["x;y", "il a dit \"oui\""], ["deux\nlignes", "z"]])
    }

    @Test func reportsLinesOfRecords() throws {
        var lines: [Int] = []
        try CSVReader(bytes: Array("a;b\n\n\"x\ny\";1\n2;3".utf8)).forEachRecord { lines.append($0.line) }
        #expect(lines == [1, 3, 5])
    }

    @Test func structuralErrors() {
        #expect(throws: CSVReader.Failure.unterminatedQuote(line: 2)) { try read("a;b\n\"x;y\n") }
        #expect(throws: CSVReader.Failure.strayQuote(line: 2, column: 1)) { try read("a;b\nx\"y;z\n") }
        #expect(throws: CSVReader.Failure.invalidUTF8(line: 2, column: 2)) {
            try CSVReader(bytes: Array("a;b\nx;".utf8) + [0xE9] + Array("\n".utf8)).forEachRecord { _ in }
        }
    }

    @Test func aCommaRichFirstLineKeepsItsSeparator() throws {
        // Found by the property below: unquoted commas outvoted the semicolon.
        let rows = [["a,,", "b"], ["c", "d,e"]]
        #expect(try read(rows.map { CSVWriter.line($0) }.joined()) == rows)
    }

    @Test func writtenRowsReadBack() async {
        let field = Gen.element(of: Array("ab;,\"\n é€ Œ'")).compactMap { $0 }.string(of: 0...8)
        await propertyCheck(input: field.array(of: 2...6).array(of: 1...5)) { rows in
            let text = rows.map { CSVWriter.line($0) }.joined()
            let back = try read(text)
            // A record of one empty field is a blank line, which the reader skips.
            #expect(back == rows.filter { !($0.count == 1 && $0[0].isEmpty) })
        }
    }
}

@Suite struct CanonicalJSONTests {
    @Test func keysAreSortedAndTextEscaped() {
        let value: JSONValue = ["b": 1, "a": ["z", nil, true], "é": "ligne\n\"guillemet\"\u{1B}"]
        #expect(value.canonical == "{\"a\":[\"z\",null,true],\"b\":1,\"é\":\"ligne\\n\\\"guillemet\\\"\\u001b\"}")
    }

    @Test func insertionOrderDoesNotMatter() async {
        await propertyCheck(input: Gen.letter.compactMap { $0 }.string(of: 1...4).array(of: 0...8)) { keys in
            var forward: [String: JSONValue] = [:]
            var backward: [String: JSONValue] = [:]
            for (i, k) in keys.enumerated() { forward[k] = JSONValue(i) }
            for k in keys.reversed() where backward[k] == nil { backward[k] = forward[k] }
            #expect(JSONValue.object(forward).canonical == JSONValue.object(backward).canonical)
        }
    }
}

@Suite struct TextTests {
    @Test func folding() {
        #expect("Saint-Dié-des-Vosges".folded == "saint die des vosges")
        #expect("  CŒUR   de la Vallée ".folded == "coeur de la vallee")
        #expect("Aÿ-Champagne".folded == "ay champagne")
        #expect("e\u{301}cole".folded == "ecole")
    }

    @Test func justificationNeedsFifteenVisibleCharacters() {
        guard case .failure = Justification.validate("               ") else { Issue.record("spaces accepted"); return }
        guard case .failure = Justification.validate("trop court") else { Issue.record("short accepted"); return }
        #expect((try? Justification.validate("  Solution de garde trouvée  ").get())?.text == "Solution de garde trouvée")
    }

    @Test func pipelineMoves() {
        #expect(PipelineStatus.wishing.canMove(to: .shortlisted))
        #expect(!PipelineStatus.completed.canMove(to: .wishing))
        #expect(PipelineStatus.rejected.canMove(to: .wishing))
        #expect(!PipelineStatus.enrolled.canMove(to: .shortlisted))
        #expect(PipelineStatus.allCases.filter(\.holdsSeat) == [.approved, .enrolled, .started, .completed])
    }

    @Test func diplomaLevels() throws {
        #expect(try DiplomaLevel.parse("Bac+2").get() == .bac2)
        #expect(try DiplomaLevel.parse("niveau 4").get() == .bac)
        #expect(try DiplomaLevel.parse("CAP").get() == .cap)
        #expect(try DiplomaLevel.parse("aucun").get() == DiplomaLevel.none)
        guard case .failure = DiplomaLevel.parse("9") else { Issue.record("level 9 accepted"); return }
    }
}
