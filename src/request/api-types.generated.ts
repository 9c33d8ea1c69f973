/**
 * GENERATED from openapi/certguard.yaml by `npm run generate:types` (scripts/generate-api-types.ts, openapi-typescript).
 * Do not edit: change the spec and regenerate; test/unit/api-types-generated.test.ts fails when this file is stale.
 */

export interface paths {
    "/transfer-certificate/{certificateId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Transfer a certificate to another AWS account.
         * @description The certificate must not be ACTIVE (CertificateStateException) and must have no policies attached (TransferConflictException). Its status becomes PENDING_TRANSFER.
         */
        patch: operations["TransferCertificate"];
        trace?: never;
    };
    "/accept-certificate-transfer/{certificateId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Accept a pending transfer (called by the target account).
         * @description The certificate becomes INACTIVE, or ACTIVE when setAsActive=true.
         */
        patch: operations["AcceptCertificateTransfer"];
        trace?: never;
    };
    "/reject-certificate-transfer/{certificateId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Reject a pending transfer (called by the target account).
         * @description The certificate returns to the source account as INACTIVE.
         */
        patch: operations["RejectCertificateTransfer"];
        trace?: never;
    };
    "/cancel-certificate-transfer/{certificateId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Cancel a pending transfer (called by the source account).
         * @description The certificate becomes INACTIVE.
         */
        patch: operations["CancelCertificateTransfer"];
        trace?: never;
    };
    "/certificates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the caller's certificates.
         * @description nextMarker is present only when another page exists (the AWS CLI auto-paginates).
         */
        get: operations["ListCertificates"];
        put?: never;
        /** Create a certificate from a certificate signing request. */
        post: operations["CreateCertificateFromCsr"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/certificates/{certificateId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        /** Describe one certificate. */
        get: operations["DescribeCertificate"];
        /**
         * Change a certificate's status (idempotent).
         * @description Per the AWS docs, PENDING_TRANSFER and PENDING_ACTIVATION are refused by the service and REGISTER_INACTIVE is deprecated; the enum still lists them because the model does.
         */
        put: operations["UpdateCertificate"];
        post?: never;
        /**
         * Delete a certificate.
         * @description An ACTIVE certificate cannot be deleted (CertificateStateException); one with a policy or thing attached neither (DeleteConflictException).
         */
        delete: operations["DeleteCertificate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/keys-and-certificate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a key pair and a certificate signed by the service. */
        post: operations["CreateKeysAndCertificate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/certificate/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a certificate signed by a registered CA. */
        post: operations["RegisterCertificate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/certificate/register-no-ca": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a certificate without a registered CA. */
        post: operations["RegisterCertificateWithoutCA"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the caller's policies. */
        get: operations["ListPolicies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policies/{policyName}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        /** Get a policy (its default version). */
        get: operations["GetPolicy"];
        put?: never;
        /** Create a policy. */
        post: operations["CreatePolicy"];
        /**
         * Delete a policy.
         * @description A policy still attached to a target cannot be deleted (DeleteConflictException).
         */
        delete: operations["DeletePolicy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/target-policies/{policyName}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        get?: never;
        /** Attach a policy to a target (e.g. a certificate ARN). */
        put: operations["AttachPolicy"];
        /** Detach a policy from a target. */
        post: operations["DetachPolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/principal-policies/{policyName}": {
        parameters: {
            query?: never;
            header: {
                /** @description The principal (a certificate ARN, or a Cognito identity id such as `us-east-1:abc-123`). */
                "x-amzn-iot-principal": components["parameters"]["PrincipalHeader"];
            };
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Attach a policy to a principal (deprecated by AWS; use AttachPolicy).
         * @deprecated
         */
        put: operations["AttachPrincipalPolicy"];
        post?: never;
        /**
         * Detach a policy from a principal (deprecated by AWS; use DetachPolicy).
         * @deprecated
         */
        delete: operations["DetachPrincipalPolicy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/principal-policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the policies attached to a principal (deprecated by AWS; use ListAttachedPolicies).
         * @deprecated
         */
        get: operations["ListPrincipalPolicies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/attached-policies/{target}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** List the policies attached to a target. */
        post: operations["ListAttachedPolicies"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policy-targets/{policyName}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** List the targets a policy is attached to. */
        post: operations["ListTargetsForPolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The guard-rule bundle in force (auditor role).
         * @description Name, revision and content hash of the active bundle, when it was last activated against this database (its PolicyActivated audit event), every rule of every operation as written with the file and line it comes from, and the bundle's params. Requires a SigV4-signed caller with the auditor role (anyone else: UnauthorizedException).
         */
        get: operations["DescribeActivePolicy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Dry-run a decision (auditor role); changes nothing, writes no audit row.
         * @description Decides `operation` with the active bundle, or with a candidate `bundle` (loaded and type-checked like `policies/`, never stored). The input is either given whole (`input`, e.g. an audit row's policy input), or built by certguard as the real operation would build it: from a certificate in the database (`certificateId`, read without locks) plus a hypothetical `request` and `caller` (default: an operator of the certificate's owner account), or, for an operation that does not act on a certificate, from `request` and `caller`. `now` defaults to the current time. Only the rule files are evaluated: the built-in checks that run around them (the caller owns the certificate, the certificate state machine) are not. An unknown operation, a candidate that does not load (the message names file, line and column) or an unsafe file name is InvalidRequestException; an unknown certificate ResourceNotFoundException.
         */
        post: operations["EvaluatePolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy/simulate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay recorded decisions against a candidate bundle (auditor role); changes nothing.
         * @description Takes the last `limit` Decision events of the audit trail (newest first, optionally of one `operation`) and re-evaluates each from the input its rules saw, with the candidate bundle. A decision is changed when `allowed` differs, or when both deny but a different rule decides. Events without a recorded input are skipped, not re-evaluated: they were refused by a built-in check before any rule ran (unknown or foreign certificate, no operator role, throttled, failed attempt), which no bundle changes, or predate recorded inputs. An event refused by a built-in invariant after its rules allowed is re-evaluated: it changes only if the candidate's rules deny it first. `after` is what the candidate's rules decide; the built-in checks still apply on top of it at request time.
         */
        post: operations["SimulatePolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Metrics in the Prometheus text exposition format, for scrapers.
         * @description Unauthenticated, like /health (scrapers do not sign with SigV4); labels carry no certificate or account ids. Metric names and labels are listed in docs/telemetry.md. 404 when the Prometheus reader is off (OTEL_METRICS_EXPORTER without prometheus, OTEL_SDK_DISABLED=true, or the service started without src/telemetry/register.ts). Served before request validation, like /health.
         */
        get: operations["GetMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recompute the audit hash chain and check the signed checkpoints (auditor role).
         * @description Streams the chain from genesis (or from the checkpoint `fromCheckpoint`, after archiving what precedes it) and recomputes every hash from its audit row, checks every checkpoint's Ed25519 signature and that the chain carries each checkpoint's hash, and looks for audit rows that are neither chained nor waiting to be sealed. Answers 200 whether or not the chain verifies: `ok` says which, and a broken chain names the first broken position and the reason (docs/audit.md). Rows not sealed yet are counted, not errors. With `Accept: application/x-ndjson` the answer is streamed as it runs (the console's progress bar): progress lines, then the report line; a failure after the first line is a last `error` line instead (docs/api.md). Without it (or with `*\/*` or `application/json`) the answer is the one JSON report.
         */
        get: operations["VerifyAuditChain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the signed checkpoints of the audit chain with their public keys (auditor role).
         * @description Every checkpoint in chain order and the public key of every signing key, in the format the offline verify reads (`certguard audit verify --offline <export> --checkpoints <this file>`). Keep copies outside the database: they are what detects a rewritten or truncated history.
         */
        get: operations["ListAuditCheckpoints"];
        put?: never;
        /**
         * Seal what is committed and sign the chain head now (auditor role).
         * @description Waits for the sealer, chains every committed audit row, signs the head (chain position, hash, time) with the service's Ed25519 key and stores the checkpoint. InvalidRequestException when nothing is sealed yet.
         */
        post: operations["CreateAuditCheckpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the audit trail (auditor role).
         * @description Audit events matching every given filter, newest first by default (`order=asc` for oldest first), in pages of `limit` (default 100). Ordered by `sequence`; with `from` or `to`, by `eventTime` then `sequence` (a time window is then one index range). Pagination is a keyset on that order: a page never shifts when events are appended meanwhile. `nextCursor` is present only when more events match; pass it back unchanged with the same filters and order (a cursor used with other filters or another order is InvalidRequestException). Requires a SigV4-signed caller with the auditor role (anyone else: UnauthorizedException).
         */
        get: operations["ListAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/events/{eventId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One audit event by its event id (auditor role). */
        get: operations["GetAuditEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Decisions per time interval, counted in the database (auditor role).
         * @description Counts of audit events per interval of `[from, to)`, split by `groupBy` (decision, operation or failing rule), for the console's chart. Only Decision events unless `eventType` says otherwise; the other filters are those of ListAuditEvents. The range is bounded (at most 92 days) and the interval is chosen by the service so that there are at most 96 intervals (1, 5, 15, 30 minutes, 1, 3, 6, 12 hours or 1 day); intervals are aligned to multiples of their length since the Unix epoch, the first and last clipped to the range. Intervals without events are present with no counts. Audited like every read of the trail (an AuditTrailRead row).
         */
        get: operations["GetAuditStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream the audit trail as a file (auditor role).
         * @description Streams every event matching the filters (the filters of ListAuditEvents), as of the moment the export starts, with constant memory and respecting backpressure; `Content-Disposition: attachment` names the file. `ndjson` is the audit chain's own line format (docs/audit.md section 5: a header with the chain range, one record per line with its chain fields, a footer), verifiable offline with `certguard audit verify --offline <file> --checkpoints <checkpoints.json>`; without filters it holds chain positions 1..head in chain order, then the rows not sealed yet. `csv` is RFC 4180 with a header row (structured values as JSON in one column). `ocsf` is one OCSF 1.3.0 API Activity event (class_uid 6003) per line. `cloudtrail` is one CloudTrail-shaped record per line (eventVersion, eventTime, eventSource iot.amazonaws.com, eventName, userIdentity, requestParameters, errorCode..., certguard's own fields under additionalEventData; docs/audit.md). `fromChainSeq`/`toChainSeq` (inclusive) restrict any format to a contiguous range of sealed chain positions, in chain order (InvalidRequestException when the range holds none). A failure after the response has started cuts the connection, so a client never takes a truncated file for a complete one.
         */
        get: operations["ExportAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness, the process answers. No dependency is checked (a database outage must not restart every replica); /ready does that. */
        get: operations["GetHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness, whether this process may take traffic - database reachable, migrations applied, rule bundle active, sealer running, not draining. */
        get: operations["GetReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This contract, as JSON. */
        get: operations["GetOpenApiSpec"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description 64 hex digits (upper or lower case). The model's pattern is unanchored; ours is anchored. */
        CertificateId: string;
        AwsAccountId: string;
        /** @description transferMessage / rejectReason. */
        Message: string;
        /** @enum {string} */
        CertificateStatus: "ACTIVE" | "INACTIVE" | "REVOKED" | "PENDING_TRANSFER" | "REGISTER_INACTIVE" | "PENDING_ACTIVATION";
        /** @enum {string} */
        CertificateMode: "DEFAULT" | "SNI_ONLY";
        CertificatePem: string;
        CertificateSigningRequest: string;
        Marker: string;
        PolicyName: string;
        /** @description The policy JSON, as a string (the model allows 0; an empty document is refused). */
        PolicyDocument: string;
        PolicyVersionId: string;
        /** @description Epoch seconds as a JSON number (fractions allowed). ISO strings break the AWS JS SDK. */
        Timestamp: number;
        Tag: {
            Key: string;
            Value?: string;
        };
        /** @description The output of a void operation. */
        Empty: Record<string, never>;
        /** @description AWS error body. The exception name travels in the x-amzn-ErrorType header; extra modeled members (resourceId, resourceArn for ResourceAlreadyExistsException) sit beside `message`. */
        ErrorResponse: {
            message: string;
            resourceId?: string;
            resourceArn?: string;
        } & {
            [key: string]: unknown;
        };
        TransferCertificateResponse: {
            transferredCertificateArn: string;
        };
        TransferData: {
            transferMessage?: components["schemas"]["Message"];
            rejectReason?: components["schemas"]["Message"];
            transferDate?: components["schemas"]["Timestamp"];
            acceptDate?: components["schemas"]["Timestamp"];
            rejectDate?: components["schemas"]["Timestamp"];
        };
        CertificateValidity: {
            notBefore?: components["schemas"]["Timestamp"];
            notAfter?: components["schemas"]["Timestamp"];
        };
        CertificateDescription: {
            certificateArn: string;
            certificateId: components["schemas"]["CertificateId"];
            caCertificateId?: components["schemas"]["CertificateId"];
            status: components["schemas"]["CertificateStatus"];
            certificatePem?: components["schemas"]["CertificatePem"];
            ownedBy?: components["schemas"]["AwsAccountId"];
            previousOwnedBy?: components["schemas"]["AwsAccountId"];
            creationDate?: components["schemas"]["Timestamp"];
            lastModifiedDate?: components["schemas"]["Timestamp"];
            customerVersion?: number;
            transferData?: components["schemas"]["TransferData"];
            generationId?: string;
            validity?: components["schemas"]["CertificateValidity"];
            certificateMode?: components["schemas"]["CertificateMode"];
        };
        DescribeCertificateResponse: {
            certificateDescription: components["schemas"]["CertificateDescription"];
        };
        /** @description A list item of ListCertificates. */
        Certificate: {
            certificateArn: string;
            certificateId: components["schemas"]["CertificateId"];
            status: components["schemas"]["CertificateStatus"];
            certificateMode?: components["schemas"]["CertificateMode"];
            creationDate?: components["schemas"]["Timestamp"];
        };
        ListCertificatesResponse: {
            certificates: components["schemas"]["Certificate"][];
            /** @description Present only when another page exists. */
            nextMarker?: components["schemas"]["Marker"];
        };
        /** @description PascalCase members on the wire, unlike the rest of the API. */
        KeyPair: {
            PublicKey: string;
            PrivateKey: string;
        };
        CreateKeysAndCertificateResponse: {
            certificateArn: string;
            certificateId: components["schemas"]["CertificateId"];
            certificatePem: components["schemas"]["CertificatePem"];
            keyPair: components["schemas"]["KeyPair"];
        };
        CreateCertificateFromCsrResponse: {
            certificateArn: string;
            certificateId: components["schemas"]["CertificateId"];
            certificatePem: components["schemas"]["CertificatePem"];
        };
        /** @description Output of RegisterCertificate and RegisterCertificateWithoutCA. */
        RegisterCertificateResponse: {
            certificateArn: string;
            certificateId: components["schemas"]["CertificateId"];
        };
        /** @description A list item of the policy list operations. */
        Policy: {
            policyName: components["schemas"]["PolicyName"];
            policyArn: string;
        };
        /** @description Output of ListPolicies, ListAttachedPolicies and ListPrincipalPolicies. */
        PolicyPage: {
            policies: components["schemas"]["Policy"][];
            /** @description Present only when another page exists. */
            nextMarker?: components["schemas"]["Marker"];
        };
        ListTargetsForPolicyResponse: {
            targets: string[];
            /** @description Present only when another page exists. */
            nextMarker?: components["schemas"]["Marker"];
        };
        CreatePolicyResponse: {
            policyName: components["schemas"]["PolicyName"];
            policyArn: string;
            policyDocument: components["schemas"]["PolicyDocument"];
            policyVersionId: components["schemas"]["PolicyVersionId"];
        };
        GetPolicyResponse: {
            policyName: components["schemas"]["PolicyName"];
            policyArn: string;
            policyDocument: components["schemas"]["PolicyDocument"];
            defaultVersionId: components["schemas"]["PolicyVersionId"];
            creationDate?: components["schemas"]["Timestamp"];
            lastModifiedDate?: components["schemas"]["Timestamp"];
            generationId?: string;
        };
        /** @description Liveness only. */
        Health: {
            /** @enum {string} */
            status: "ok";
        };
        /** @description Each check true when it holds; draining appears (false) only while the process shuts down. */
        Readiness: {
            /** @enum {string} */
            status: "ready" | "not ready";
            checks: {
                [key: string]: boolean;
            };
        };
        /** @description How a decision names a rule bundle. */
        PolicyReference: {
            name: string;
            revision: string;
            /** @description SHA-256 of the bundle's files. */
            hash: string;
        };
        PolicyRuleDescription: {
            id: string;
            description?: string;
            /** @description CEL; true means the rule passes. */
            expression: string;
            message?: string;
            messageExpression?: string;
            errorType: string;
            /** @enum {string} */
            action: "enforce" | "warn" | "audit";
            /** @description Where the rule is written (file name within the bundle; 1-based line and column). */
            source: {
                file: string;
                line: number;
                column: number;
            };
        };
        /** @description Output of DescribeActivePolicy. */
        PolicyBundleDescription: {
            name: string;
            revision: string;
            hash: string;
            description?: string;
            /**
             * Format: date-time
             * @description ISO 8601; when this bundle was last activated against this database (absent if never recorded).
             */
            activatedAt?: string;
            /** @description Operations with a rule file, sorted; rules in evaluation order. */
            operations: {
                operation: string;
                rules: components["schemas"]["PolicyRuleDescription"][];
            }[];
            /** @description The values of params.yaml, as the rules read them in `params`. */
            params: {
                [key: string]: unknown;
            };
        };
        /** @description A candidate bundle: file name -> file text. Plain top-level names only (`manifest.yaml`, `params.yaml`, one rule file per operation, each `*.yaml` or `*.yml`); no paths, no `..`. */
        PolicyCandidateBundle: {
            files: {
                [key: string]: string;
            };
        };
        PolicyInputCaller: {
            accountId: string;
            /** @description Default: empty. */
            accessKeyId?: string;
            roles?: string[];
        };
        /** @description What the rules see of a certificate (`certificate`). Dates are ISO 8601. */
        PolicyCertificateFacts: {
            id: string;
            arn: string;
            status: string;
            ownedBy: string;
            previousOwnedBy?: string | null;
            pendingTransferTo?: string | null;
            mode: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            notBefore: string;
            /** Format: date-time */
            notAfter: string;
        };
        /** @description Everything a rule can read besides `params`, in the form audit rows record it (`policy_input`). `request` members outside the operation's schema are ignored by the rules. */
        PolicyEvaluationInput: {
            request: {
                [key: string]: unknown;
            };
            caller: components["schemas"]["PolicyInputCaller"];
            certificate?: components["schemas"]["PolicyCertificateFacts"];
            attachedPolicies?: string[];
            /**
             * Format: date-time
             * @description ISO 8601; default the current time.
             */
            now?: string;
        };
        /** @description Input of EvaluatePolicy: `operation` plus either `input`, or what certguard builds it from (`certificateId`, `request`, `caller`, `now`). `bundle` evaluates a candidate instead of the active bundle. */
        PolicyEvaluateRequest: {
            /** @description A guarded operation (one with an input schema, e.g. TransferCertificate). */
            operation: string;
            input?: components["schemas"]["PolicyEvaluationInput"];
            certificateId?: components["schemas"]["CertificateId"];
            /** @description The hypothetical request members (e.g. targetAwsAccount). */
            request?: {
                [key: string]: unknown;
            };
            /** @description The hypothetical caller; default an operator of the account that owns the certificate. */
            caller?: {
                accountId: components["schemas"]["AwsAccountId"];
                accessKeyId?: string;
                roles?: ("operator" | "auditor")[];
            };
            /** Format: date-time */
            now?: string;
            bundle?: components["schemas"]["PolicyCandidateBundle"];
        };
        PolicyRuleOutcome: {
            id: string;
            /** @enum {string} */
            outcome: "pass" | "fail" | "error" | "skipped";
            /** @enum {string} */
            action: "enforce" | "warn" | "audit";
            message?: string;
            errorType?: string;
            error?: string;
        };
        /** @description A decision, as docs/policies.md describes it. */
        PolicyDecision: {
            /** Format: uuid */
            decisionId: string;
            operation: string;
            allowed: boolean;
            rules: components["schemas"]["PolicyRuleOutcome"][];
            policy: components["schemas"]["PolicyReference"];
            failingRuleId?: string;
            errorType?: string;
            message?: string;
            warnings: string[];
        };
        /** @description Output of EvaluatePolicy; `input` can be sent back as the `input` of another evaluation. */
        PolicyEvaluateResponse: components["schemas"]["PolicyDecision"] & {
            input: components["schemas"]["PolicyEvaluationInput"];
        };
        PolicySimulateRequest: {
            bundle: components["schemas"]["PolicyCandidateBundle"];
            /**
             * @description How many of the most recent decisions to replay.
             * @default 100
             */
            limit: number;
            /** @description Only decisions of this operation. */
            operation?: string;
        };
        PolicyDecisionChange: {
            eventId: string;
            /** @description The audit sequence, as a decimal string. */
            sequence: string;
            operation: string;
            /** Format: date-time */
            eventTime: string;
            /** @description The recorded decision. */
            before: {
                allowed: boolean;
                failingRuleId?: string;
            };
            /** @description The candidate's decision. */
            after: {
                allowed: boolean;
                failingRuleId?: string;
                errorType?: string;
                message?: string;
            };
        };
        /** @description Output of SimulatePolicy. evaluated = changed + unchanged; evaluated + skipped = the events read. Only changed decisions are listed, newest first. */
        PolicySimulateResponse: {
            candidate: components["schemas"]["PolicyReference"];
            evaluated: number;
            changed: number;
            unchanged: number;
            /** @description Events without a recorded input (refused by a built-in check before any rule ran); not re-evaluated. */
            skipped: number;
            changes: components["schemas"]["PolicyDecisionChange"][];
        };
        /** @description Result of VerifyAuditChain and of `certguard audit verify` (docs/audit.md section 6). */
        AuditVerifyReport: {
            ok: boolean;
            /** @description Chain entries recomputed and found right. */
            checkedEntries: number;
            /** @description Committed audit rows waiting for the sealer (not errors). */
            unsealedRows: number;
            checkpointsVerified: number;
            /** @description First chain position verified (int8 as a decimal string). */
            fromChainSeq: string;
            /** @description Last chain position verified. */
            headChainSeq: string | null;
            headHash: string | null;
            /** @description The audit event sequence concerned, when there is one. */
            firstBrokenSequence?: string;
            firstBrokenChainSeq?: string;
            /** @enum {string} */
            reason?: "bad-signature" | "chain-gap" | "hash-mismatch" | "missing-event" | "truncated-after-checkpoint" | "unchained-event";
            detail?: string;
        };
        /** @description One line of the streamed VerifyAuditChain answer (Accept application/x-ndjson): the body is a sequence of these, each JSON on its own line. `progress` lines first (the first at once, with the total; then at most one every 250 ms, and one when checked reaches total), then exactly one `report` or one `error` line. */
        AuditVerifyStreamLine: {
            progress: {
                /** @description Chain entries checked so far. */
                checked: number;
                /** @description Chain entries to check (up to the head when the run began). */
                total: number;
            };
        } | {
            report: components["schemas"]["AuditVerifyReport"];
        } | {
            error: {
                /** @description The AWS error type the status line could no longer carry, e.g. ServiceUnavailableException. */
                type: string;
                message: string;
            };
        };
        /** @description A signed chain head. The signature is Ed25519 over the canonical JSON of {type: certguard.audit.checkpoint.v1, chainSeq, hash, time, keyId} (docs/audit.md section 4). */
        AuditCheckpoint: {
            checkpointId: string;
            chainSeq: string;
            hash: string;
            /** @description UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ */
            time: string;
            keyId: string;
            /** @description base64 */
            signature: string;
            /** @enum {string} */
            reason: "count" | "interval" | "demand";
        };
        AuditCheckpointsDocument: {
            /** @enum {string} */
            format: "certguard.audit.checkpoints";
            /** @enum {integer} */
            version: 1;
            checkpoints: components["schemas"]["AuditCheckpoint"][];
            publicKeys: {
                keyId: string;
                /** @description Ed25519 public key, SPKI PEM. */
                publicKeyPem: string;
            }[];
        };
        /** @description Output of GetAuditStats. */
        AuditStats: {
            /** @description UTC, as given */
            from: string;
            to: string;
            intervalSeconds: number;
            /** @enum {string} */
            groupBy: "decision" | "operation" | "failingRuleId";
            /** @description Every interval of the range, oldest first. */
            buckets: {
                /** @description UTC, YYYY-MM-DDTHH:MM:SSZ */
                start: string;
                end: string;
                /** @description One entry per value of groupBy seen in the interval; key null for events without one (e.g. no failing rule). */
                counts: {
                    key: string | null;
                    count: number;
                }[];
            }[];
        };
        AuditEventsPage: {
            events: components["schemas"]["AuditEvent"][];
            /** @description Present only when more events match; pass it back with the same filters and order. */
            nextCursor?: string;
        };
        /** @description An audit event as clients see it (query API, CSV and OCSF exports). int8 values are decimal strings; times are UTC with microseconds (YYYY-MM-DDTHH:MM:SS.ffffffZ). Secrets and key material in requestParameters were masked when the event was written. `chain` is null until the sealer has chained the event (about a second after its commit). */
        AuditEvent: {
            /** Format: uuid */
            eventId: string;
            /** @description Order of insertion (gaps are rolled-back decisions). */
            sequence: string;
            /** @example 2026-11-26T14:58:56.123000Z */
            eventTime: string;
            /** @description Decision, PolicyActivated, PolicyReloadRefused, AuthenticationFailed, AuthenticationFailureSummary, AuditTrailRead, PolicyEvaluation or DataRead (docs/security.md "What is audited"). */
            eventType: string;
            operation: string;
            /** @description The x-amzn-RequestId of the request. */
            requestId: string | null;
            caller: {
                accountId: string | null;
                accessKeyId: string | null;
                roles: string[];
            };
            sourceIp: string | null;
            userAgent: string | null;
            trace: {
                traceId: string | null;
                spanId: string | null;
            };
            resource: {
                certificateId: string | null;
                certificateArn: string | null;
            };
            targetAccountId: string | null;
            /** @enum {string} */
            decision: "ALLOW" | "DENY" | "ERROR";
            decisionId: string | null;
            errorType: string | null;
            errorMessage: string | null;
            failingRuleId: string | null;
            /** @description Every rule of the operation, in file order, with its outcome. */
            rules: {
                id: string;
                /** @enum {string} */
                outcome: "pass" | "fail" | "error" | "skipped";
                /** @enum {string} */
                action: "enforce" | "warn" | "audit";
                message?: string;
                errorType?: string;
                error?: string;
            }[];
            warnings: string[];
            policy: {
                name: string | null;
                revision: string | null;
                hash: string | null;
            };
            requestParameters: {
                [key: string]: unknown;
            } | null;
            chain: {
                chainSeq: string;
                prevHash: string;
                hash: string;
            } | null;
        };
    };
    responses: {
        /** @description Success. The operation has no output; the body is an empty JSON object. */
        Void: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Empty"];
            };
        };
        /** @description InvalidRequestException. The request is not valid. */
        InvalidRequest: {
            headers: {
                "x-amzn-ErrorType"?: "InvalidRequestException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description InvalidRequestException, or MalformedPolicyException when the policy document is invalid. */
        InvalidRequestOrMalformedPolicy: {
            headers: {
                "x-amzn-ErrorType"?: "InvalidRequestException" | "MalformedPolicyException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description InvalidRequestException, or CertificateValidationException when the certificate is invalid. */
        InvalidRequestOrCertificateValidation: {
            headers: {
                "x-amzn-ErrorType"?: "InvalidRequestException" | "CertificateValidationException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description UnauthorizedException. Missing or invalid SigV4 signature, or the caller may not do this. */
        Unauthorized: {
            headers: {
                "x-amzn-ErrorType"?: "UnauthorizedException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description ResourceNotFoundException. The specified resource does not exist. */
        ResourceNotFound: {
            headers: {
                "x-amzn-ErrorType"?: "ResourceNotFoundException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description CertificateStateException. The certificate operation is not allowed in its current state. */
        CertificateState: {
            headers: {
                "x-amzn-ErrorType"?: "CertificateStateException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description TransferConflictException. Policies are still attached to the certificate. */
        TransferConflict: {
            headers: {
                "x-amzn-ErrorType"?: "TransferConflictException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description DeleteConflictException. The resource is still attached or in use. */
        DeleteConflict: {
            headers: {
                "x-amzn-ErrorType"?: "DeleteConflictException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description ResourceAlreadyExistsException (body also carries resourceId and resourceArn). */
        ResourceAlreadyExists: {
            headers: {
                "x-amzn-ErrorType"?: "ResourceAlreadyExistsException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description ResourceAlreadyExistsException (with resourceId and resourceArn), or CertificateConflictException when a certificate with the same id but another CA exists. */
        RegisterConflict: {
            headers: {
                "x-amzn-ErrorType"?: "ResourceAlreadyExistsException" | "CertificateConflictException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description TransferAlreadyCompletedException. The transfer is no longer pending. */
        TransferAlreadyCompleted: {
            headers: {
                "x-amzn-ErrorType"?: "TransferAlreadyCompletedException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description LimitExceededException (HTTP 410, as modeled). */
        LimitExceeded: {
            headers: {
                "x-amzn-ErrorType"?: "LimitExceededException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description ThrottlingException. The rate exceeds the limit (429 per the API reference; clients retry it). */
        Throttling: {
            headers: {
                "x-amzn-ErrorType"?: "ThrottlingException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description InternalFailureException. An unexpected error; the message never leaks internals. */
        InternalFailure: {
            headers: {
                "x-amzn-ErrorType"?: "InternalFailureException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description ServiceUnavailableException. The service is temporarily unavailable (clients retry it). */
        ServiceUnavailable: {
            headers: {
                "x-amzn-ErrorType"?: "ServiceUnavailableException";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
    };
    parameters: {
        CertificateIdPath: components["schemas"]["CertificateId"];
        PolicyNamePath: components["schemas"]["PolicyName"];
        TargetAwsAccountQuery: components["schemas"]["AwsAccountId"];
        SetAsActiveQuery: boolean;
        /** @description Page size; certguard defaults to 25 when absent. */
        PageSizeQuery: number;
        /** @description The nextMarker of the previous page (percent-encoded by clients). */
        MarkerQuery: components["schemas"]["Marker"];
        /** @description Sort by creation date ascending (SDK member name `ascendingOrder`). */
        AscendingOrderQuery: boolean;
        /** @description The principal (a certificate ARN, or a Cognito identity id such as `us-east-1:abc-123`). */
        PrincipalHeader: string;
        /** @description Events at or after this time (RFC 3339, e.g. 2026-11-26T14:00:00Z; percent-encode a `+` offset). */
        AuditFromQuery: string;
        /** @description Events before this time (exclusive; RFC 3339). Must not be earlier than `from`. */
        AuditToQuery: string;
        /** @description The operation, e.g. TransferCertificate, or the administrative event type, e.g. PolicyActivated, PolicyReloadRefused, AuthenticationFailureSummary. */
        AuditOperationQuery: string;
        AuditDecisionQuery: "ALLOW" | "DENY" | "ERROR";
        AuditCallerAccountIdQuery: components["schemas"]["AwsAccountId"];
        AuditCertificateIdQuery: components["schemas"]["CertificateId"];
        /** @description The account a transfer was addressed to. */
        AuditTargetAccountIdQuery: components["schemas"]["AwsAccountId"];
        /** @description The rule that denied, e.g. certificate-not-active, or a built-in one such as certguard.precondition. */
        AuditFailingRuleIdQuery: string;
        /** @description Content hash of the rule bundle that decided (64 hex digits). */
        AuditPolicyHashQuery: string;
        /** @description W3C trace id of the request (32 hex digits), e.g. from the traceparent response header. */
        AuditTraceIdQuery: string;
        /** @description The x-amzn-RequestId of the request, exactly as it was answered. */
        AuditRequestIdQuery: string;
        /** @description Decision, PolicyActivated, PolicyReloadRefused, AuthenticationFailed, AuthenticationFailureSummary, AuditTrailRead, PolicyEvaluation or DataRead (docs/security.md "What is audited"). */
        AuditEventTypeQuery: string;
    };
    requestBodies: {
        PolicyTarget: {
            content: {
                "application/json": {
                    /** @description The target ARN (e.g. a certificate ARN). */
                    target: string;
                };
            };
        };
    };
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    TransferCertificate: {
        parameters: {
            query: {
                targetAwsAccount: components["parameters"]["TargetAwsAccountQuery"];
            };
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    transferMessage?: components["schemas"]["Message"];
                };
            };
        };
        responses: {
            /** @description The transfer is pending. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransferCertificateResponse"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            406: components["responses"]["CertificateState"];
            409: components["responses"]["TransferConflict"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    AcceptCertificateTransfer: {
        parameters: {
            query?: {
                setAsActive?: components["parameters"]["SetAsActiveQuery"];
            };
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            410: components["responses"]["TransferAlreadyCompleted"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    RejectCertificateTransfer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    rejectReason?: components["schemas"]["Message"];
                };
            };
        };
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            410: components["responses"]["TransferAlreadyCompleted"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    CancelCertificateTransfer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            410: components["responses"]["TransferAlreadyCompleted"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ListCertificates: {
        parameters: {
            query?: {
                /** @description Page size; certguard defaults to 25 when absent. */
                pageSize?: components["parameters"]["PageSizeQuery"];
                /** @description The nextMarker of the previous page (percent-encoded by clients). */
                marker?: components["parameters"]["MarkerQuery"];
                /** @description Sort by creation date ascending (SDK member name `ascendingOrder`). */
                isAscendingOrder?: components["parameters"]["AscendingOrderQuery"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of certificates. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListCertificatesResponse"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    CreateCertificateFromCsr: {
        parameters: {
            query?: {
                setAsActive?: components["parameters"]["SetAsActiveQuery"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    certificateSigningRequest: components["schemas"]["CertificateSigningRequest"];
                };
            };
        };
        responses: {
            /** @description The certificate was created. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateCertificateFromCsrResponse"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    DescribeCertificate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The certificate. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DescribeCertificateResponse"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    UpdateCertificate: {
        parameters: {
            query: {
                newStatus: components["schemas"]["CertificateStatus"];
            };
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            406: components["responses"]["CertificateState"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    DeleteCertificate: {
        parameters: {
            query?: {
                forceDelete?: boolean;
            };
            header?: never;
            path: {
                certificateId: components["parameters"]["CertificateIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            406: components["responses"]["CertificateState"];
            409: components["responses"]["DeleteConflict"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    CreateKeysAndCertificate: {
        parameters: {
            query?: {
                setAsActive?: components["parameters"]["SetAsActiveQuery"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The certificate and its key pair (the private key is returned only here). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateKeysAndCertificateResponse"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    RegisterCertificate: {
        parameters: {
            query?: {
                /**
                 * @deprecated
                 * @description Model shape SetAsActiveFlag (deprecated; use the `status` body member).
                 */
                setAsActive?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    certificatePem: components["schemas"]["CertificatePem"];
                    caCertificatePem?: components["schemas"]["CertificatePem"];
                    status?: components["schemas"]["CertificateStatus"];
                };
            };
        };
        responses: {
            /** @description The certificate was registered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterCertificateResponse"];
                };
            };
            400: components["responses"]["InvalidRequestOrCertificateValidation"];
            401: components["responses"]["Unauthorized"];
            406: components["responses"]["CertificateState"];
            409: components["responses"]["RegisterConflict"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    RegisterCertificateWithoutCA: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    certificatePem: components["schemas"]["CertificatePem"];
                    status?: components["schemas"]["CertificateStatus"];
                };
            };
        };
        responses: {
            /** @description The certificate was registered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterCertificateResponse"];
                };
            };
            400: components["responses"]["InvalidRequestOrCertificateValidation"];
            401: components["responses"]["Unauthorized"];
            406: components["responses"]["CertificateState"];
            409: components["responses"]["ResourceAlreadyExists"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ListPolicies: {
        parameters: {
            query?: {
                /** @description The nextMarker of the previous page (percent-encoded by clients). */
                marker?: components["parameters"]["MarkerQuery"];
                /** @description Page size; certguard defaults to 25 when absent. */
                pageSize?: components["parameters"]["PageSizeQuery"];
                /** @description Sort by creation date ascending (SDK member name `ascendingOrder`). */
                isAscendingOrder?: components["parameters"]["AscendingOrderQuery"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of policies. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyPage"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    GetPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The policy. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetPolicyResponse"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    CreatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    policyDocument: components["schemas"]["PolicyDocument"];
                    tags?: components["schemas"]["Tag"][];
                };
            };
        };
        responses: {
            /** @description The policy was created. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatePolicyResponse"];
                };
            };
            400: components["responses"]["InvalidRequestOrMalformedPolicy"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["ResourceAlreadyExists"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    DeletePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            409: components["responses"]["DeleteConflict"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    AttachPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["PolicyTarget"];
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            410: components["responses"]["LimitExceeded"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    DetachPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["PolicyTarget"];
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            410: components["responses"]["LimitExceeded"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    AttachPrincipalPolicy: {
        parameters: {
            query?: never;
            header: {
                /** @description The principal (a certificate ARN, or a Cognito identity id such as `us-east-1:abc-123`). */
                "x-amzn-iot-principal": components["parameters"]["PrincipalHeader"];
            };
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            410: components["responses"]["LimitExceeded"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    DetachPrincipalPolicy: {
        parameters: {
            query?: never;
            header: {
                /** @description The principal (a certificate ARN, or a Cognito identity id such as `us-east-1:abc-123`). */
                "x-amzn-iot-principal": components["parameters"]["PrincipalHeader"];
            };
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Void"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ListPrincipalPolicies: {
        parameters: {
            query?: {
                /** @description The nextMarker of the previous page (percent-encoded by clients). */
                marker?: components["parameters"]["MarkerQuery"];
                /** @description Page size; certguard defaults to 25 when absent. */
                pageSize?: components["parameters"]["PageSizeQuery"];
                /** @description Sort by creation date ascending (SDK member name `ascendingOrder`). */
                isAscendingOrder?: components["parameters"]["AscendingOrderQuery"];
            };
            header: {
                /** @description The principal (a certificate ARN, or a Cognito identity id such as `us-east-1:abc-123`). */
                "x-amzn-iot-principal": components["parameters"]["PrincipalHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of policies. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyPage"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ListAttachedPolicies: {
        parameters: {
            query?: {
                recursive?: boolean;
                /** @description The nextMarker of the previous page (percent-encoded by clients). */
                marker?: components["parameters"]["MarkerQuery"];
                /** @description Page size; certguard defaults to 25 when absent. */
                pageSize?: components["parameters"]["PageSizeQuery"];
            };
            header?: never;
            path: {
                /** @description The target ARN, percent-encoded as one path segment (`arn%3Aaws%3Aiot%3A...%3Acert%2F<id>`); the validator and Express hand it back decoded. */
                target: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of policies. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyPage"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            410: components["responses"]["LimitExceeded"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ListTargetsForPolicy: {
        parameters: {
            query?: {
                /** @description The nextMarker of the previous page (percent-encoded by clients). */
                marker?: components["parameters"]["MarkerQuery"];
                /** @description Page size; certguard defaults to 25 when absent. */
                pageSize?: components["parameters"]["PageSizeQuery"];
            };
            header?: never;
            path: {
                policyName: components["parameters"]["PolicyNamePath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of targets. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListTargetsForPolicyResponse"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            410: components["responses"]["LimitExceeded"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    DescribeActivePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The active bundle. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyBundleDescription"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    EvaluatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PolicyEvaluateRequest"];
            };
        };
        responses: {
            /** @description The decision and the input it was made on. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyEvaluateResponse"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    SimulatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PolicySimulateRequest"];
            };
        };
        responses: {
            /** @description What the candidate would change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicySimulateResponse"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    GetMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every metric of the process, e.g. certguard_decisions_total. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description The Prometheus endpoint is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    VerifyAuditChain: {
        parameters: {
            query?: {
                /** @description Checkpoint id to start from (its signed hash anchors the rest); unknown -> InvalidRequestException. */
                fromCheckpoint?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verification report, or (Accept application/x-ndjson) its progress and then the report. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerifyReport"];
                    "application/x-ndjson": components["schemas"]["AuditVerifyStreamLine"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ListAuditCheckpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The checkpoints. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditCheckpointsDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    CreateAuditCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new checkpoint. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditCheckpoint"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ListAuditEvents: {
        parameters: {
            query?: {
                /** @description Events at or after this time (RFC 3339, e.g. 2026-11-26T14:00:00Z; percent-encode a `+` offset). */
                from?: components["parameters"]["AuditFromQuery"];
                /** @description Events before this time (exclusive; RFC 3339). Must not be earlier than `from`. */
                to?: components["parameters"]["AuditToQuery"];
                /** @description The operation, e.g. TransferCertificate, or the administrative event type, e.g. PolicyActivated, PolicyReloadRefused, AuthenticationFailureSummary. */
                operation?: components["parameters"]["AuditOperationQuery"];
                decision?: components["parameters"]["AuditDecisionQuery"];
                callerAccountId?: components["parameters"]["AuditCallerAccountIdQuery"];
                certificateId?: components["parameters"]["AuditCertificateIdQuery"];
                /** @description The account a transfer was addressed to. */
                targetAccountId?: components["parameters"]["AuditTargetAccountIdQuery"];
                /** @description The rule that denied, e.g. certificate-not-active, or a built-in one such as certguard.precondition. */
                failingRuleId?: components["parameters"]["AuditFailingRuleIdQuery"];
                /** @description Content hash of the rule bundle that decided (64 hex digits). */
                policyHash?: components["parameters"]["AuditPolicyHashQuery"];
                /** @description W3C trace id of the request (32 hex digits), e.g. from the traceparent response header. */
                traceId?: components["parameters"]["AuditTraceIdQuery"];
                /** @description The x-amzn-RequestId of the request, exactly as it was answered. */
                requestId?: components["parameters"]["AuditRequestIdQuery"];
                /** @description Decision, PolicyActivated, PolicyReloadRefused, AuthenticationFailed, AuthenticationFailureSummary, AuditTrailRead, PolicyEvaluation or DataRead (docs/security.md "What is audited"). */
                eventType?: components["parameters"]["AuditEventTypeQuery"];
                /** @description Events per page; 100 when absent. */
                limit?: number;
                /** @description By sequence; desc (newest first) when absent. */
                order?: "asc" | "desc";
                /** @description The nextCursor of the previous page, unchanged. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of audit events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventsPage"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    GetAuditEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The audit event. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEvent"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["ResourceNotFound"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    GetAuditStats: {
        parameters: {
            query: {
                /** @description Start of the range (inclusive; RFC 3339). */
                from: string;
                /** @description End of the range (exclusive; RFC 3339); later than from, at most 92 days after it. */
                to: string;
                /** @description What each interval's counts are split by; decision when absent. */
                groupBy?: "decision" | "operation" | "failingRuleId";
                /** @description The operation, e.g. TransferCertificate, or the administrative event type, e.g. PolicyActivated, PolicyReloadRefused, AuthenticationFailureSummary. */
                operation?: components["parameters"]["AuditOperationQuery"];
                decision?: components["parameters"]["AuditDecisionQuery"];
                callerAccountId?: components["parameters"]["AuditCallerAccountIdQuery"];
                certificateId?: components["parameters"]["AuditCertificateIdQuery"];
                /** @description The account a transfer was addressed to. */
                targetAccountId?: components["parameters"]["AuditTargetAccountIdQuery"];
                /** @description The rule that denied, e.g. certificate-not-active, or a built-in one such as certguard.precondition. */
                failingRuleId?: components["parameters"]["AuditFailingRuleIdQuery"];
                /** @description Content hash of the rule bundle that decided (64 hex digits). */
                policyHash?: components["parameters"]["AuditPolicyHashQuery"];
                /** @description W3C trace id of the request (32 hex digits), e.g. from the traceparent response header. */
                traceId?: components["parameters"]["AuditTraceIdQuery"];
                /** @description The x-amzn-RequestId of the request, exactly as it was answered. */
                requestId?: components["parameters"]["AuditRequestIdQuery"];
                /** @description Decision, PolicyActivated, PolicyReloadRefused, AuthenticationFailed, AuthenticationFailureSummary, AuditTrailRead, PolicyEvaluation or DataRead (docs/security.md "What is audited"). */
                eventType?: components["parameters"]["AuditEventTypeQuery"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The counts per interval. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditStats"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ExportAuditEvents: {
        parameters: {
            query?: {
                /** @description ndjson when absent. */
                format?: "ndjson" | "csv" | "ocsf" | "cloudtrail";
                /** @description Events at or after this time (RFC 3339, e.g. 2026-11-26T14:00:00Z; percent-encode a `+` offset). */
                from?: components["parameters"]["AuditFromQuery"];
                /** @description Events before this time (exclusive; RFC 3339). Must not be earlier than `from`. */
                to?: components["parameters"]["AuditToQuery"];
                /** @description The operation, e.g. TransferCertificate, or the administrative event type, e.g. PolicyActivated, PolicyReloadRefused, AuthenticationFailureSummary. */
                operation?: components["parameters"]["AuditOperationQuery"];
                decision?: components["parameters"]["AuditDecisionQuery"];
                callerAccountId?: components["parameters"]["AuditCallerAccountIdQuery"];
                certificateId?: components["parameters"]["AuditCertificateIdQuery"];
                /** @description The account a transfer was addressed to. */
                targetAccountId?: components["parameters"]["AuditTargetAccountIdQuery"];
                /** @description The rule that denied, e.g. certificate-not-active, or a built-in one such as certguard.precondition. */
                failingRuleId?: components["parameters"]["AuditFailingRuleIdQuery"];
                /** @description Content hash of the rule bundle that decided (64 hex digits). */
                policyHash?: components["parameters"]["AuditPolicyHashQuery"];
                /** @description W3C trace id of the request (32 hex digits), e.g. from the traceparent response header. */
                traceId?: components["parameters"]["AuditTraceIdQuery"];
                /** @description The x-amzn-RequestId of the request, exactly as it was answered. */
                requestId?: components["parameters"]["AuditRequestIdQuery"];
                /** @description Decision, PolicyActivated, PolicyReloadRefused, AuthenticationFailed, AuthenticationFailureSummary, AuditTrailRead, PolicyEvaluation or DataRead (docs/security.md "What is audited"). */
                eventType?: components["parameters"]["AuditEventTypeQuery"];
                /** @description First chain position to export (inclusive); 1 when only toChainSeq is given. */
                fromChainSeq?: string;
                /** @description Last chain position to export (inclusive); the head at the start of the export when absent. */
                toChainSeq?: string;
                /** @description format=csv only (InvalidRequestException otherwise). true when absent: a text cell beginning with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so a spreadsheet shows it as text instead of running it as a formula (OWASP CSV injection). false writes every value as stored (byte-faithful). */
                csvFormulaGuard?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export, streamed (chunked). The body is a stream, not one JSON document. */
            200: {
                headers: {
                    /** @description attachment; filename="certguard-audit-<YYYYMMDDTHHMMSSZ>.<ndjson|csv|ocsf.ndjson|cloudtrail.ndjson>" */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["Throttling"];
            500: components["responses"]["InternalFailure"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    GetHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            400: components["responses"]["InvalidRequest"];
        };
    };
    GetReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            /** @description Not ready; the checks say what is missing. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    GetOpenApiSpec: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            400: components["responses"]["InvalidRequest"];
        };
    };
}
