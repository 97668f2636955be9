extension PostgresSchema {
    /// `p1-base`: the data model at SQLite migration `v12-overseas-franchise`, table for table and column for column, with its
    /// NOT NULLs, CHECKs, foreign keys, unique and partial indexes, and each SQLite trigger as a PL/pgSQL trigger of the same
    /// name raising the same message (SQLSTATE 23000). Integers are `bigint`, blobs `bytea`, JSON stays text checked by a
    /// cast to `jsonb`; camel-case names are quoted so both backends name every column alike.
    static let baseStatements: [String] = [
        #"""
        CREATE TABLE "organisation" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^org_[a-z2-7]{16}$'),
            "kind" text NOT NULL CHECK ("kind" IN ('broker', 'partner')),
            "name" text NOT NULL CHECK (length(trim("name")) > 0),
            "siren" text CHECK ("siren" ~ '^[0-9]{9}$'),
            "siret" text CHECK ("siret" IS NULL OR ("siret" ~ '^[0-9]{14}$' AND substr("siret", 1, 9) IS NOT DISTINCT FROM "siren")),
            "vatNumber" text,
            "nafCode" text NOT NULL CHECK ("nafCode" ~ '^[0-9]{2}\.[0-9]{2}[A-Z]$'),
            "street" text NOT NULL,
            "postcode" text NOT NULL,
            "city" text NOT NULL,
            "countryCode" text NOT NULL CHECK ("countryCode" ~ '^[A-Z]{2}$'),
            "publicKeyPEM" text,
            "publicKeyFingerprint" text,
            "createdAt" bigint NOT NULL,
            "nafNomenclature" text NOT NULL DEFAULT 'rev2' CHECK ("nafNomenclature" IN ('rev2', 'naf2025')),
            CHECK ("countryCode" != 'FR' OR "siren" IS NOT NULL),
            CHECK (("publicKeyPEM" IS NULL) = ("publicKeyFingerprint" IS NULL))
        )
        """#,
        #"""
        CREATE TABLE "user" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^usr_[a-z2-7]{16}$'),
            "organisationID" text NOT NULL REFERENCES "organisation"("id"),
            "role" text NOT NULL CHECK ("role" IN ('partner', 'operator', 'accountant')),
            "name" text NOT NULL CHECK (length(trim("name")) > 0),
            "email" text,
            "createdAt" bigint NOT NULL,
            "disabledAt" bigint,
            "firmAdmin" boolean NOT NULL DEFAULT false,
            "createdByUserID" text REFERENCES "user"("id"),
            "creationReason" text CHECK ("creationReason" IS NULL OR length(trim("creationReason")) > 0)
        )
        """#,
        #"""
        CREATE TABLE "token" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^tok_[a-z2-7]{16}$'),
            "userID" text NOT NULL REFERENCES "user"("id") ON DELETE CASCADE,
            "hash" bytea NOT NULL UNIQUE CHECK (octet_length("hash") = 32),
            "label" text NOT NULL,
            "createdAt" bigint NOT NULL,
            "expiresAt" bigint NOT NULL,
            "revokedAt" bigint,
            "lastUsedAt" bigint,
            "parentID" text REFERENCES "token"("id"),
            CHECK ("expiresAt" > "createdAt")
        )
        """#,
        #"""
        CREATE TABLE "blob" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^blb_[a-z2-7]{16}$'),
            "wrappedKey" bytea NOT NULL,
            "masterKeyID" text NOT NULL,
            "plaintextByteCount" bigint NOT NULL CHECK ("plaintextByteCount" >= 0),
            "storedByteCount" bigint NOT NULL CHECK ("storedByteCount" > "plaintextByteCount"),
            "createdAt" bigint NOT NULL,
            CHECK (octet_length("wrappedKey") = 69 AND substr("wrappedKey", 1, 1) = '\x01'::bytea),
            CHECK ("masterKeyID" = lower(encode(substr("wrappedKey", 2, 8), 'hex')))
        )
        """#,
        #"""
        CREATE TABLE "file" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^fil_[a-z2-7]{16}$'),
            "organisationID" text NOT NULL REFERENCES "organisation"("id"),
            "blobID" text NOT NULL UNIQUE REFERENCES "blob"("id"),
            "name" text NOT NULL CHECK (octet_length("name") BETWEEN 1 AND 255 AND strpos("name", '/') = 0 AND strpos("name", '\') = 0),
            "byteCount" bigint NOT NULL CHECK ("byteCount" >= 0),
            "report" text NOT NULL CHECK ((("report")::jsonb IS NOT NULL)),
            "createdAt" bigint NOT NULL,
            "partnerReport" text CHECK ("partnerReport" IS NULL OR (("partnerReport")::jsonb IS NOT NULL))
        )
        """#,
        #"""
        CREATE TABLE "broker_key" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^bkk_[a-z2-7]{16}$'),
            "publicKeyPEM" text NOT NULL,
            "wrappedKey" bytea NOT NULL,
            "sealedPrivateKey" bytea NOT NULL,
            "masterKeyID" text NOT NULL,
            "createdAt" bigint NOT NULL,
            "active" boolean NOT NULL,
            CHECK (octet_length("wrappedKey") = 69 AND substr("wrappedKey", 1, 1) = '\x01'::bytea),
            CHECK ("masterKeyID" = lower(encode(substr("wrappedKey", 2, 8), 'hex')))
        )
        """#,
        #"""
        CREATE TABLE "secret" (
            "name" text PRIMARY KEY NOT NULL CHECK (length("name") > 0),
            "wrapped" bytea NOT NULL,
            "masterKeyID" text NOT NULL,
            CHECK (octet_length("wrapped") = 69 AND substr("wrapped", 1, 1) = '\x01'::bytea),
            CHECK ("masterKeyID" = lower(encode(substr("wrapped", 2, 8), 'hex')))
        )
        """#,
        #"""
        CREATE TABLE "audit" (
            "seq" bigint PRIMARY KEY CHECK ("seq" >= 1),
            "at" bigint NOT NULL,
            "actorUserID" text CHECK ("actorUserID" IS NULL OR "actorUserID" ~ '^usr_[a-z2-7]{16}$'),
            "actorRole" text CHECK ("actorRole" IS NULL OR "actorRole" IN ('partner', 'operator', 'accountant')),
            "organisationID" text CHECK ("organisationID" IS NULL OR "organisationID" ~ '^org_[a-z2-7]{16}$'),
            "dealID" text CHECK ("dealID" IS NULL OR "dealID" ~ '^del_[a-z2-7]{16}$'),
            "action" text NOT NULL CHECK ("action" ~ '^[a-z].*\.[a-z].*$' AND "action" !~ '^.*[^a-z.-].*$'),
            "detail" text NOT NULL CHECK ((("detail")::jsonb IS NOT NULL) AND jsonb_typeof(("detail")::jsonb) = 'object'),
            "reason" text,
            "previous" bytea NOT NULL CHECK (octet_length("previous") = 32),
            "mac" bytea NOT NULL CHECK (octet_length("mac") = 32),
            "clientAddress" text CHECK ("clientAddress" IS NULL OR (length("clientAddress") BETWEEN 2 AND 45 AND "clientAddress" !~ '^.*[^0-9a-f.:].*$')),
            CHECK (("actorUserID" IS NULL) = ("actorRole" IS NULL))
        )
        """#,
        #"""
        CREATE TABLE "audit_head" (
            "id" bigint PRIMARY KEY CHECK ("id" = 1),
            "count" bigint NOT NULL CHECK ("count" >= 1),
            "lastMAC" bytea NOT NULL CHECK (octet_length("lastMAC") = 32),
            "mac" bytea NOT NULL CHECK (octet_length("mac") = 32)
        )
        """#,
        #"""
        CREATE TABLE "deal" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^del_[a-z2-7]{16}$'),
            "state" text NOT NULL CHECK ("state" IN ('proposed', 'awaiting-files', 'matched', 'accepted', 'approved', 'released', 'invoiced', 'closed', 'rejected', 'cancelled', 'expired')),
            "proposerID" text NOT NULL REFERENCES "organisation"("id"),
            "partnerID" text NOT NULL REFERENCES "organisation"("id"),
            "pricePer1000Cents" bigint NOT NULL CHECK ("pricePer1000Cents" > 0),
            "policy" text NOT NULL CHECK ("policy" IN ('equal-count', 'quality-weighted', 'all')),
            "verdict" text NOT NULL CHECK ((("verdict")::jsonb IS NOT NULL) AND (("verdict")::jsonb #>> '{kind}') IN ('complementary', 'unrelated')),
            "overrideReason" text CHECK ("overrideReason" IS NULL OR length(trim("overrideReason")) > 0),
            "reportJSON" text CHECK ("reportJSON" IS NULL OR (("reportJSON")::jsonb IS NOT NULL)),
            "retentionMonths" bigint NOT NULL CHECK ("retentionMonths" BETWEEN 1 AND 36),
            "createdAt" bigint NOT NULL,
            "updatedAt" bigint NOT NULL,
            "expiresAt" bigint NOT NULL,
            "releasedAt" bigint,
            CHECK ("proposerID" != "partnerID"),
            CHECK ("state" != 'proposed' OR (("verdict")::jsonb #>> '{kind}') = 'unrelated'),
            CHECK ("overrideReason" IS NULL OR (("verdict")::jsonb #>> '{kind}') = 'unrelated'),
            CHECK ((("verdict")::jsonb #>> '{kind}') != 'unrelated' OR "overrideReason" IS NOT NULL OR "state" IN ('proposed', 'cancelled', 'expired')),
            CHECK ("reportJSON" IS NOT NULL OR "state" NOT IN ('matched', 'accepted', 'approved', 'released', 'invoiced', 'closed', 'rejected')),
            CHECK ("releasedAt" IS NOT NULL OR "state" NOT IN ('released', 'invoiced', 'closed'))
        )
        """#,
        #"""
        CREATE TABLE "deal_party" (
            "dealID" text NOT NULL REFERENCES "deal"("id"),
            "organisationID" text NOT NULL REFERENCES "organisation"("id"),
            "acceptedAt" bigint,
            "declinedAt" bigint,
            PRIMARY KEY ("dealID", "organisationID"),
            CHECK ("acceptedAt" IS NULL OR "declinedAt" IS NULL)
        )
        """#,
        #"""
        CREATE TABLE "deal_file" (
            "dealID" text NOT NULL REFERENCES "deal"("id"),
            "organisationID" text NOT NULL REFERENCES "organisation"("id"),
            "fileID" text REFERENCES "file"("id"),
            "attachedAt" bigint NOT NULL,
            PRIMARY KEY ("dealID", "organisationID")
        )
        """#,
        #"""
        CREATE TABLE "delivery" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^dlv_[a-z2-7]{16}$'),
            "dealID" text NOT NULL REFERENCES "deal"("id"),
            "recipientID" text NOT NULL REFERENCES "organisation"("id"),
            "supplierID" text NOT NULL REFERENCES "organisation"("id"),
            "blobID" text UNIQUE REFERENCES "blob"("id"),
            "rowCount" bigint NOT NULL CHECK ("rowCount" >= 0),
            "downloadsRemaining" bigint NOT NULL CHECK ("downloadsRemaining" >= 0),
            "createdAt" bigint NOT NULL,
            "expiresAt" bigint NOT NULL,
            "purgedAt" bigint,
            "recipientKeyPEM" text,
            "recipientKeyFingerprint" text,
            "firstDownloadedAt" bigint,
            UNIQUE ("dealID", "recipientID"),
            CHECK ("expiresAt" > "createdAt"),
            CHECK ("recipientID" != "supplierID"),
            CHECK (("blobID" IS NULL) = ("purgedAt" IS NOT NULL))
        )
        """#,
        #"""
        CREATE TABLE "suppression" (
            "kind" text NOT NULL CHECK ("kind" IN ('email', 'phone', 'siret')),
            "key" bytea NOT NULL CHECK (octet_length("key") = 16),
            "source" text NOT NULL CHECK ("source" IN ('optout', 'unsubscribe', 'erasure', 'opposition-list')),
            "addedAt" bigint NOT NULL,
            PRIMARY KEY ("kind", "key")
        )
        """#,
        #"""
        CREATE TABLE "erasure" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^era_[a-z2-7]{16}$'),
            "requestedAt" bigint NOT NULL,
            "completedAt" bigint NOT NULL,
            "filesRewritten" bigint NOT NULL CHECK ("filesRewritten" >= 0),
            "rowsRemoved" bigint NOT NULL CHECK ("rowsRemoved" >= 0),
            "keysSuppressed" bigint NOT NULL CHECK ("keysSuppressed" >= 0),
            "actorUserID" text CHECK ("actorUserID" IS NULL OR "actorUserID" ~ '^usr_[a-z2-7]{16}$'),
            "deliveriesRewritten" bigint NOT NULL DEFAULT 0 CHECK ("deliveriesRewritten" >= 0),
            "noticesRecorded" bigint NOT NULL DEFAULT 0 CHECK ("noticesRecorded" >= 0),
            CHECK ("completedAt" >= "requestedAt")
        )
        """#,
        #"""
        CREATE TABLE "sector_cluster" (
            "cluster" text NOT NULL CHECK (length("cluster") BETWEEN 1 AND 64 AND "cluster" !~ '^.*[^a-z0-9-].*$'),
            "code" text NOT NULL CHECK ("code" ~ '^[0-9]{2}\.[0-9]{2}[A-Z]$'),
            PRIMARY KEY ("cluster", "code")
        )
        """#,
        #"""
        CREATE TABLE "confidential_sector" (
            "code" text PRIMARY KEY NOT NULL CHECK ("code" ~ '^[0-9]{2}\.[0-9]{2}[A-Z]$'),
            "label" text NOT NULL CHECK (length(trim("label")) > 0),
            "scope" text NOT NULL CHECK ("scope" IN ('core', 'optional')),
            "rationale" text NOT NULL CHECK (length(trim("rationale")) > 0)
        )
        """#,
        #"""
        CREATE TABLE "broker_settings" (
            "id" bigint PRIMARY KEY CHECK ("id" = 1),
            "legalName" text CHECK ("legalName" IS NULL OR length(trim("legalName")) > 0),
            "street" text,
            "postcode" text,
            "city" text,
            "countryCode" text CHECK ("countryCode" IS NULL OR "countryCode" = 'FR'),
            "siren" text CHECK ("siren" IS NULL OR "siren" ~ '^[0-9]{9}$'),
            "vatNumber" text,
            "iban" text,
            "bic" text,
            "commissionBasisPoints" bigint CHECK ("commissionBasisPoints" BETWEEN 0 AND 5000),
            "minimumPricePer1000Cents" bigint CHECK ("minimumPricePer1000Cents" BETWEEN 1 AND 100000000),
            "maximumPricePer1000Cents" bigint CHECK ("maximumPricePer1000Cents" BETWEEN 1 AND 100000000),
            "paymentTermsDays" bigint CHECK ("paymentTermsDays" BETWEEN 0 AND 60),
            "latePenalty" text CHECK ("latePenalty" IS NULL OR (("latePenalty")::jsonb IS NOT NULL)),
            "seriesPrefix" text CHECK ("seriesPrefix" IS NULL OR (length("seriesPrefix") BETWEEN 1 AND 8 AND "seriesPrefix" ~ '^[A-Z].*$' AND "seriesPrefix" !~ '^.*[^A-Z0-9].*$')),
            "deliveryDownloads" bigint CHECK ("deliveryDownloads" BETWEEN 1 AND 100),
            "deliveryDays" bigint CHECK ("deliveryDays" BETWEEN 1 AND 365),
            "retentionMonths" bigint CHECK ("retentionMonths" BETWEEN 1 AND 36),
            "dealExpiryDays" bigint CHECK ("dealExpiryDays" BETWEEN 1 AND 365),
            "updatedAt" bigint,
            "keyChangeDelayHours" bigint CHECK ("keyChangeDelayHours" BETWEEN 1 AND 720),
            "disputeWindowDays" bigint CHECK ("disputeWindowDays" BETWEEN 1 AND 90),
            "unattachedFileDays" bigint CHECK ("unattachedFileDays" BETWEEN 1 AND 90),
            "minimumExchangeable" bigint CHECK ("minimumExchangeable" BETWEEN 1 AND 1000000),
            "privacyReportsPerPair" bigint CHECK ("privacyReportsPerPair" BETWEEN 1 AND 12),
            "firmStorageQuotaBytes" bigint CHECK ("firmStorageQuotaBytes" BETWEEN 1024 AND 1125899906842624),
            "firmFileQuota" bigint CHECK ("firmFileQuota" BETWEEN 1 AND 100000),
            "collectionByBroker" boolean,
            "financialYearStartMonth" bigint CHECK ("financialYearStartMonth" IS NULL OR "financialYearStartMonth" BETWEEN 1 AND 12),
            "financialYearStartDay" bigint CHECK (("financialYearStartDay" IS NULL) = ("financialYearStartMonth" IS NULL) AND ("financialYearStartDay" IS NULL OR "financialYearStartDay" BETWEEN 1 AND 31)),
            "consoleIdleMinutes" bigint CHECK ("consoleIdleMinutes" BETWEEN 5 AND 720),
            "consoleSessionHours" bigint CHECK ("consoleSessionHours" BETWEEN 1 AND 168),
            CHECK (("legalName" IS NULL AND "street" IS NULL AND "postcode" IS NULL AND "city" IS NULL AND "countryCode" IS NULL AND "siren" IS NULL AND "vatNumber" IS NULL AND "iban" IS NULL AND "bic" IS NULL) OR ("legalName" IS NOT NULL AND "street" IS NOT NULL AND "postcode" IS NOT NULL AND "city" IS NOT NULL AND "countryCode" IS NOT NULL AND "siren" IS NOT NULL AND "vatNumber" IS NOT NULL AND "iban" IS NOT NULL AND "bic" IS NOT NULL))
        )
        """#,
        #"""
        CREATE TABLE "invoice_series" (
            "seriesPrefix" text PRIMARY KEY NOT NULL CHECK (length("seriesPrefix") BETWEEN 1 AND 23 AND "seriesPrefix" !~ '^.*[^A-Z0-9].*$'),
            "issuerID" text NOT NULL CHECK (length("issuerID") > 0),
            "year" bigint NOT NULL CHECK ("year" BETWEEN 1000 AND 9999),
            "lastSequence" bigint NOT NULL CHECK ("lastSequence" BETWEEN 1 AND 999999),
            "lastIssueDate" text NOT NULL CHECK ((("lastIssueDate")::date::text) IS NOT DISTINCT FROM "lastIssueDate"),
            CHECK (CAST (substr("lastIssueDate", 1, 4) AS INTEGER) = "year")
        )
        """#,
        #"""
        CREATE TABLE "invoice" (
            "number" text PRIMARY KEY NOT NULL,
            "seriesPrefix" text NOT NULL,
            "issuerID" text NOT NULL,
            "year" bigint NOT NULL,
            "sequence" bigint NOT NULL CHECK ("sequence" BETWEEN 1 AND 999999),
            "kind" text NOT NULL CHECK ("kind" IN ('invoice', 'credit-note')),
            "purpose" text NOT NULL CHECK ("purpose" IN ('exchange', 'commission')),
            "dealID" text REFERENCES "deal"("id"),
            "sellerID" text REFERENCES "organisation"("id"),
            "buyerID" text REFERENCES "organisation"("id"),
            "issueDate" text NOT NULL CHECK ((("issueDate")::date::text) IS NOT DISTINCT FROM "issueDate"),
            "netCents" bigint NOT NULL CHECK ("netCents" >= 0),
            "vatCents" bigint NOT NULL CHECK ("vatCents" >= 0),
            "grossCents" bigint NOT NULL CHECK ("grossCents" = "netCents" + "vatCents"),
            "document" text NOT NULL CHECK ((("document")::jsonb IS NOT NULL) AND (("document")::jsonb #>> '{number}') IS NOT DISTINCT FROM "number"),
            "creditsNumber" text UNIQUE REFERENCES "invoice"("number"),
            "createdAt" bigint NOT NULL,
            UNIQUE ("seriesPrefix", "year", "sequence"),
            CHECK ("number" = "seriesPrefix" || "year" || '-' || lpad(("sequence")::text, 6, '0')),
            CHECK (CAST (substr("issueDate", 1, 4) AS INTEGER) = "year"),
            CHECK (("kind" = 'credit-note') = ("creditsNumber" IS NOT NULL)),
            CHECK (("purpose" = 'commission' AND "sellerID" IS NULL AND "buyerID" IS NOT NULL) OR ("purpose" = 'exchange' AND "sellerID" IS NOT NULL AND "buyerID" IS NOT NULL AND "sellerID" != "buyerID"))
        )
        """#,
        #"""
        CREATE TABLE "settlement" (
            "dealID" text PRIMARY KEY NOT NULL REFERENCES "deal"("id"),
            "statement" text NOT NULL CHECK ((("statement")::jsonb IS NOT NULL)),
            "createdAt" bigint NOT NULL
        )
        """#,
        #"""
        CREATE TABLE "key_change" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^kch_[a-z2-7]{16}$'),
            "organisationID" text NOT NULL REFERENCES "organisation"("id"),
            "state" text NOT NULL CHECK ("state" IN ('requested', 'approved', 'refused', 'cancelled', 'effective')),
            "oldFingerprint" text NOT NULL,
            "newPublicKeyPEM" text NOT NULL CHECK ("newPublicKeyPEM" ~ '^-----BEGIN PUBLIC KEY-----.*$'),
            "newFingerprint" text NOT NULL,
            "requestedByUserID" text NOT NULL REFERENCES "user"("id"),
            "requestedAt" bigint NOT NULL,
            "note" text CHECK ("note" IS NULL OR length(trim("note")) > 0),
            "decidedByUserID" text REFERENCES "user"("id"),
            "decidedAt" bigint,
            "decisionReason" text CHECK ("decisionReason" IS NULL OR length(trim("decisionReason")) > 0),
            "effectiveAt" bigint,
            "cancelledByUserID" text REFERENCES "user"("id"),
            "cancelledAt" bigint,
            "cancellationReason" text CHECK ("cancellationReason" IS NULL OR length(trim("cancellationReason")) > 0),
            CHECK ("newFingerprint" != "oldFingerprint"),
            CHECK (("decidedAt" IS NULL) = ("decidedByUserID" IS NULL)),
            CHECK (("cancelledAt" IS NULL) = ("cancelledByUserID" IS NULL)),
            CHECK (("cancelledAt" IS NOT NULL) = ("state" = 'cancelled')),
            CHECK ("state" != 'requested' OR ("decidedAt" IS NULL AND "effectiveAt" IS NULL)),
            CHECK ("state" NOT IN ('approved', 'effective') OR ("decidedAt" IS NOT NULL AND "effectiveAt" > "decidedAt")),
            CHECK ("state" != 'refused' OR ("decidedAt" IS NOT NULL AND "decisionReason" IS NOT NULL AND "effectiveAt" IS NULL))
        )
        """#,
        #"""
        CREATE TABLE "renovation_sector" (
            "nomenclature" text NOT NULL CHECK ("nomenclature" IN ('rev2', 'naf2025')),
            "code" text NOT NULL CHECK ("code" ~ '^[0-9]{2}\.[0-9]{2}[A-Z]$'),
            "ground" text NOT NULL CHECK ("ground" IN ('energy-renovation', 'home-adaptation')),
            PRIMARY KEY ("nomenclature", "code"),
            CHECK ((("nomenclature" = 'rev2' AND substr("code", 6, 1) IN ('A', 'B', 'C', 'D', 'E', 'F', 'Z')) OR ("nomenclature" = 'naf2025' AND substr("code", 6, 1) IN ('G', 'H', 'J', 'K', 'L', 'Y'))))
        )
        """#,
        #"""
        CREATE TABLE "delivery_contact" (
            "deliveryID" text NOT NULL REFERENCES "delivery"("id") ON DELETE CASCADE,
            "kind" text NOT NULL CHECK ("kind" IN ('email', 'phone', 'siret')),
            "key" bytea NOT NULL CHECK (octet_length("key") = 16),
            PRIMARY KEY ("deliveryID", "kind", "key")
        )
        """#,
        #"""
        CREATE TABLE "notice" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^ntc_[a-z2-7]{16}$'),
            "erasureID" text NOT NULL REFERENCES "erasure"("id"),
            "organisationID" text NOT NULL REFERENCES "organisation"("id"),
            "dealID" text NOT NULL REFERENCES "deal"("id"),
            "deliveryID" text NOT NULL REFERENCES "delivery"("id"),
            "createdAt" bigint NOT NULL,
            "sealed" bytea,
            "keyFingerprint" text NOT NULL CHECK (length("keyFingerprint") > 0),
            "acknowledgedAt" bigint,
            "acknowledgedBy" text REFERENCES "user"("id"),
            UNIQUE ("erasureID", "deliveryID"),
            CHECK ("acknowledgedAt" IS NULL OR ("acknowledgedAt" >= "createdAt")),
            CHECK (("acknowledgedAt" IS NULL) = ("acknowledgedBy" IS NULL)),
            CHECK (("sealed" IS NULL) = ("acknowledgedAt" IS NOT NULL))
        )
        """#,
        #"""
        CREATE TABLE "privacy_spend" (
            "dealID" text NOT NULL REFERENCES "deal"("id"),
            "organisationID" text NOT NULL REFERENCES "organisation"("id"),
            "counterpartID" text NOT NULL REFERENCES "organisation"("id"),
            "milliEpsilon" bigint NOT NULL CHECK ("milliEpsilon" BETWEEN 1 AND 100000),
            "spentAt" bigint NOT NULL,
            "countsUntil" bigint NOT NULL,
            PRIMARY KEY ("dealID", "organisationID"),
            CHECK ("countsUntil" > "spentAt"),
            CHECK ("organisationID" != "counterpartID")
        )
        """#,
        #"""
        CREATE TABLE "deal_match_hold" (
            "dealID" text PRIMARY KEY NOT NULL REFERENCES "deal"("id"),
            "reason" text NOT NULL CHECK ("reason" IN ('file-too-small', 'privacy-budget')),
            "organisationIDs" text NOT NULL CHECK ((("organisationIDs")::jsonb IS NOT NULL) AND jsonb_typeof(("organisationIDs")::jsonb) = 'array'),
            "minimumExchangeable" bigint CHECK ("minimumExchangeable" IS NULL OR "minimumExchangeable" >= 1),
            "availableFrom" bigint,
            "heldAt" bigint NOT NULL,
            CHECK (("reason" = 'file-too-small') = ("minimumExchangeable" IS NOT NULL AND jsonb_array_length(("organisationIDs")::jsonb) > 0)),
            CHECK (("reason" = 'privacy-budget') = ("availableFrom" IS NOT NULL))
        )
        """#,
        #"""
        CREATE TABLE "organisation_vat_status" (
            "organisationID" text PRIMARY KEY NOT NULL REFERENCES "organisation"("id"),
            "regime" text NOT NULL CHECK ("regime" IN ('registered', 'franchise', 'overseas')),
            "vatNumber" text CHECK ("vatNumber" IS NULL OR "vatNumber" ~ '^[A-Z]{2}..*$'),
            "territory" text NOT NULL CHECK ("territory" ~ '^[A-Z]{2}$'),
            "vatNumberCheckedAt" bigint,
            "vatNumberCheckMethod" text CHECK ("vatNumberCheckMethod" IS NULL OR "vatNumberCheckMethod" IN ('syntax-and-key', 'syntax-and-checksum', 'syntax')),
            "updatedAt" bigint NOT NULL,
            CHECK ("regime" != 'franchise' OR "vatNumber" IS NULL),
            CHECK ("regime" != 'registered' OR "vatNumber" IS NOT NULL),
            CHECK (("regime" = 'overseas') = ("territory" IN ('GP', 'MQ', 'GF', 'RE', 'YT'))),
            CHECK ("territory" NOT IN ('GP', 'MQ', 'RE') OR "vatNumber" IS NOT NULL),
            CHECK (("vatNumber" IS NULL) = ("vatNumberCheckedAt" IS NULL) AND ("vatNumber" IS NULL) = ("vatNumberCheckMethod" IS NULL))
        )
        """#,
        #"""
        CREATE TABLE "organisation_bank_account" (
            "organisationID" text PRIMARY KEY NOT NULL REFERENCES "organisation"("id"),
            "iban" text NOT NULL CHECK (length("iban") BETWEEN 15 AND 34 AND "iban" !~ '^.*[^A-Z0-9].*$'),
            "bic" text NOT NULL CHECK (length("bic") IN (8, 11) AND "bic" !~ '^.*[^A-Z0-9].*$'),
            "updatedAt" bigint NOT NULL
        )
        """#,
        #"""
        CREATE TABLE "billing_mandate" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^mdt_[a-z2-7]{16}$'),
            "organisationID" text NOT NULL REFERENCES "organisation"("id"),
            "wordingVersion" text NOT NULL CHECK (length("wordingVersion") > 0),
            "scope" text NOT NULL CHECK (length("scope") > 0),
            "contestDays" bigint NOT NULL CHECK ("contestDays" BETWEEN 1 AND 90),
            "wording" text NOT NULL CHECK (length("wording") > 0),
            "acceptedAt" bigint NOT NULL,
            "acceptedByUserID" text NOT NULL REFERENCES "user"("id"),
            "withdrawnAt" bigint,
            "withdrawnByUserID" text REFERENCES "user"("id"),
            "withdrawalReason" text,
            CHECK (("withdrawnAt" IS NULL) = ("withdrawnByUserID" IS NULL)),
            CHECK ("withdrawnAt" IS NULL OR ("withdrawnAt" >= "acceptedAt")),
            CHECK ("withdrawnAt" IS NOT NULL OR "withdrawalReason" IS NULL)
        )
        """#,
        #"""
        CREATE TABLE "deal_terms" (
            "dealID" text PRIMARY KEY NOT NULL REFERENCES "deal"("id"),
            "terms" text NOT NULL CHECK ((("terms")::jsonb IS NOT NULL) AND jsonb_typeof(("terms")::jsonb) = 'object'),
            "agreedOn" text NOT NULL CHECK ((("agreedOn")::date::text) IS NOT DISTINCT FROM "agreedOn"),
            "createdAt" bigint NOT NULL,
            CHECK ((("terms")::jsonb #>> '{agreedOn}') IS NOT DISTINCT FROM "agreedOn")
        )
        """#,
        #"""
        CREATE TABLE "settlement_payment" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^pay_[a-z2-7]{16}$'),
            "dealID" text NOT NULL REFERENCES "settlement"("dealID"),
            "direction" text NOT NULL CHECK ("direction" IN ('received', 'paid-out')),
            "counterpartyID" text NOT NULL REFERENCES "organisation"("id"),
            "amountCents" bigint NOT NULL CHECK ("amountCents" > 0),
            "paidOn" text NOT NULL CHECK ((("paidOn")::date::text) IS NOT DISTINCT FROM "paidOn"),
            "reference" text NOT NULL CHECK (length(trim("reference")) BETWEEN 1 AND 140),
            "recordedAt" bigint NOT NULL,
            "recordedByUserID" text REFERENCES "user"("id")
        )
        """#,
        #"""
        CREATE TABLE "enrolment_code" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^enr_[a-z2-7]{16}$'),
            "userID" text NOT NULL REFERENCES "user"("id") ON DELETE CASCADE,
            "hash" bytea NOT NULL UNIQUE CHECK (octet_length("hash") = 32),
            "createdByUserID" text REFERENCES "user"("id"),
            "createdAt" bigint NOT NULL,
            "expiresAt" bigint NOT NULL,
            "usedAt" bigint,
            "revokedAt" bigint,
            CHECK ("expiresAt" > "createdAt"),
            CHECK ("usedAt" IS NULL OR "revokedAt" IS NULL)
        )
        """#,
        #"""
        CREATE TABLE "console_credential" (
            "userID" text PRIMARY KEY NOT NULL REFERENCES "user"("id") ON DELETE CASCADE,
            "login" text NOT NULL UNIQUE CHECK (length("login") BETWEEN 3 AND 64 AND "login" !~ '^.*[^a-zA-Z0-9._@-].*$'),
            "passwordHash" text NOT NULL CHECK (length("passwordHash") = 60 AND "passwordHash" ~ '^\$2[aby]\$[0-3][0-9]\$.*$'),
            "totpSecretSealed" bytea CHECK ("totpSecretSealed" IS NULL OR octet_length("totpSecretSealed") BETWEEN 29 AND 128),
            "totpLastStep" bigint,
            "enrolledAt" bigint NOT NULL,
            CHECK ("totpSecretSealed" IS NOT NULL OR "totpLastStep" IS NULL)
        )
        """#,
        #"""
        CREATE TABLE "console_session" (
            "id" text PRIMARY KEY NOT NULL CHECK ("id" ~ '^ses_[a-z2-7]{16}$'),
            "userID" text NOT NULL REFERENCES "user"("id") ON DELETE CASCADE,
            "hash" bytea NOT NULL UNIQUE CHECK (octet_length("hash") = 32),
            "csrfToken" text NOT NULL CHECK (length("csrfToken") = 43),
            "verified" boolean NOT NULL,
            "address" text NOT NULL,
            "createdAt" bigint NOT NULL,
            "lastSeenAt" bigint NOT NULL,
            "expiresAt" bigint NOT NULL,
            "endedAt" bigint,
            "endReason" text CHECK ("endReason" IS NULL OR "endReason" IN ('sign-out', 'sign-out-everywhere', 'idle', 'expired', 'user-disabled', 're-enrolled')),
            CHECK ("expiresAt" > "createdAt" AND "lastSeenAt" >= "createdAt"),
            CHECK (("endedAt" IS NULL) = ("endReason" IS NULL))
        )
        """#,
        #"""
        CREATE TABLE "console_login_attempt" (
            "id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            "at" bigint NOT NULL,
            "login" text NOT NULL,
            "address" text NOT NULL,
            "succeeded" boolean NOT NULL
        )
        """#,
        #"""
        CREATE UNIQUE INDEX "organisation_siren" ON "organisation"("siren") WHERE "siren" IS NOT NULL
        """#,
        #"""
        CREATE UNIQUE INDEX "organisation_single_broker" ON "organisation"("kind") WHERE "kind" = 'broker'
        """#,
        #"""
        CREATE INDEX "user_on_organisationID" ON "user"("organisationID")
        """#,
        #"""
        CREATE INDEX "token_on_userID" ON "token"("userID")
        """#,
        #"""
        CREATE INDEX "file_on_organisationID" ON "file"("organisationID")
        """#,
        #"""
        CREATE UNIQUE INDEX "broker_key_single_active" ON "broker_key"("active") WHERE "active"
        """#,
        #"""
        CREATE INDEX "audit_on_dealID" ON "audit"("dealID")
        """#,
        #"""
        CREATE INDEX "deal_on_state" ON "deal"("state")
        """#,
        #"""
        CREATE INDEX "deal_on_proposerID" ON "deal"("proposerID")
        """#,
        #"""
        CREATE INDEX "deal_on_partnerID" ON "deal"("partnerID")
        """#,
        #"""
        CREATE INDEX "deal_party_on_organisationID" ON "deal_party"("organisationID")
        """#,
        #"""
        CREATE INDEX "deal_file_on_fileID" ON "deal_file"("fileID")
        """#,
        #"""
        CREATE INDEX "delivery_on_recipientID" ON "delivery"("recipientID")
        """#,
        #"""
        CREATE INDEX "invoice_on_dealID" ON "invoice"("dealID")
        """#,
        #"""
        CREATE INDEX "invoice_on_sellerID" ON "invoice"("sellerID")
        """#,
        #"""
        CREATE INDEX "invoice_on_buyerID" ON "invoice"("buyerID")
        """#,
        #"""
        CREATE INDEX "invoice_on_issueDate" ON "invoice"("issueDate")
        """#,
        #"""
        CREATE INDEX "token_parent" ON "token"("parentID")
        """#,
        #"""
        CREATE INDEX "key_change_on_organisationID" ON "key_change"("organisationID")
        """#,
        #"""
        CREATE UNIQUE INDEX "key_change_one_open" ON "key_change"("organisationID") WHERE "state" IN ('requested', 'approved')
        """#,
        #"""
        CREATE INDEX "key_change_due" ON "key_change"("effectiveAt") WHERE "state" = 'approved'
        """#,
        #"""
        CREATE INDEX "delivery_contact_key" ON "delivery_contact"("kind", "key")
        """#,
        #"""
        CREATE INDEX "notice_on_erasureID" ON "notice"("erasureID")
        """#,
        #"""
        CREATE INDEX "notice_on_organisationID" ON "notice"("organisationID")
        """#,
        #"""
        CREATE INDEX "privacy_spend_pair" ON "privacy_spend"("organisationID", "counterpartID", "countsUntil")
        """#,
        #"""
        CREATE INDEX "billing_mandate_on_organisationID" ON "billing_mandate"("organisationID")
        """#,
        #"""
        CREATE UNIQUE INDEX "billing_mandate_one_in_force" ON "billing_mandate"("organisationID") WHERE "withdrawnAt" IS NULL
        """#,
        #"""
        CREATE INDEX "settlement_payment_on_dealID" ON "settlement_payment"("dealID")
        """#,
        #"""
        CREATE INDEX "enrolment_code_on_userID" ON "enrolment_code"("userID")
        """#,
        #"""
        CREATE INDEX "console_session_on_userID" ON "console_session"("userID")
        """#,
        #"""
        CREATE INDEX "console_login_attempt_login" ON "console_login_attempt"("login", "at")
        """#,
        #"""
        CREATE INDEX "console_login_attempt_address" ON "console_login_attempt"("address", "at")
        """#,
        #"""
        CREATE INDEX "deal_state_updated" ON "deal"("state", "updatedAt")
        """#,
        #"""
        CREATE INDEX "deal_updated" ON "deal"("updatedAt")
        """#,
        #"""
        CREATE INDEX "invoice_issue_number" ON "invoice"("issueDate", "seriesPrefix", "year", "sequence")
        """#,
        #"""
        CREATE INDEX "settlement_created" ON "settlement"("createdAt", "dealID")
        """#,
        #"""
        CREATE INDEX "audit_action" ON "audit"("action", "seq")
        """#,
        #"""
        CREATE INDEX "audit_actor" ON "audit"("actorUserID", "seq")
        """#,
        #"""
        CREATE INDEX "audit_organisation" ON "audit"("organisationID", "seq")
        """#,
        #"""
        CREATE FUNCTION "organisation_kind_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."kind" IS DISTINCT FROM OLD."kind" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an organisation''s kind never changes';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "organisation_kind_immutable" BEFORE UPDATE OF "kind" ON "organisation" FOR EACH ROW EXECUTE FUNCTION "organisation_kind_immutable"()
        """#,
        #"""
        CREATE FUNCTION "user_role_fits_organisation_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (NEW."role" = 'partner' AND (SELECT "kind" FROM "organisation" WHERE "id" = NEW."organisationID") IS DISTINCT FROM 'partner') OR (NEW."role" IN ('operator', 'accountant') AND (SELECT "kind" FROM "organisation" WHERE "id" = NEW."organisationID") IS DISTINCT FROM 'broker') THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a partner user belongs to a partner organisation, an operator or accountant to the broker';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "user_role_fits_organisation_insert" BEFORE INSERT ON "user" FOR EACH ROW EXECUTE FUNCTION "user_role_fits_organisation_insert"()
        """#,
        #"""
        CREATE FUNCTION "user_role_fits_organisation_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (NEW."role" = 'partner' AND (SELECT "kind" FROM "organisation" WHERE "id" = NEW."organisationID") IS DISTINCT FROM 'partner') OR (NEW."role" IN ('operator', 'accountant') AND (SELECT "kind" FROM "organisation" WHERE "id" = NEW."organisationID") IS DISTINCT FROM 'broker') THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a partner user belongs to a partner organisation, an operator or accountant to the broker';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "user_role_fits_organisation_update" BEFORE UPDATE OF "role", "organisationID" ON "user" FOR EACH ROW EXECUTE FUNCTION "user_role_fits_organisation_update"()
        """#,
        #"""
        CREATE FUNCTION "audit_append_only_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'the audit trail is append-only';
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "audit_append_only_update" BEFORE UPDATE ON "audit" FOR EACH ROW EXECUTE FUNCTION "audit_append_only_update"()
        """#,
        #"""
        CREATE FUNCTION "audit_append_only_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'the audit trail is append-only';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "audit_append_only_delete" BEFORE DELETE ON "audit" FOR EACH ROW EXECUTE FUNCTION "audit_append_only_delete"()
        """#,
        #"""
        CREATE FUNCTION "audit_head_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'the audit head is never removed';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "audit_head_kept" BEFORE DELETE ON "audit_head" FOR EACH ROW EXECUTE FUNCTION "audit_head_kept"()
        """#,
        #"""
        CREATE FUNCTION "audit_head_forward"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."count" <= OLD."count" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'the audit head only moves forward';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "audit_head_forward" BEFORE UPDATE ON "audit_head" FOR EACH ROW EXECUTE FUNCTION "audit_head_forward"()
        """#,
        #"""
        CREATE FUNCTION "deal_starts_proposed_or_awaiting_files"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."state" NOT IN ('proposed', 'awaiting-files') THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a deal starts as proposed or awaiting-files';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_starts_proposed_or_awaiting_files" BEFORE INSERT ON "deal" FOR EACH ROW EXECUTE FUNCTION "deal_starts_proposed_or_awaiting_files"()
        """#,
        #"""
        CREATE FUNCTION "deal_parties_are_partners"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT "kind" FROM "organisation" WHERE "id" = NEW."proposerID") IS DISTINCT FROM 'partner' OR (SELECT "kind" FROM "organisation" WHERE "id" = NEW."partnerID") IS DISTINCT FROM 'partner' THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'both parties of a deal are partner organisations';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_parties_are_partners" BEFORE INSERT ON "deal" FOR EACH ROW EXECUTE FUNCTION "deal_parties_are_partners"()
        """#,
        #"""
        CREATE FUNCTION "deal_parties_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."proposerID" IS DISTINCT FROM OLD."proposerID" OR NEW."partnerID" IS DISTINCT FROM OLD."partnerID" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a deal''s parties never change';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_parties_immutable" BEFORE UPDATE OF "proposerID", "partnerID" ON "deal" FOR EACH ROW EXECUTE FUNCTION "deal_parties_immutable"()
        """#,
        #"""
        CREATE FUNCTION "deal_state_follows_transitions"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."state" IS DISTINCT FROM OLD."state" AND (OLD."state" || '>' || NEW."state") NOT IN ('proposed>awaiting-files', 'awaiting-files>matched', 'matched>accepted', 'matched>cancelled', 'accepted>approved', 'accepted>rejected', 'approved>released', 'released>invoiced', 'invoiced>closed', 'proposed>cancelled', 'awaiting-files>cancelled', 'accepted>cancelled', 'proposed>expired', 'awaiting-files>expired', 'matched>expired', 'accepted>expired', 'approved>expired') THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'this change of deal state is not a transition of the deal lifecycle';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_state_follows_transitions" BEFORE UPDATE OF "state" ON "deal" FOR EACH ROW EXECUTE FUNCTION "deal_state_follows_transitions"()
        """#,
        #"""
        CREATE FUNCTION "deal_party_is_party"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT (NEW."organisationID" IN (SELECT "proposerID" FROM "deal" WHERE "id" = NEW."dealID" UNION ALL SELECT "partnerID" FROM "deal" WHERE "id" = NEW."dealID")) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a deal party is the proposer or the partner';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_party_is_party" BEFORE INSERT ON "deal_party" FOR EACH ROW EXECUTE FUNCTION "deal_party_is_party"()
        """#,
        #"""
        CREATE FUNCTION "deal_file_of_party_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT (NEW."organisationID" IN (SELECT "proposerID" FROM "deal" WHERE "id" = NEW."dealID" UNION ALL SELECT "partnerID" FROM "deal" WHERE "id" = NEW."dealID")) OR (NEW."fileID" IS NOT NULL AND (SELECT "organisationID" FROM "file" WHERE "id" = NEW."fileID") IS DISTINCT FROM NEW."organisationID") THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a deal file is a file of the party that attaches it';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_file_of_party_insert" BEFORE INSERT ON "deal_file" FOR EACH ROW EXECUTE FUNCTION "deal_file_of_party_insert"()
        """#,
        #"""
        CREATE FUNCTION "deal_file_of_party_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT (NEW."organisationID" IN (SELECT "proposerID" FROM "deal" WHERE "id" = NEW."dealID" UNION ALL SELECT "partnerID" FROM "deal" WHERE "id" = NEW."dealID")) OR (NEW."fileID" IS NOT NULL AND (SELECT "organisationID" FROM "file" WHERE "id" = NEW."fileID") IS DISTINCT FROM NEW."organisationID") THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a deal file is a file of the party that attaches it';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_file_of_party_update" BEFORE UPDATE OF "fileID", "organisationID" ON "deal_file" FOR EACH ROW EXECUTE FUNCTION "deal_file_of_party_update"()
        """#,
        #"""
        CREATE FUNCTION "delivery_of_released_deal"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT "state" FROM "deal" WHERE "id" = NEW."dealID") IS DISTINCT FROM 'released' OR NOT (NEW."recipientID" IN (SELECT "proposerID" FROM "deal" WHERE "id" = NEW."dealID" UNION ALL SELECT "partnerID" FROM "deal" WHERE "id" = NEW."dealID")) OR NOT (NEW."supplierID" IN (SELECT "proposerID" FROM "deal" WHERE "id" = NEW."dealID" UNION ALL SELECT "partnerID" FROM "deal" WHERE "id" = NEW."dealID")) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'deliveries are made between the two parties of a deal, at its release';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "delivery_of_released_deal" BEFORE INSERT ON "delivery" FOR EACH ROW EXECUTE FUNCTION "delivery_of_released_deal"()
        """#,
        #"""
        CREATE FUNCTION "broker_settings_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'the broker settings row is never removed';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "broker_settings_kept" BEFORE DELETE ON "broker_settings" FOR EACH ROW EXECUTE FUNCTION "broker_settings_kept"()
        """#,
        #"""
        CREATE FUNCTION "invoice_series_issuer_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."issuerID" IS DISTINCT FROM OLD."issuerID" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a numbering series belongs to one issuer';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "invoice_series_issuer_fixed" BEFORE UPDATE OF "issuerID" ON "invoice_series" FOR EACH ROW EXECUTE FUNCTION "invoice_series_issuer_fixed"()
        """#,
        #"""
        CREATE FUNCTION "invoice_series_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a numbering series is never removed';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "invoice_series_kept" BEFORE DELETE ON "invoice_series" FOR EACH ROW EXECUTE FUNCTION "invoice_series_kept"()
        """#,
        #"""
        CREATE FUNCTION "invoice_immutable_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an issued invoice is immutable; correct it with a credit note';
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "invoice_immutable_update" BEFORE UPDATE ON "invoice" FOR EACH ROW EXECUTE FUNCTION "invoice_immutable_update"()
        """#,
        #"""
        CREATE FUNCTION "invoice_immutable_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an issued invoice is never deleted; correct it with a credit note';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "invoice_immutable_delete" BEFORE DELETE ON "invoice" FOR EACH ROW EXECUTE FUNCTION "invoice_immutable_delete"()
        """#,
        #"""
        CREATE FUNCTION "invoice_numbers_without_gaps"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."sequence" IS DISTINCT FROM (SELECT COALESCE(max("sequence"), 0) + 1 FROM "invoice" WHERE "seriesPrefix" = NEW."seriesPrefix" AND "year" = NEW."year") THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an invoice takes the number right after the last of its series and year';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "invoice_numbers_without_gaps" BEFORE INSERT ON "invoice" FOR EACH ROW EXECUTE FUNCTION "invoice_numbers_without_gaps"()
        """#,
        #"""
        CREATE FUNCTION "invoice_numbers_chronological"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."issueDate" < (SELECT max("issueDate") FROM "invoice" WHERE "seriesPrefix" = NEW."seriesPrefix") THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an invoice cannot be dated before the last invoice of its series';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "invoice_numbers_chronological" BEFORE INSERT ON "invoice" FOR EACH ROW EXECUTE FUNCTION "invoice_numbers_chronological"()
        """#,
        #"""
        CREATE FUNCTION "invoice_series_one_issuer"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM "invoice" WHERE "seriesPrefix" = NEW."seriesPrefix" AND "issuerID" IS DISTINCT FROM NEW."issuerID") THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a numbering series belongs to one issuer';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "invoice_series_one_issuer" BEFORE INSERT ON "invoice" FOR EACH ROW EXECUTE FUNCTION "invoice_series_one_issuer"()
        """#,
        #"""
        CREATE FUNCTION "credit_note_of_an_invoice"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."creditsNumber" IS NOT NULL AND ((SELECT "kind" FROM "invoice" WHERE "number" = NEW."creditsNumber") IS DISTINCT FROM 'invoice' OR (SELECT "seriesPrefix" FROM "invoice" WHERE "number" = NEW."creditsNumber") IS DISTINCT FROM NEW."seriesPrefix") THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a credit note credits an invoice (not a credit note) and takes its number in that invoice''s series';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "credit_note_of_an_invoice" BEFORE INSERT ON "invoice" FOR EACH ROW EXECUTE FUNCTION "credit_note_of_an_invoice"()
        """#,
        #"""
        CREATE FUNCTION "settlement_immutable_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a settlement statement is immutable';
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "settlement_immutable_update" BEFORE UPDATE ON "settlement" FOR EACH ROW EXECUTE FUNCTION "settlement_immutable_update"()
        """#,
        #"""
        CREATE FUNCTION "settlement_immutable_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a settlement statement is never deleted';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "settlement_immutable_delete" BEFORE DELETE ON "settlement" FOR EACH ROW EXECUTE FUNCTION "settlement_immutable_delete"()
        """#,
        #"""
        CREATE FUNCTION "user_firm_admin_is_partner_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."firmAdmin" AND NEW."role" IS DISTINCT FROM 'partner' THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'only a partner user holds the firm-admin right';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "user_firm_admin_is_partner_insert" BEFORE INSERT ON "user" FOR EACH ROW EXECUTE FUNCTION "user_firm_admin_is_partner_insert"()
        """#,
        #"""
        CREATE FUNCTION "user_firm_admin_is_partner_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."firmAdmin" AND NEW."role" IS DISTINCT FROM 'partner' THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'only a partner user holds the firm-admin right';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "user_firm_admin_is_partner_update" BEFORE UPDATE OF "firmAdmin", "role" ON "user" FOR EACH ROW EXECUTE FUNCTION "user_firm_admin_is_partner_update"()
        """#,
        #"""
        CREATE FUNCTION "user_creator_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."createdByUserID" IS DISTINCT FROM OLD."createdByUserID" OR NEW."creationReason" IS DISTINCT FROM OLD."creationReason" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'who created a user, and why, never changes';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "user_creator_fixed" BEFORE UPDATE OF "createdByUserID", "creationReason" ON "user" FOR EACH ROW EXECUTE FUNCTION "user_creator_fixed"()
        """#,
        #"""
        CREATE FUNCTION "token_within_parent"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."parentID" IS NOT NULL AND ((SELECT "userID" FROM "token" WHERE "id" = NEW."parentID") IS DISTINCT FROM NEW."userID" OR (SELECT "revokedAt" FROM "token" WHERE "id" = NEW."parentID") IS NOT NULL OR NEW."expiresAt" > (SELECT "expiresAt" FROM "token" WHERE "id" = NEW."parentID")) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a token minted with a token belongs to the same user, is not minted from a revoked one and expires no later';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "token_within_parent" BEFORE INSERT ON "token" FOR EACH ROW EXECUTE FUNCTION "token_within_parent"()
        """#,
        #"""
        CREATE FUNCTION "token_for_enabled_user"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT "disabledAt" FROM "user" WHERE "id" = NEW."userID") IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a disabled user gets no new token';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "token_for_enabled_user" BEFORE INSERT ON "token" FOR EACH ROW EXECUTE FUNCTION "token_for_enabled_user"()
        """#,
        #"""
        CREATE FUNCTION "token_terms_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."userID" IS DISTINCT FROM OLD."userID" OR NEW."parentID" IS DISTINCT FROM OLD."parentID" OR NEW."expiresAt" IS DISTINCT FROM OLD."expiresAt" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a token''s user, parent and expiry never change';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "token_terms_fixed" BEFORE UPDATE OF "userID", "parentID", "expiresAt" ON "token" FOR EACH ROW EXECUTE FUNCTION "token_terms_fixed"()
        """#,
        #"""
        CREATE FUNCTION "token_stays_revoked"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD."revokedAt" IS NOT NULL AND NEW."revokedAt" IS DISTINCT FROM OLD."revokedAt" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a revoked token stays revoked';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "token_stays_revoked" BEFORE UPDATE OF "revokedAt" ON "token" FOR EACH ROW EXECUTE FUNCTION "token_stays_revoked"()
        """#,
        #"""
        CREATE FUNCTION "key_change_requested_by_firm"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."state" IS DISTINCT FROM 'requested' OR (SELECT "organisationID" FROM "user" WHERE "id" = NEW."requestedByUserID" AND "role" = 'partner') IS DISTINCT FROM NEW."organisationID" OR NEW."oldFingerprint" IS DISTINCT FROM (SELECT "publicKeyFingerprint" FROM "organisation" WHERE "id" = NEW."organisationID") THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a key change starts requested, by a partner user of the firm, from the key the firm has registered';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "key_change_requested_by_firm" BEFORE INSERT ON "key_change" FOR EACH ROW EXECUTE FUNCTION "key_change_requested_by_firm"()
        """#,
        #"""
        CREATE FUNCTION "key_change_request_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."organisationID" IS DISTINCT FROM OLD."organisationID" OR NEW."oldFingerprint" IS DISTINCT FROM OLD."oldFingerprint" OR NEW."newPublicKeyPEM" IS DISTINCT FROM OLD."newPublicKeyPEM" OR NEW."newFingerprint" IS DISTINCT FROM OLD."newFingerprint" OR NEW."requestedByUserID" IS DISTINCT FROM OLD."requestedByUserID" OR NEW."requestedAt" IS DISTINCT FROM OLD."requestedAt" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a key change request never changes once made';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "key_change_request_fixed" BEFORE UPDATE OF "organisationID", "oldFingerprint", "newPublicKeyPEM", "newFingerprint", "requestedByUserID", "requestedAt" ON "key_change" FOR EACH ROW EXECUTE FUNCTION "key_change_request_fixed"()
        """#,
        #"""
        CREATE FUNCTION "key_change_state_follows_transitions"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."state" IS DISTINCT FROM OLD."state" AND (OLD."state" || '>' || NEW."state") NOT IN ('requested>approved', 'requested>refused', 'requested>cancelled', 'approved>cancelled', 'approved>effective') THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'this change of key-change state is not a transition of its lifecycle';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "key_change_state_follows_transitions" BEFORE UPDATE OF "state" ON "key_change" FOR EACH ROW EXECUTE FUNCTION "key_change_state_follows_transitions"()
        """#,
        #"""
        CREATE FUNCTION "key_change_decided_by_operator"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."decidedByUserID" IS DISTINCT FROM OLD."decidedByUserID" AND (SELECT "role" FROM "user" WHERE "id" = NEW."decidedByUserID") IS DISTINCT FROM 'operator' THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'only an operator approves or refuses a key change';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "key_change_decided_by_operator" BEFORE UPDATE OF "decidedByUserID" ON "key_change" FOR EACH ROW EXECUTE FUNCTION "key_change_decided_by_operator"()
        """#,
        #"""
        CREATE FUNCTION "key_change_cancelled_by_firm_or_operator"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."cancelledByUserID" IS DISTINCT FROM OLD."cancelledByUserID" AND (SELECT "role" FROM "user" WHERE "id" = NEW."cancelledByUserID") IS DISTINCT FROM 'operator' AND (SELECT "organisationID" FROM "user" WHERE "id" = NEW."cancelledByUserID" AND "role" = 'partner') IS DISTINCT FROM NEW."organisationID" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a key change is cancelled by a user of the firm or an operator';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "key_change_cancelled_by_firm_or_operator" BEFORE UPDATE OF "cancelledByUserID" ON "key_change" FOR EACH ROW EXECUTE FUNCTION "key_change_cancelled_by_firm_or_operator"()
        """#,
        #"""
        CREATE FUNCTION "key_change_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'key changes are history and are never removed';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "key_change_kept" BEFORE DELETE ON "key_change" FOR EACH ROW EXECUTE FUNCTION "key_change_kept"()
        """#,
        #"""
        CREATE FUNCTION "organisation_key_replaced_by_approved_change"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD."publicKeyPEM" IS NOT NULL AND (NEW."publicKeyPEM" IS DISTINCT FROM OLD."publicKeyPEM" OR NEW."publicKeyFingerprint" IS DISTINCT FROM OLD."publicKeyFingerprint") AND NOT EXISTS (SELECT 1 FROM "key_change" WHERE "organisationID" = NEW."id" AND "state" = 'approved' AND "newPublicKeyPEM" IS NOT DISTINCT FROM NEW."publicKeyPEM" AND "newFingerprint" IS NOT DISTINCT FROM NEW."publicKeyFingerprint") THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a registered delivery key is replaced only by the key of an approved key change';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "organisation_key_replaced_by_approved_change" BEFORE UPDATE OF "publicKeyPEM", "publicKeyFingerprint" ON "organisation" FOR EACH ROW EXECUTE FUNCTION "organisation_key_replaced_by_approved_change"()
        """#,
        #"""
        CREATE FUNCTION "delivery_key_pair"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (NEW."recipientKeyPEM" IS NULL) != (NEW."recipientKeyFingerprint" IS NULL) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a delivery''s key and its fingerprint are set together';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "delivery_key_pair" BEFORE INSERT ON "delivery" FOR EACH ROW EXECUTE FUNCTION "delivery_key_pair"()
        """#,
        #"""
        CREATE FUNCTION "delivery_key_is_recipients_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."recipientKeyPEM" IS NOT NULL AND (NEW."recipientKeyPEM" IS DISTINCT FROM (SELECT "publicKeyPEM" FROM "organisation" WHERE "id" = NEW."recipientID") OR NEW."recipientKeyFingerprint" IS DISTINCT FROM (SELECT "publicKeyFingerprint" FROM "organisation" WHERE "id" = NEW."recipientID")) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a delivery is sealed to the key its recipient has registered when the key is bound';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "delivery_key_is_recipients_insert" BEFORE INSERT ON "delivery" FOR EACH ROW EXECUTE FUNCTION "delivery_key_is_recipients_insert"()
        """#,
        #"""
        CREATE FUNCTION "delivery_key_bound_once"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (NEW."recipientKeyPEM" IS NULL) != (NEW."recipientKeyFingerprint" IS NULL) OR (OLD."recipientKeyPEM" IS NOT NULL AND (NEW."recipientKeyPEM" IS DISTINCT FROM OLD."recipientKeyPEM" OR NEW."recipientKeyFingerprint" IS DISTINCT FROM OLD."recipientKeyFingerprint")) OR (OLD."recipientKeyPEM" IS NULL AND NEW."recipientKeyPEM" IS NOT NULL AND (NEW."recipientKeyPEM" IS DISTINCT FROM (SELECT "publicKeyPEM" FROM "organisation" WHERE "id" = NEW."recipientID") OR NEW."recipientKeyFingerprint" IS DISTINCT FROM (SELECT "publicKeyFingerprint" FROM "organisation" WHERE "id" = NEW."recipientID"))) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a delivery''s key is bound once, to its recipient''s registered key, and never changes';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "delivery_key_bound_once" BEFORE UPDATE OF "recipientKeyPEM", "recipientKeyFingerprint" ON "delivery" FOR EACH ROW EXECUTE FUNCTION "delivery_key_bound_once"()
        """#,
        #"""
        CREATE FUNCTION "organisation_naf_fits_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT ((NEW."nafNomenclature" = 'rev2' AND substr(NEW."nafCode", 6, 1) IN ('A', 'B', 'C', 'D', 'E', 'F', 'Z')) OR (NEW."nafNomenclature" = 'naf2025' AND substr(NEW."nafCode", 6, 1) IN ('G', 'H', 'J', 'K', 'L', 'Y'))) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an organisation''s NAF code belongs to its nomenclature (rév. 2 codes end in A-F or Z, NAF 2025 codes in G-L or Y)';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "organisation_naf_fits_insert" BEFORE INSERT ON "organisation" FOR EACH ROW EXECUTE FUNCTION "organisation_naf_fits_insert"()
        """#,
        #"""
        CREATE FUNCTION "organisation_naf_fits_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT ((NEW."nafNomenclature" = 'rev2' AND substr(NEW."nafCode", 6, 1) IN ('A', 'B', 'C', 'D', 'E', 'F', 'Z')) OR (NEW."nafNomenclature" = 'naf2025' AND substr(NEW."nafCode", 6, 1) IN ('G', 'H', 'J', 'K', 'L', 'Y'))) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an organisation''s NAF code belongs to its nomenclature (rév. 2 codes end in A-F or Z, NAF 2025 codes in G-L or Y)';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "organisation_naf_fits_update" BEFORE UPDATE OF "nafCode", "nafNomenclature" ON "organisation" FOR EACH ROW EXECUTE FUNCTION "organisation_naf_fits_update"()
        """#,
        #"""
        CREATE FUNCTION "delivery_first_download_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD."firstDownloadedAt" IS NOT NULL AND NEW."firstDownloadedAt" IS DISTINCT FROM OLD."firstDownloadedAt" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a delivery''s first download is recorded once';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "delivery_first_download_kept" BEFORE UPDATE OF "firstDownloadedAt" ON "delivery" FOR EACH ROW EXECUTE FUNCTION "delivery_first_download_kept"()
        """#,
        #"""
        CREATE FUNCTION "notice_to_recipient"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM "delivery" WHERE "id" = NEW."deliveryID" AND "dealID" = NEW."dealID" AND "recipientID" = NEW."organisationID" AND "firstDownloadedAt" IS NOT NULL) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a notice goes to the recipient of a delivery it downloaded';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "notice_to_recipient" BEFORE INSERT ON "notice" FOR EACH ROW EXECUTE FUNCTION "notice_to_recipient"()
        """#,
        #"""
        CREATE FUNCTION "notice_acknowledged_once"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD."acknowledgedAt" IS NOT NULL OR NEW."id" IS DISTINCT FROM OLD."id" OR NEW."erasureID" IS DISTINCT FROM OLD."erasureID" OR NEW."organisationID" IS DISTINCT FROM OLD."organisationID" OR NEW."dealID" IS DISTINCT FROM OLD."dealID" OR NEW."deliveryID" IS DISTINCT FROM OLD."deliveryID" OR NEW."createdAt" IS DISTINCT FROM OLD."createdAt" OR NEW."keyFingerprint" IS DISTINCT FROM OLD."keyFingerprint" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a notice changes only when its recipient acknowledges it, once';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "notice_acknowledged_once" BEFORE UPDATE ON "notice" FOR EACH ROW EXECUTE FUNCTION "notice_acknowledged_once"()
        """#,
        #"""
        CREATE FUNCTION "notice_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'notices are kept as the record of art. 19 communications';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "notice_kept" BEFORE DELETE ON "notice" FOR EACH ROW EXECUTE FUNCTION "notice_kept"()
        """#,
        #"""
        CREATE FUNCTION "privacy_spend_between_parties"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT (NEW."organisationID" IN (SELECT "proposerID" FROM "deal" WHERE "id" = NEW."dealID" UNION ALL SELECT "partnerID" FROM "deal" WHERE "id" = NEW."dealID")) OR NOT (NEW."counterpartID" IN (SELECT "proposerID" FROM "deal" WHERE "id" = NEW."dealID" UNION ALL SELECT "partnerID" FROM "deal" WHERE "id" = NEW."dealID")) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'privacy is spent between the two parties of a deal';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "privacy_spend_between_parties" BEFORE INSERT ON "privacy_spend" FOR EACH ROW EXECUTE FUNCTION "privacy_spend_between_parties"()
        """#,
        #"""
        CREATE FUNCTION "privacy_spend_append_only_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'the privacy budget spent is append-only';
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "privacy_spend_append_only_update" BEFORE UPDATE ON "privacy_spend" FOR EACH ROW EXECUTE FUNCTION "privacy_spend_append_only_update"()
        """#,
        #"""
        CREATE FUNCTION "privacy_spend_append_only_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'the privacy budget spent is append-only';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "privacy_spend_append_only_delete" BEFORE DELETE ON "privacy_spend" FOR EACH ROW EXECUTE FUNCTION "privacy_spend_append_only_delete"()
        """#,
        #"""
        CREATE FUNCTION "deal_match_hold_awaiting_files"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT "state" FROM "deal" WHERE "id" = NEW."dealID") IS DISTINCT FROM 'awaiting-files' THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'only a deal awaiting files waits for a match';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_match_hold_awaiting_files" BEFORE INSERT ON "deal_match_hold" FOR EACH ROW EXECUTE FUNCTION "deal_match_hold_awaiting_files"()
        """#,
        #"""
        CREATE FUNCTION "billing_mandate_accepted_by_the_firm"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT "organisationID" FROM "user" WHERE "id" = NEW."acceptedByUserID") IS DISTINCT FROM NEW."organisationID" OR (SELECT "role" FROM "user" WHERE "id" = NEW."acceptedByUserID") IS DISTINCT FROM 'partner' THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a billing mandate is accepted by a partner user of the firm that gives it';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "billing_mandate_accepted_by_the_firm" BEFORE INSERT ON "billing_mandate" FOR EACH ROW EXECUTE FUNCTION "billing_mandate_accepted_by_the_firm"()
        """#,
        #"""
        CREATE FUNCTION "billing_mandate_withdrawn_once"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD."withdrawnAt" IS NOT NULL OR NEW."id" IS DISTINCT FROM OLD."id" OR NEW."organisationID" IS DISTINCT FROM OLD."organisationID" OR NEW."wordingVersion" IS DISTINCT FROM OLD."wordingVersion" OR NEW."scope" IS DISTINCT FROM OLD."scope" OR NEW."contestDays" IS DISTINCT FROM OLD."contestDays" OR NEW."wording" IS DISTINCT FROM OLD."wording" OR NEW."acceptedAt" IS DISTINCT FROM OLD."acceptedAt" OR NEW."acceptedByUserID" IS DISTINCT FROM OLD."acceptedByUserID" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a billing mandate never changes once accepted; it can only be withdrawn, once';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "billing_mandate_withdrawn_once" BEFORE UPDATE ON "billing_mandate" FOR EACH ROW EXECUTE FUNCTION "billing_mandate_withdrawn_once"()
        """#,
        #"""
        CREATE FUNCTION "billing_mandate_withdrawn_by_the_firm"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT "organisationID" FROM "user" WHERE "id" = NEW."withdrawnByUserID") IS DISTINCT FROM NEW."organisationID" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a billing mandate is withdrawn by a user of the firm that gave it';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "billing_mandate_withdrawn_by_the_firm" BEFORE UPDATE OF "withdrawnByUserID" ON "billing_mandate" FOR EACH ROW EXECUTE FUNCTION "billing_mandate_withdrawn_by_the_firm"()
        """#,
        #"""
        CREATE FUNCTION "billing_mandate_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a billing mandate is never deleted, only withdrawn';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "billing_mandate_kept" BEFORE DELETE ON "billing_mandate" FOR EACH ROW EXECUTE FUNCTION "billing_mandate_kept"()
        """#,
        #"""
        CREATE FUNCTION "deal_terms_immutable_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a deal''s agreed terms never change';
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_terms_immutable_update" BEFORE UPDATE ON "deal_terms" FOR EACH ROW EXECUTE FUNCTION "deal_terms_immutable_update"()
        """#,
        #"""
        CREATE FUNCTION "deal_terms_immutable_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a deal''s agreed terms are never deleted';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "deal_terms_immutable_delete" BEFORE DELETE ON "deal_terms" FOR EACH ROW EXECUTE FUNCTION "deal_terms_immutable_delete"()
        """#,
        #"""
        CREATE FUNCTION "settlement_payment_immutable_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a recorded payment never changes';
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "settlement_payment_immutable_update" BEFORE UPDATE ON "settlement_payment" FOR EACH ROW EXECUTE FUNCTION "settlement_payment_immutable_update"()
        """#,
        #"""
        CREATE FUNCTION "settlement_payment_immutable_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a recorded payment is never deleted';
            RETURN OLD;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "settlement_payment_immutable_delete" BEFORE DELETE ON "settlement_payment" FOR EACH ROW EXECUTE FUNCTION "settlement_payment_immutable_delete"()
        """#,
        #"""
        CREATE FUNCTION "enrolment_code_terms_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."userID" IS DISTINCT FROM OLD."userID" OR NEW."hash" IS DISTINCT FROM OLD."hash" OR NEW."createdByUserID" IS DISTINCT FROM OLD."createdByUserID" OR NEW."createdAt" IS DISTINCT FROM OLD."createdAt" OR NEW."expiresAt" IS DISTINCT FROM OLD."expiresAt" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an enrolment code''s user, hash and dates never change';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "enrolment_code_terms_fixed" BEFORE UPDATE OF "userID", "hash", "createdByUserID", "createdAt", "expiresAt" ON "enrolment_code" FOR EACH ROW EXECUTE FUNCTION "enrolment_code_terms_fixed"()
        """#,
        #"""
        CREATE FUNCTION "enrolment_code_single_use"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD."usedAt" IS NOT NULL OR OLD."revokedAt" IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an enrolment code is used or revoked once, and then stays so';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "enrolment_code_single_use" BEFORE UPDATE OF "usedAt", "revokedAt" ON "enrolment_code" FOR EACH ROW EXECUTE FUNCTION "enrolment_code_single_use"()
        """#,
        #"""
        CREATE FUNCTION "enrolment_code_for_enabled_user"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT "disabledAt" FROM "user" WHERE "id" = NEW."userID") IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a disabled user gets no enrolment code';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "enrolment_code_for_enabled_user" BEFORE INSERT ON "enrolment_code" FOR EACH ROW EXECUTE FUNCTION "enrolment_code_for_enabled_user"()
        """#,
        #"""
        CREATE FUNCTION "console_credential_staff_totp_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."totpSecretSealed" IS NULL AND (SELECT "role" FROM "user" WHERE "id" = NEW."userID") IN ('operator', 'accountant') THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'operators and accountants sign in to the console with a second factor (TOTP)';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "console_credential_staff_totp_insert" BEFORE INSERT ON "console_credential" FOR EACH ROW EXECUTE FUNCTION "console_credential_staff_totp_insert"()
        """#,
        #"""
        CREATE FUNCTION "console_credential_staff_totp_update"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."totpSecretSealed" IS NULL AND (SELECT "role" FROM "user" WHERE "id" = NEW."userID") IN ('operator', 'accountant') THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'operators and accountants sign in to the console with a second factor (TOTP)';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "console_credential_staff_totp_update" BEFORE UPDATE ON "console_credential" FOR EACH ROW EXECUTE FUNCTION "console_credential_staff_totp_update"()
        """#,
        #"""
        CREATE FUNCTION "console_credential_totp_forward"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."totpSecretSealed" IS NOT DISTINCT FROM OLD."totpSecretSealed" AND NEW."totpLastStep" <= OLD."totpLastStep" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a TOTP code is accepted once: its time step only moves forward';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "console_credential_totp_forward" BEFORE UPDATE OF "totpLastStep" ON "console_credential" FOR EACH ROW EXECUTE FUNCTION "console_credential_totp_forward"()
        """#,
        #"""
        CREATE FUNCTION "console_session_terms_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."userID" IS DISTINCT FROM OLD."userID" OR NEW."hash" IS DISTINCT FROM OLD."hash" OR NEW."csrfToken" IS DISTINCT FROM OLD."csrfToken" OR NEW."createdAt" IS DISTINCT FROM OLD."createdAt" OR NEW."expiresAt" IS DISTINCT FROM OLD."expiresAt" OR NEW."address" IS DISTINCT FROM OLD."address" THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a session''s user, secret, form token, address and lifetime never change';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "console_session_terms_fixed" BEFORE UPDATE OF "userID", "hash", "csrfToken", "createdAt", "expiresAt", "address" ON "console_session" FOR EACH ROW EXECUTE FUNCTION "console_session_terms_fixed"()
        """#,
        #"""
        CREATE FUNCTION "console_session_stays_ended"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD."endedAt" IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'an ended session stays ended';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "console_session_stays_ended" BEFORE UPDATE ON "console_session" FOR EACH ROW EXECUTE FUNCTION "console_session_stays_ended"()
        """#,
        #"""
        CREATE FUNCTION "console_session_for_enabled_user"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT "disabledAt" FROM "user" WHERE "id" = NEW."userID") IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = 'a disabled user opens no session';
            END IF;
            RETURN NEW;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "console_session_for_enabled_user" BEFORE INSERT ON "console_session" FOR EACH ROW EXECUTE FUNCTION "console_session_for_enabled_user"()
        """#,
        #"""
        CREATE FUNCTION "user_disable_ends_console_sessions"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."disabledAt" IS NOT NULL AND OLD."disabledAt" IS NULL THEN
                UPDATE "console_session" SET "endedAt" = NEW."disabledAt", "endReason" = 'user-disabled' WHERE "userID" = NEW."id" AND "endedAt" IS NULL;
                UPDATE "enrolment_code" SET "revokedAt" = NEW."disabledAt" WHERE "userID" = NEW."id" AND "usedAt" IS NULL AND "revokedAt" IS NULL;
            END IF;
            RETURN NULL;
        END
        $$
        """#,
        #"""
        CREATE TRIGGER "user_disable_ends_console_sessions" AFTER UPDATE OF "disabledAt" ON "user" FOR EACH ROW EXECUTE FUNCTION "user_disable_ends_console_sessions"()
        """#,
    ]
}
