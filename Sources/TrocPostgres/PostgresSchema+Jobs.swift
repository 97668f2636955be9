extension PostgresSchema {
    /// `p2-jobs`: work any instance can take (matching, release), claimed under a lease that heartbeats extend.
    ///
    /// A job is `pending`, then `running` under one holder until `leaseExpiresAt`; past that any claimer may take it
    /// over (`attempts` counts the claims). `done` and `failed` are final: the row is kept, never changed again.
    static let jobStatements: [String] = [
        #"""
        CREATE TABLE "job" (
            "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            "kind" text NOT NULL CHECK ("kind" ~ '^[a-z]+(\.[a-z-]+)*$'),
            "dealID" text REFERENCES "deal"("id"),
            "payload" text NOT NULL CHECK ("payload"::jsonb IS NOT NULL AND jsonb_typeof("payload"::jsonb) = 'object'),
            "state" text NOT NULL CHECK ("state" IN ('pending', 'running', 'done', 'failed')),
            "holder" text CHECK ("holder" IS NULL OR length("holder") BETWEEN 1 AND 200),
            "attempts" bigint NOT NULL CHECK ("attempts" >= 0),
            "createdAt" bigint NOT NULL,
            "heartbeatAt" bigint,
            "leaseExpiresAt" bigint,
            "completedAt" bigint,
            "outcome" text,
            CHECK (("state" = 'pending') = ("holder" IS NULL)),
            CHECK (("state" = 'running') = ("leaseExpiresAt" IS NOT NULL AND "heartbeatAt" IS NOT NULL)),
            CHECK (("state" IN ('done', 'failed')) = ("completedAt" IS NOT NULL AND "outcome" IS NOT NULL)),
            CHECK ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" > "heartbeatAt")
        )
        """#,
        #"""
        CREATE INDEX "job_claimable" ON "job"("id") WHERE "state" IN ('pending', 'running')
        """#,
        // One open job per kind and deal: enqueueing the same work twice is a no-op, not a second delivery.
        #"""
        CREATE UNIQUE INDEX "job_one_open" ON "job"("kind", "dealID") WHERE "state" IN ('pending', 'running')
        """#,
        #"""
        CREATE FUNCTION "job_finished_is_final"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR OLD."state" IN ('done', 'failed') THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a job is kept, and a finished job never changes';
            END IF;
            IF NEW."kind" IS DISTINCT FROM OLD."kind" OR NEW."dealID" IS DISTINCT FROM OLD."dealID" OR NEW."payload" IS DISTINCT FROM OLD."payload" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a job''s kind, deal and payload never change';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "job_finished_is_final" BEFORE UPDATE OR DELETE ON "job" FOR EACH ROW EXECUTE FUNCTION "job_finished_is_final"()
        """#,
    ]
}
