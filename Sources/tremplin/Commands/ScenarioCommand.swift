import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices

/// `tremplin scenario`: test scenarios before deployment.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Scénarios de test avant déploiement : une saison rejouée sur une copie de la base, politique par politique.",
        subcommands: [ScenarioRunCommand.self])
}

struct ScenarioRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Rejoue une saison de recrutement sur une copie de la base, pour chaque politique du scénario, et compare.",
        discussion: "La saison passe par le vrai code (classement, répartition, vagues de SMS par le simulateur, assistant lisant des réponses du corpus, convocations) sur une copie jetable ; la base ne reçoit que le résultat (table scenario_run) et son événement d'audit. Affiche par politique le taux de remplissage, le délai de convocation, la part des convocations en 24 h, les heures de conseillers et les ratios d'équité, chacun avec son intervalle à 95 % sur les tirages, puis la sensibilité du remplissage à chaque hypothèse (±25 %). Réservé aux superviseurs, administrateurs et au rôle « éthique ».")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Fichier du scénario (TOML ; par défaut data/scenarios/defaut.toml).", valueName: "scenario.toml"))
    var file: String?
    @Option(name: .customLong("runs"), help: ArgumentHelp("Tirages par politique (1 à 200).", valueName: "N")) var runs = 10
    @Option(name: .customLong("seed"), help: ArgumentHelp("Graine : la même graine donne les mêmes résultats, octet pour octet.", valueName: "S")) var seed: UInt64 = 1
    @Flag(name: .customLong("sans-sensibilite"), help: "Ne calcule pas le tableau de sensibilité (plus rapide).") var noSensitivity = false
    @Flag(name: .customLong("json"), help: "Résultats en JSON (la forme que lit le rapport du comité).") var json = false

    func validate() throws {
        guard ScenarioLab.runRange.contains(runs) else {
            throw ValidationError("--runs \(runs) : entre \(ScenarioLab.runRange.lowerBound) et \(ScenarioLab.runRange.upperBound) tirages")
        }
    }

    func run() throws {
        try guarded {
            let path = try file ?? ScenarioLab.defaultPath()
            let scenario = try ScenarioLab.load(path: path)
            let workspace = try openWorkspace(global)
            let user = try workspace.actingUser(global.user, aggregatesOnly: true)
            let lab = try ScenarioLab(workspace: workspace, user: user)
            let report = try lab.run(scenario, runs: runs, seed: seed, sensitivity: !noSensitivity)
            if json {
                Console.out(report.json)
                return
            }
            Console.out(ScenarioText.render(report, file: path))
        }
    }
}

/// The lab's results in French: an aligned table per figure, the fairness
/// ratios, the sensitivity table and the assumptions they rest on.
enum ScenarioText {
    static func number(_ x: Double, decimals: Int = 1) -> String {
        let scale = pow(10, Double(decimals))
        let r = (x * scale).rounded() / scale
        var s = String(format: "%.\(decimals)f", r)
        if s == "-0.0" || s == "-0" { s = String(s.dropFirst()) }
        return s.replacingOccurrences(of: ".", with: ",")
    }

    static func percent(_ s: RunStatistics) -> String {
        "\(number(s.mean * 100)) % [\(number(s.ci95[0] * 100))–\(number(s.ci95[1] * 100))]"
    }

    static func plain(_ s: RunStatistics) -> String {
        "\(number(s.mean)) [\(number(s.ci95[0]))–\(number(s.ci95[1]))]"
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    static func render(_ report: ScenarioLab.Report, file: String) -> String {
        let result = report.result
        let s = report.scenario
        var lines: [String] = []
        lines.append("Scénario « \(s.name) » (\(file)) : \(result.runs) tirage\(result.runs > 1 ? "s" : "") par politique, graine \(result.seed), saison de \(s.season.days) jours rejouée sur une copie de la base.")
        lines.append("Moyennes sur les tirages, intervalle de confiance à 95 % entre crochets (loi de Student).")
        lines.append("")
        let nameWidth = max(10, result.policies.map(\.name.count).max() ?? 0) + 2
        lines.append(pad("politique", nameWidth) + pad("remplissage", 24) + pad("délai (jours)", 22) + pad("convoqués en 24 h", 24) + "heures de conseillers")
        for p in result.policies {
            lines.append(pad(p.name, nameWidth) + pad(percent(p.fillRate), 24) + pad(plain(p.timeToMatchDays), 22) + pad(percent(p.within24h), 24)
                         + plain(p.counsellorHours))
        }
        lines.append("")
        lines.append("Remplissage : personnes entrées en formation (convoquées et présentes) / places. Délai : de l'ouverture des sessions à la convocation. En 24 h : convocations dans les 24 heures du premier contact.")
        lines.append("")
        lines.append("Équité — taux de convocation de chaque groupe rapporté au groupe le mieux servi (alerte sous 0,8, règle des quatre cinquièmes) ; groupes de moins de 10 personnes non affichés :")
        for p in result.policies {
            var parts: [String] = []
            for attribute in p.fairness.keys.sorted() {
                let groups = p.fairness[attribute]!.sorted { $0.key < $1.key }
                    .map { "\($0.key) \(number($0.value.mean, decimals: 2))" + ($0.value.mean < 0.8 ? " ⚠" : "") }
                parts.append("\(attribute) : " + groups.joined(separator: ", "))
            }
            lines.append("  " + pad(p.name, nameWidth) + parts.joined(separator: " ; "))
        }
        if !result.sensitivity.isEmpty {
            let names = result.sensitivity.first.map { Array($0.low.keys).sorted { a, b in
                (result.policies.firstIndex { $0.name == a } ?? 0) < (result.policies.firstIndex { $0.name == b } ?? 0)
            } } ?? []
            lines.append("")
            lines.append("Sensibilité du remplissage (\(min(result.runs, s.sensitivityRuns)) tirage(s) par case) : chaque hypothèse à −25 % puis +25 %.")
            var header = pad("hypothèse", 52)
            for n in names { header += pad("\(n) −25 %", 28) + pad("+25 %", 10) }
            lines.append(header)
            for row in result.sensitivity {
                var line = pad(row.label, 52)
                for n in names {
                    line += pad("\(number((row.low[n] ?? 0) * 100)) %", 28) + pad("\(number((row.high[n] ?? 0) * 100)) %", 10)
                }
                lines.append(line)
            }
        }
        lines.append("")
        lines.append("Hypothèses du scénario (leur source est en commentaire dans le fichier) :")
        for parameter in ScenarioDefinition.parameters {
            lines.append("  " + pad(parameter.key, 44) + pad(number(parameter.get(s), decimals: 2), 8) + parameter.label)
        }
        lines.append("")
        lines.append("Politiques : " + s.policies.map { p in
            p.baseline ? "\(p.name) (pratique actuelle : appels par ordre d'inscription, sans remède ni SMS)"
                : "\(p.name) (" + [("classement", p.ranking), ("remèdes", p.remedies), ("sur-convocation", p.overInvitation), ("SMS", p.sms), ("répartition", p.allocation)]
                    .map { "\($0.0) \($0.1 ? "oui" : "non")" }.joined(separator: ", ") + ")"
        }.joined(separator: " ; "))
        lines.append("Résultats enregistrés dans la base (scénario n° \(report.recordId)) ; \(report.replays) saisons rejouées, \(number(report.secondsPerReplay)) s par saison.")
        return lines.joined(separator: "\n")
    }
}
