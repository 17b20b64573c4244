import Foundation
import GRDB
import TremplinTestSupport
import XCTest

/// The committee report rendered by a real browser: headless Chromium
/// (Debian's `chromium`, installed by `scripts/install-deps`) opens the file
/// `tremplin report` wrote on a demo-like base. A copy with a small checking
/// script (added here, never in the report) records script errors, that
/// every chart has a size and drawn marks, and that nothing is wider than
/// A4's printable width; then the report itself is printed to PDF, which
/// must have A4 pages. A missing Chromium fails the test: it never skips.
final class ReportChromiumTests: XCTestCase {
    static let chromium = "/usr/bin/chromium"
    /// 210 mm less two margins of 15 mm, at 96 px per inch.
    static let printableWidth = (210.0 - 30.0) / 25.4 * 96

    private var directory = ""

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
    }

    /// What the checking script writes into the page, read back from `--dump-dom`.
    struct Check: Decodable {
        struct Chart: Decodable {
            let title: String
            let width: Double
            let height: Double
            let marks: Int
            let drawnMarks: Int
            let empty: Bool
        }
        let errors: [String]
        let charts: [Chart]
        let scrollWidth: Double
        let viewportWidth: Double
        let widest: Double
        let scripts: Int
    }

    static let checker = """
        <script>
        (function () {
          var errors = window.__tremplinErrors || [];
          var charts = Array.prototype.map.call(document.querySelectorAll('svg.chart'), function (svg) {
            var box = svg.getBoundingClientRect();
            var marks = svg.querySelectorAll('.mark');
            var drawn = 0;
            Array.prototype.forEach.call(marks, function (m) {
              var b = m.getBBox(), r = m.getBoundingClientRect();
              if ((b.width > 0 || b.height > 0) && (r.width > 0 || r.height > 0)) { drawn += 1; }
            });
            var title = svg.querySelector('title');
            return { title: title ? title.textContent : '', width: box.width, height: box.height, marks: marks.length, drawnMarks: drawn,
                     empty: svg.getAttribute('data-empty') === 'true' };
          });
          var widest = 0;
          Array.prototype.forEach.call(document.body.querySelectorAll('*'), function (e) {
            var r = e.getBoundingClientRect();
            if (r.right > widest) { widest = r.right; }
          });
          var out = document.createElement('pre');
          out.id = 'tremplin-check';
          out.textContent = JSON.stringify({ errors: errors, charts: charts, scrollWidth: document.documentElement.scrollWidth,
                                             viewportWidth: document.documentElement.clientWidth, widest: widest,
                                             scripts: document.scripts.length });
          document.body.appendChild(out);
        })();
        </script>
        """

    static let errorRecorder = """
        <script>window.__tremplinErrors = []; window.onerror = function (message, source, line) { window.__tremplinErrors.push(String(message) + ' (' + line + ')'); };</script>
        """

    func testReportRendersInChromiumWithoutErrorEveryChartDrawnAndA4() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            throw MissingFixture("\(Self.chromium) introuvable : installez Chromium avec scripts/install-deps (paquet Debian « chromium »)")
        }
        // A demo-like base, with its sessions, decisions and SMS campaigns.
        let db = directory + "/tremplin.sqlite"
        let demo = try TestSupport.run(["demo", "--candidates", "600", "--sessions", "12", "--seed", "11", "--db", db])
        XCTAssertEqual(demo.status, 0, demo.stderr)
        let report = directory + "/rapport.html"
        let run = try TestSupport.run(["report", "--du", "01/01/2026", "--au", "31/12/2027", "-o", report, "--db", db, "--user", "sophie.lambert"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertFalse(html.lowercased().contains("<script"), "the report itself has no script")
        XCTAssertGreaterThanOrEqual(html.components(separatedBy: "<svg ").count - 1, 2)

        // (a) The checking copy, in the same folder.
        var checking = html.replacingOccurrences(of: "<head>", with: "<head>\n" + Self.errorRecorder)
        checking = checking.replacingOccurrences(of: "</body>", with: Self.checker + "\n</body>")
        let checkingPath = directory + "/verification.html"
        try checking.write(toFile: checkingPath, atomically: true, encoding: .utf8)
        let dom = try chromium(["--window-size=\(Int(Self.printableWidth)),1400", "--dump-dom", URL(fileURLWithPath: checkingPath).absoluteString])
        let check = try Self.readCheck(dom)
        XCTAssertEqual(check.errors, [], "script errors in the page")
        XCTAssertEqual(check.scripts, 2, "only the test's two scripts run in the checking copy")
        XCTAssertEqual(check.charts.count, html.components(separatedBy: "<svg ").count - 1, "every chart was laid out")
        for chart in check.charts {
            XCTAssertGreaterThan(chart.width, 100, "« \(chart.title) » has a width")
            XCTAssertGreaterThan(chart.height, 50, "« \(chart.title) » has a height")
            XCTAssertLessThanOrEqual(chart.width, Self.printableWidth + 0.5, "« \(chart.title) » fits the page")
            if chart.empty {
                XCTAssertEqual(chart.marks, 0)
            } else {
                XCTAssertGreaterThan(chart.marks, 0, "« \(chart.title) » has marks")
                XCTAssertEqual(chart.drawnMarks, chart.marks, "« \(chart.title) »: every mark is drawn with a size")
            }
        }
        // The demo holds a past season: fill over time, the SMS funnel and a fairness chart per attribute all have data.
        XCTAssertGreaterThanOrEqual(check.charts.count, 7)
        XCTAssertEqual(check.charts.filter(\.empty).map(\.title), [], "no empty chart on a demo base")
        XCTAssertLessThanOrEqual(check.scrollWidth, Self.printableWidth.rounded(.up), "the page is no wider than A4's printable width")
        XCTAssertLessThanOrEqual(check.widest, Self.printableWidth + 0.5, "no element is wider than the page")

        // (b) The report itself printed to PDF: A4 pages.
        let pdfPath = directory + "/rapport.pdf"
        _ = try chromium(["--no-pdf-header-footer", "--print-to-pdf=\(pdfPath)", URL(fileURLWithPath: report).absoluteString])
        let pdf = try Data(contentsOf: URL(fileURLWithPath: pdfPath))
        XCTAssertTrue(pdf.starts(with: Data("%PDF-".utf8)), "a PDF was written")
        let text = String(decoding: pdf, as: UTF8.self)
        let boxes = Self.mediaBoxes(text)
        XCTAssertFalse(boxes.isEmpty, "the PDF names its page size")
        for box in boxes {
            XCTAssertEqual(box.width, 595, accuracy: 1, "A4 width in points")
            XCTAssertEqual(box.height, 842, accuracy: 1, "A4 height in points")
        }
        let pages = Self.pageCount(text)
        XCTAssertGreaterThanOrEqual(pages, 1, "the report has pages")
    }

    /// Runs headless Chromium with its own profile in the test's folder, within two minutes.
    private func chromium(_ arguments: [String]) throws -> String {
        let profile = directory + "/profil-chromium"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                             "--disable-sync", "--mute-audio", "--hide-scrollbars", "--user-data-dir=\(profile)",
                             "--virtual-time-budget=5000"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let collected = Collected()
        out.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData, error: false) }
        err.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData, error: true) }
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            process.terminate()
            Thread.sleep(forTimeInterval: 1)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw MissingFixture("Chromium n'a pas fini en 120 s (\(arguments.joined(separator: " ")))")
        }
        process.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        collected.append(out.fileHandleForReading.readDataToEndOfFile(), error: false)
        collected.append(err.fileHandleForReading.readDataToEndOfFile(), error: true)
        let (stdout, stderr) = collected.texts
        XCTAssertEqual(process.terminationStatus, 0, "chromium: \(stderr.suffix(2000))")
        return stdout
    }

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var out = Data(), err = Data()
        func append(_ data: Data, error: Bool) {
            lock.lock(); defer { lock.unlock() }
            if error { err.append(data) } else { out.append(data) }
        }
        var texts: (String, String) {
            lock.lock(); defer { lock.unlock() }
            return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
        }
    }

    static func readCheck(_ dom: String) throws -> Check {
        guard let start = dom.range(of: "<pre id=\"tremplin-check\">"),
              let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            throw MissingFixture("le script de vérification n'a rien écrit dans la page : \(dom.suffix(500))")
        }
        let json = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Check.self, from: Data(json.utf8))
    }

    /// Every `/MediaBox [x0 y0 x1 y1]` of the file.
    static func mediaBoxes(_ pdf: String) -> [(width: Double, height: Double)] {
        pdf.components(separatedBy: "/MediaBox").dropFirst().compactMap { part in
            guard let open = part.firstIndex(of: "["), let close = part.firstIndex(of: "]"), open < close else { return nil }
            let numbers = part[part.index(after: open)..<close].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" }).compactMap { Double($0) }
            guard numbers.count == 4 else { return nil }
            return (numbers[2] - numbers[0], numbers[3] - numbers[1])
        }
    }

    /// Page objects (`/Type /Page`, not `/Pages`).
    static func pageCount(_ pdf: String) -> Int {
        let normalized = pdf.replacingOccurrences(of: "/Type /Page", with: "/Type/Page")
        return normalized.components(separatedBy: "/Type/Page").dropFirst().filter { !$0.hasPrefix("s") }.count
    }
}
