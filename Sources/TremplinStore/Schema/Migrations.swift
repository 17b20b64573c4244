import GRDB

/// Named, forward-only schema steps. A step, once released, is never edited:
/// a change is a new step appended at the end, so every database in the
/// field reaches the same schema by the same path.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-23 reference data", migrate: referenceData)
        migrator.registerMigration("2026-11-23 agencies and users", migrate: agenciesAndUsers)
        migrator.registerMigration("2026-11-23 candidates", migrate: candidates)
        migrator.registerMigration("2026-11-23 training sessions", migrate: sessions)
        migrator.registerMigration("2026-11-23 applications and decisions", migrate: applicationsAndDecisions)
        migrator.registerMigration("2026-11-23 audit log", migrate: auditLog)
        migrator.registerMigration("2026-11-23 append-only guards", migrate: appendOnlyGuards)
        migrator.registerMigration("2026-11-23 ranking runs", migrate: rankingRuns)
        migrator.registerMigration("2026-11-23 sms outreach", migrate: outreach)
        migrator.registerMigration("2026-12-07 assistant fact reviews", migrate: factReviews)
        migrator.registerMigration("2026-12-07 spooled read logs", migrate: spooledReadLogs)
        migrator.registerMigration("2026-12-07 draft sessions without seats or hours", migrate: draftSessions)
        migrator.registerMigration("2026-12-07 signed audit checkpoints", migrate: auditCheckpoints)
        migrator.registerMigration("2026-12-08 committee evidence", migrate: committeeEvidence)
        migrator.registerMigration("2026-12-09 outreach stop switch", migrate: outreachStopSwitch)
        migrator.registerMigration("2026-12-09 people's rights", migrate: peoplesRights)
        return migrator
    }

    private static func referenceData(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE commune (
                insee TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                postal_code TEXT NOT NULL,
                departement TEXT NOT NULL,
                latitude REAL NOT NULL,
                longitude REAL NOT NULL,
                population INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE commune_postal_code (
                insee TEXT NOT NULL REFERENCES commune(insee),
                postal_code TEXT NOT NULL,
                PRIMARY KEY (insee, postal_code)
            ) WITHOUT ROWID;
            CREATE TABLE rome_domain (code TEXT PRIMARY KEY NOT NULL, label TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE rome_professional_domain (
                code TEXT PRIMARY KEY NOT NULL,
                label TEXT NOT NULL,
                domain TEXT NOT NULL REFERENCES rome_domain(code)
            ) WITHOUT ROWID;
            CREATE TABLE rome_job (
                code TEXT PRIMARY KEY NOT NULL,
                label TEXT NOT NULL,
                parent_v3 TEXT NOT NULL,
                professional_domain TEXT NOT NULL REFERENCES rome_professional_domain(code)
            ) WITHOUT ROWID;
            """)
    }

    private static func agenciesAndUsers(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE agency (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                commune_insee TEXT NOT NULL REFERENCES commune(insee)
            );
            CREATE TABLE app_user (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('conseiller', 'superviseur', 'admin')),
                agency_id TEXT REFERENCES agency(id)
            );
            """)
    }

    private static func candidates(_ db: Database) throws {
        // List-valued facts that are only read with their candidate
        // (certifications, unavailability, children) are compact text columns;
        // wishes get their own table because session queues search by ROME
        // code. WITHOUT ROWID: candidates are found by identifier, and one
        // B-tree instead of a table plus its key index halves bulk-load work.
        try db.execute(sql: """
            CREATE TABLE candidate (
                id TEXT PRIMARY KEY NOT NULL,
                first_name TEXT NOT NULL,
                last_name TEXT NOT NULL,
                phone TEXT,
                email TEXT,
                commune_insee TEXT NOT NULL REFERENCES commune(insee),
                agency_id TEXT NOT NULL REFERENCES agency(id),
                counsellor_id TEXT REFERENCES app_user(id),
                registered_on TEXT NOT NULL,
                diploma_level INTEGER NOT NULL,
                certifications TEXT NOT NULL DEFAULT '[]',
                has_vehicle INTEGER NOT NULL,
                uses_public_transport INTEGER NOT NULL,
                max_travel_minutes INTEGER NOT NULL,
                available_from TEXT NOT NULL,
                unavailable TEXT NOT NULL DEFAULT '[]',
                children_birth_years TEXT NOT NULL DEFAULT '[]',
                childcare_solution INTEGER NOT NULL,
                sms_consent TEXT NOT NULL,
                sms_consent_at TEXT,
                sms_consent_channel TEXT,
                assistant_consent TEXT NOT NULL,
                assistant_consent_at TEXT,
                assistant_consent_channel TEXT,
                prerequisites_score INTEGER,
                prerequisites_at TEXT,
                prerequisites_source TEXT,
                motivation_score INTEGER,
                motivation_at TEXT,
                motivation_source TEXT
            ) WITHOUT ROWID;
            CREATE INDEX candidate_agency ON candidate(agency_id);
            CREATE TABLE candidate_wish (
                candidate_id TEXT NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,
                priority INTEGER NOT NULL,
                rome_code TEXT NOT NULL REFERENCES rome_job(code),
                since TEXT NOT NULL,
                PRIMARY KEY (candidate_id, priority)
            ) WITHOUT ROWID;
            CREATE INDEX candidate_wish_rome ON candidate_wish(rome_code);
            -- Protected attributes, for fairness monitoring only. Nothing that
            -- builds ranking inputs reads this table.
            CREATE TABLE candidate_sensitive (
                candidate_id TEXT PRIMARY KEY NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,
                sex TEXT CHECK (sex IN ('F', 'M', 'X')),
                birth_year INTEGER,
                rqth INTEGER,
                qpv_resident INTEGER
            ) WITHOUT ROWID;
            """)
    }

    private static func sessions(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE training_session (
                id TEXT PRIMARY KEY NOT NULL,
                title TEXT NOT NULL,
                rome_codes TEXT NOT NULL,
                provider_name TEXT NOT NULL,
                provider_siret TEXT,
                commune_insee TEXT NOT NULL REFERENCES commune(insee),
                address TEXT NOT NULL,
                start_date TEXT NOT NULL,
                end_date TEXT NOT NULL,
                schedule TEXT NOT NULL,
                total_hours INTEGER NOT NULL,
                seats INTEGER NOT NULL CHECK (seats > 0),
                minimum_to_open INTEGER NOT NULL,
                minimum_diploma INTEGER NOT NULL,
                required_certifications TEXT NOT NULL DEFAULT '[]',
                positioning_test INTEGER NOT NULL,
                minimum_age INTEGER,
                funding TEXT NOT NULL,
                registration_deadline TEXT,
                status TEXT NOT NULL,
                CHECK (end_date >= start_date)
            );
            CREATE INDEX training_session_start ON training_session(start_date);
            """)
    }

    private static func applicationsAndDecisions(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE application (
                id INTEGER PRIMARY KEY,
                candidate_id TEXT NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,
                session_id TEXT NOT NULL REFERENCES training_session(id) ON DELETE CASCADE,
                status TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (candidate_id, session_id)
            );
            CREATE INDEX application_session ON application(session_id, status);
            CREATE TABLE application_transition (
                application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                step INTEGER NOT NULL,
                status TEXT NOT NULL,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                PRIMARY KEY (application_id, step)
            ) WITHOUT ROWID;
            CREATE TABLE decision (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES training_session(id),
                candidate_id TEXT NOT NULL REFERENCES candidate(id),
                kind TEXT NOT NULL,
                pinned_rank INTEGER,
                overridden_rule TEXT,
                reason TEXT NOT NULL,
                justification TEXT NOT NULL CHECK (length(trim(justification)) >= 15),
                author TEXT NOT NULL REFERENCES app_user(id),
                at TEXT NOT NULL,
                ranking_run_id TEXT
            );
            CREATE INDEX decision_session ON decision(session_id, candidate_id);
            """)
    }

    private static func auditLog(_ db: Database) throws {
        // Append-only: triggers refuse any UPDATE or DELETE. An attacker
        // with the file can drop them, which is why each row also carries a
        // hash chained to the previous one (see AuditChain).
        try db.execute(sql: """
            CREATE TABLE audit_event (
                seq INTEGER PRIMARY KEY NOT NULL,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                payload TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE INDEX audit_event_subject ON audit_event(subject);
            CREATE INDEX audit_event_actor ON audit_event(actor, seq);
            CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END;
            CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END;
            """)
    }

    private static func appendOnlyGuards(_ db: Database) throws {
        // INSERT OR REPLACE deletes a row without firing DELETE triggers:
        // every insert must extend the chain at its head instead.
        try db.execute(sql: """
            CREATE TRIGGER audit_event_append_at_head BEFORE INSERT ON audit_event
            WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM audit_event)
              OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1), '\(AuditChain.genesisHash)')
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: an event must follow the head of the chain'); END;
            CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision
            BEGIN SELECT RAISE(ABORT, 'decision is append-only: UPDATE refused'); END;
            CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision
            BEGIN SELECT RAISE(ABORT, 'decision is append-only: DELETE refused'); END;
            CREATE TRIGGER app_user_counsellor_agency_insert BEFORE INSERT ON app_user
            WHEN NEW.role = 'conseiller' AND NEW.agency_id IS NULL
            BEGIN SELECT RAISE(ABORT, 'a counsellor belongs to an agency'); END;
            CREATE TRIGGER app_user_counsellor_agency_update BEFORE UPDATE ON app_user
            WHEN NEW.role = 'conseiller' AND NEW.agency_id IS NULL
            BEGIN SELECT RAISE(ABORT, 'a counsellor belongs to an agency'); END;
            """)
    }

    /// Every ranking run, with the policy it ran with and every contribution
    /// (canonical JSON), so any result can be re-read and reproduced. Runs and
    /// policies are append-only like decisions.
    private static func rankingRuns(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ranking_policy (
                version TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                content TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE ranking_run (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES training_session(id),
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                ranked_on TEXT NOT NULL,
                policy_version TEXT NOT NULL REFERENCES ranking_policy(version),
                input_digest TEXT NOT NULL,
                output_digest TEXT NOT NULL,
                considered INTEGER NOT NULL,
                eligible INTEGER NOT NULL,
                shortlist_size INTEGER NOT NULL,
                output TEXT NOT NULL
            );
            CREATE INDEX ranking_run_session ON ranking_run(session_id, id);
            CREATE TRIGGER ranking_run_no_update BEFORE UPDATE ON ranking_run
            BEGIN SELECT RAISE(ABORT, 'ranking_run is append-only: UPDATE refused'); END;
            CREATE TRIGGER ranking_run_no_delete BEFORE DELETE ON ranking_run
            BEGIN SELECT RAISE(ABORT, 'ranking_run is append-only: DELETE refused'); END;
            CREATE TRIGGER ranking_policy_no_update BEFORE UPDATE ON ranking_policy
            BEGIN SELECT RAISE(ABORT, 'ranking_policy is append-only: UPDATE refused'); END;
            CREATE TRIGGER ranking_policy_no_delete BEFORE DELETE ON ranking_policy
            BEGIN SELECT RAISE(ABORT, 'ranking_policy is append-only: DELETE refused'); END;
            """)
    }

    /// Campaigns, one conversation per candidate and session, and every SMS
    /// in and out. An inbound message is stored before it is acknowledged;
    /// the gateway's reference is unique per direction, so a retried delivery
    /// is recognised and processed once.
    private static func outreach(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE campaign (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES training_session(id),
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('ouverte', 'close'))
            );
            CREATE TABLE conversation (
                id INTEGER PRIMARY KEY,
                campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                session_id TEXT NOT NULL REFERENCES training_session(id),
                candidate_id TEXT NOT NULL REFERENCES candidate(id),
                phone TEXT NOT NULL,
                status TEXT NOT NULL,
                state TEXT NOT NULL,
                summary TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                last_inbound_at TEXT,
                UNIQUE (session_id, candidate_id)
            );
            CREATE INDEX conversation_phone ON conversation(phone, status);
            CREATE INDEX conversation_candidate ON conversation(candidate_id);
            CREATE TABLE sms_message (
                id INTEGER PRIMARY KEY,
                conversation_id INTEGER REFERENCES conversation(id),
                direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                phone TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                gateway_ref TEXT,
                created_at TEXT NOT NULL,
                due_at TEXT,
                sent_at TEXT,
                delivered_at TEXT,
                outcome TEXT,
                UNIQUE (direction, gateway_ref)
            );
            CREATE INDEX sms_due ON sms_message(status, due_at) WHERE direction = 'out';
            CREATE INDEX sms_conversation ON sms_message(conversation_id, id);
            """)
    }

    /// A counsellor's verdict on a fact the assistant read that differs from
    /// the record: confirmed (the record was updated from the message) or
    /// dismissed. One verdict per fact; the audit log keeps who and when too.
    private static func factReviews(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE fact_review (
                id INTEGER PRIMARY KEY,
                conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                message_id INTEGER NOT NULL,
                fact_key TEXT NOT NULL,
                fact_value TEXT NOT NULL,
                decision TEXT NOT NULL CHECK (decision IN ('confirme', 'ecarte')),
                user_id TEXT NOT NULL,
                at TEXT NOT NULL,
                UNIQUE (conversation_id, message_id, fact_key, fact_value)
            );
            CREATE INDEX fact_review_conversation ON fact_review(conversation_id);
            """)
    }

    /// Readings folded into the chain from the spool (`ReadLogSpool`): a
    /// file still on disk after a crash is never logged twice.
    private static func spooledReadLogs(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_spool_applied (
                id TEXT PRIMARY KEY,
                seq INTEGER NOT NULL
            ) WITHOUT ROWID;
            """)
    }

    /// LHEO makes a session's seats and hours optional: such a session is
    /// imported as a draft to complete, its missing facts NULL. Only a draft
    /// may lack them, so nothing open is ever offered without seats. SQLite
    /// cannot relax a column in place: the table is rebuilt (foreign keys are
    /// off during a migration and checked after it).
    private static func draftSessions(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE training_session_new (
                id TEXT PRIMARY KEY NOT NULL,
                title TEXT NOT NULL,
                rome_codes TEXT NOT NULL,
                provider_name TEXT NOT NULL,
                provider_siret TEXT,
                commune_insee TEXT NOT NULL REFERENCES commune(insee),
                address TEXT NOT NULL,
                start_date TEXT NOT NULL,
                end_date TEXT NOT NULL,
                schedule TEXT NOT NULL,
                total_hours INTEGER,
                seats INTEGER CHECK (seats IS NULL OR seats > 0),
                minimum_to_open INTEGER NOT NULL,
                minimum_diploma INTEGER NOT NULL,
                required_certifications TEXT NOT NULL DEFAULT '[]',
                positioning_test INTEGER NOT NULL,
                minimum_age INTEGER,
                funding TEXT NOT NULL,
                registration_deadline TEXT,
                status TEXT NOT NULL,
                CHECK (end_date >= start_date),
                CHECK (status = 'brouillon' OR (seats IS NOT NULL AND total_hours IS NOT NULL))
            );
            INSERT INTO training_session_new SELECT id, title, rome_codes, provider_name, provider_siret, commune_insee, address,
                start_date, end_date, schedule, total_hours, seats, minimum_to_open, minimum_diploma, required_certifications,
                positioning_test, minimum_age, funding, registration_deadline, status FROM training_session;
            DROP TABLE training_session;
            ALTER TABLE training_session_new RENAME TO training_session;
            CREATE INDEX training_session_start ON training_session(start_date);
            """)
    }

    /// Signed heads of the audit chain (see AuditCheckpoints). Append-only
    /// like the chain; the signatures, not the triggers, are the protection.
    private static func auditCheckpoints(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_checkpoint (
                seq INTEGER PRIMARY KEY NOT NULL,
                made_at TEXT NOT NULL,
                event_count INTEGER NOT NULL,
                head_hash TEXT NOT NULL,
                public_key TEXT NOT NULL,
                signature TEXT NOT NULL
            );
            CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
            BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only: UPDATE refused'); END;
            CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
            BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only: DELETE refused'); END;
            """)
    }

    /// What the steering and ethics committees read: an « éthique » role
    /// (aggregates only), a nationality group among the protected attributes
    /// (fairness monitoring only), why an application ended after a
    /// convocation (the training's outcome as providers report it), when a
    /// session was opened to candidates (time to match), and the scenario
    /// lab's results, kept so the committee report shows the latest.
    private static func committeeEvidence(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE app_user_new (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('conseiller', 'superviseur', 'admin', 'ethique')),
                agency_id TEXT REFERENCES agency(id)
            );
            INSERT INTO app_user_new SELECT id, name, role, agency_id FROM app_user;
            DROP TABLE app_user;
            ALTER TABLE app_user_new RENAME TO app_user;
            CREATE TRIGGER app_user_counsellor_agency_insert BEFORE INSERT ON app_user
            WHEN NEW.role = 'conseiller' AND NEW.agency_id IS NULL
            BEGIN SELECT RAISE(ABORT, 'a counsellor belongs to an agency'); END;
            CREATE TRIGGER app_user_counsellor_agency_update BEFORE UPDATE ON app_user
            WHEN NEW.role = 'conseiller' AND NEW.agency_id IS NULL
            BEGIN SELECT RAISE(ABORT, 'a counsellor belongs to an agency'); END;
            ALTER TABLE candidate_sensitive ADD COLUMN nationality TEXT CHECK (nationality IN ('FR', 'UE', 'HORS_UE'));
            ALTER TABLE application_transition ADD COLUMN reason TEXT;
            ALTER TABLE training_session ADD COLUMN opened_at TEXT;
            CREATE TABLE scenario_run (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                scenario TEXT NOT NULL,
                runs INTEGER NOT NULL,
                seed INTEGER NOT NULL,
                result TEXT NOT NULL
            );
            """)
    }

    /// The stop switch of automated outreach (AI Act art. 14): one row per
    /// suspension, with who suspended, when and why, and who resumed, when
    /// and why. At most one is in force (not resumed); while one is, no SMS
    /// is claimed for sending. A row's suspension is never rewritten, and
    /// its resumption is written once.
    private static func outreachStopSwitch(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE outreach_suspension (
                id INTEGER PRIMARY KEY,
                suspended_at TEXT NOT NULL,
                suspended_by TEXT NOT NULL,
                reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
                resumed_at TEXT,
                resumed_by TEXT,
                resume_reason TEXT,
                CHECK ((resumed_at IS NULL) = (resumed_by IS NULL))
            );
            CREATE UNIQUE INDEX outreach_suspension_in_force ON outreach_suspension(ifnull(resumed_at, '')) WHERE resumed_at IS NULL;
            CREATE TRIGGER outreach_suspension_written_once BEFORE UPDATE ON outreach_suspension
            WHEN OLD.resumed_at IS NOT NULL OR NEW.suspended_at IS NOT OLD.suspended_at OR NEW.suspended_by IS NOT OLD.suspended_by
              OR NEW.reason IS NOT OLD.reason OR NEW.id IS NOT OLD.id
            BEGIN SELECT RAISE(ABORT, 'outreach_suspension: a suspension is never rewritten, and resumed once'); END;
            """)
    }
    /// What erasure (GDPR art. 17) needs while the audit chain still verifies.
    /// - `audit_person`: each person's pseudonym in the chain (`pers-…`, a
    ///   salted hash of their identifier); events name people only by it.
    /// - `audit_personal_value`: free text about a person (a justification,
    ///   their words) committed in events as `val-…`, a salted hash; the value
    ///   lives here and goes with the person. Salts keep a guessable value (a
    ///   phone number) from being found again by hashing candidates.
    /// - `candidate_seen`: the last import that brought each person's record
    ///   (retention counts from the last activity; bases migrated count from today).
    /// - `ranking_run_member`: who each stored run names (erasure finds them there).
    /// - `audit_vault_start`: the last event written before the vault; only
    ///   those can name a person in clear.
    /// - `erasure`: who was erased when, under a random pseudonym that takes
    ///   their place in decisions, applications and conversations so the
    ///   committees' figures keep them, without them.
    /// Applications, decisions and conversations are rebuilt without the
    /// foreign key to `candidate`: they outlive the person's record.
    private static func peoplesRights(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_person (
                token TEXT PRIMARY KEY NOT NULL,
                candidate_id TEXT NOT NULL UNIQUE,
                salt BLOB
            ) WITHOUT ROWID;
            CREATE TABLE audit_personal_value (
                token TEXT PRIMARY KEY NOT NULL,
                person TEXT NOT NULL,
                salt BLOB NOT NULL,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX audit_personal_value_person ON audit_personal_value(person);
            -- Texts of someone else's record that named an erased person, removed with them.
            CREATE TABLE audit_value_redacted (
                token TEXT PRIMARY KEY NOT NULL,
                erasure TEXT NOT NULL REFERENCES erasure(pseudonym)
            ) WITHOUT ROWID;
            CREATE TABLE erasure (
                pseudonym TEXT PRIMARY KEY NOT NULL,
                agency_id TEXT,
                erased_at TEXT NOT NULL,
                actor TEXT NOT NULL,
                reason TEXT NOT NULL CHECK (reason IN ('demande', 'conservation'))
            );
            ALTER TABLE ranking_run ADD COLUMN redacted_at TEXT;
            CREATE TABLE candidate_seen (
                candidate_id TEXT PRIMARY KEY NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,
                seen_on TEXT NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO candidate_seen SELECT id, date('now') FROM candidate;
            CREATE TABLE ranking_run_member (
                candidate_id TEXT NOT NULL,
                run_id INTEGER NOT NULL REFERENCES ranking_run(id),
                PRIMARY KEY (candidate_id, run_id)
            ) WITHOUT ROWID;
            INSERT OR IGNORE INTO ranking_run_member (candidate_id, run_id)
            SELECT json_extract(e.value, '$.id'), r.id FROM ranking_run r, json_each(r.output, '$.candidats') e
            WHERE json_extract(e.value, '$.id') IS NOT NULL;
            CREATE TABLE audit_vault_start (legacy_until INTEGER NOT NULL);
            INSERT INTO audit_vault_start SELECT coalesce(max(seq), 0) FROM audit_event;
            CREATE INDEX sms_message_phone ON sms_message(phone) WHERE conversation_id IS NULL;

            CREATE TABLE application_new (
                id INTEGER PRIMARY KEY,
                candidate_id TEXT NOT NULL,
                session_id TEXT NOT NULL REFERENCES training_session(id) ON DELETE CASCADE,
                status TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (candidate_id, session_id)
            );
            INSERT INTO application_new SELECT id, candidate_id, session_id, status, updated_at FROM application;
            DROP TABLE application;
            ALTER TABLE application_new RENAME TO application;
            CREATE INDEX application_session ON application(session_id, status);

            CREATE TABLE decision_new (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES training_session(id),
                candidate_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                pinned_rank INTEGER,
                overridden_rule TEXT,
                reason TEXT NOT NULL,
                justification TEXT NOT NULL CHECK (length(trim(justification)) >= 15),
                author TEXT NOT NULL REFERENCES app_user(id),
                at TEXT NOT NULL,
                ranking_run_id TEXT
            );
            INSERT INTO decision_new SELECT id, session_id, candidate_id, kind, pinned_rank, overridden_rule, reason, justification,
                author, at, ranking_run_id FROM decision;
            DROP TABLE decision;
            ALTER TABLE decision_new RENAME TO decision;
            CREATE INDEX decision_session ON decision(session_id, candidate_id);
            CREATE INDEX decision_candidate ON decision(candidate_id);
            \(decisionGuards)

            CREATE TABLE conversation_new (
                id INTEGER PRIMARY KEY,
                campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                session_id TEXT NOT NULL REFERENCES training_session(id),
                candidate_id TEXT NOT NULL,
                phone TEXT NOT NULL,
                status TEXT NOT NULL,
                state TEXT NOT NULL,
                summary TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                last_inbound_at TEXT,
                UNIQUE (session_id, candidate_id)
            );
            INSERT INTO conversation_new SELECT id, campaign_id, session_id, candidate_id, phone, status, state, summary, created_at,
                updated_at, last_inbound_at FROM conversation;
            DROP TABLE conversation;
            ALTER TABLE conversation_new RENAME TO conversation;
            CREATE INDEX conversation_phone ON conversation(phone, status);
            CREATE INDEX conversation_candidate ON conversation(candidate_id);
            CREATE INDEX application_candidate ON application(candidate_id);
            """)
    }

    /// Decisions are append-only. Erasure alone lifts the guard, inside its
    /// own transaction, to put a pseudonym in the person's place.
    static let decisionGuards = """
        CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision
        BEGIN SELECT RAISE(ABORT, 'decision is append-only: UPDATE refused'); END;
        CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision
        BEGIN SELECT RAISE(ABORT, 'decision is append-only: DELETE refused'); END;
        """
    static let rankingRunGuard = """
        CREATE TRIGGER ranking_run_no_update BEFORE UPDATE ON ranking_run
        BEGIN SELECT RAISE(ABORT, 'ranking_run is append-only: UPDATE refused'); END;
        """
}
