import { alertRuleSchema, configReceiverSchema, groupingSchema, inhibitRuleSchema, secretReference, smtpSchema } from '../alerting/schemas.js';
import type { JsonSchema } from '../contracts/json-schema.js';

/**
 * The gateway's own settings. Connector sections are added from the
 * registered descriptors (see `composeConfigSchema`) so every connector's
 * credentials and settings are validated at boot by the same schema.
 * Descriptions here are the configuration reference: keep them useful.
 */
export const gatewayConfigSchema = {
  $id: 'https://lgsp.gov.vn/config/gateway.json',
  type: 'object',
  additionalProperties: false,
  required: ['mode', 'server', 'log', 'store', 'auth', 'audit', 'connectors'],
  properties: {
    mode: {
      enum: ['embedded', 'production'],
      description:
        'embedded: PGlite store, local OIDC provider and every sandbox started in-process (development, demos). production: PostgreSQL required, no dev IdP, no sandboxes.',
    },
    server: {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'port'],
      properties: {
        host: { type: 'string', minLength: 1, description: 'Interface to listen on (0.0.0.0 in containers).' },
        port: { type: 'integer', minimum: 0, maximum: 65535, description: 'HTTP port of the gateway (0 = any free port).' },
        opsHost: {
          type: 'string',
          minLength: 1,
          default: '127.0.0.1',
          description:
            'Interface of the ops listener (/metrics, /readyz with upstream and breaker detail, /healthz). It has no authentication: keep it on loopback or a network only the monitoring system reaches.',
        },
        opsPort: {
          type: 'integer',
          minimum: 0,
          maximum: 65535,
          default: 9464,
          description: 'HTTP port of the ops listener (0 = any free port). The API port keeps only a minimal /healthz and /readyz (ready or not, no detail) for probes.',
        },
        bodyLimitBytes: { type: 'integer', minimum: 1024, maximum: 10485760, default: 65536, description: 'Largest accepted request body; larger ones get 413.' },
        shutdownGraceMs: { type: 'integer', minimum: 0, maximum: 120000, default: 10000, description: 'How long SIGTERM waits for in-flight requests before closing connections.' },
        trustProxy: { type: 'boolean', default: false, description: 'Trust X-Forwarded-* from a reverse proxy / ingress.' },
        maxRequestTimeoutMs: {
          type: 'integer',
          minimum: 100,
          maximum: 300000,
          default: 30000,
          description:
            'Longest an API request may take, counted from its arrival: upstream attempts, bulkhead waits and retry backoffs all fit inside it (504 LGSP_DEADLINE_EXCEEDED after). A caller can ask for less with `Request-Timeout: <seconds>`, never for more.',
        },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      properties: {
        level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
      },
    },
    store: {
      description: 'Where consumers, grants, audit records and the outbox live.',
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['driver'],
          properties: {
            driver: { const: 'pglite', description: 'Embedded Postgres (WASM) in a data directory.' },
            dataDir: { type: 'string', minLength: 1, description: 'Data directory (relative paths are resolved from the working directory). Omit for in-memory.' },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['driver', 'url'],
          properties: {
            driver: { const: 'pg', description: 'PostgreSQL server (production).' },
            url: { type: 'string', pattern: '^postgres(ql)?://', description: 'Connection URL, e.g. postgres://lgsp@db:5432/lgsp (secret: set through LGSP__STORE__URL).', 'x-secret': true },
            poolSize: { type: 'integer', minimum: 1, maximum: 200, description: 'Connections per gateway process (default 20).' },
            connectionTimeoutMs: { type: 'integer', minimum: 100, maximum: 60000, description: 'How long a query waits for a free or new connection before failing (default 5000): while PostgreSQL is down, personal-data calls fail closed this fast.' },
            statementTimeoutMs: { type: 'integer', minimum: 0, maximum: 3600000, description: 'Server-side limit per statement (default 30000; 0 disables).' },
            schema: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$', description: 'search_path schema (isolates test runs).' },
            migrateOnStart: {
              type: 'boolean',
              description:
                'true (default): every start applies pending migrations (replicas starting together take turns). false: migrations are run apart, before the rollout (`node dist/scripts/store-migrate.js`, e.g. a Helm pre-upgrade Job), and a start refuses a database whose schema is behind this version.',
            },
          },
        },
      ],
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      required: ['issuer', 'audience'],
      properties: {
        issuer: { type: 'string', format: 'uri', description: 'Keycloak realm URL, e.g. https://sso.example.gov.vn/realms/lgsp.' },
        jwksUri: { type: 'string', format: 'uri', description: 'Defaults to {issuer}/protocol/openid-connect/certs.' },
        audience: { type: 'string', minLength: 1, default: 'lgsp-gateway', description: 'Required `aud` of API tokens.' },
        algorithms: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] }, default: ['RS256'] },
        clockToleranceSeconds: { type: 'integer', minimum: 0, maximum: 300, default: 5 },
      },
    },
    devIdp: {
      type: 'object',
      additionalProperties: false,
      description: 'Local OIDC provider (embedded mode only).',
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8180 },
        realmExport: { type: 'string', default: 'config/keycloak/lgsp-realm.json', description: 'Keycloak realm export it is seeded from (relative to the project root).' },
        keyStorePath: { type: 'string', description: 'Where its signing keys persist, so tokens survive restarts.' },
        accessTokenTtlSeconds: { type: 'integer', minimum: 1, maximum: 86400, default: 300 },
      },
    },
    sandboxes: {
      type: 'object',
      additionalProperties: false,
      description: 'Simulated upstreams (embedded mode only).',
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        ports: { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 65535 }, description: 'Port per connector id.' },
      },
    },
    redis: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      description: 'Shared Redis for global quotas across replicas (recommended in production; without it each process counts alone).',
      properties: {
        url: { type: 'string', pattern: '^rediss?://', description: 'e.g. redis://redis:6379/0 (secret when it carries a password: set through LGSP__REDIS__URL).', 'x-secret': true },
        keyPrefix: { type: 'string', minLength: 1, default: 'lgsp:rl', description: 'Prefix of every rate-limit key (separates gateways sharing one Redis).' },
        replicas: { type: 'integer', minimum: 1, maximum: 1000, default: 1, description: 'Replicas sharing the limits: while Redis is unreachable each allows only its share.' },
        commandTimeoutMs: { type: 'integer', minimum: 10, maximum: 10000, default: 250, description: 'A Redis answer slower than this is treated as an outage for that decision (the local limiter decides): quotas never stall requests.' },
        quotaLeasePercent: {
          type: 'number',
          minimum: 0,
          maximum: 5,
          default: 1,
          description:
            'A quota key a replica sees often takes this share of its limit (divided by `replicas`, at most 64 points, only from 2 points up) from Redis at once and grants it locally, so busy keys skip the Redis round trip. The count never exceeds the limit; points held by one replica are not available to the others and expire unused at the end of the window (at most about twice this share per replica). 0: every request asks Redis.',
        },
      },
    },
    cache: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'Response cache for reference data (the procedure catalog; other operations only when connectors.<id>.cache.<operationId> says so): in-process, plus Redis shared by the replicas when `redis` is set. Fresh answers carry Age; stale ones Warning 110 (revalidating) or 111 (upstream failed).',
      properties: {
        enabled: { type: 'boolean', default: true, description: 'false: never cache anything (every call asks the upstream).' },
        maxEntries: { type: 'integer', minimum: 1, maximum: 10000000, default: 10000, description: 'Most answers kept in each process (least recently used go first).' },
        maxBytes: { type: 'integer', minimum: 1024, maximum: 4294967296, default: 67108864, description: 'Most bytes (JSON size) of answers kept in each process.' },
        sharedKeyPrefix: { type: 'string', minLength: 1, default: 'lgsp:cache', description: 'Prefix of the cache keys in Redis (replicas sharing answers use the same one; Redis connection settings come from `redis`).' },
        keyHashKey: {
          type: 'string',
          minLength: 32,
          description:
            'HMAC-SHA-256 key of the cache keys (at least 32 characters; secret: set through LGSP__CACHE__KEY_HASH_KEY): in this process and in Redis a key is a keyed hash of operation and input, from which no input (a personal id) can be found again. Replicas sharing answers need the same one; required in production when `redis` is set. Absent: each process generates its own. Changing it makes every stored answer a miss.',
          'x-secret': true,
        },
        entryEncryptionKey: {
          type: 'string',
          minLength: 32,
          description:
            'Secret (at least 32 characters; set through LGSP__CACHE__ENTRY_ENCRYPTION_KEY) from which the AES-256-GCM key of entries kept in Redis is derived. Personal-data answers are always stored encrypted; others when encryptAllEntries. Each entry names the key that sealed it, so after a change older entries are misses. Required in production when `redis` is set; absent: each process generates its own.',
          'x-secret': true,
        },
        encryptAllEntries: { type: 'boolean', default: false, description: 'Also encrypt answers without personal data (the procedure catalog) in Redis.' },
      },
    },
    access: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Consumers, grants and purposes (managed through /admin/v1).',
      properties: {
        refreshIntervalMs: { type: 'integer', minimum: 100, maximum: 60000, default: 2000, description: 'How often each replica checks for admin changes (access policy and resilience overrides).' },
        openApiShowsOnlyGranted: {
          type: 'boolean',
          default: false,
          description: 'Serve each consumer an OpenAPI document with only its granted operations (a token is then required; admins see everything).',
        },
        seedFile: { type: 'string', description: 'YAML with purposes, consumers and grants; at start, those the store lacks are added (existing ones are never changed). Embedded defaults: config/access-seed.yaml.' },
      },
    },
    health: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        "Active health probes: a cheap call to every enabled upstream on an interval, outside the request breaker (seen at /admin/v1/connectors/{id}/health, in /readyz detail and as lgsp_upstream_probe_* metrics); and each replica's traffic history per connector (the console's overview).",
      properties: {
        probeIntervalMs: { type: 'integer', minimum: 100, maximum: 3600000, default: 30000, description: 'Time from the end of one probe of an upstream to the start of the next. With several replicas on PostgreSQL, for all of them together: one replica probes, every replica reports its result (src/resilience/README.md).' },
        probeTimeoutMs: { type: 'integer', minimum: 10, maximum: 120000, default: 5000, description: 'A probe unanswered after this long is aborted and counts as failed (timeout).' },
        trafficSampleIntervalMs: {
          type: 'integer',
          minimum: 100,
          maximum: 600000,
          default: 10000,
          description:
            "How often each replica turns its request metrics into one traffic point per connector (requests per minute, error rate, p95 latency) for the console's overview: /admin/v1/connectors/history keeps the last hour of them (at most 3600 points, so below 1000 ms less than the hour), /admin/v1/connectors shows the newest. Read from the metrics every call already records: nothing is added per request.",
        },
      },
    },
    outbox: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'The durable outbox (src/outbox): messages to deliver to upstreams (write paths such as dossier sync), kept in the store and delivered at least once, in order per key. Each process runs one dispatcher; with no target registered it does nothing.',
      properties: {
        pollIntervalMs: { type: 'integer', minimum: 10, maximum: 60000, default: 1000, description: 'How often each replica looks for due messages when nothing woke it (messages enqueued by this replica are delivered at once).' },
        leaseMs: { type: 'integer', minimum: 100, maximum: 600000, default: 30000, description: 'How long a claimed message is held by its replica (renewed every third of it while the delivery runs). A replica that dies: another takes its messages over after this.' },
        maxConcurrent: { type: 'integer', minimum: 1, maximum: 256, default: 8, description: 'Deliveries in flight at once per replica, across keys and targets (one key has at most one).' },
        deliveryTimeoutMs: { type: 'integer', minimum: 100, maximum: 600000, default: 60000, description: 'A delivery unanswered after this long is aborted and retried (a target may set its own).' },
        deferDelayMs: { type: 'integer', minimum: 10, maximum: 3600000, default: 5000, description: 'When a target says "not now" (its breaker is open), or at shutdown: how long before the message is tried again (no attempt counted).' },
        maxAttempts: { type: 'integer', minimum: 1, maximum: 1000, default: 20, description: 'Failed attempts after which a message goes dead (waits for an operator: re-drive or cancel through /admin/v1/outbox). A target may set its own.' },
        maxAgeMs: { type: 'integer', minimum: 1000, default: 604800000, description: 'Age (from enqueue or the last re-drive) after which a failed attempt makes the message dead (default 7 days). A target may set its own.' },
        baseDelayMs: { type: 'integer', minimum: 1, maximum: 3600000, default: 1000, description: 'Backoff after the first failure; doubles with each attempt, full jitter, capped at maxDelayMs.' },
        maxDelayMs: { type: 'integer', minimum: 1, maximum: 86400000, default: 600000, description: 'Longest backoff between two attempts of a message (default 10 minutes).' },
        shutdownGraceMs: { type: 'integer', minimum: 0, maximum: 600000, default: 10000, description: 'At shutdown, how long deliveries in flight may finish; the rest are aborted and given back (pending, attempt not counted) for another replica.' },
      },
    },
    audit: {
      type: 'object',
      additionalProperties: false,
      required: ['subjectHashKey'],
      properties: {
        subjectHashKey: {
          type: 'string',
          minLength: 32,
          description: 'HMAC key for subject-id hashes in audit records (at least 32 characters; secret: set through LGSP__AUDIT__SUBJECT_HASH_KEY). Changing it breaks subject queries over older records.',
          'x-secret': true,
        },
        checkpoints: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Signed checkpoints of the audit hash chains (docs/audit-chain.md): the head of each stream, signed with Ed25519 on an interval and at shutdown, so a truncated trail is detectable.',
          properties: {
            intervalMs: { type: 'integer', minimum: 1000, maximum: 86400000, default: 60000, description: 'About how often each replica signs a stream head that moved (jittered by ±20%).' },
            signingKey: {
              type: 'string',
              minLength: 1,
              description: 'Ed25519 private key, PKCS#8 PEM (openssl genpkey -algorithm ed25519). Required in production (secret: set through LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY). Without it, keyFile is used.',
              'x-secret': true,
            },
            keyFile: {
              type: 'string',
              minLength: 1,
              description: 'Development only: where a generated Ed25519 key is kept (created on first start, mode 0600). Without signingKey or keyFile each start generates a throwaway key (checkpoints then verify only in that process).',
            },
            trustedPublicKeys: {
              type: 'array',
              items: { type: 'string', minLength: 1 },
              default: [],
              description: 'Public keys (SPKI PEM) of earlier signing keys, so checkpoints signed before a key rotation still verify.',
            },
            tsaUrl: { type: 'string', format: 'uri', description: 'RFC 3161 time-stamping authority: when set, each checkpoint also gets a timestamp token over its signed statement.' },
            tsaTimeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 5000, description: 'How long a timestamp request may take; a checkpoint whose token fails is stored without one (and counted).' },
          },
        },
        partitions: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'audit_records is partitioned by UTC month (audit_records_pYYYYMM); maintenance creates months ahead at start and daily.',
          properties: {
            monthsAhead: { type: 'integer', minimum: 1, maximum: 24, default: 3, description: 'Months after the current one that must always have a partition (an audit record whose month has none is refused: fail closed).' },
          },
        },
        retention: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'How long each audit stream is kept, in whole months counted back from the start of the current UTC month; 0 keeps the stream forever. Applied at start and daily.',
          properties: {
            dataAccessMonths: { type: 'integer', minimum: 0, maximum: 1200, default: 60, description: 'Data-access trail (audit_records): older monthly partitions are dropped whole.' },
            adminMonths: { type: 'integer', minimum: 0, maximum: 1200, default: 120, description: 'Admin audit log (admin_audit_log): older rows are deleted in batches.' },
          },
        },
      },
    },
    vault: {
      type: 'object',
      additionalProperties: false,
      required: ['masterKeys', 'activeKeyId'],
      description:
        'The credential vault (src/vault): connector credentials stored with envelope encryption, a random data key per record wrapped by a master key. Several master keys may be configured so the master key can rotate: records name the key that wrapped them; new records use activeKeyId; `npm run vault:rewrap` re-wraps every record under activeKeyId and retires the others. Required in production.',
      properties: {
        masterKeys: {
          type: 'array',
          minItems: 1,
          description:
            'Master keys, each given inline (key, secret: set through LGSP__VAULT__MASTER_KEYS) or as a mounted file holding it (file), e.g. LGSP__VAULT__MASTER_KEYS=\'[{"id":"k2026","file":"/run/secrets/lgsp-vault-k2026"}]\'. Generate one with `openssl rand -base64 32`.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id'],
            oneOf: [{ required: ['key'] }, { required: ['file'] }],
            properties: {
              id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'Stored with every record it wraps; not secret. Never reuse an id for another key.' },
              key: { type: 'string', pattern: '^[A-Za-z0-9+/]{43}=$', description: '32 random bytes, base64.', 'x-secret': true },
              file: { type: 'string', minLength: 1, description: 'Path of a file (e.g. a mounted Kubernetes secret) holding the key, base64, read at start.' },
            },
          },
        },
        activeKeyId: { type: 'string', minLength: 1, description: 'The master key that wraps new records and that vault:rewrap moves every record to.' },
        overlapMs: {
          type: 'integer',
          minimum: 0,
          maximum: 2592000000,
          default: 86400000,
          description: 'How long the previous credential version stays usable (and can be rolled back to) after a new one is activated (default 24 h); then it is destroyed.',
        },
        fingerprintKey: {
          type: 'string',
          minLength: 32,
          description:
            'HMAC key of the credential fingerprints shown to operators (at least 32 characters; secret: LGSP__VAULT__FINGERPRINT_KEY). Absent: derived from audit.subjectHashKey (HKDF). Changing it changes every fingerprint shown.',
          'x-secret': true,
        },
      },
    },
    upstreams: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        "Where the gateway may connect to upstreams (every connector's base URL and login URL, from this file or set by an administrator). Checked when a URL is configured and again on each new connection's resolved addresses, so a DNS answer that changes later is refused too. Redirects are never followed: a 3xx is an error naming the fix (set the final address).",
      properties: {
        enforceAllowlist: {
          type: 'boolean',
          description:
            'true: an upstream host must be in allowedHosts or resolve only into allowedCidrs, and loopback (127.0.0.0/8, ::1), link-local (169.254.0.0/16, fe80::/10), unspecified (0.0.0.0, ::) and cloud metadata addresses (169.254.169.254, fd00:ec2::254, 100.100.100.200) are refused unless an allowedCidrs entry inside that range names them. false: any address is called (development). Absent: true in production mode, false in embedded mode (its sandboxes listen on loopback).',
        },
        allowedHosts: {
          type: 'array',
          items: { type: 'string', minLength: 1, pattern: '^(\\*\\.)?[^*/:\\s]+$' },
          default: [],
          description:
            'Host names upstreams may have: exact (lgsp.example.gov.vn) or a suffix wildcard (*.example.gov.vn: any name under it, not example.gov.vn itself). A host allowed by name may resolve to any address except the refused special ones.',
        },
        allowedCidrs: {
          type: 'array',
          items: { type: 'string', minLength: 1, pattern: '^[0-9a-fA-F:.]+(/[0-9]{1,3})?$' },
          default: [],
          description:
            'Address blocks upstreams may resolve into (10.20.0.0/16, 2001:db8::/32, or a single address). Also the one way to allow a special address: 127.0.0.1/32 allows a loopback upstream (an adapter on the same host), 169.254.169.254/32 the metadata address; a broad block such as 0.0.0.0/0 never does.',
        },
      },
    },
    alerting: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'The alerting channel (src/alerting): rules over the gateway\'s own signals, evaluated by one replica at a time (a lease in the store), with silences, inhibition and grouping; notices go through the outbox to e-mail, webhook and Telegram receivers. README "Alerts for monitoring staff".',
      properties: {
        enabled: { type: 'boolean', default: true, description: 'false: no signals are published, nothing is evaluated or sent (the admin routes still answer).' },
        evaluationIntervalMs: { type: 'integer', minimum: 200, maximum: 300000, default: 15000, description: 'How often each replica publishes its signals and the leader evaluates the rules.' },
        leaseMs: { type: 'integer', minimum: 1000, maximum: 600000, default: 30000, description: 'The evaluation leader\'s lease: renewed every evaluation; another replica takes over once it lapses.' },
        defaultRules: { type: 'boolean', default: true, description: 'Ship the default rules (per connector: probe down, breaker open, error rate, p95 latency, contract violations, credential expiry; gateway-wide: audit unavailable, outbox dead letters and backlog age, rate-limit fallback).' },
        rules: { type: 'array', default: [], items: alertRuleSchema, description: 'Rules of this deployment: one with a default\'s id replaces it (enabled: false switches it off). Administrators may change them at run time (/admin/v1/alert-rules).' },
        inhibitRules: {
          type: 'array',
          items: inhibitRuleSchema,
          default: [
            { sourceMatchers: [{ name: 'scope', op: '=', value: 'connector' }, { name: 'severity', op: '=', value: 'critical' }], targetMatchers: [{ name: 'scope', op: '=', value: 'operation' }], equal: ['connector'] },
            { sourceMatchers: [{ name: 'alertname', op: '=~', value: '.+\\.probe-down' }], targetMatchers: [{ name: 'alertname', op: '=~', value: '.+\\.breaker-open' }], equal: ['connector'] },
          ],
          description:
            'While a source alert fires, target alerts with the same `equal` labels send nothing (they are still listed, marked inhibited). Default: a critical connector-wide alert (probe down, breaker open) mutes that connector\'s per-operation alerts, and a connector whose probe is down is not reported again for its open breaker (a consequence of the same outage).',
        },
        grouping: { ...groupingSchema, default: {} },
        receivers: { type: 'array', default: [], items: configReceiverSchema, description: 'Receivers of this deployment (read-only through the API; administrators add their own at run time).' },
        smtp: { ...smtpSchema, description: 'The SMTP server e-mail receivers send through.' },
        consoleUrl: { type: 'string', format: 'uri', pattern: '^https?://', description: 'Linked from every notice (the web console\'s alerts page).' },
        historyRetentionDays: {
          type: 'integer',
          minimum: 0,
          maximum: 3650,
          default: 400,
          description: 'Alert history kept: resolved alerts (with their events), notification log entries and ended silences older than this many days are removed by the evaluating replica, hourly. 0 keeps them forever. Acknowledgements and silences stay in the admin audit stream under its own retention.',
        },
      },
    },
    payments: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'Fees paid online through the national payment platform (src/payments, connector paygov): the payments API, the IPN callback, the notices to the one-stop system and the reconciliation job. Active when the paygov connector has a section. README "Payments".',
      properties: {
        paymentTtlMs: { type: 'integer', minimum: 60000, maximum: 2592000000, default: 86400000, description: 'How long a payment stays payable; after it, reconciliation closes it as expired once the platform confirms it was not paid.' },
        feeCheck: {
          type: 'string',
          enum: ['when-listed', 'off'],
          default: 'when-listed',
          description: "when-listed: every fee item whose code the procedure's fee table in the national catalog lists must have one of the listed amounts (else 422 naming the item); an unreachable catalog lets the payment through, marked feeCheck: catalog_unavailable. off: no check.",
        },
        ipn: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            maxBodyBytes: { type: 'integer', minimum: 1024, maximum: 1048576, default: 16384, description: 'Largest IPN body read; a larger one is refused (and stored truncated as evidence) without reading the rest.' },
            allowedSources: {
              type: 'array',
              default: [],
              items: { type: 'string', minLength: 1, pattern: '^[0-9a-fA-F:.]+(/[0-9]{1,3})?$' },
              description: 'Addresses or CIDR blocks the platform delivers IPNs from; empty: any source (the checksum alone authenticates); an entry that is not an address or a CIDR block fails the start. Behind a proxy, the address is the one server.trustProxy yields.',
            },
          },
        },
        notifications: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: "Each final state (paid, failed, expired, cancelled) is sent to the one-stop system through the outbox as a signed webhook, and, when the payment's dossier is synced to the portal, as a processing step of that dossier.",
          properties: {
            url: { type: 'string', format: 'uri', pattern: '^https?://', description: "The one-stop system's webhook (POST, JSON). Absent: no webhook is sent (the portal step still is)." },
            secret: { ...secretReference, 'x-secret': true, description: 'HMAC-SHA256 key of the X-LGSP-Signature header: { fromEnv } or { fromFile } in production. Required with url.' },
            timeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 10000, description: 'Longest one webhook delivery may take.' },
            portalProgress: { type: 'boolean', default: true, description: "false: no processing step is added to synced dossiers on the portal." },
          },
        },
        reconciliation: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            enabled: { type: 'boolean', default: true, description: 'false: reconciliation runs only on demand (POST /admin/v1/payments/reconciliation/run).' },
            intervalMs: { type: 'integer', minimum: 1000, maximum: 86400000, default: 300000, description: 'How often each replica runs it (replicas split the work; a payment is not queried twice within requeryAfterMs).' },
            minAgeMs: { type: 'integer', minimum: 0, default: 1800000, description: 'Younger open payments are left to their IPN (30 minutes).' },
            maxAgeMs: { type: 'integer', minimum: 1, default: 259200000, description: 'Older open payments are left to a human (3 days).' },
            requeryAfterMs: { type: 'integer', minimum: 0, default: 300000, description: 'A payment queried less than this long ago is not queried again.' },
            batchSize: { type: 'integer', minimum: 1, maximum: 10000, default: 100, description: 'Most payments one run queries.' },
            concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 4, description: 'QUERY calls in flight at once.' },
          },
        },
      },
    },
    console: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'The web console at /console (src/console): sign-in through the realm (authorization-code flow, client lgsp-console), sessions kept in the store so any replica serves any user, every page backed by the admin API. README "Web console".',
      properties: {
        enabled: { type: 'boolean', default: false, description: 'Serve /console (config/default.yaml turns it on for embedded mode; production turns it on with its two secrets). Off: /console is not served, the admin API still is.' },
        clientId: { type: 'string', minLength: 1, default: 'lgsp-console', description: "The realm's confidential client the console signs users in with." },
        clientSecret: { ...secretReference, 'x-secret': true, description: "The console client's secret: { fromEnv } or { fromFile } in production. Required when the console is enabled." },
        sessionSecret: { ...secretReference, 'x-secret': true, description: 'Signs the session cookie (at least 32 characters): { fromEnv } or { fromFile } in production. Required when the console is enabled.' },
        realmUrl: { type: 'string', format: 'uri', pattern: '^https?://', description: 'Where the gateway and browsers reach the realm for sign-in (default: auth.issuer).' },
        sessionIdleMs: { type: 'integer', minimum: 60000, maximum: 86400000, default: 1800000, description: 'A session unused this long ends (30 minutes); the realm\'s SSO session bounds it too, since tokens are refreshed through it.' },
        secureCookies: {
          type: 'string',
          enum: ['auto', 'always'],
          default: 'auto',
          description: 'auto: the cookie is Secure when the request came over TLS (behind a proxy: with server.trustProxy); always: Secure whatever the request (a console behind TLS only).',
        },
      },
    },
    connectors: { type: 'object', description: 'One section per registered connector.', properties: {}, additionalProperties: false },
  },
  if: { properties: { mode: { const: 'production' } } },
  then: { properties: { store: { properties: { driver: { const: 'pg' } } } } },
} as const satisfies JsonSchema;
