import Foundation
import TremplinCore
import TremplinStore

/// The audit log's codes in French, in one place: the supervisors' pane and
/// `tremplin audit log` both read them from here, so no raw code
/// (`decision.recorded`, `demande_candidat`, `algorithmic_rank`) reaches a person.
public enum AuditVocabulary {
    /// Every action the log records, with its French name.
    public static let actions: [String: String] = [
        AuditAction.databaseCreated: "base créée",
        AuditAction.databaseMigrated: "copie vers PostgreSQL",
        AuditAction.schemaUpgraded: "mise à jour du schéma",
        AuditAction.referenceLoaded: "référentiels chargés",
        AuditAction.demoGenerated: "démonstration générée",
        AuditAction.candidatesImported: "import de candidats",
        AuditAction.sessionsImported: "import de sessions",
        AuditAction.candidatesExported: "export de candidats",
        AuditAction.sessionsExported: "export de sessions",
        AuditAction.candidateRead: "fiche consultée",
        AuditAction.candidatesListed: "liste de candidats",
        AuditAction.candidateUpserted: "candidat modifié",
        AuditAction.sessionUpserted: "session modifiée",
        AuditAction.sessionCompleted: "session complétée",
        AuditAction.decisionRecorded: "décision",
        AuditAction.auditRead: "journal consulté",
        AuditAction.auditCheckpoint: "point de contrôle signé",
        AuditAction.accessDenied: "accès refusé",
        AuditAction.userCreated: "utilisateur créé",
        AuditAction.agencyCreated: "agence créée",
        AuditAction.rankingRun: "classement calculé",
        AuditAction.rankingRead: "classement consulté",
        AuditAction.explanationRead: "explication consultée",
        AuditAction.allocationRun: "répartition calculée",
        AuditAction.outreachStarted: "campagne SMS lancée",
        AuditAction.outreachClosed: "campagne SMS close",
        AuditAction.smsReceived: "SMS reçu",
        AuditAction.smsSent: "SMS envoyé",
        AuditAction.smsDelivery: "accusé de réception SMS",
        AuditAction.consentWithdrawn: "consentement retiré",
        AuditAction.outreachResult: "réponse SMS au dossier",
        AuditAction.outreachNoAnswer: "SMS sans réponse",
        AuditAction.outreachWave: "relance SMS",
        AuditAction.outreachFirstWave: "premiers SMS envoyés",
        AuditAction.outreachSuspended: "envoi SMS suspendu",
        AuditAction.outreachResumed: "envoi SMS repris",
        AuditAction.factConfirmed: "fait SMS confirmé",
        AuditAction.factDismissed: "fait SMS écarté",
        AuditAction.indicatorsRead: "indicateurs consultés",
        AuditAction.fairnessRead: "équité consultée",
        AuditAction.outcomeRecorded: "suite de formation",
        AuditAction.outcomesImported: "suites importées",
        AuditAction.reportGenerated: "rapport aux comités",
        AuditAction.scenarioRun: "scénario de test rejoué",
        AuditAction.gdprAccess: "accès RGPD",
        AuditAction.gdprErased: "personne effacée",
        AuditAction.gdprPurge: "purge de conservation",
        AuditAction.letterGenerated: "lettre d'explication",
    ]

    /// « décision » for `decision.recorded`; an unknown code (a newer
    /// version's) is named as such rather than shown bare.
    public static func action(_ code: String) -> String {
        actions[code] ?? "action inconnue de cette version (\(code))"
    }

    /// The code an action filter means: a French label (« décision »,
    /// « SMS envoyé »), a word that starts one (« import », « sms »), a code,
    /// or a code prefix ending in « . ». Accents and case do not matter.
    public static func actionFilter(_ raw: String) -> String {
        let text = raw.trimmingSpaces
        if actions[text] != nil || text.hasSuffix(".") { return text }
        let folded = text.folded
        if let exact = actions.first(where: { $0.value.folded == folded }) { return exact.key }
        let words: [(String, String)] = [
            ("decision", "decision."), ("convocation", "decision."), ("derogation", "decision."), ("classement", "ranking."),
            ("explication", AuditAction.explanationRead), ("import", "import."), ("export", "export."), ("fiche", AuditAction.candidateRead),
            ("journal", AuditAction.auditRead), ("point de controle", AuditAction.auditCheckpoint), ("acces", AuditAction.accessDenied),
            ("repartition", AuditAction.allocationRun), ("sms", "sms."), ("campagne", "outreach."), ("consentement", AuditAction.consentWithdrawn),
            ("fait", "assistant."), ("rapport", AuditAction.reportGenerated), ("lettre", AuditAction.letterGenerated), ("scenario", AuditAction.scenarioRun),
            ("suspen", AuditAction.outreachSuspended), ("reprise", AuditAction.outreachResumed),
            ("rgpd", "gdpr."), ("effac", AuditAction.gdprErased), ("purge", AuditAction.gdprPurge),
        ]
        if let match = words.first(where: { folded.hasPrefix($0.0) }) { return match.1 }
        return text + "."
    }

    /// The kind of a decision as stored (`approve`, `override.exclude`).
    public static let decisionKinds: [String: String] = [
        "approve": "convocation", "reject": "refus", "override.pin_rank": "dérogation : placé à un rang",
        "override.include": "dérogation : retenu(e) malgré une règle", "override.exclude": "dérogation : écarté(e)",
        "override.reinstate": "dérogation : réintégré",
    ]

    /// A decision's reason, from its stored code (`demande_candidat`).
    public static func reason(_ code: String) -> String {
        ReasonCategory(rawValue: code)?.label ?? code
    }

    /// What each payload field means, for the event's detail.
    public static let payloadKeys: [String: String] = [
        "depuis": "depuis",
        "action": "dérogation", "actor": "conseiller filtré", "agence": "agence", "du": "du", "au": "au", "par": "détail par",
        "lignes": "lignes", "enregistrees": "enregistrées", "policies": "politiques", "preparation": "préparation", "replays": "saisons rejouées",
        "runs": "tirages", "scenario": "scénario", "algorithmic_rank": "rang au classement",
        "applications": "candidatures", "assigned": "placés", "campaign": "campagne", "cancelled_messages": "messages annulés",
        "candidate": "candidat", "candidates": "candidats", "change": "changement", "channel": "canal", "claimed": "pris en charge",
        "closed": "clos", "code": "code", "commune": "commune", "communes": "communes", "considered": "examinés",
        "contacted": "contactés", "conversation": "conversation", "conversations": "conversations", "count": "nombre",
        "date": "date", "demande": "demande", "eligible": "éligibles", "fact": "fait", "failed": "échecs", "fichier": "fichier",
        "file": "fichier", "filter": "filtre", "format": "format", "free_seats": "places libres", "hours": "heures",
        "ids": "identifiants", "inputs": "empreinte des entrées", "inserted": "ajoutés", "justification": "justification",
        "kind": "nature", "known": "connus", "later": "plus tard", "length": "longueur", "message": "message",
        "missing": "manquants", "motif": "motif", "nom": "nom", "numero": "numéro", "outcome": "suite donnée",
        "output": "empreinte du résultat", "outside_shortlist": "hors présélection", "overrides": "dérogations",
        "pairs": "paires examinées", "policy": "politique", "postal_codes": "codes postaux",
        "premier_administrateur": "premier administrateur", "previous_status": "étape précédente", "qualified": "qualifiés",
        "quote": "citation", "rank": "rang", "reason": "motif", "record_before": "dossier avant", "records": "enregistrements",
        "ref": "référence passerelle", "role": "rôle", "rome_jobs": "métiers ROME", "run": "classement n°", "running": "en cours",
        "schema": "schéma", "scope": "périmètre", "seats": "places", "seed": "graine", "sensitive": "données sensibles",
        "sent": "envoyés", "session": "session", "sessions": "sessions", "shortlist": "présélection", "skipped": "non contactés",
        "source": "source", "sources": "sources", "status": "étape", "subject": "objet filtré", "summary": "résumé",
        "target": "cible", "total": "total", "total_hours": "heures au total", "unchanged": "inchangés", "updated": "mis à jour",
        "users": "utilisateurs", "value": "valeur", "via": "depuis",
        "sha256": "empreinte SHA-256", "octets": "taille en octets",
        "tables": "tables concernées", "classements": "classements", "evenements": "événements du journal",
        "effacements": "effacé", "anciens_evenements": "événements antérieurs nommant la personne",
        "limite_dossiers": "dossiers inactifs avant le", "limite_sms": "SMS antérieurs au", "dossiers": "dossiers à effacer",
        "sms_anciens": "SMS à effacer", "simulation": "simulation", "sms_effaces": "SMS effacés",
        "application": "candidatures", "application_withdrawn": "candidatures retirées", "audit_person": "pseudonymes du journal",
        "audit_personal_value": "textes du journal", "decision": "décisions",
        "fact_review": "faits relus", "ranking_run": "classements", "sms_message": "SMS",
        "suspension": "suspension n°", "suspendu": "suspendu", "en_attente": "SMS en attente", "suspendu_par": "suspendu par", "suspendu_le": "suspendu le",
        "duree_minutes": "durée (minutes)",
    ]

    /// The French name of a payload field; an unknown one (a newer version's) keeps its code, marked.
    public static func payloadKey(_ key: String) -> String {
        payloadKeys[key] ?? "champ « \(key) »"
    }

    /// A payload value in French where it is a code: the decision's nature,
    /// its reason, a pipeline step, yes or no.
    public static func payloadValue(key: String, _ value: JSONValue) -> String {
        switch (key, value) {
        case ("kind", .string(let code)): return decisionKinds[code] ?? code
        case ("reason", .string(let code)): return reason(code)
        case ("status", .string(let code)), ("previous_status", .string(let code)): return PipelineStatus(rawValue: code)?.label ?? code
        case ("change", .string("created")): return "création"
        case ("change", .string("updated")): return "mise à jour"
        case ("outcome", .string("duplicate")): return "doublon ignoré"
        case (_, .bool(let b)): return b ? "oui" : "non"
        case (_, .null): return "—"
        case (_, .string(let s)): return s
        case (_, .int(let n)): return String(n)
        case (_, .array(let items)): return items.map { payloadValue(key: key, $0) }.joined(separator: ", ")
        case (_, .object(let fields)):
            return fields.keys.sorted().map { "\(payloadKey($0)) = \(payloadValue(key: $0, fields[$0]!))" }.joined(separator: ", ")
        }
    }

    /// An event's payload, field by field, in French and in key order.
    public static func payloadFields(_ text: String) -> [(label: String, value: String)] {
        guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return [] }
        return fields.keys.sorted().map { (payloadKey($0), payloadValue(key: $0, fields[$0]!)) }
    }

    /// A payload field's value, or nil when absent or not one.
    public static func payload(_ text: String) -> [String: JSONValue] {
        guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return [:] }
        return fields
    }
}
