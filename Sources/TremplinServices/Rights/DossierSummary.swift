import TremplinCore
import TremplinStore

/// The readable side of an access request (GDPR art. 15): what Tremplin
/// holds about the person, in French, for the person and for whoever hands
/// it over. The JSON beside it holds every value; this says what they are.
enum DossierSummary {
    static let tableNames: [String: String] = [
        "candidate": "Fiche", "candidate_seen": "Dernier import de la fiche", "candidate_wish": "Souhaits de formation", "candidate_sensitive": "Données sensibles (suivi de l'équité uniquement)",
        "application": "Candidatures", "application_transition": "Étapes des candidatures", "conversation": "Conversations SMS",
        "sms_message": "Messages SMS", "fact_review": "Informations des SMS relues par un conseiller", "decision": "Décisions",
    ]

    /// Column names in French; a column not listed (a newer version's) keeps its name.
    static let columnNames: [String: String] = [
        "id": "identifiant", "first_name": "prénom", "last_name": "nom", "phone": "téléphone", "email": "courriel",
        "commune_insee": "commune (code INSEE)", "agency_id": "agence", "counsellor_id": "conseiller référent",
        "registered_on": "inscrit(e) le", "diploma_level": "niveau de diplôme", "certifications": "certifications",
        "has_vehicle": "véhicule", "uses_public_transport": "transports en commun", "max_travel_minutes": "trajet maximal (min)",
        "available_from": "disponible à partir du", "unavailable": "indisponibilités", "children_birth_years": "années de naissance des enfants",
        "childcare_solution": "solution de garde", "sms_consent": "accord pour les SMS", "sms_consent_at": "accord SMS le",
        "sms_consent_channel": "accord SMS recueilli par", "assistant_consent": "accord pour l'assistant", "assistant_consent_at": "accord assistant le",
        "assistant_consent_channel": "accord assistant recueilli par", "prerequisites_score": "test de positionnement (score)",
        "prerequisites_at": "test le", "prerequisites_source": "test : source", "motivation_score": "motivation (score)",
        "motivation_at": "motivation le", "motivation_source": "motivation : source", "candidate_id": "personne", "priority": "rang du souhait",
        "rome_code": "métier (code ROME)", "since": "depuis le", "sex": "sexe", "birth_year": "année de naissance", "rqth": "RQTH",
        "qpv_resident": "réside en QPV", "nationality": "nationalité (groupe)", "seen_on": "vu dans un import le",
        "session_id": "session", "status": "étape", "updated_at": "mis à jour le", "application_id": "candidature", "step": "n° d'étape",
        "at": "le", "actor": "par", "reason": "motif", "campaign_id": "campagne", "state": "état de la conversation",
        "summary": "résumé", "created_at": "créé le", "last_inbound_at": "dernière réponse le", "conversation_id": "conversation",
        "direction": "sens", "body": "texte", "gateway_ref": "référence passerelle", "due_at": "prévu le", "sent_at": "envoyé le",
        "delivered_at": "remis le", "outcome": "suite donnée", "message_id": "message", "fact_key": "information", "fact_value": "valeur lue",
        "decision": "verdict", "user_id": "par", "kind": "nature", "pinned_rank": "rang imposé", "overridden_rule": "règle levée",
        "justification": "justification", "author": "auteur", "ranking_run_id": "classement n°",
    ]

    static let booleanColumns: Set<String> = ["has_vehicle", "uses_public_transport", "childcare_solution", "rqth", "qpv_resident"]

    static func text(candidateId: String, tables: [PersonalDataRepository.Rows], runs: [RankingRunRepository.Run],
                     events: [AuditEvent], readings: [AuditEvent], users: [String: String], at: Timestamp, by user: User) -> String {
        var out: [String] = []
        func line(_ s: String = "") { out.append(s) }
        func value(_ v: JSONValue?) -> String {
            switch v {
            case .string(let s)?: return SafeText.clean(s)
            case .int(let n)?: return String(n)
            case .bool(let b)?: return b ? "oui" : "non"
            case .array(let items)?: return items.map { value($0) }.joined(separator: ", ")
            case .object(let m)?: return m.keys.sorted().map { "\($0) = \(value(m[$0]))" }.joined(separator: ", ")
            default: return "—"
            }
        }
        /// Yes/no columns and consent codes in words.
        func shown(_ column: String, _ v: JSONValue?) -> String {
            if booleanColumns.contains(column), case .int(let n)? = v { return n == 0 ? "non" : "oui" }
            if column.hasSuffix("_consent"), case .string(let code)? = v { return ConsentStatus(rawValue: code)?.label ?? value(v) }
            return value(v)
        }
        let record = tables.first { $0.table == "candidate" }?.rows.first ?? [:]
        line("DONNÉES DÉTENUES PAR TREMPLIN")
        line("Droit d'accès (RGPD, article 15)")
        line()
        line("Personne : \(value(record["first_name"])) \(value(record["last_name"])) (identifiant \(SafeText.clean(candidateId)))")
        line("Établi le \(FrenchTime.dateTime(at)) par \(SafeText.clean(user.name)) (\(user.role.label)).")
        line("Le fichier donnees.json joint contient chaque valeur ; ce résumé dit ce qu'elles sont.")
        for table in tables {
            line()
            line("\(tableNames[table.table] ?? table.table) — \(table.rows.count) enregistrement(s)")
            for row in table.rows {
                if table.table == "sms_message" {
                    line("  • \(value(row["created_at"])) \(value(row["direction"]) == "in" ? "reçu" : "envoyé") : « \(value(row["body"])) »")
                } else {
                    line("  • " + row.keys.sorted().filter { row[$0] != .null && $0 != "state" }
                        .map { "\(columnNames[$0] ?? $0) : \(shown($0, row[$0]))" }.joined(separator: " ; "))
                }
            }
        }
        line()
        line("Classements où la personne figure — \(runs.count)")
        line("  Chaque classement est conservé tel qu'il a été calculé (points par critère, règles, rang) ;")
        line("  la lettre d'explication (tremplin letter) en donne le détail pour une session.")
        for run in runs {
            line("  • n° \(run.id), session \(SafeText.clean(run.sessionId)), calculé le \(FrenchTime.dateTime(run.at)), politique \(run.policyVersion.prefix(12))")
        }
        line()
        line("Qui a consulté le dossier, et quand — \(readings.count)")
        for e in readings {
            let who = users[e.actor].map { "\(SafeText.clean($0)) (\(e.actor))" } ?? e.actor
            line("  • \(FrenchTime.dateTime(e.at)) — \(SafeText.clean(who)) — \(AuditVocabulary.action(e.action))")
        }
        line()
        line("Journal d'audit : \(events.count) événement(s) concernent la personne (détail dans donnees.json).")
        line()
        line("Pour faire rectifier ou effacer ces données, ou demander le réexamen d'une décision par un")
        line("conseiller, adressez-vous à votre agence ou au délégué à la protection des données.")
        return out.joined(separator: "\n") + "\n"
    }
}
