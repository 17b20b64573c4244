import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TremplinCore

/// Reads LHEO XML (« Langage Harmonisé d'Échange d'informations sur l'Offre
/// de formation », the Carif-Oref / Intercariforef standard, versions 2.x)
/// into session rows aligned with `SessionFileColumns.headers`: one row per
/// `<session>` of every `<action>` of every `<formation>`. The rows are then
/// validated by `SessionRowMapper` like CSV rows.
///
/// The file is streamed: only the formation being read is held as a tree,
/// and its rows are emitted when `</formation>` is reached (the responsible
/// organisation comes after the actions in LHEO's element order).
/// Namespaces and prefixes are ignored (elements are matched by local
/// name), `<extras>` subtrees are skipped, external entities are never
/// resolved, and a document type declaration with an internal subset or a
/// reference to an undeclared entity is refused (see `LHEODocument`).
///
/// Element names and dictionaries follow the LHEO 2.2 schema
/// (github.com/lheo/lheo-schema, doc/source/lheo), with the 2.3 additions
/// to `dict-niveaux` (keys 11–18) and `dict-financeurs` (keys 18–20).
enum LHEOReader {
    /// What the importer asks of the reader beyond the bytes.
    struct Options {
        /// The départements Tremplin serves: a session placed elsewhere is
        /// skipped and reported (refused when `strict`).
        var departements: Set<String> = []
        var strict = false
    }

    static func read(bytes original: [UInt8], file: String, options: Options = Options(), header: ([String]) -> Void,
                     row: (TabularSource.Row) throws -> Void, skipped: (String) -> Void = { _ in },
                     problem: (ImportProblem) -> Void, warning: (ImportProblem) -> Void) throws {
        header(SessionFileColumns.headers)
        guard original.contains(where: { !isXMLSpace($0) && $0 != 0 }) else {
            problem(ImportProblem(file: file, line: nil, column: nil, message: "fichier vide"))
            return
        }
        // Decoded first, so the checks and the parser read the same text
        // whatever the file's encoding (UTF-16, ISO-8859-1…).
        let bytes: [UInt8]
        switch LHEODocument.decode(original) {
        case .success(let decoded): bytes = decoded
        case .failure(let refusal):
            problem(ImportProblem(file: file, line: refusal.line, column: nil, message: refusal.message))
            return
        }
        if let refusal = LHEODocument.check(bytes) {
            // XMLParser drops the text of such entities without an error, and
            // they serve to read server files or exhaust memory; LHEO never needs them.
            problem(ImportProblem(file: file, line: refusal.line, column: nil, message: refusal.message))
            return
        }
        try withoutActuallyEscaping(row) { row in
            try withoutActuallyEscaping(skipped) { skipped in
            try withoutActuallyEscaping(problem) { problem in
                try withoutActuallyEscaping(warning) { warning in
                    let converter = LHEOSessionConverter(file: file, bytes: bytes, options: options, row: row, skipped: skipped,
                                                         problem: problem, warning: warning)
                    let delegate = LHEOParserDelegate(converter: converter)
                    let parser = XMLParser(data: Data(bytes))
                    parser.shouldProcessNamespaces = false
                    parser.shouldReportNamespacePrefixes = false
                    parser.shouldResolveExternalEntities = false
                    parser.delegate = delegate
                    _ = parser.parse()
                    parser.delegate = nil
                    if let thrown = delegate.thrown { throw thrown }
                    delegate.finish(parserError: parser.parserError, lastLine: parser.lineNumber)
                }
            }
            }
        }
    }

    static func isXMLSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
}

// MARK: - Element tree

/// One LHEO element of the formation being read, by local name.
final class LHEONode {
    let name: String
    let attributes: [String: String]
    /// Line of the start tag's `<`.
    let line: Int
    var children: [LHEONode] = []
    private var textParts: [String] = []

    init(name: String, attributes: [String: String], line: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
    }

    func append(text: String) { textParts.append(text) }

    /// Text content with runs of white space collapsed to one space.
    var text: String {
        textParts.joined().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    func attribute(_ name: String) -> String {
        (attributes[name] ?? "").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    func child(_ name: String) -> LHEONode? { children.first { $0.name == name } }

    func children(_ name: String) -> [LHEONode] { children.filter { $0.name == name } }

    /// First element along a path of child names.
    func path(_ names: String...) -> LHEONode? {
        var node: LHEONode? = self
        for name in names { node = node?.child(name) }
        return node
    }

    /// Text of the element at a path of child names, "" when absent.
    func value(_ names: String...) -> String {
        var node: LHEONode? = self
        for name in names { node = node?.child(name) }
        return node?.text ?? ""
    }

    /// Every element named `name` below this one, in document order.
    func descendants(_ name: String) -> [LHEONode] {
        var found: [LHEONode] = []
        var stack: [LHEONode] = children.reversed()
        while let node = stack.popLast() {
            if node.name == name { found.append(node) }
            stack.append(contentsOf: node.children.reversed())
        }
        return found
    }
}

// MARK: - SAX delegate

/// Tracks the element path, builds the tree of the current `<formation>`
/// and hands it to the converter when it ends.
final class LHEOParserDelegate: NSObject, XMLParserDelegate {
    let converter: LHEOSessionConverter
    /// An error thrown by the row callback; parsing stops and it is rethrown.
    var thrown: Error?

    /// The first well-formedness error; parsing stops there (libxml2 may
    /// still report the end of open elements, which must not become rows).
    private var firstError: (line: Int, code: Int)?
    /// True once parsing stopped for a reason already reported (or thrown).
    private var stopped: Bool { aborted || firstError != nil }

    private var sawRoot = false
    private var rootIsLHEO = false
    private var aborted = false
    /// The open elements of the current formation, root first.
    private var stack: [LHEONode] = []
    /// Depth inside an ignored subtree (`<extras>`), 0 when not skipping.
    private var skipping = 0
    private var formationCount = 0
    private var lines: LineLocator

    init(converter: LHEOSessionConverter) {
        self.converter = converter
        self.lines = LineLocator(bytes: converter.bytes)
    }

    static func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    private func abort(_ parser: XMLParser) {
        aborted = true
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard !stopped else { return }
        let name = LHEOParserDelegate.localName(elementName)
        if !sawRoot {
            sawRoot = true
            guard name == "lheo" else {
                converter.problem(ImportProblem(
                    file: converter.file, line: lines.startLine(of: elementName, tagEndLine: parser.lineNumber), column: nil,
                    message: "l'élément racine est « \(elementName) » et non « lheo » : ce n'est pas un fichier LHEO"))
                abort(parser)
                return
            }
            rootIsLHEO = true
            return
        }
        if skipping > 0 {
            skipping += 1
            return
        }
        if name == "extras" {
            // Kept as an empty child, so it is listed among the ignored content.
            stack.last?.children.append(LHEONode(name: name, attributes: [:], line: parser.lineNumber))
            skipping = 1
            return
        }
        if stack.isEmpty, name != "formation" { return }
        var attributes: [String: String] = [:]
        for (key, value) in attributeDict where key != "xmlns" && !key.hasPrefix("xmlns:") {
            attributes[LHEOParserDelegate.localName(key)] = value
        }
        let line: Int
        if name == "formation" || name == "action" || name == "session" {
            line = lines.startLine(of: elementName, tagEndLine: parser.lineNumber)
        } else {
            line = parser.lineNumber
        }
        let node = LHEONode(name: name, attributes: attributes, line: line)
        stack.last?.children.append(node)
        stack.append(node)
        if name == "formation", stack.count == 1 { formationCount += 1 }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard !stopped else { return }
        if skipping > 0 {
            skipping -= 1
            return
        }
        if stack.isEmpty { return }
        let node = stack.removeLast()
        if stack.isEmpty {
            do {
                try converter.convert(formation: node)
            } catch {
                thrown = error
                abort(parser)
            }
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stopped, skipping == 0, let node = stack.last else { return }
        node.append(text: string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stopped, skipping == 0, let node = stack.last else { return }
        node.append(text: String(decoding: CDATABlock, as: UTF8.self))
    }

    /// libxml2 asks for any entity it does not know (the document check
    /// refuses them first; this keeps an unresolved one from ever being
    /// dropped in silence).
    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        refuse(parser, "référence à une entité non déclarée « &\(name); » refusée : son texte serait perdu")
        return nil
    }

    // Declarations can only come from a DTD, which the document check
    // refuses; should one get through, it stops the import all the same.
    func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) { refuseDTD(parser) }
    func parser(_ parser: XMLParser, foundAttributeDeclarationWithName attributeName: String, forElement elementName: String,
                type: String?, defaultValue: String?) { refuseDTD(parser) }
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) { refuseDTD(parser) }
    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName entityName: String, publicID: String?, systemID: String?) {
        refuseDTD(parser)
    }
    func parser(_ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?, systemID: String?,
                notationName: String?) { refuseDTD(parser) }
    func parser(_ parser: XMLParser, foundNotationDeclarationWithName name: String, publicID: String?, systemID: String?) { refuseDTD(parser) }

    private func refuseDTD(_ parser: XMLParser) { refuse(parser, LHEODocument.internalSubset) }

    private func refuse(_ parser: XMLParser, _ message: String) {
        guard !stopped else { return }
        converter.problem(ImportProblem(file: converter.file, line: max(parser.lineNumber, 1), column: nil, message: message))
        abort(parser)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        guard !stopped else { return }
        firstError = (parser.lineNumber, (parseError as NSError).code)
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: Error) {}

    /// File-level problems and the per-file warnings, once parsing is over.
    func finish(parserError: Error?, lastLine: Int) {
        let file = converter.file
        if !aborted {
            if firstError == nil, let parserError {
                firstError = (lastLine, (parserError as NSError).code)
            }
            if let error = firstError {
                converter.problem(ImportProblem(file: file, line: max(error.line, 1), column: nil,
                                                message: "XML mal formé : \(LHEOParserDelegate.describe(xmlError: error.code))"))
            } else if !sawRoot {
                converter.problem(ImportProblem(file: file, line: nil, column: nil, message: "aucun élément XML dans le fichier"))
            } else if rootIsLHEO, formationCount == 0 {
                converter.problem(ImportProblem(file: file, line: nil, column: nil,
                                                message: "aucune <formation> dans le fichier LHEO (rien à importer)"))
            }
        }
        if rootIsLHEO { converter.emitWarnings() }
    }

    /// French wording of libxml2's error codes (`XMLParser.ErrorCode`
    /// raw values are libxml2's `xmlParserErrors`).
    static func describe(xmlError code: Int) -> String {
        let text: String
        switch code {
        case 4: text = "document vide"
        case 5: text = "fin de fichier inattendue ou contenu après l'élément racine (balise non refermée ?)"
        case 6, 7, 8: text = "référence de caractère (&#…;) invalide"
        case 9: text = "caractère interdit en XML, ou encodage ne correspondant pas à celui déclaré"
        case 10...21: text = "référence (&…;) mal placée"
        case 22, 23: text = "« & » non suivi d'un nom d'entité et d'un « ; » (écrire &amp;)"
        case 26, 27: text = "entité non déclarée (seules &amp; &lt; &gt; &quot; &apos; sont connues)"
        case 31, 32: text = "encodage déclaré inconnu ou non pris en charge"
        case 33, 34: text = "valeur entre guillemets non refermée"
        case 38: text = "« < » interdit dans une valeur d'attribut"
        case 39, 40, 41, 43, 44: text = "attribut mal écrit (valeur entre guillemets attendue)"
        case 42: text = "attribut répété dans une même balise"
        case 45: text = "commentaire non refermé"
        case 46, 47: text = "instruction de traitement (<?…?>) mal formée"
        case 63: text = "section CDATA non refermée"
        case 64: text = "déclaration XML (<?xml …?>) mal placée"
        case 65, 68: text = "nom d'élément ou d'attribut attendu"
        case 73: text = "« > » attendu"
        case 74: text = "« </ » attendu"
        case 75: text = "« = » attendu après un nom d'attribut"
        case 76: text = "balise fermante ne correspondant pas à la balise ouverte"
        case 77: text = "balise non terminée"
        case 81: text = "octets invalides pour l'encodage déclaré"
        case 85: text = "balises mal imbriquées"
        case 86: text = "contenu après l'élément racine"
        case 89, 90: text = "entités en boucle ou trop nombreuses (fichier refusé par sécurité)"
        default: text = "erreur de syntaxe"
        }
        return "\(text) (erreur libxml2 \(code))"
    }
}

/// Finds the line where a start tag begins: libxml2 reports the line of
/// its closing `>`, which differs when attributes span several lines.
struct LineLocator {
    let bytes: [UInt8]
    /// A forward-only cursor: reported lines never decrease.
    private var cursorLine = 1
    private var cursorOffset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func startLine(of qualifiedName: String, tagEndLine: Int) -> Int {
        guard tagEndLine >= cursorLine else { return max(tagEndLine, 1) }
        while cursorLine < tagEndLine {
            guard let newline = bytes[cursorOffset...].firstIndex(of: 10) else { return tagEndLine }
            cursorOffset = newline + 1
            cursorLine += 1
        }
        let lineEnd = bytes[cursorOffset...].firstIndex(of: 10) ?? bytes.count
        let needle = [UInt8(ascii: "<")] + Array(qualifiedName.utf8)
        let boundaries: [UInt8] = [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/")]
        var line = tagEndLine
        var i = lineEnd - 1
        var scanned = 0
        // A start tag holds no other `<`, so the last `<name` before the end
        // of the reported line is this tag (or one on that same line).
        while i >= 0, scanned < 1_000_000 {
            let b = bytes[i]
            if b == 10 {
                line -= 1
            } else if b == needle[0], i + needle.count <= bytes.count, bytes[i..<(i + needle.count)].elementsEqual(needle),
                      i + needle.count == bytes.count || boundaries.contains(bytes[i + needle.count]) {
                return line
            }
            i -= 1
            scanned += 1
        }
        return tagEndLine
    }
}

// MARK: - Mapping

/// Turns one `<formation>` into session rows and gathers what the file
/// holds that Tremplin does not use, reported once per file.
final class LHEOSessionConverter {
    let file: String
    let bytes: [UInt8]
    let options: LHEOReader.Options
    let row: (TabularSource.Row) throws -> Void
    /// A session not imported (outside the region), by identifier.
    let skipped: (String) -> Void
    let problem: (ImportProblem) -> Void
    let warning: (ImportProblem) -> Void

    private var sessionCount = 0
    private var ignored: [String] = []
    private var ignoredSet: Set<String> = []
    private var renamedIds = 0
    private var unknownFunders: [String] = []
    private var unknownLevels: [String] = []
    private var unknownStates: [String] = []
    private var withoutFunder = 0
    private var severalPlaces = 0
    private var severalTrainers = 0
    private var deadlineAfterStart = 0
    private var withoutDeadline = 0
    private var outside = 0
    private var splitActions = 0
    static let displayedRenames = 20
    /// Skipped sessions and shared places are reported one by one up to
    /// this many, then counted (a national export holds thousands).
    static let displayedNotes = 20

    init(file: String, bytes: [UInt8], options: LHEOReader.Options = LHEOReader.Options(), row: @escaping (TabularSource.Row) throws -> Void,
         skipped: @escaping (String) -> Void = { _ in }, problem: @escaping (ImportProblem) -> Void, warning: @escaping (ImportProblem) -> Void) {
        self.file = file
        self.bytes = bytes
        self.options = options
        self.row = row
        self.skipped = skipped
        self.problem = problem
        self.warning = warning
    }

    /// Children of `<formation>`, `<action>` and `<session>` that feed a column.
    static let used: [String: Set<String>] = [
        "formation": ["domaine-formation", "intitule-formation", "code-niveau-entree", "action", "organisme-formation-responsable"],
        "action": ["niveau-entree-obligatoire", "lieu-de-formation", "session", "nombre-heures-total", "nombre-heures-centre",
                   "nombre-heures-entreprise", "organisme-formateur", "organisme-financeur", "domaine-formation", "code-ROME"],
        "session": ["periode", "periode-inscription", "etat-recrutement", "recrutement"],
    ]

    private func noteIgnored(parent: String, child: String) {
        guard LHEOSessionConverter.used[parent] != nil else { return }
        let key = "\(parent)/\(child)"
        if ignoredSet.insert(key).inserted { ignored.append(key) }
    }

    private func noteIgnoredChildren(of node: LHEONode) {
        guard let used = LHEOSessionConverter.used[node.name] else { return }
        for child in node.children where !used.contains(child.name) { noteIgnored(parent: node.name, child: child.name) }
    }

    func convert(formation: LHEONode) throws {
        noteIgnoredChildren(of: formation)
        let title = formation.value("intitule-formation")
        var formationRome: [String] = []
        if let domain = formation.child("domaine-formation") {
            formationRome = domain.descendants("code-ROME").map(\.text)
        }
        let responsible = formation.child("organisme-formation-responsable")
        let levelCode = formation.value("code-niveau-entree")
        let actions = formation.children("action")
        if actions.isEmpty {
            problem(ImportProblem(file: file, line: formation.line, column: nil,
                                  message: "formation « \(title.isEmpty ? "sans intitulé" : title) » sans <action> : aucune session à importer"))
            return
        }
        for (actionIndex, action) in actions.enumerated() {
            noteIgnoredChildren(of: action)
            let sessions = action.children("session")
            guard !sessions.isEmpty else {
                let number = action.attribute("numero")
                problem(ImportProblem(file: file, line: action.line, column: nil,
                                      message: "action\(number.isEmpty ? "" : " « \(number) »") de la formation « \(title) » sans <session> : "
                                          + "une session (dates, places) est nécessaire"))
                continue
            }
            var fields = Array(repeating: "", count: SessionFileColumns.headers.count)
            func set(_ key: String, _ value: String) {
                if let i = SessionFileColumns.headers.firstIndex(of: key) { fields[i] = value }
            }
            set("intitule", title)

            var rome: [String] = []
            for code in formationRome + action.descendants("code-ROME").map(\.text) where !code.isEmpty && !rome.contains(code) {
                rome.append(code)
            }
            set("codes_rome", rome.joined(separator: "|"))

            // The organisation that delivers the action, else the one responsible
            // for the offer; name and SIRET always come from the same one.
            let trainers = action.children("organisme-formateur")
            if trainers.count > 1 { severalTrainers += 1 }
            if let trainer = trainers.first, !trainer.value("raison-sociale-formateur").isEmpty {
                set("organisme", trainer.value("raison-sociale-formateur"))
                set("siret", trainer.value("SIRET-formateur", "SIRET"))
            } else if let responsible {
                // ONISEP exports write « - » for an unknown company name.
                let name = responsible.value("raison-sociale")
                set("organisme", name.isEmpty || name == "-" ? responsible.value("nom-organisme") : name)
                set("siret", responsible.value("SIRET-organisme-formation", "SIRET"))
            }

            let places = action.children("lieu-de-formation")
            if places.count > 1 { severalPlaces += 1 }
            if let address = places.first?.path("coordonnees", "adresse"),
               let departement = LHEOSessionConverter.departement(of: address), !options.departements.isEmpty,
               !options.departements.contains(departement) {
                // A national export lists the whole country: sessions elsewhere are not Tremplin's.
                let town = LHEOSessionConverter.withoutCedex(address.value("ville"))
                let place = town.isEmpty ? departement : "\(town), \(departement)"
                for (sessionIndex, session) in sessions.enumerated() {
                    noteIgnoredChildren(of: session)
                    let id = identifier(session: session, action: action, formation: formation, actionIndex: actionIndex, sessionIndex: sessionIndex)
                    let name = id.isEmpty ? "sans identifiant" : id
                    if options.strict {
                        problem(ImportProblem(file: file, line: session.line, column: "commune",
                                              message: "session \(name) hors Grand Est (\(place)) : refusée (--strict)"))
                        continue
                    }
                    outside += 1
                    skipped(id)
                    if outside <= LHEOSessionConverter.displayedNotes {
                        warning(ImportProblem(file: file, line: session.line, column: nil, message: "session \(name) ignorée : hors Grand Est (\(place))"))
                    }
                }
                continue
            }
            if let address = places.first?.path("coordonnees", "adresse") {
                let insee = address.value("code-INSEE-commune")
                if !insee.isEmpty {
                    set("code_insee", insee)
                } else {
                    // Postal code and town name: the importer picks the commune among those sharing the code.
                    set("code_postal", address.value("codepostal"))
                    set("commune", LHEOSessionConverter.withoutCedex(address.value("ville")))
                }
                set("adresse", address.children("ligne").map(\.text).filter { !$0.isEmpty }.joined(separator: ", "))
            }

            let total = action.value("nombre-heures-total")
            if !total.isEmpty {
                set("heures_totales", total)
            } else {
                set("heures_totales", LHEOSessionConverter.sum([action.value("nombre-heures-centre"), action.value("nombre-heures-entreprise")]))
            }

            let funders = action.children("organisme-financeur")
            let shares = share(financed: LHEOSessionConverter.sum(funders.map { $0.value("nb-places-financees") }), among: sessions,
                               action: action, formationTitle: title, actionIndex: actionIndex)
            if let code = funders.first?.value("code-financeur") {
                set("financement", funding(code))
            } else {
                withoutFunder += 1
                set("financement", Funding.other.rawValue)
            }

            if action.value("niveau-entree-obligatoire") == "1" { set("niveau_minimum", level(levelCode)) }

            for (sessionIndex, session) in sessions.enumerated() {
                noteIgnoredChildren(of: session)
                var sessionFields = fields
                func put(_ key: String, _ value: String) {
                    if let i = SessionFileColumns.headers.firstIndex(of: key) { sessionFields[i] = value }
                }
                put("identifiant", identifier(session: session, action: action, formation: formation,
                                              actionIndex: actionIndex, sessionIndex: sessionIndex))
                let start = LHEOSessionConverter.date(session.value("periode", "debut"))
                put("date_debut", start)
                put("date_fin", LHEOSessionConverter.date(session.value("periode", "fin")))
                put("date_limite_inscription", deadline(session: session, start: start))
                put("statut", status(session.value("etat-recrutement")))
                put("places", shares[sessionIndex])
                sessionCount += 1
                try row(TabularSource.Row(line: session.line, fields: sessionFields))
            }
        }
    }

    /// Each session's seats. `organisme-financeur/nb-places-financees` is
    /// for the whole action, so its sessions share it rather than each
    /// receiving it: a session stating its own places (LHEO 2.3
    /// `session/recrutement/nb-places`) keeps them, and what remains of the
    /// financed places is split evenly among the others, the remainder one
    /// by one to the earliest. A share of 0 leaves the session without seats
    /// (a draft to complete). The split is reported as an assumption.
    private func share(financed: String, among sessions: [LHEONode], action: LHEONode, formationTitle: String, actionIndex: Int) -> [String] {
        let own = sessions.map { LHEOSessionConverter.sum($0.children("recrutement").map { $0.value("nb-places") }) }
        let others = sessions.indices.filter { own[$0].isEmpty }
        var shares = own
        guard !others.isEmpty else { return shares }
        let stated = own.compactMap { Int($0) }.reduce(0, +)
        guard let total = Int(financed), others.count > 1 || stated > 0 else {
            // A lone session takes the action's places; an invalid number is passed on for the row check to report.
            for i in others { shares[i] = financed }
            return shares
        }
        let remaining = max(0, total - stated)
        // Earliest first by start date (AAAAMMJJ sorts as text), then in file order.
        let order = others.sorted {
            let a = sessions[$0].value("periode", "debut"), b = sessions[$1].value("periode", "debut")
            return a == b ? $0 < $1 : a < b
        }
        for (rank, i) in order.enumerated() {
            let part = remaining / others.count + (rank < remaining % others.count ? 1 : 0)
            shares[i] = part > 0 ? String(part) : ""
        }
        splitActions += 1
        if splitActions <= LHEOSessionConverter.displayedNotes {
            let number = action.attribute("numero")
            let name = number.isEmpty ? "action \(actionIndex + 1) de « \(formationTitle) »" : "action \(number)"
            var text = "\(name) : \(total) places financées réparties sur \(others.count) session\(others.count > 1 ? "s" : "") ("
                + others.map { shares[$0].isEmpty ? "0" : shares[$0] }.joined(separator: " + ") + ")"
            if stated > 0 { text += " après les \(stated) places indiquées par les sessions elles-mêmes" }
            warning(ImportProblem(file: file, line: action.line, column: "places", message: text))
        }
        return shares
    }

    /// The département of an LHEO address: from its INSEE code, else its
    /// `departement`, else its postal code; nil when none is given.
    static func departement(of address: LHEONode) -> String? {
        let insee = address.value("code-INSEE-commune")
        if insee.count == 5 { return insee.hasPrefix("97") ? String(insee.prefix(3)) : String(insee.prefix(2)) }
        let given = address.value("departement")
        if !given.isEmpty { return given.count == 1 ? "0" + given : given }
        let postal = address.value("codepostal")
        guard postal.count == 5, postal.allSatisfy(\.isNumber) else { return nil }
        if postal.hasPrefix("97") { return String(postal.prefix(3)) }
        return postal.hasPrefix("20") ? "2A" : String(postal.prefix(2))
    }

    // MARK: Field rules

    /// `session@numero`, else `action@numero-N` (else `formation@numero-A-N`),
    /// with characters outside Tremplin's identifier alphabet replaced by `-`.
    private func identifier(session: LHEONode, action: LHEONode, formation: LHEONode, actionIndex: Int, sessionIndex: Int) -> String {
        var raw = session.attribute("numero")
        if raw.isEmpty {
            if !action.attribute("numero").isEmpty {
                raw = "\(action.attribute("numero"))-\(sessionIndex + 1)"
            } else if !formation.attribute("numero").isEmpty {
                raw = "\(formation.attribute("numero"))-\(actionIndex + 1)-\(sessionIndex + 1)"
            } else {
                return ""
            }
        }
        var cleaned = String.UnicodeScalarView()
        var changed = false
        for scalar in raw.unicodeScalars {
            let ok = (scalar.value >= 0x30 && scalar.value <= 0x39) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                || (scalar.value >= 0x61 && scalar.value <= 0x7A) || scalar == "-" || scalar == "_" || scalar == "." || scalar == ":"
            if ok { cleaned.append(scalar) } else { cleaned.append("-"); changed = true }
        }
        let id = String(cleaned)
        if changed {
            renamedIds += 1
            if renamedIds <= LHEOSessionConverter.displayedRenames {
                warning(ImportProblem(file: file, line: session.line, column: "identifiant",
                                      message: "« \(raw) » devient « \(id) » (seuls lettres sans accent, chiffres, « - », « _ », « . » et « : » sont permis)"))
            }
        }
        return id
    }

    /// LHEO dates are `AAAAMMJJ`; `00000000` and `99999999` mean unknown.
    static func date(_ raw: String) -> String {
        raw == "00000000" || raw == "99999999" ? "" : raw
    }

    /// End of `session/periode-inscription`, when it is a real date no later
    /// than the start (open-ended registration is not a deadline).
    private func deadline(session: LHEONode, start: String) -> String {
        let raw = LHEOSessionConverter.date(session.value("periode-inscription", "periode", "fin"))
        guard !raw.isEmpty, let end = LocalDate(parsing: raw) else {
            withoutDeadline += 1
            return ""
        }
        if let startDate = LocalDate(parsing: start), end > startDate {
            deadlineAfterStart += 1
            withoutDeadline += 1
            return ""
        }
        return end.iso
    }

    /// Integers summed; "" when none is given; the first non-number as is,
    /// so the row mapper reports it.
    static func sum(_ values: [String]) -> String {
        let given = values.filter { !$0.isEmpty }
        guard !given.isEmpty else { return "" }
        var total = 0
        for value in given {
            guard let n = Int(value), n >= 0 else { return value }
            total += n
        }
        return String(total)
    }

    /// « STRASBOURG CEDEX 2 » → « STRASBOURG ».
    static func withoutCedex(_ town: String) -> String {
        let words = town.split(separator: " ")
        guard let cedex = words.firstIndex(where: { $0.uppercased() == "CEDEX" }), cedex > 0 else { return town }
        return words[..<cedex].joined(separator: " ")
    }

    /// `dict-financeurs` (LHEO 2.2; 2.3 renamed 16 OPCA → OPCO, 17 OPACIF →
    /// Transition Pro and added 18 LADOM, 19 État - ministère de l'Intérieur,
    /// 20 OFII). LHEO has no CPF code: « Bénéficiaire de l'action » (10) is
    /// not necessarily the CPF, so it maps to « autre ».
    static let funders: [String: Funding] = [
        "0": .other, "1": .other, "2": .region, "3": .other, "4": .franceTravail, "5": .employer, "6": .other,
        "7": .other, "8": .other, "9": .other, "10": .other, "11": .state, "12": .state, "13": .state, "14": .other,
        "15": .other, "16": .opco, "17": .other, "18": .other, "19": .state, "20": .other,
    ]

    private func funding(_ code: String) -> String {
        if let funding = LHEOSessionConverter.funders[code] { return funding.rawValue }
        if case .success(let funding) = Funding.parse(code) { return funding.rawValue }
        if !unknownFunders.contains(code) { unknownFunders.append(code) }
        return Funding.other.rawValue
    }

    /// `dict-niveaux` to the 2019 national scale. 2.2 keys: 0 not given,
    /// 1 no specific level, 2 level VI, 3 level V bis (all below level 3),
    /// 4 V (CAP) → 3, 5 IV (bac) → 4, 6 III (bac+2) → 5, 7 II (licence,
    /// maîtrise) → 6, 8 I (beyond maîtrise) → 7, the lowest level it covers.
    /// 2.3 keys 11…18 are the new levels 1…8 (1 and 2 are below a diploma).
    static let levels: [String: String] = [
        "1": "0", "2": "0", "3": "0", "4": "3", "5": "4", "6": "5", "7": "6", "8": "7",
        "11": "0", "12": "0", "13": "3", "14": "4", "15": "5", "16": "6", "17": "7", "18": "8",
    ]

    private func level(_ code: String) -> String {
        if code.isEmpty || code == "0" { return "" }
        if let level = LHEOSessionConverter.levels[code] { return level }
        if !unknownLevels.contains(code) { unknownLevels.append(code) }
        return ""
    }

    /// `dict-etat-recrutement`: 1 ouvert, 2 fermé, 3 suspendu.
    private func status(_ code: String) -> String {
        switch code {
        case "", "1": return SessionStatus.open.rawValue
        case "2": return SessionStatus.full.rawValue
        case "3": return SessionStatus.draft.rawValue
        default:
            if !unknownStates.contains(code) { unknownStates.append(code) }
            return SessionStatus.open.rawValue
        }
    }

    // MARK: Warnings

    func emitWarnings() {
        func warn(_ message: String, column: String? = nil) {
            warning(ImportProblem(file: file, line: nil, column: column, message: message))
        }
        if renamedIds > LHEOSessionConverter.displayedRenames {
            warn("… et \(renamedIds - LHEOSessionConverter.displayedRenames) autre(s) identifiant(s) de session modifié(s) de la même façon",
                 column: "identifiant")
        }
        if sessionCount > 0 {
            var missing = ["horaires", "certifications_requises", "test_positionnement", "age_minimum"]
            if withoutDeadline > 0 {
                missing.insert("date_limite_inscription (\(withoutDeadline) session(s) sans période d'inscription exploitable)", at: 0)
            }
            warn("\(missing.joined(separator: ", ")) : non fournis par LHEO : à compléter dans Tremplin")
        }
        if deadlineAfterStart > 0 {
            warn("\(deadlineAfterStart) session(s) dont la période d'inscription se prolonge après le début (entrées permanentes ?) : "
                 + "pas de date limite d'inscription reprise", column: "date_limite_inscription")
        }
        if withoutFunder > 0 {
            warn("\(withoutFunder) action(s) sans <organisme-financeur> : financement « autre » et nombre de places inconnu", column: "financement")
        }
        if outside > LHEOSessionConverter.displayedNotes {
            warn("… et \(outside - LHEOSessionConverter.displayedNotes) autre(s) session(s) hors Grand Est ignorée(s)")
        }
        if splitActions > LHEOSessionConverter.displayedNotes {
            warn("… et \(splitActions - LHEOSessionConverter.displayedNotes) autre(s) action(s) dont les places financées sont réparties de même entre leurs sessions",
                 column: "places")
        }
        if !unknownFunders.isEmpty {
            warn("code(s) financeur inconnu(s) de la table LHEO dict-financeurs : \(unknownFunders.joined(separator: ", ")) ; financement « autre »",
                 column: "financement")
        }
        if !unknownLevels.isEmpty {
            warn("code(s) de niveau d'entrée inconnu(s) de la table LHEO dict-niveaux : \(unknownLevels.joined(separator: ", ")) ; niveau non repris",
                 column: "niveau_minimum")
        }
        if !unknownStates.isEmpty {
            warn("état(s) de recrutement inconnu(s) : \(unknownStates.joined(separator: ", ")) ; session considérée ouverte", column: "statut")
        }
        if severalPlaces > 0 {
            warn("\(severalPlaces) action(s) à plusieurs lieux de formation : seul le premier est repris", column: "commune")
        }
        if severalTrainers > 0 {
            warn("\(severalTrainers) action(s) à plusieurs organismes formateurs : seul le premier est repris", column: "organisme")
        }
        if !ignored.isEmpty {
            warn("contenu LHEO non utilisé par Tremplin, ignoré : \(ignored.joined(separator: ", "))")
        }
    }
}
