import TremplinCore
/// Tremplin's schema on PostgreSQL: the same tables and columns as on SQLite
/// (text dates, whole numbers, JSON as text — so that a base moves across
/// byte for byte and the audit chain hashes the same bytes), plus what a
/// shared server must enforce by itself:
///
/// - roles: `tremplin_app` (every person's connection: rows of their own
///   agency only), `tremplin_shared_login` (a login shared by workstations,
///   which states its user with `tremplin.user`; a personal login IS its
///   user and cannot claim another), `tremplin_service` (`serve`, sessions
///   imports: every agency), `tremplin_rights` (erasure and retention); a
///   candidates import runs in the importing person's own connection, under
///   its policies;
/// - privileges: audit tables, decisions, stored runs and policies are
///   INSERT and SELECT only for the application; nobody but their owner
///   TRUNCATEs anything;
/// - triggers: the same append-only guards (they also stop the owner), the
///   chain extended only at its head under a transaction lock, and seats:
///   an application enters a seat-holding status only while one is free,
///   checked under a lock on the session's row (SQLSTATE TR001);
/// - row-level security on candidates, their wishes, protected attributes,
///   applications, pipeline steps, decisions, conversations and SMS;
/// - NOTIFY `tremplin` after each statement that changes what screens show.
public enum PostgresSchema {
    /// The SQLite migration this layout matches (the last one applied).
    public static let layout = "2026-12-09 people's rights"
    /// Revision of the PostgreSQL-only parts (roles, policies, triggers).
    /// 3: ranking, « Ma journée » and the interface on the region's base
    /// (definer functions for every agency's figures, notifications naming
    /// the writer, every step of an application only with its decision), and candidates
    /// imported in a person's connection (holders of identifiers and new
    /// people's pseudonyms asked in bulk).
    public static let revision = 4

    /// Every table, parents before children: the order a copy fills them.
    public static let tables = [
        "commune", "commune_postal_code", "rome_domain", "rome_professional_domain", "rome_job",
        "agency", "app_user", "candidate", "candidate_wish", "candidate_sensitive", "candidate_seen",
        "training_session", "ranking_policy", "ranking_run", "ranking_run_member",
        "application", "application_transition", "decision", "campaign", "conversation", "sms_message", "fact_review",
        "scenario_run", "outreach_suspension", "erasure",
        "audit_event", "audit_checkpoint", "audit_spool_applied", "audit_vault_start",
        "audit_person", "audit_personal_value", "audit_value_redacted",
    ]

    /// Tables whose `id` is generated: their sequence follows a copy.
    public static let identityTables = ["ranking_run", "application", "decision", "campaign", "conversation", "sms_message",
                                        "fact_review", "scenario_run", "outreach_suspension"]

    /// Tables the application may only add to and read.
    public static let appendOnly = ["audit_event", "audit_checkpoint", "decision", "ranking_run", "ranking_policy"]

    /// Tables under row-level security (a person's agency).
    public static let agencyScoped = ["candidate", "candidate_wish", "candidate_sensitive", "candidate_seen", "application",
                                      "application_transition", "decision", "conversation", "sms_message", "fact_review"]

    /// Cluster-wide roles, created when absent (needs CREATEROLE).
    static let roles = """
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tremplin_app') THEN CREATE ROLE tremplin_app NOLOGIN; END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tremplin_shared_login') THEN CREATE ROLE tremplin_shared_login NOLOGIN; END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tremplin_service') THEN CREATE ROLE tremplin_service NOLOGIN IN ROLE tremplin_app; END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tremplin_rights') THEN CREATE ROLE tremplin_rights NOLOGIN IN ROLE tremplin_app; END IF;
        END $$;
        """

    static let tablesSQL = """
        CREATE TABLE tremplin_schema (
            layout TEXT NOT NULL,
            revision BIGINT NOT NULL,
            installed_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        -- The digest of each Tremplin function and row-level policy as
        -- installed: doctor tells a rule rewritten since from the original.
        CREATE TABLE tremplin_definition (name TEXT PRIMARY KEY, digest TEXT NOT NULL);
        CREATE TABLE commune (
            insee TEXT PRIMARY KEY, name TEXT NOT NULL, postal_code TEXT NOT NULL, departement TEXT NOT NULL,
            latitude DOUBLE PRECISION NOT NULL, longitude DOUBLE PRECISION NOT NULL, population BIGINT NOT NULL
        );
        CREATE TABLE commune_postal_code (
            insee TEXT NOT NULL REFERENCES commune(insee), postal_code TEXT NOT NULL, PRIMARY KEY (insee, postal_code)
        );
        CREATE TABLE rome_domain (code TEXT PRIMARY KEY, label TEXT NOT NULL);
        CREATE TABLE rome_professional_domain (code TEXT PRIMARY KEY, label TEXT NOT NULL, domain TEXT NOT NULL REFERENCES rome_domain(code));
        CREATE TABLE rome_job (
            code TEXT PRIMARY KEY, label TEXT NOT NULL, parent_v3 TEXT NOT NULL,
            professional_domain TEXT NOT NULL REFERENCES rome_professional_domain(code)
        );
        CREATE TABLE agency (id TEXT PRIMARY KEY, name TEXT NOT NULL, commune_insee TEXT NOT NULL REFERENCES commune(insee));
        CREATE TABLE app_user (
            id TEXT PRIMARY KEY, name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('conseiller', 'superviseur', 'admin', 'ethique')),
            agency_id TEXT REFERENCES agency(id),
            CHECK (role <> 'conseiller' OR agency_id IS NOT NULL)
        );
        -- People's identifiers in byte order (COLLATE "C") as SQLite compares them,
        -- whatever the server's locale: matching reads them in SQLite's order, by the index.
        CREATE TABLE candidate (
            id TEXT COLLATE "C" PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, phone TEXT, email TEXT,
            commune_insee TEXT NOT NULL REFERENCES commune(insee), agency_id TEXT NOT NULL REFERENCES agency(id),
            counsellor_id TEXT REFERENCES app_user(id), registered_on TEXT NOT NULL, diploma_level BIGINT NOT NULL,
            certifications TEXT NOT NULL DEFAULT '[]', has_vehicle BIGINT NOT NULL, uses_public_transport BIGINT NOT NULL,
            max_travel_minutes BIGINT NOT NULL, available_from TEXT NOT NULL, unavailable TEXT NOT NULL DEFAULT '[]',
            children_birth_years TEXT NOT NULL DEFAULT '[]', childcare_solution BIGINT NOT NULL,
            sms_consent TEXT NOT NULL, sms_consent_at TEXT, sms_consent_channel TEXT,
            assistant_consent TEXT NOT NULL, assistant_consent_at TEXT, assistant_consent_channel TEXT,
            prerequisites_score BIGINT, prerequisites_at TEXT, prerequisites_source TEXT,
            motivation_score BIGINT, motivation_at TEXT, motivation_source TEXT
        );
        CREATE INDEX candidate_agency ON candidate(agency_id);
        CREATE TABLE candidate_wish (
            candidate_id TEXT COLLATE "C" NOT NULL REFERENCES candidate(id) ON DELETE CASCADE, priority BIGINT NOT NULL,
            rome_code TEXT NOT NULL REFERENCES rome_job(code), since TEXT NOT NULL, PRIMARY KEY (candidate_id, priority)
        );
        CREATE INDEX candidate_wish_rome ON candidate_wish(rome_code);
        CREATE TABLE candidate_sensitive (
            candidate_id TEXT COLLATE "C" PRIMARY KEY REFERENCES candidate(id) ON DELETE CASCADE,
            sex TEXT CHECK (sex IN ('F', 'M', 'X')), birth_year BIGINT, rqth BIGINT, qpv_resident BIGINT,
            nationality TEXT CHECK (nationality IN ('FR', 'UE', 'HORS_UE'))
        );
        CREATE TABLE candidate_seen (
            candidate_id TEXT PRIMARY KEY REFERENCES candidate(id) ON DELETE CASCADE, seen_on TEXT NOT NULL
        );
        CREATE TABLE training_session (
            id TEXT PRIMARY KEY, title TEXT NOT NULL, rome_codes TEXT NOT NULL, provider_name TEXT NOT NULL, provider_siret TEXT,
            commune_insee TEXT NOT NULL REFERENCES commune(insee), address TEXT NOT NULL, start_date TEXT NOT NULL,
            end_date TEXT NOT NULL, schedule TEXT NOT NULL, total_hours BIGINT,
            seats BIGINT CHECK (seats IS NULL OR seats > 0), minimum_to_open BIGINT NOT NULL, minimum_diploma BIGINT NOT NULL,
            required_certifications TEXT NOT NULL DEFAULT '[]', positioning_test BIGINT NOT NULL, minimum_age BIGINT,
            funding TEXT NOT NULL, registration_deadline TEXT, status TEXT NOT NULL, opened_at TEXT,
            CHECK (end_date >= start_date),
            CHECK (status = 'brouillon' OR (seats IS NOT NULL AND total_hours IS NOT NULL))
        );
        CREATE INDEX training_session_start ON training_session(start_date);
        CREATE TABLE ranking_policy (version TEXT PRIMARY KEY, name TEXT NOT NULL, content TEXT NOT NULL);
        CREATE TABLE ranking_run (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES training_session(id), at TEXT NOT NULL, actor TEXT NOT NULL,
            ranked_on TEXT NOT NULL, policy_version TEXT NOT NULL REFERENCES ranking_policy(version),
            input_digest TEXT NOT NULL, output_digest TEXT NOT NULL, considered BIGINT NOT NULL, eligible BIGINT NOT NULL,
            shortlist_size BIGINT NOT NULL, output TEXT NOT NULL, redacted_at TEXT
        );
        CREATE INDEX ranking_run_session ON ranking_run(session_id, id);
        CREATE TABLE ranking_run_member (
            candidate_id TEXT NOT NULL, run_id BIGINT NOT NULL REFERENCES ranking_run(id), PRIMARY KEY (candidate_id, run_id)
        );
        CREATE TABLE application (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, candidate_id TEXT NOT NULL,
            session_id TEXT NOT NULL REFERENCES training_session(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN (\(PostgresSchema.pipelineStatuses))), updated_at TEXT NOT NULL, UNIQUE (candidate_id, session_id)
        );
        CREATE INDEX application_session ON application(session_id, status);
        CREATE INDEX application_candidate ON application(candidate_id);
        CREATE TABLE application_transition (
            application_id BIGINT NOT NULL REFERENCES application(id) ON DELETE CASCADE, step BIGINT NOT NULL,
            status TEXT NOT NULL CHECK (status IN (\(PostgresSchema.pipelineStatuses))), at TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT,
            PRIMARY KEY (application_id, step)
        );
        CREATE TABLE decision (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES training_session(id), candidate_id TEXT NOT NULL, kind TEXT NOT NULL,
            pinned_rank BIGINT, overridden_rule TEXT, reason TEXT NOT NULL,
            justification TEXT NOT NULL CHECK (length(trim(justification)) >= 15),
            author TEXT NOT NULL REFERENCES app_user(id), at TEXT NOT NULL, ranking_run_id TEXT
        );
        CREATE INDEX decision_session ON decision(session_id, candidate_id);
        CREATE INDEX decision_candidate ON decision(candidate_id);
        CREATE TABLE campaign (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES training_session(id), created_by TEXT NOT NULL, created_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ouverte', 'close'))
        );
        CREATE TABLE conversation (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            campaign_id BIGINT NOT NULL REFERENCES campaign(id), session_id TEXT NOT NULL REFERENCES training_session(id),
            candidate_id TEXT NOT NULL, phone TEXT NOT NULL, status TEXT NOT NULL, state TEXT NOT NULL, summary TEXT,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_inbound_at TEXT, UNIQUE (session_id, candidate_id)
        );
        CREATE INDEX conversation_phone ON conversation(phone, status);
        CREATE INDEX conversation_candidate ON conversation(candidate_id);
        CREATE TABLE sms_message (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            conversation_id BIGINT REFERENCES conversation(id), direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            phone TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, gateway_ref TEXT, created_at TEXT NOT NULL,
            due_at TEXT, sent_at TEXT, delivered_at TEXT, outcome TEXT, UNIQUE (direction, gateway_ref)
        );
        CREATE INDEX sms_due ON sms_message(status, due_at) WHERE direction = 'out';
        CREATE INDEX sms_conversation ON sms_message(conversation_id, id);
        CREATE INDEX sms_message_phone ON sms_message(phone) WHERE conversation_id IS NULL;
        CREATE TABLE fact_review (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            conversation_id BIGINT NOT NULL REFERENCES conversation(id), message_id BIGINT NOT NULL,
            fact_key TEXT NOT NULL, fact_value TEXT NOT NULL, decision TEXT NOT NULL CHECK (decision IN ('confirme', 'ecarte')),
            user_id TEXT NOT NULL, at TEXT NOT NULL, UNIQUE (conversation_id, message_id, fact_key, fact_value)
        );
        CREATE INDEX fact_review_conversation ON fact_review(conversation_id);
        CREATE TABLE scenario_run (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
            scenario TEXT NOT NULL, runs BIGINT NOT NULL, seed BIGINT NOT NULL, result TEXT NOT NULL
        );
        CREATE TABLE outreach_suspension (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, suspended_at TEXT NOT NULL, suspended_by TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0), resumed_at TEXT, resumed_by TEXT, resume_reason TEXT,
            CHECK ((resumed_at IS NULL) = (resumed_by IS NULL))
        );
        CREATE UNIQUE INDEX outreach_suspension_in_force ON outreach_suspension ((resumed_at IS NULL)) WHERE resumed_at IS NULL;
        CREATE TABLE erasure (
            pseudonym TEXT PRIMARY KEY, agency_id TEXT, erased_at TEXT NOT NULL, actor TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (reason IN ('demande', 'conservation'))
        );
        CREATE TABLE audit_event (
            seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,
            payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
        );
        CREATE INDEX audit_event_subject ON audit_event(subject);
        CREATE INDEX audit_event_actor ON audit_event(actor, seq);
        CREATE TABLE audit_checkpoint (
            seq BIGINT PRIMARY KEY, made_at TEXT NOT NULL, event_count BIGINT NOT NULL, head_hash TEXT NOT NULL,
            public_key TEXT NOT NULL, signature TEXT NOT NULL
        );
        CREATE TABLE audit_spool_applied (id TEXT PRIMARY KEY, seq BIGINT NOT NULL);
        CREATE TABLE audit_vault_start (legacy_until BIGINT NOT NULL);
        CREATE TABLE audit_person (token TEXT PRIMARY KEY, candidate_id TEXT NOT NULL UNIQUE, salt BYTEA);
        CREATE TABLE audit_personal_value (token TEXT PRIMARY KEY, person TEXT NOT NULL, salt BYTEA NOT NULL, value TEXT NOT NULL);
        CREATE INDEX audit_personal_value_person ON audit_personal_value(person);
        CREATE TABLE audit_value_redacted (token TEXT PRIMARY KEY, erasure TEXT NOT NULL REFERENCES erasure(pseudonym));
        """

    /// The chain's canonical JSON string, byte for byte as Tremplin writes it
    /// (`JSONValue.writeString`), so that the server recomputes every event's
    /// hash. A raw string: the SQL is full of backslashes.
    static let jsonFunction = #"""
        CREATE FUNCTION tremplin_json_string(value text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE out text := replace(replace(value, '\', '\\'), '"', '\"'); code int;
        BEGIN
            out := replace(replace(replace(out, chr(10), '\n'), chr(13), '\r'), chr(9), '\t');
            IF out ~ '[\x01-\x1f\x7f]' THEN
                FOR code IN SELECT unnest(ARRAY[1,2,3,4,5,6,7,8,11,12,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,127]) LOOP
                    out := replace(out, chr(code), '\u00' || lpad(to_hex(code), 2, '0'));
                END LOOP;
            END IF;
            RETURN '"' || out || '"';
        END $$;
        """#

    /// Who acts, what they may see and change. SECURITY DEFINER: the
    /// policies ask about `app_user` whatever the caller may read.
    static let pipelineStatuses = PipelineStatus.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    static let seatHolding = PipelineStatus.allCases.filter(\.holdsSeat).map { "'\($0.rawValue)'" }.joined(separator: ", ")
    static let finalStatuses = PipelineStatus.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    static let functions = """
        CREATE FUNCTION tremplin_user_id() RETURNS text LANGUAGE sql STABLE AS $$
            SELECT CASE WHEN pg_has_role(session_user, 'tremplin_shared_login', 'MEMBER')
                        THEN nullif(current_setting('tremplin.user', true), '')
                        ELSE session_user::text END
        $$;
        -- Whose name a person's connection writes in: NULL for the service,
        -- the tables' owner and superusers (imports, serve, the migration).
        CREATE FUNCTION tremplin_acting_user() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT CASE WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
                             OR pg_has_role(session_user, 'tremplin_service', 'MEMBER')
                             OR session_user::text = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_event')
                        THEN NULL ELSE coalesce(tremplin_user_id(), '') END
        $$;
        -- '*' for every agency, an agency's id, or NULL (nothing).
        CREATE FUNCTION tremplin_read_scope() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT CASE
                WHEN pg_has_role(session_user, 'tremplin_service', 'MEMBER') THEN '*'
                ELSE (SELECT CASE WHEN u.role IN ('superviseur', 'admin', 'ethique') THEN '*'
                                  WHEN u.role = 'conseiller' THEN u.agency_id END
                      FROM app_user u WHERE u.id = tremplin_user_id())
            END
        $$;
        -- The « éthique » role reads (aggregates are computed from rows) and never writes.
        CREATE FUNCTION tremplin_write_scope() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT CASE
                WHEN pg_has_role(session_user, 'tremplin_service', 'MEMBER') THEN '*'
                ELSE (SELECT CASE WHEN u.role IN ('superviseur', 'admin') THEN '*'
                                  WHEN u.role = 'conseiller' THEN u.agency_id END
                      FROM app_user u WHERE u.id = tremplin_user_id())
            END
        $$;
        -- An erasure under way in this very transaction: `tremplin.erasure` names its
        -- pseudonym, whose row this transaction wrote (and whose event it must write,
        -- checked at commit). A setting alone, typed by hand, opens nothing.
        CREATE FUNCTION tremplin_erasing() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT EXISTS (SELECT 1 FROM erasure e WHERE e.pseudonym = nullif(current_setting('tremplin.erasure', true), '')
                             AND e.xmin = pg_current_xact_id()::xid)
        $$;
        CREATE FUNCTION tremplin_erasure_logged() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM audit_event e
                           WHERE e.seq > (SELECT coalesce(max(h.seq), 0) - 2000 FROM audit_event h)
                             AND e.xmin = pg_current_xact_id()::xid AND e.action = 'gdpr.erased' AND e.subject = 'erasure:' || NEW.pseudonym) THEN
                RAISE EXCEPTION 'erasure: recorded without its audit event' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            RETURN NULL;
        END $$;
        -- Records and steps are deleted by an erasure only (the rights role's privilege, used within one).
        CREATE FUNCTION tremplin_erasure_only() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            IF tremplin_acting_user() IS NOT NULL AND NOT tremplin_erasing() THEN
                RAISE EXCEPTION '%: deleted outside an erasure', TG_TABLE_NAME USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            RETURN OLD;
        END $$;
        CREATE FUNCTION tremplin_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND TG_NARGS > 0 AND TG_ARGV[0] = 'erasable' AND tremplin_erasing() THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '\(PostgresError.appendOnlyState)';
        END $$;
        -- Who a pseudonym of the log is, for a reader who may see that person
        -- (the committees' figures match decisions to their events); the
        -- vault itself stays unreadable to people's connections.
        CREATE FUNCTION tremplin_person(token text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT p.candidate_id FROM audit_person p
            WHERE p.token = $1 AND ((SELECT tremplin_read_scope()) = '*'
               OR EXISTS (SELECT 1 FROM candidate c WHERE c.id = p.candidate_id AND c.agency_id = (SELECT tremplin_read_scope())))
        $$;
        -- Whether the connection's user may see this candidate (their agency, or the region).
        CREATE FUNCTION tremplin_sees(person_id text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT coalesce((SELECT tremplin_read_scope()) = '*', false)
                OR EXISTS (SELECT 1 FROM candidate c WHERE c.id = $1 AND c.agency_id = (SELECT tremplin_read_scope()))
        $$;
        -- What a writer must know to seal a person out of an event, without
        -- reading the vault: the pseudonym of someone the user may see, whether
        -- a text is such a person's identifier, or another agency's (sealed
        -- one-way by the writer: no pseudonym of theirs is ever handed out).
        -- A connection that states no known user learns nothing.
        CREATE FUNCTION tremplin_vault_probe(value text, OUT token text, OUT is_candidate boolean, OUT elsewhere boolean)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT CASE WHEN k.sees THEN (SELECT p.token FROM audit_person p WHERE p.candidate_id = $1) END,
                   k.sees AND k.found, k.found AND NOT k.sees
            FROM (SELECT (SELECT tremplin_read_scope()) IS NOT NULL AND EXISTS (SELECT 1 FROM candidate c WHERE c.id = $1) AS found,
                         tremplin_sees($1) AS sees) k
        $$;
        CREATE FUNCTION tremplin_vault_last() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT max(p.token) FROM audit_person p WHERE (SELECT tremplin_read_scope()) IS NOT NULL
        $$;
        -- A new pseudonym, only for someone the user may see, only if it derives
        -- from its salt and the identifier (SHA-256, as Tremplin makes them);
        -- or the one another writer stored for the person meanwhile.
        CREATE FUNCTION tremplin_vault_person(new_token text, person_id text, new_salt bytea) RETURNS text
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            IF NOT tremplin_sees(person_id) OR NOT EXISTS (SELECT 1 FROM candidate c WHERE c.id = person_id) THEN
                RAISE EXCEPTION 'audit_person: % is not a person this connection may name', person_id USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            IF new_token !~ '^pers-[0-9a-f]{32}$' OR length(new_salt) <> 16
               OR substr(new_token, 14) <> substr(encode(sha256(new_salt || convert_to(person_id, 'UTF8')), 'hex'), 1, 24) THEN
                RAISE EXCEPTION 'audit_person: the pseudonym does not derive from its salt and identifier' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            INSERT INTO audit_person (token, candidate_id, salt) VALUES (new_token, person_id, new_salt) ON CONFLICT (candidate_id) DO NOTHING;
            RETURN (SELECT p.token FROM audit_person p WHERE p.candidate_id = person_id);
        END $$;
        -- A commitment to a personal value of someone the user may see, only if
        -- it derives from its salt, its person and the text; one already stored is kept.
        CREATE FUNCTION tremplin_vault_value(new_token text, owner text, new_salt bytea, new_value text) RETURNS void
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM audit_person p WHERE p.token = owner AND p.salt IS NOT NULL AND tremplin_sees(p.candidate_id)) THEN
                RAISE EXCEPTION 'audit_personal_value: % is not a person this connection may name', owner USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            IF new_token IS DISTINCT FROM 'val-' || substr(encode(sha256(new_salt || convert_to(owner, 'UTF8') || '\\x00'::bytea
                                                                      || convert_to(new_value, 'UTF8')), 'hex'), 1, 32) THEN
                RAISE EXCEPTION 'audit_personal_value: the commitment does not derive from its salt, person and text' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            INSERT INTO audit_personal_value (token, person, salt, value) VALUES (new_token, owner, new_salt, new_value) ON CONFLICT (token) DO NOTHING;
        END $$;
        -- Who already holds an import's identifiers, region-wide (an identifier
        -- is unique in the region): the agency where the caller may see the
        -- person, NULL for another agency's (no more than tremplin_vault_probe says).
        CREATE FUNCTION tremplin_import_holders(ids text[]) RETURNS TABLE (id text, agency_id text)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT c.id, CASE WHEN r.scope = '*' OR r.scope = c.agency_id THEN c.agency_id END
            FROM (SELECT tremplin_read_scope() AS scope) r JOIN candidate c ON c.id = ANY($1)
            WHERE r.scope IS NOT NULL
        $$;
        -- tremplin_vault_person for many people at once (an import's new people):
        -- each one someone the user may see, each pseudonym derived from its salt
        -- (hex) and identifier; returns the people who already had one, with it
        -- (everyone else now has the pseudonym given).
        CREATE FUNCTION tremplin_vault_people(new_tokens text[], people text[], new_salts text[], OUT out_person text, OUT out_token text)
            RETURNS SETOF record LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
        DECLARE scope text := tremplin_read_scope();
        BEGIN
            IF scope IS NULL OR cardinality(new_tokens) IS DISTINCT FROM cardinality(people)
               OR cardinality(new_salts) IS DISTINCT FROM cardinality(people) THEN
                RAISE EXCEPTION 'audit_person: this connection may not name these people' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            IF EXISTS (SELECT 1 FROM unnest(people) p(id) WHERE NOT EXISTS (
                    SELECT 1 FROM candidate c WHERE c.id = p.id AND (scope = '*' OR c.agency_id = scope))) THEN
                RAISE EXCEPTION 'audit_person: a person this connection may not name' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            IF EXISTS (SELECT 1 FROM unnest(new_tokens, people, new_salts) n(t, p, s)
                       WHERE t !~ '^pers-[0-9a-f]{32}$' OR s !~ '^[0-9a-f]{32}$'
                          OR substr(t, 14) <> substr(encode(sha256(decode(s, 'hex') || convert_to(p, 'UTF8')), 'hex'), 1, 24)) THEN
                RAISE EXCEPTION 'audit_person: a pseudonym does not derive from its salt and identifier' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            INSERT INTO audit_person (token, candidate_id, salt)
                SELECT n.t, n.p, decode(n.s, 'hex') FROM unnest(new_tokens, people, new_salts) n(t, p, s)
                ON CONFLICT (candidate_id) DO NOTHING;
            -- Joined, not `= ANY(people)`: a large array is not searched once per row.
            RETURN QUERY SELECT a.candidate_id, a.token FROM unnest(people, new_tokens) n(id, t)
                JOIN audit_person a ON a.candidate_id = n.id WHERE a.token <> n.t;
        END $$;
        -- Seats held in a session, every agency counted (a count, no person):
        -- a counsellor's own view would see her agency's holders only.
        CREATE FUNCTION tremplin_seats_taken(session_id text) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT count(*) FROM application a WHERE a.session_id = $1 AND a.status IN ('convoque', 'inscrit', 'en_formation', 'termine')
        $$;
        -- Seats people hold, every agency (the overlapping-sessions rule, and who allocation leaves be).
        CREATE FUNCTION tremplin_match_commitments() RETURNS TABLE (candidate_id text, session_id text, title text, start_date text, end_date text)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT a.candidate_id, s.id, s.title, s.start_date, s.end_date
            FROM application a JOIN training_session s ON s.id = a.session_id
            WHERE a.status IN (\(seatHolding)) AND (SELECT tremplin_read_scope()) IS NOT NULL
            ORDER BY a.candidate_id COLLATE "C", s.start_date COLLATE "C", s.id COLLATE "C"
        $$;
        -- Who allocation does not place in a session again: their application
        -- there ended, or the last override there excluded them.
        CREATE FUNCTION tremplin_match_excluded() RETURNS TABLE (session_id text, candidate_id text)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT a.session_id, a.candidate_id FROM application a
            WHERE a.status IN (\(finalStatuses)) AND (SELECT tremplin_read_scope()) IS NOT NULL
            UNION
            SELECT d.session_id, d.candidate_id FROM (
                SELECT DISTINCT ON (session_id, candidate_id) session_id, candidate_id, kind FROM decision
                WHERE kind LIKE 'override.%' ORDER BY session_id, candidate_id, id DESC) d
            WHERE d.kind = 'override.exclude' AND (SELECT tremplin_read_scope()) IS NOT NULL
        $$;
        -- Ranking a session orders every agency's wishers, so it reads their
        -- place in it (by identifier), its decisions (what the ranking applies
        -- and stores in its run; another agency's justification is withheld),
        -- and what the assistant learnt about it: another agency's conversation
        -- comes without the person's words, only what changes the order (its
        -- status, whether they are available, the days they cannot come). The
        -- « éthique » role (no write scope) gets none of it: it ranks nobody.
        CREATE FUNCTION tremplin_rank_statuses(wanted text) RETURNS TABLE (candidate_id text, status text)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT a.candidate_id, a.status FROM application a
            WHERE a.session_id = $1 AND (SELECT tremplin_write_scope()) IS NOT NULL
        $$;
        CREATE FUNCTION tremplin_rank_decisions(wanted text) RETURNS TABLE (id bigint, kind text, pinned_rank bigint, overridden_rule text,
                candidate_id text, session_id text, reason text, justification text, author text, at text, ranking_run_id text)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT d.id, d.kind, d.pinned_rank, d.overridden_rule, d.candidate_id, d.session_id, d.reason,
                   CASE WHEN tremplin_sees(d.candidate_id) THEN d.justification ELSE 'justification réservée à l''agence de la personne' END,
                   d.author, d.at, d.ranking_run_id
            FROM decision d WHERE d.session_id = $1 AND (SELECT tremplin_write_scope()) IS NOT NULL ORDER BY d.id
        $$;
        CREATE FUNCTION tremplin_rank_conversations(wanted text) RETURNS TABLE (id bigint, campaign_id bigint, session_id text,
                candidate_id text, state text, created_at text, updated_at text, last_inbound_at text, seen boolean)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT v.id, v.campaign_id, v.session_id, v.candidate_id,
                   CASE WHEN k.seen THEN v.state ELSE (
                       SELECT jsonb_build_object('step', s->'step', 'status', s->'status', 'failures', 0, 'pendingCertifications', '[]'::jsonb,
                           'facts', coalesce((SELECT jsonb_agg(jsonb_build_object('key', f->'key', 'value', f->'value', 'confidence', f->'confidence')
                                                               ORDER BY n)
                                              FROM jsonb_array_elements(s->'facts') WITH ORDINALITY e(f, n)
                                              WHERE f->>'key' IN ('available', 'unavailable_days')), '[]'::jsonb))::text
                       FROM (SELECT v.state::jsonb AS s) x) END,
                   v.created_at, v.updated_at, CASE WHEN k.seen THEN v.last_inbound_at END, k.seen
            FROM conversation v CROSS JOIN LATERAL (SELECT tremplin_sees(v.candidate_id) AS seen) k
            WHERE v.session_id = $1 AND (SELECT tremplin_write_scope()) IS NOT NULL ORDER BY v.id
        $$;
        -- A session's campaign in figures (no person, no words): each
        -- conversation's status and times, every agency, for the funnel.
        CREATE FUNCTION tremplin_campaign_funnel(wanted text) RETURNS TABLE (status text, created_at text, updated_at text,
                sent_at text, replied_at text)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT c.status, c.created_at, c.updated_at,
                   (SELECT min(coalesce(m.sent_at, m.due_at, m.created_at)) FROM sms_message m
                    WHERE m.conversation_id = c.id AND m.direction = 'out' AND m.status <> 'cancelled'),
                   (SELECT min(m.created_at) FROM sms_message m WHERE m.conversation_id = c.id AND m.direction = 'in')
            FROM conversation c WHERE c.session_id = $1 AND (SELECT tremplin_read_scope()) IS NOT NULL ORDER BY c.id
        $$;
        -- « Ma journée » in figures, every agency (no person, no words): the
        -- conversations of the campaigns still open, with where each
        -- application stands, and each session's convocations week by week.
        CREATE FUNCTION tremplin_day_campaigns() RETURNS TABLE (session_id text, status text, created_at text, updated_at text,
                application_status text, sent text, reply text)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT v.session_id, v.status, v.created_at, v.updated_at, a.status,
                   (SELECT min(coalesce(m.sent_at, m.due_at, m.created_at)) FROM sms_message m
                    WHERE m.conversation_id = v.id AND m.direction = 'out' AND m.status <> 'cancelled'),
                   (SELECT min(m.created_at) FROM sms_message m WHERE m.conversation_id = v.id AND m.direction = 'in')
            FROM conversation v
            LEFT JOIN application a ON a.candidate_id = v.candidate_id AND a.session_id = v.session_id
            WHERE v.session_id IN (SELECT c.session_id FROM campaign c WHERE c.status = 'ouverte') AND (SELECT tremplin_read_scope()) IS NOT NULL
            ORDER BY v.id
        $$;
        CREATE FUNCTION tremplin_day_convocations() RETURNS TABLE (session_id text, opened text, week bigint, n bigint)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            WITH o AS (SELECT a.session_id, min(t.at) AS opened FROM application_transition t JOIN application a ON a.id = t.application_id
                       WHERE t.step = 1 AND (SELECT tremplin_read_scope()) IS NOT NULL GROUP BY a.session_id)
            SELECT o.session_id, o.opened, NULL::bigint, 0::bigint FROM o
            UNION ALL
            SELECT a.session_id, o.opened,
                   trunc((extract(epoch FROM t.at::timestamptz) - extract(epoch FROM o.opened::timestamptz)) / 604800)::bigint, count(*)
            FROM application_transition t JOIN application a ON a.id = t.application_id JOIN o ON o.session_id = a.session_id
            WHERE t.status = 'convoque' GROUP BY 1, 2, 3
        $$;
        -- A draft an import left without seats or hours, completed by a counsellor
        -- or an administrator: only a draft, only those two figures, opened once both
        -- are known. People's connections write no session otherwise (the seat guard counts on them).
        CREATE FUNCTION tremplin_complete_session(wanted text, new_seats bigint, new_hours bigint) RETURNS boolean
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = tremplin_user_id() AND u.role IN ('conseiller', 'admin')) THEN
                RAISE EXCEPTION 'training_session: only counsellors and administrators complete a draft' USING ERRCODE = '42501';
            END IF;
            IF (new_seats IS NOT NULL AND new_seats NOT BETWEEN 1 AND 500) OR (new_hours IS NOT NULL AND new_hours NOT BETWEEN 1 AND 5000) THEN
                RAISE EXCEPTION 'training_session: seats or hours out of range' USING ERRCODE = '22023';
            END IF;
            UPDATE training_session SET seats = coalesce(new_seats, seats), total_hours = coalesce(new_hours, total_hours),
                   status = CASE WHEN coalesce(new_seats, seats) IS NOT NULL AND coalesce(new_hours, total_hours) IS NOT NULL THEN 'ouverte' ELSE status END
             WHERE id = wanted AND status = 'brouillon' AND (seats IS NULL OR total_hours IS NULL);
            RETURN FOUND;
        END $$;
        -- The text behind a commitment, and whose it is, for a reader who may
        -- see that person (supervisors and admins: the region); the vault itself
        -- stays unreadable to people's connections.
        CREATE FUNCTION tremplin_personal_value(token text, OUT value text, OUT person text) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT v.value, v.person FROM audit_personal_value v JOIN audit_person p ON p.token = v.person
            WHERE v.token = $1 AND ((SELECT tremplin_read_scope()) = '*'
               OR EXISTS (SELECT 1 FROM candidate c WHERE c.id = p.candidate_id AND c.agency_id = (SELECT tremplin_read_scope())))
        $$;
        -- The head of the chain, for writers who may not read the log itself.
        CREATE FUNCTION tremplin_audit_head(OUT seq BIGINT, OUT hash TEXT) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT e.seq, e.hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1
        $$;
        -- Concurrent writers from many hosts take this lock before reading the
        -- head, so the chain never forks; the trigger checks it again, recomputes
        -- the hash (a forged or garbage event is refused), and holds a person's
        -- connection to events in their own name.
        CREATE FUNCTION tremplin_audit_at_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE head_seq BIGINT; head_hash TEXT; expected TEXT; acting TEXT;
        BEGIN
            PERFORM pg_advisory_xact_lock(\(PostgresAudit.chainLock));
            SELECT seq, hash INTO head_seq, head_hash FROM audit_event ORDER BY seq DESC LIMIT 1;
            IF NEW.seq IS DISTINCT FROM coalesce(head_seq, 0) + 1
               OR NEW.prev_hash IS DISTINCT FROM coalesce(head_hash, repeat('0', 64)) THEN
                RAISE EXCEPTION 'audit_event is append-only: an event must follow the head of the chain' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            expected := encode(sha256(decode(NEW.prev_hash, 'hex') || convert_to(
                '{"action":' || tremplin_json_string(NEW.action) || ',"actor":' || tremplin_json_string(NEW.actor)
                || ',"at":' || tremplin_json_string(NEW.at) || ',"payload":' || NEW.payload || ',"seq":' || NEW.seq
                || ',"subject":' || tremplin_json_string(NEW.subject) || '}', 'UTF8')), 'hex');
            IF NEW.hash IS DISTINCT FROM expected THEN
                RAISE EXCEPTION 'audit_event: the hash does not match the event' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            acting := tremplin_acting_user();
            IF acting IS NOT NULL AND NEW.actor IS DISTINCT FROM acting THEN
                RAISE EXCEPTION 'audit_event: % may only record events in their own name', acting USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            RETURN NEW;
        END $$;
        -- A decision is recorded in its author's own name.
        CREATE FUNCTION tremplin_decision_author() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE acting TEXT := tremplin_acting_user();
        BEGIN
            IF acting IS NOT NULL AND NEW.author IS DISTINCT FROM acting THEN
                RAISE EXCEPTION 'decision: % may only decide in their own name', acting USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            -- Counsellors and administrators decide; supervisors and the ethics committee do not.
            IF acting IS NOT NULL AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = acting AND u.role IN ('conseiller', 'admin')) THEN
                RAISE EXCEPTION 'decision: % does not decide (role)', acting USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            RETURN NEW;
        END $$;
        -- An application takes a seat only while one is free: the session's
        -- row is locked, then its holders counted (all agencies: DEFINER).
        CREATE FUNCTION tremplin_seat_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE capacity BIGINT; taken BIGINT;
        BEGIN
            IF NEW.status NOT IN ('convoque', 'inscrit', 'en_formation', 'termine') THEN RETURN NEW; END IF;
            IF TG_OP = 'UPDATE' AND OLD.session_id = NEW.session_id
               AND OLD.status IN ('convoque', 'inscrit', 'en_formation', 'termine') THEN RETURN NEW; END IF;
            -- An UPDATE, not FOR UPDATE: under REPEATABLE READ or SERIALIZABLE a
            -- concurrent approval of the same session then fails to serialise
            -- instead of counting from an old snapshot.
            UPDATE training_session SET seats = seats WHERE id = NEW.session_id RETURNING seats INTO capacity;
            SELECT count(*) INTO taken FROM application
             WHERE session_id = NEW.session_id AND id <> NEW.id AND status IN ('convoque', 'inscrit', 'en_formation', 'termine');
            IF capacity IS NOT NULL AND taken >= capacity THEN
                RAISE EXCEPTION 'la place vient d''être prise' USING ERRCODE = '\(PostgresError.seatTakenState)', DETAIL = NEW.session_id;
            END IF;
            RETURN NEW;
        END $$;
        -- A person's decision is committed only with its audit event, written in
        -- the same transaction (checked at commit among the newest events).
        CREATE FUNCTION tremplin_decision_logged() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            IF tremplin_acting_user() IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM audit_event e
                WHERE e.seq > (SELECT coalesce(max(h.seq), 0) - 200 FROM audit_event h)
                  AND e.xmin = pg_current_xact_id()::xid AND e.action = 'decision.recorded' AND e.actor = NEW.author) THEN
                RAISE EXCEPTION 'decision: recorded without its audit event' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            RETURN NULL;
        END $$;
        -- A person's connection moves an application (a seat given, held or
        -- freed, any step) only with the decision that moves it, written in the
        -- same transaction (checked at commit), and never to another session or
        -- person: raw SQL cannot hand out, keep or release a seat unlogged.
        CREATE FUNCTION tremplin_step_decided() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            IF tremplin_acting_user() IS NULL THEN RETURN NULL; END IF;
            -- An erasure (tremplin_rights, in its own transaction) withdraws the person
            -- and puts her pseudonym in her place: logged as one erasure, not as decisions.
            IF tremplin_erasing() AND pg_has_role(session_user, 'tremplin_rights', 'MEMBER') THEN RETURN NULL; END IF;
            -- What became of a convoked person (entered, completed, dropped out, never came) is a
            -- reported fact, not a decision: it passes with its own logged outcome in this transaction.
            IF TG_OP = 'UPDATE' AND OLD.status IN ('convoque', 'inscrit', 'en_formation') AND NEW.status IN ('en_formation', 'termine', 'abandon', 'desiste')
               AND NEW.session_id = OLD.session_id AND NEW.candidate_id = OLD.candidate_id
               AND EXISTS (SELECT 1 FROM audit_event e WHERE e.seq > (SELECT coalesce(max(h.seq), 0) - 2000 FROM audit_event h)
                             AND e.xmin = pg_current_xact_id()::xid AND e.action = 'outcome.recorded'
                             AND e.subject = 'session:' || NEW.session_id) THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'UPDATE' AND (NEW.session_id IS DISTINCT FROM OLD.session_id OR NEW.candidate_id IS DISTINCT FROM OLD.candidate_id) THEN
                RAISE EXCEPTION 'application: an application never changes session or person' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            IF (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status)
               AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.candidate_id = NEW.candidate_id AND d.session_id = NEW.session_id
                                 AND d.xmin = pg_current_xact_id()::xid) THEN
                RAISE EXCEPTION 'application: a step without its decision' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            RETURN NULL;
        END $$;
        CREATE FUNCTION tremplin_suspension_written_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.resumed_at IS NOT NULL OR NEW.suspended_at IS DISTINCT FROM OLD.suspended_at
               OR NEW.suspended_by IS DISTINCT FROM OLD.suspended_by OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.id <> OLD.id THEN
                RAISE EXCEPTION 'outreach_suspension: a suspension is never rewritten, and resumed once' USING ERRCODE = '\(PostgresError.appendOnlyState)';
            END IF;
            RETURN NEW;
        END $$;
        -- « table:pid »: a screen ignores the changes its own connection made.
        CREATE FUNCTION tremplin_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('\(PostgresSchema.channel)', TG_TABLE_NAME || ':' || pg_backend_pid());
            RETURN NULL;
        END $$;

        -- Approvals under load (issue 15): fewer round trips inside the
        -- decision's transaction. Both functions are SECURITY INVOKER: every
        -- row goes through the caller's own privileges, row-level security and
        -- triggers, exactly as the separate statements they replace did.
        --
        -- Moves an application to next_status when its current status is one
        -- of movable_from (Tremplin's rule, given by the caller), creating it
        -- when there is none, with its step; with the decision that moves it
        -- when d_kind is given. Not applied: the status that forbids the move,
        -- or NULL when another writer created the application meanwhile (the
        -- caller asks again; ON CONFLICT waited for that writer to commit).
        CREATE FUNCTION tremplin_move_deciding(person text, wanted_session text, next_status text, movable_from text[], moved_at text,
                mover text, d_kind text, d_pinned_rank bigint, d_rule text, d_reason text, d_justification text, d_author text,
                d_at text, d_run text, OUT applied boolean, OUT current_status text)
            LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
        DECLARE app_id bigint;
        BEGIN
            applied := false;
            SELECT a.id, a.status INTO app_id, current_status FROM application a
             WHERE a.candidate_id = person AND a.session_id = wanted_session FOR UPDATE;
            IF app_id IS NULL THEN
                INSERT INTO application (candidate_id, session_id, status, updated_at) VALUES (person, wanted_session, next_status, moved_at)
                    ON CONFLICT (candidate_id, session_id) DO NOTHING RETURNING id INTO app_id;
                IF app_id IS NULL THEN RETURN; END IF;
                INSERT INTO application_transition (application_id, step, status, at, actor) VALUES (app_id, 1, next_status, moved_at, mover);
            ELSE
                IF NOT (current_status = ANY (movable_from)) THEN RETURN; END IF;
                UPDATE application SET status = next_status, updated_at = moved_at WHERE id = app_id;
                INSERT INTO application_transition (application_id, step, status, at, actor)
                    SELECT app_id, coalesce(max(t.step), 0) + 1, next_status, moved_at, mover FROM application_transition t WHERE t.application_id = app_id;
            END IF;
            IF d_kind IS NOT NULL THEN
                INSERT INTO decision (session_id, candidate_id, kind, pinned_rank, overridden_rule, reason, justification, author, at, ranking_run_id)
                    VALUES (wanted_session, person, d_kind, d_pinned_rank, d_rule, d_reason, d_justification, d_author, d_at, d_run);
            END IF;
            applied := true;
            current_status := next_status;
        END $$;
        -- Appends one event at the head of the chain in one call: the event's
        -- texts committed in the vault first (value_* arrays, through
        -- tremplin_vault_value and its checks, salts in hex), then the chain's
        -- lock, the head and the insert, the hash computed as the trigger
        -- checks it. The lock is taken as late as it can be: it is held from
        -- here to the commit, so this is the transaction's last statement.
        CREATE FUNCTION tremplin_audit_append(event_at text, event_actor text, event_action text, event_subject text, event_payload text,
                value_tokens text[] DEFAULT '{}', value_people text[] DEFAULT '{}', value_salts text[] DEFAULT '{}',
                value_texts text[] DEFAULT '{}', OUT seq bigint, OUT prev_hash text, OUT hash text)
            LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
        DECLARE head_seq bigint; head_hash text;
        BEGIN
            PERFORM tremplin_vault_value(v.t, v.p, decode(v.s, 'hex'), v.x) FROM unnest(value_tokens, value_people, value_salts, value_texts) v(t, p, s, x);
            PERFORM pg_advisory_xact_lock(\(PostgresAudit.chainLock));
            SELECT h.seq, h.hash INTO head_seq, head_hash FROM tremplin_audit_head() h;
            seq := coalesce(head_seq, 0) + 1;
            prev_hash := coalesce(head_hash, repeat('0', 64));
            hash := encode(sha256(decode(prev_hash, 'hex') || convert_to(
                '{"action":' || tremplin_json_string(event_action) || ',"actor":' || tremplin_json_string(event_actor)
                || ',"at":' || tremplin_json_string(event_at) || ',"payload":' || event_payload || ',"seq":' || seq
                || ',"subject":' || tremplin_json_string(event_subject) || '}', 'UTF8')), 'hex');
            INSERT INTO audit_event (seq, at, actor, action, subject, payload, prev_hash, hash)
                VALUES (seq, event_at, event_actor, event_action, event_subject, event_payload, prev_hash, hash);
        END $$;
        """

    /// The channel screens LISTEN on.
    public static let channel = "tremplin"

    static var triggers: String {
        var sql = ""
        for table in appendOnly {
            let erasable = ["decision", "ranking_run"].contains(table) ? "'erasable'" : ""
            sql += """
                CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION tremplin_refuse_change(\(erasable));
                CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION tremplin_refuse_change();

                """
        }
        sql += """
            CREATE TRIGGER audit_event_at_head BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION tremplin_audit_at_head();
            CREATE TRIGGER decision_author BEFORE INSERT ON decision FOR EACH ROW EXECUTE FUNCTION tremplin_decision_author();
            CREATE CONSTRAINT TRIGGER decision_logged AFTER INSERT ON decision DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION tremplin_decision_logged();
            CREATE CONSTRAINT TRIGGER application_step_decided AFTER INSERT OR UPDATE ON application DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION tremplin_step_decided();
            CREATE TRIGGER application_seat_guard BEFORE INSERT OR UPDATE OF status, session_id ON application
                FOR EACH ROW EXECUTE FUNCTION tremplin_seat_guard();
            CREATE TRIGGER outreach_suspension_written_once BEFORE UPDATE ON outreach_suspension
                FOR EACH ROW EXECUTE FUNCTION tremplin_suspension_written_once();
            CREATE CONSTRAINT TRIGGER erasure_logged AFTER INSERT ON erasure DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION tremplin_erasure_logged();
            CREATE TRIGGER candidate_erasure_only BEFORE DELETE ON candidate FOR EACH ROW EXECUTE FUNCTION tremplin_erasure_only();
            CREATE TRIGGER candidate_sensitive_erasure_only BEFORE DELETE ON candidate_sensitive FOR EACH ROW EXECUTE FUNCTION tremplin_erasure_only();
            CREATE TRIGGER application_erasure_only BEFORE DELETE ON application FOR EACH ROW EXECUTE FUNCTION tremplin_erasure_only();
            CREATE TRIGGER application_transition_erasure_only BEFORE DELETE ON application_transition FOR EACH ROW EXECUTE FUNCTION tremplin_erasure_only();

            """
        for table in ["application", "application_transition", "decision", "conversation", "sms_message", "candidate",
                      "training_session", "outreach_suspension", "fact_review", "campaign"] {
            sql += "CREATE TRIGGER \(table)_notify AFTER INSERT OR UPDATE OR DELETE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION tremplin_notify();\n"
        }
        return sql
    }

    // MARK: matching's read, streamed (issue 15, pg-load)

    /// Matching's read of the whole region (issue 15: a million candidates
    /// loaded for ranking in at most 3 s). Matching works on every agency's
    /// candidates whoever asks (a session's shortlist is the same for every
    /// counsellor): what matching may use, by identifier, in SQLite's order
    /// (bytes), the name only where the caller may see the person, nothing
    /// without a known user. The birth year is clamped to the age gate's cap
    /// in the reference year: nobody learns the age of anyone older, which is
    /// all the age gate keeps anyway. The reference year is the caller's
    /// (`tremplin.reference_year`, set in the reading transaction), kept
    /// within a year of the server's clock: no caller moves the cap.
    ///
    /// Views, not the definer functions they replace: a set-returning function
    /// materialises its whole result before the first row leaves the server
    /// (1.3 s for the million rows, the client idle meanwhile); a view streams
    /// while the client decodes. A view reads the tables with its owner's
    /// rights, as a definer function does; `security_barrier` keeps a caller's
    /// own conditions from running on rows the view does not return. Each
    /// scope is an InitPlan, computed once per statement.
    public static let views = ["tremplin_match_pool", "tremplin_match_pool_wish"]
    static let matchingViews = """
        CREATE VIEW tremplin_match_pool WITH (security_barrier) AS
            SELECT c.id, CASE WHEN (SELECT tremplin_write_scope()) IN ('*', c.agency_id) THEN c.first_name || ' ' || c.last_name ELSE '' END AS name,
                   c.agency_id, c.commune_insee, c.registered_on, c.diploma_level, c.certifications, c.has_vehicle,
                   c.uses_public_transport, c.max_travel_minutes, c.available_from, c.unavailable, c.children_birth_years,
                   c.childcare_solution, c.prerequisites_score, c.motivation_score,
                   CASE WHEN s.birth_year IS NULL THEN NULL ELSE greatest(s.birth_year, (SELECT greatest(least(
                       coalesce(nullif(current_setting('tremplin.reference_year', true), '')::bigint, 0),
                       extract(year FROM now())::bigint + 1), extract(year FROM now())::bigint - 1)) - \(AgeGate.cap)) END AS birth_year
            FROM candidate c
            LEFT JOIN candidate_sensitive s ON s.candidate_id = c.id
            WHERE (SELECT tremplin_read_scope()) IS NOT NULL
            ORDER BY c.id COLLATE "C";
        CREATE VIEW tremplin_match_pool_wish WITH (security_barrier) AS
            SELECT w.candidate_id, w.priority, w.rome_code, w.since FROM candidate_wish w
            WHERE (SELECT tremplin_read_scope()) IS NOT NULL
            ORDER BY w.candidate_id COLLATE "C", w.priority;
        """

    /// Least privilege. People's connections (`tremplin_app`) read the
    /// reference data, sessions and accounts, and write only the tables of
    /// their daily work (rows limited by row-level security); accounts,
    /// agencies, reference data and sessions are written by `tremplin_service`
    /// (administration, imports, `serve`); the vault is written through definer
    /// functions only and never read back by them; the log and decisions only grow.
    static let privileges = """
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
        GRANT USAGE ON SCHEMA public TO tremplin_app;
        GRANT SELECT ON ALL TABLES IN SCHEMA public TO tremplin_app;
        REVOKE SELECT ON audit_person, audit_personal_value, audit_value_redacted FROM tremplin_app;
        GRANT INSERT, UPDATE ON candidate, candidate_sensitive, application, application_transition TO tremplin_app;
        GRANT INSERT, UPDATE, DELETE ON candidate_wish, candidate_seen, conversation, sms_message, fact_review TO tremplin_app;
        -- Nobody's file or pipeline step is deleted by a person's connection: an erasure is tremplin_rights' work.
        GRANT DELETE ON candidate, candidate_sensitive, application, application_transition TO tremplin_rights;
        GRANT INSERT, UPDATE ON campaign, outreach_suspension TO tremplin_app;
        GRANT INSERT ON decision, audit_event, ranking_run, ranking_run_member, ranking_policy,
            audit_spool_applied, scenario_run TO tremplin_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON commune, commune_postal_code, rome_domain, rome_professional_domain, rome_job,
            agency, app_user, training_session, erasure, audit_person, audit_personal_value, audit_value_redacted,
            audit_vault_start, audit_spool_applied, scenario_run TO tremplin_service;
        GRANT INSERT ON audit_checkpoint TO tremplin_service;
        GRANT SELECT, UPDATE, DELETE ON audit_person, audit_personal_value TO tremplin_rights;
        GRANT INSERT ON erasure, audit_value_redacted TO tremplin_rights;
        GRANT UPDATE ON decision, ranking_run, ranking_run_member TO tremplin_rights;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tremplin_app;
        GRANT EXECUTE ON FUNCTION tremplin_user_id(), tremplin_acting_user(), tremplin_read_scope(), tremplin_write_scope(), tremplin_audit_head(), tremplin_person(text),
            tremplin_json_string(text), tremplin_sees(text), tremplin_vault_probe(text), tremplin_vault_last(), tremplin_vault_person(text, text, bytea),
            tremplin_vault_value(text, text, bytea, text), tremplin_seats_taken(text),
            tremplin_match_commitments(), tremplin_match_excluded(), tremplin_personal_value(text),
            tremplin_rank_statuses(text), tremplin_rank_decisions(text), tremplin_rank_conversations(text),
            tremplin_campaign_funnel(text), tremplin_day_campaigns(), tremplin_day_convocations(),
            tremplin_import_holders(text[]), tremplin_vault_people(text[], text[], text[]),
            tremplin_complete_session(text, bigint, bigint), tremplin_erasing(),
            tremplin_move_deciding(text, text, text, text[], text, text, text, bigint, text, text, text, text, text, text),
            tremplin_audit_append(text, text, text, text, text, text[], text[], text[], text[]) TO tremplin_app;
        """

    /// Row-level security: read where the user's scope covers the agency,
    /// write where their write scope does. Each scope is an InitPlan
    /// (`(SELECT …)`), computed once per statement, not per row.
    static var policies: String {
        let read = "(SELECT tremplin_read_scope())"
        let write = "(SELECT tremplin_write_scope())"
        func byAgency(_ scope: String, _ column: String) -> String { "(\(scope) = '*' OR \(column) = \(scope))" }
        func byCandidate(_ scope: String) -> String {
            "(\(scope) = '*' OR candidate_id IN (SELECT c.id FROM candidate c WHERE c.agency_id = \(scope)))"
        }
        let rules: [(table: String, read: String, write: String)] = [
            ("candidate", byAgency(read, "agency_id"), byAgency(write, "agency_id")),
            ("candidate_wish", byCandidate(read), byCandidate(write)),
            ("candidate_sensitive", byCandidate(read), byCandidate(write)),
            ("candidate_seen", byCandidate(read), byCandidate(write)),
            ("application", byCandidate(read), byCandidate(write)),
            ("application_transition", "(\(read) = '*' OR application_id IN (SELECT a.id FROM application a))",
             "(\(write) = '*' OR application_id IN (SELECT a.id FROM application a JOIN candidate c ON c.id = a.candidate_id WHERE c.agency_id = \(write)))"),
            ("decision", byCandidate(read), byCandidate(write)),
            ("conversation", byCandidate(read), byCandidate(write)),
            ("sms_message", "(\(read) = '*' OR conversation_id IN (SELECT v.id FROM conversation v))",
             "(\(write) = '*' OR conversation_id IN (SELECT v.id FROM conversation v JOIN candidate c ON c.id = v.candidate_id WHERE c.agency_id = \(write)))"),
            // A counsellor confirms or dismisses what her agency's people told the assistant, nobody else's.
            ("fact_review", "(\(read) = '*' OR conversation_id IN (SELECT v.id FROM conversation v))",
             "(\(write) = '*' OR conversation_id IN (SELECT v.id FROM conversation v JOIN candidate c ON c.id = v.candidate_id WHERE c.agency_id = \(write)))"),
        ]
        var sql = ""
        for rule in rules {
            sql += """
                ALTER TABLE \(rule.table) ENABLE ROW LEVEL SECURITY;
                CREATE POLICY \(rule.table)_read ON \(rule.table) FOR SELECT TO tremplin_app USING \(rule.read);
                CREATE POLICY \(rule.table)_insert ON \(rule.table) FOR INSERT TO tremplin_app WITH CHECK \(rule.write);
                CREATE POLICY \(rule.table)_update ON \(rule.table) FOR UPDATE TO tremplin_app USING \(rule.write) WITH CHECK \(rule.write);
                CREATE POLICY \(rule.table)_delete ON \(rule.table) FOR DELETE TO tremplin_app USING \(rule.write);

                """
        }
        // The log: read by anyone the base knows (a counsellor's figures are
        // computed from it; it names people only by pseudonym), by no one
        // else; added to through the trigger's checks.
        sql += """
            ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
            CREATE POLICY audit_event_read ON audit_event FOR SELECT TO tremplin_app USING (\(read) IS NOT NULL);
            CREATE POLICY audit_event_insert ON audit_event FOR INSERT TO tremplin_app WITH CHECK (\(read) IS NOT NULL);
            ALTER TABLE outreach_suspension ENABLE ROW LEVEL SECURITY;
            CREATE POLICY outreach_suspension_read ON outreach_suspension FOR SELECT TO tremplin_app USING (true);
            CREATE POLICY outreach_suspension_insert ON outreach_suspension FOR INSERT TO tremplin_app WITH CHECK (\(write) = '*');
            CREATE POLICY outreach_suspension_update ON outreach_suspension FOR UPDATE TO tremplin_app USING (\(write) = '*') WITH CHECK (\(write) = '*');

            """
        return sql
    }

    /// Installs the schema in an empty base, in one transaction.
    public static func install(on session: PostgresSession) throws {
        try session.script(roles)
        try session.transaction {
            try session.script(tablesSQL)
            try session.script(jsonFunction)
            try session.script(functions)
            try session.script(matchingViews)
            try session.script(triggers)
            try session.script(privileges)
            try session.script(policies)
            try session.execute("INSERT INTO tremplin_schema (layout, revision) VALUES ($1, $2)", [.text(layout), .int(Int64(revision))])
            try session.execute("INSERT INTO tremplin_definition (name, digest) " + definitionsQuery)
        }
    }

    /// Tremplin's functions and row-level policies as they are now, by name and digest.
    public static let definitionsQuery = """
        SELECT 'fonction ' || p.proname, md5(p.prosrc || '|' || coalesce(array_to_string(p.proconfig, ','), '') || '|' || p.prosecdef::text)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proname LIKE 'tremplin\\_%'
        UNION ALL
        SELECT 'règle ' || tablename || '.' || policyname,
               md5(coalesce(qual, '') || '|' || coalesce(with_check, '') || '|' || cmd || '|' || array_to_string(roles, ','))
        FROM pg_policies WHERE schemaname = 'public'
        UNION ALL
        SELECT 'vue ' || viewname, md5(definition) FROM pg_views WHERE schemaname = 'public' AND viewname LIKE 'tremplin\\_%'
        """

    /// What the base says it holds: nil when Tremplin was never installed.
    public static func installed(on session: PostgresSession) throws -> (layout: String, revision: Int64)? {
        guard try session.value("SELECT to_regclass('public.tremplin_schema') IS NOT NULL") == .bool(true) else { return nil }
        guard let row = try session.rows("SELECT layout, revision FROM tremplin_schema ORDER BY installed_at DESC LIMIT 1").first,
              let layout = row[0].string, let revision = row[1].int else { return nil }
        return (layout, revision)
    }
}
