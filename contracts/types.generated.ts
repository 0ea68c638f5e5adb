/* Generated from contracts/ by `npm run contracts:types`. Do not edit: change the schema and regenerate. */

/**
 * Result of walking one audit stream's hash chain (GET /admin/v1/audit/verification, npm run audit:verify). Holds sequence numbers and reasons only, never record content. docs/audit-chain.md defines the hashes.
 */

export interface AuditChainVerification {
  /**
   * data_access: personal-data calls (audit_records); admin: admin changes and reads of the trail (admin_audit_log).
   */
  stream: 'data_access' | 'admin';
  /**
   * true when every row in the range hashes and links correctly, the head matches, no row is unchained and every checkpoint verifies.
   */
  ok: boolean;
  /**
   * First seq walked (never before the retained chain's anchor).
   */
  from: number;
  /**
   * Last seq walked (the head unless a smaller `to` was asked for).
   */
  to: number;
  /**
   * Rows whose hash and link were verified before the walk stopped.
   */
  checked: number;
  head: {
    /**
     * Last seq of the stream according to audit_chain_heads.
     */
    seq: number;
    /**
     * First retained seq (moves forward when retention drops old records).
     */
    anchorSeq: number;
  };
  /**
   * The first place the chain does not hold; absent when it holds.
   */
  firstBroken?: {
    seq: number;
    /**
     * missing: no row has this seq (deleted); duplicate: a second row with this seq (inserted); altered: the row does not hash to its record_hash; broken_link: its prev_hash is not the previous row's hash (a row was rewritten with a recomputed hash); head_mismatch: the last row is not the recorded head; beyond_head: a row after the head (appended); truncated_tail: rows from here on are gone, or a signed checkpoint names a seq the chain no longer reaches.
     */
    reason: 'missing' | 'duplicate' | 'altered' | 'broken_link' | 'head_mismatch' | 'beyond_head' | 'truncated_tail';
  };
  /**
   * Rows of the stream without a seq (written around the chain).
   */
  unchained: number;
  checkpoints: {
    /**
     * Checkpoints in the range (and beyond the head when the walk reaches it).
     */
    checked: number;
    valid: number;
    /**
     * Checkpoints whose RFC 3161 token matched their statement.
     */
    timestamped: number;
    /**
     * seq of the newest checkpoint of the stream.
     */
    newestSeq: number | null;
    firstInvalid?: {
      seq: number;
      /**
       * unknown_key: signed with a key that is neither the gateway's nor a trusted earlier one; bad_signature: the signature does not verify; hash_mismatch / row_missing: the row at the checkpoint's seq is not the one signed; timestamp_mismatch: the RFC 3161 token is not over this checkpoint.
       */
      reason: 'unknown_key' | 'bad_signature' | 'hash_mismatch' | 'row_missing' | 'timestamp_mismatch';
    };
  };
}

// from contracts/admin/v1/audit-chain-verification.json

/**
 * A registered calling system, bound to its Keycloak client id. Tokens of unregistered or suspended clients are refused (403).
 */

export interface Consumer {
  /**
   * Lower-case letters, digits and hyphens.
   */
  id: string;
  /**
   * Keycloak client id (token azp / client_id).
   */
  clientId: string;
  name: string;
  /**
   * Owning agency (cơ quan chủ quản).
   */
  agency: string;
  contact?: {
    name?: string;
    email?: string;
    phone?: string;
  };
  status: 'active' | 'suspended';
  rateLimit?: RatePolicy;
  createdAt?: string;
  updatedAt?: string;
}
/**
 * At most `limit` requests per `windowSeconds`, plus `burst` extra requests for short peaks. Shared by every gateway replica (Redis).
 */

export interface RatePolicy {
  limit: number;
  windowSeconds: number;
  burst?: number;
  /**
   * How often the `burst` reserve refills, in seconds; no shorter than `windowSeconds`. Default 10 × `windowSeconds`.
   */
  burstWindowSeconds?: number;
}

// from contracts/admin/v1/consumer.json

/**
 * What one consumer may call: one operation, for the listed purposes, releasing the listed fields, within a validity window and a quota. Everything not granted is denied.
 */

export interface Grant {
  id?: string;
  /**
   * Lower-case letters, digits and hyphens.
   */
  consumerId: string;
  /**
   * An operation id of the public API, e.g. population.citizen.get.
   */
  operation: string;
  /**
   * Personal-data operations only, and required for them: codes from the purpose catalog; X-Purpose must satisfy one of them. Left out for operations without personal data (the procedure catalog), which take no X-Purpose.
   *
   * @minItems 1
   */
  purposes?: [string, ...string[]];
  /**
   * Response fields released (dotted paths into the operation's response contract), or ["*"] for all. Fields not granted are absent from responses.
   *
   * @minItems 1
   */
  fields: [string, ...string[]];
  validFrom?: string;
  validUntil?: string;
  quota?: RatePolicy;
  /**
   * Personal-data operations only: this consumer may be answered from the gateway's response cache (when the operation has a cache policy configured), instead of the upstream being asked on every call. Every such answer is still audited (upstream reference `cache`). Off by default: a person's record is read fresh unless someone decided otherwise. Reference data (the procedure catalog) is cached for every consumer regardless.
   */
  allowCachedResponses?: boolean;
  createdAt?: string;
  updatedAt?: string;
}
/**
 * At most `limit` requests per `windowSeconds`, plus `burst` extra requests for short peaks. Shared by every gateway replica (Redis).
 */

// from contracts/admin/v1/grant.json

/**
 * A registered purpose of processing personal data. kind=code: X-Purpose carries this code itself. kind=dossier: X-Purpose carries a dossier code (<unit code>-YYMMDD-NNNN, Circular 01/2018/TT-VPCP) whose unit code matches one of unitCodePatterns; when procedureCodes is set, the X-Procedure header must name one of them.
 */

export interface Purpose {
  /**
   * Upper-case code of a registered purpose, e.g. DOSSIER-PROCESSING.
   */
  code: string;
  name: string;
  kind: 'code' | 'dossier';
  /**
   * The legal basis of the processing (law, decree, decision).
   */
  legalBasis: string;
  /**
   * Unit codes whose dossiers qualify; * matches any part (e.g. *.*.*.H22 = any unit of province H22, * = any unit). Required for kind=dossier.
   */
  unitCodePatterns?: string[];
  /**
   * Procedure (TTHC) codes this purpose covers, e.g. 1.003560.000.00.00.H56.
   */
  procedureCodes?: string[];
  createdAt?: string;
  updatedAt?: string;
}

// from contracts/admin/v1/purpose.json

/**
 * An enterprise (or its dependent unit), household business or cooperative as the national business registration database holds it, normalized: ISO dates, codes with labels, amounts as integers. Names are as registered (capitals with diacritics). Fields the source leaves empty are absent, never null.
 */

export interface RegisteredBusiness {
  /**
   * 10 digits whose last is a check digit (d10 = 10 − (Σ d_i·[31,29,23,19,17,13,7,5,3] mod 11)), or those 10 digits + '-NNN' for a dependent unit (branch, representative office, business location).
   */
  enterpriseCode: string;
  /**
   * Which register answered; `branch` is a dependent unit (code with -NNN).
   */
  kind: 'enterprise' | 'branch' | 'household-business' | 'cooperative';
  /**
   * Certificate number (SoGCNDKKD / SoGCNDKHTX / SoGCNDKHKD).
   */
  registrationNumber?: string;
  legalForm?: CodedValue;
  /**
   * TenTiengViet (TenHoKinhDoanh for a household business).
   */
  name: string;
  /**
   * TenNuocNgoai.
   */
  foreignName?: string;
  /**
   * TenVietTat.
   */
  shortName?: string;
  /**
   * 10 digits whose last is a check digit (d10 = 10 − (Σ d_i·[31,29,23,19,17,13,7,5,3] mod 11)), or those 10 digits + '-NNN' for a dependent unit (branch, representative office, business location).
   */
  headUnitCode?: string;
  /**
   * NgayDangKyLanDau.
   */
  firstRegisteredOn?: string;
  /**
   * NgayDangKyThayDoi (Vietnam time).
   */
  lastChangedAt?: string;
  /**
   * SoLanDangKyThayDoi.
   */
  changeCount?: number;
  /**
   * TinhTrangPhapLy: the current legal status, with the suspension period when suspended.
   */
  legalStatus: {
    code: string;
    label?: string;
    suspendedFrom?: string;
    suspendedUntil?: string;
    suspensionReason?: string;
  };
  /**
   * DaiDienPhapLuat (the owner for a household business): personal data.
   */
  legalRepresentatives: {
    fullName: string;
    idDocument?: {
      /**
       * LoaiGiayToChungThuc, as recorded (e.g. Căn cước công dân, Chứng minh nhân dân).
       */
      type: string;
      /**
       * SoGiayChungThuc.
       */
      number: string;
      issuedOn?: string;
      issuedBy?: string;
    };
    nationality?: string;
  }[];
  /**
   * DiaChiTruSo (DiaDiemKinhDoanh for a household business), 2025 two-level units.
   */
  headOffice?: {
    /**
     * 2 digits (2025 catalog of 34 provinces; historic records may carry codes of the 63-province list).
     */
    provinceCode?: string;
    provinceName?: string;
    /**
     * 5 digits.
     */
    communeCode?: string;
    communeName?: string;
    street?: string;
    /**
     * The full address as one line.
     */
    detail?: string;
  };
  /**
   * NganhNgheKinhDoanh: VSIC codes; exactly one is the main line.
   */
  businessLines?: {
    code: string;
    name?: string;
    main: boolean;
  }[];
  /**
   * VonDieuLe, in đồng.
   */
  capital?: number;
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

export interface CodedValue {
  code: string;
  label?: string;
}

// from contracts/business-registry/v1/enterprise.json

/**
 * A page of the 2025 administrative units (two levels: 34 provinces, 3,321 communes).
 */

export interface AdministrativeUnitPage {
  items: AdministrativeUnit[];
  /**
   * Entries matching the search, over all pages.
   */
  total: number;
  page: number;
  pageSize: number;
}

export interface AdministrativeUnit {
  /**
   * Province: 2 digits; commune, ward or special zone: 5 digits.
   */
  code: string;
  name: string;
  /**
   * Two levels since 1 July 2025: province (or centrally-run city), commune (xã, phường, đặc khu).
   */
  level: 'province' | 'commune';
  /**
   * The province of a commune.
   */
  parentCode?: string;
}

// from contracts/catalogs/v1/administrative-unit-page.json

/**
 * A page of the agencies of the National Public Service Portal's catalog (LayDanhMucCoQuan), with where this copy comes from.
 */

export interface AgencyPage {
  items: CatalogAgency[];
  /**
   * Entries matching the search, over all pages.
   */
  total: number;
  page: number;
  pageSize: number;
  source: PortalCatalogSource;
}

export interface CatalogAgency {
  code: string;
  name: string;
}
/**
 * Where this copy of the portal's catalog comes from: `portal` (fetched within the refresh interval), `last-good-copy` (the portal is failing: the last list it gave), `snapshot` (the portal has not answered since start: the shipped snapshot).
 */

export interface PortalCatalogSource {
  kind: 'portal' | 'last-good-copy' | 'snapshot';
  /**
   * When this copy was taken from the portal.
   */
  asOf: string;
}

// from contracts/catalogs/v1/agency-page.json

/**
 * A page of the ethnic groups with the statistics office's codes.
 */

export interface EthnicityPage {
  items: Ethnicity[];
  /**
   * Entries matching the search, over all pages.
   */
  total: number;
  page: number;
  pageSize: number;
}

export interface Ethnicity {
  code: string;
  name: string;
  /**
   * Other names and local groups the statistics office's list gives (searched by name too).
   */
  otherNames: string[];
}

// from contracts/catalogs/v1/ethnicity-page.json

/**
 * A page of the procedure fields (lĩnh vực) of the National Public Service Portal's catalog (LayDanhMucLinhVuc), with where this copy comes from.
 */

export interface FieldPage {
  items: CatalogField[];
  /**
   * Entries matching the search, over all pages.
   */
  total: number;
  page: number;
  pageSize: number;
  source: PortalCatalogSource;
}

export interface CatalogField {
  code: string;
  label: string;
}
/**
 * Where this copy of the portal's catalog comes from: `portal` (fetched within the refresh interval), `last-good-copy` (the portal is failing: the last list it gave), `snapshot` (the portal has not answered since start: the shipped snapshot).
 */

// from contracts/catalogs/v1/field-page.json

/**
 * A page of the administrative units in force until 30 June 2025 (63 provinces, districts, wards), each with the 2025 units it became: for reading records made before the reorganisation.
 */

export interface HistoricAdministrativeUnitPage {
  items: HistoricAdministrativeUnit[];
  /**
   * Entries matching the search, over all pages.
   */
  total: number;
  page: number;
  pageSize: number;
}

export interface HistoricAdministrativeUnit {
  /**
   * Province: 2 digits; district: 3; ward or commune: 5 (the codes of records made before July 2025).
   */
  code: string;
  name: string;
  level: 'province' | 'district' | 'ward';
  /**
   * The province of a district, the district of a ward.
   */
  parentCode?: string;
  provinceCode: string;
  /**
   * The 2025 units it became: provinces for an old province, the communes its territory went to for a district or a ward.
   *
   * @minItems 1
   */
  successors: [
    {
      code: string;
      level: 'province' | 'commune';
      /**
       * Wards only: true when the whole ward went into this commune, false when only part of it did (the ward then has several successors).
       */
      whole?: boolean;
    },
    ...{
      code: string;
      level: 'province' | 'commune';
      /**
       * Wards only: true when the whole ward went into this commune, false when only part of it did (the ward then has several successors).
       */
      whole?: boolean;
    }[]
  ];
}

// from contracts/catalogs/v1/historic-administrative-unit-page.json

/**
 * A page of the nationalities (ISO 3166-1, with Vietnamese names).
 */

export interface NationalityPage {
  items: Nationality[];
  /**
   * Entries matching the search, over all pages.
   */
  total: number;
  page: number;
  pageSize: number;
}

export interface Nationality {
  /**
   * ISO 3166-1 alpha-2.
   */
  code: string;
  alpha3: string;
  numeric: string;
  /**
   * Vietnamese name.
   */
  name: string;
  nameEn: string;
}

// from contracts/catalogs/v1/nationality-page.json

/**
 * A page of the religions with the statistics office's codes.
 */

export interface ReligionPage {
  items: Religion[];
  /**
   * Entries matching the search, over all pages.
   */
  total: number;
  page: number;
  pageSize: number;
}

export interface Religion {
  code: string;
  name: string;
  /**
   * Its main religious organizations as the list names them.
   */
  organizations: string[];
}

// from contracts/catalogs/v1/religion-page.json

/**
 * A birth registration (đăng ký khai sinh) from the electronic civil-status database: the child, the parents as the register names them, who declared it, where and when it was registered.
 */

export interface BirthRegistration {
  registration: CivilRegistration;
  child: RecordedPerson;
  /**
   * Nơi sinh (nksNoiSinh), with the units of the registration's time.
   */
  birthPlace?: string;
  /**
   * Quê quán (nksQueQuan).
   */
  hometown?: string;
  mother?: RecordedPerson;
  father?: RecordedPerson;
  declarant?: Declarant;
}

export interface CivilRegistration {
  authority: {
    /**
     * Administrative-unit code of the People's Committee that registered the event: a 5-digit commune/ward code (a 2025 code for registrations from 1 July 2025, a pre-2025 code before), or the 3-digit district code for older district-level books.
     */
    code: string;
    /**
     * tenNoiDangKy, with the units of the registration's time.
     */
    name?: string;
  };
  /**
   * The book as the extract prints it: its number and year, e.g. 01/2016.
   */
  book: string;
  /**
   * Digits, without leading zeros.
   */
  number: string;
  /**
   * trangSo.
   */
  page?: string;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  registeredOn?: string;
  type?: CodedValue;
  /**
   * Title of the signer (chucVuNguoiKy); never a name.
   */
  signedBy?: string;
  /**
   * ghiChu.
   */
  note?: string;
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

export interface RecordedPerson {
  fullName: string;
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId?: string;
  /**
   * 9 digits (12 for the last CMND generation).
   */
  legacyIdNumber?: string;
  sex?: CodedValue;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  birthDate?: string;
  ethnicity?: CodedValue;
  nationality?: CodedValue;
  /**
   * Nơi cư trú as recorded, with the units of the registration's time.
   */
  residence?: string;
}

export interface Declarant {
  fullName: string;
  /**
   * To the person registered (Mẹ, Cha, Con, Vợ, Chồng...).
   */
  relationship?: string;
}

// from contracts/civil-status/v1/birth-registration.json

/**
 * A death registration (đăng ký khai tử): the deceased, when and where they died, the cause as recorded, who declared it.
 */

export interface DeathRegistration {
  registration: CivilRegistration;
  deceased: RecordedPerson;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  diedOn: string;
  /**
   * nktGioPhutChet, local time.
   */
  timeOfDeath?: string;
  placeOfDeath?: string;
  cause?: string;
  declarant?: Declarant;
}

// from contracts/civil-status/v1/death-registration.json

/**
 * Every marriage registration naming a person as husband or wife (a person may have married more than once); empty when the register holds none under that personal id.
 */

export interface MarriageRegistrationList {
  marriages: MarriageRegistration[];
}
/**
 * A marriage registration (đăng ký kết hôn): husband and wife as the register names them, and whether the marriage stands or was dissolved (a divorce noted in the register).
 */

export interface MarriageRegistration {
  registration: CivilRegistration;
  husband: RecordedPerson;
  wife: RecordedPerson;
  status?: CodedValue;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  dissolvedOn?: string;
}

// from contracts/civil-status/v1/marriage-list.json

/**
 * A marriage registration (đăng ký kết hôn): husband and wife as the register names them, and whether the marriage stands or was dissolved (a divorce noted in the register).
 */

// from contracts/civil-status/v1/marriage-registration.json

/**
 * A certificate request accepted for delivery to the judicial records system: stored durably in the gateway's outbox and delivered later, retried until the system holds it. Follow it with GET .../requests/{dossierCode}/sync, then read its status.
 */

export interface JudicialRecordRequestAccepted {
  /**
   * This message's id in the outbox.
   */
  syncId: string;
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  key: string;
  /**
   * Position of this message among the dossier's messages.
   */
  sequence: number;
  /**
   * State when answered (a duplicate may already be delivered).
   */
  state: 'pending' | 'delivering' | 'delivered' | 'dead' | 'cancelled';
  /**
   * True when this request repeats one already accepted (same Idempotency-Key, or the same body as the latest): nothing new was stored.
   */
  duplicate: boolean;
}

// from contracts/judicial-records/v1/certificate-request-accepted.json

/**
 * Where a certificate request stands at the judicial records system, and once issued what the one-stop desk needs to hand the certificate over: its number, date and issuing authority. Deliberately NOT carried, whatever the upstream answers: whether a criminal record is noted, the convictions, the bans from holding positions, the signed certificate itself. They are for the applicant (a form-2 certificate for the applicant alone), who receives the sealed certificate; the desk has no need of them (data minimization).
 */

export interface JudicialRecordRequestStatus {
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  dossierCode: string;
  /**
   * trangThaiXuLy normalized (the national dossier status codes): received (2), processing (4), supplement-requested (5), refused (3), result-ready (9: the certificate is issued and waits for the applicant), result-returned (10), withdrawn (7), stopped (8).
   */
  status:
    | 'received'
    | 'processing'
    | 'supplement-requested'
    | 'refused'
    | 'result-ready'
    | 'result-returned'
    | 'withdrawn'
    | 'stopped';
  /**
   * form-1: Phiếu lý lịch tư pháp số 1; form-2: Phiếu lý lịch tư pháp số 2 (loaiPhieu "1" / "2").
   */
  certificateType?: 'form-1' | 'form-2';
  /**
   * ISO 8601 calendar date.
   */
  receivedOn?: string;
  /**
   * ISO 8601 calendar date.
   */
  dueDate?: string;
  /**
   * lyDoTuChoi: why the request was refused, or what supplement is asked for (refused and supplement-requested only); to be told to the applicant.
   */
  reason?: string;
  /**
   * Only when the certificate is issued (result-ready, result-returned).
   */
  result?: {
    /**
     * soPhieuLLTP.
     */
    certificateNumber: string;
    /**
     * ISO 8601 calendar date.
     */
    issuedOn: string;
    /**
     * coQuanCap: the Department of Justice or the National Judicial Records Centre.
     */
    issuingAuthority: string;
    /**
     * soLuongCap: copies issued.
     */
    copies?: number;
  };
}

// from contracts/judicial-records/v1/certificate-request-status.json

/**
 * What became of the certificate requests accepted for one dossier, oldest first: pending, delivering, retrying (next attempt, kind of the last failure), delivered (when; the system's short answer: created, or already-held when it held the request already), dead (why), cancelled. Read from the gateway's outbox; nothing of the applicant.
 */

export interface JudicialRecordRequestSyncStatus {
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  key: string;
  /**
   * Oldest first. `answer`: created, or already-held; no personal data.
   */
  messages: OutboxMessage[];
  /**
   * Only with ?upstream=true: whether the judicial records system holds the request now, asked at this request.
   */
  upstream?: {
    held: boolean;
    /**
     * trangThaiXuLy normalized (the national dossier status codes): received (2), processing (4), supplement-requested (5), refused (3), result-ready (9: the certificate is issued and waits for the applicant), result-returned (10), withdrawn (7), stopped (8).
     */
    status?:
      | 'received'
      | 'processing'
      | 'supplement-requested'
      | 'refused'
      | 'result-ready'
      | 'result-returned'
      | 'withdrawn'
      | 'stopped';
  };
}
/**
 * A write the gateway accepted (202) and its delivery to the upstream: state, attempts, when it was delivered or why it died; nothing of what the message carries.
 */

export interface OutboxMessage {
  syncId: string;
  sequence: number;
  state: 'pending' | 'delivering' | 'retrying' | 'delivered' | 'dead' | 'cancelled';
  acceptedAt: string;
  attempts: number;
  nextAttemptAt?: string;
  /**
   * Kind of the last failure (timeout, connection, http, fault...), never its text.
   */
  lastError?: string | null;
  deliveredAt?: string;
  /**
   * The upstream's short answer once delivered (in the connector's own words, e.g. created, updated, already-held), no personal data.
   */
  answer?: string | null;
  deadReason?: string;
}

// from contracts/judicial-records/v1/certificate-request-sync-status.json

/**
 * A request for a judicial record certificate received at a one-stop desk, as the gateway sends it to the judicial records system (tờ khai yêu cầu cấp Phiếu lý lịch tư pháp). The applicant asks for their own certificate: their personal id, name, sex and birth date are personal data. `dossierCode` must equal the path's.
 */

export interface JudicialRecordCertificateRequest {
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  dossierCode: string;
  /**
   * form-1: Phiếu lý lịch tư pháp số 1; form-2: Phiếu lý lịch tư pháp số 2 (loaiPhieu "1" / "2").
   */
  certificateType: 'form-1' | 'form-2';
  /**
   * The person the certificate is about (người yêu cầu cấp phiếu, nyc* fields).
   */
  applicant: {
    /**
     * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
     */
    personalId: string;
    /**
     * nycHoTen.
     */
    fullName: string;
    /**
     * nycGioiTinh: 1 male, 2 female.
     */
    sex: 'male' | 'female';
    /**
     * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
     */
    birthDate: string;
    permanentAddress?: Address;
    /**
     * nycDienThoai.
     */
    phone?: string;
    /**
     * nycEmail.
     */
    email?: string;
  };
  /**
   * mucDich: what the certificate is for, as the applicant declared it (e.g. "Bổ sung hồ sơ xin việc").
   */
  purpose: string;
  /**
   * soLuongCap: copies of the certificate asked for.
   */
  copies?: number;
  /**
   * When the desk received the request (ngayTiepNhan; the upstream keeps the day, in Vietnam's time).
   */
  receivedAt: string;
  /**
   * ISO 8601 calendar date.
   */
  dueDate: string;
  /**
   * nguonDangKy: in-person at the desk (3) or online through the provincial portal (1).
   */
  channel?: 'in-person' | 'online';
}
/**
 * Province/commune codes plus the free-text detail. districtCode appears only on records from before the July 2025 two-level reorganisation.
 */

export interface Address {
  /**
   * 2 digits (2025 catalog of 34 provinces; historic records may carry codes of the 63-province list).
   */
  provinceCode?: string;
  districtCode?: string;
  /**
   * 5 digits.
   */
  communeCode?: string;
  detail?: string;
  /**
   * Country code or name as recorded.
   */
  country?: string;
}

// from contracts/judicial-records/v1/certificate-request.json

/**
 * A land-use certificate (giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất) with its holders and the parcels it covers.
 */

export interface LandCertificate {
  /**
   * Two capital letters and the printed number, written without the space the certificate shows ("DA 123456" → DA123456).
   */
  serial: string;
  /**
   * Số vào sổ cấp giấy chứng nhận (SoVaoSo).
   */
  registryNumber?: string;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  issuedOn?: string;
  /**
   * CoQuanCap.
   */
  issuer?: string;
  status?: CodedValue;
  holders: LandOwner[];
  parcels: Parcel[];
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

export interface LandOwner {
  kind?: CodedValue;
  /**
   * HoTen as recorded.
   */
  fullName: string;
  birthYear?: string;
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId?: string;
  /**
   * 9 digits (12 for the last CMND generation).
   */
  legacyIdNumber?: string;
  /**
   * DiaChi as recorded (free text).
   */
  address?: string;
}
/**
 * A land parcel (thửa đất) from the provincial land database, normalized: English field names, areas as numbers of m², ISO dates, codes with their labels. Fields the source leaves empty are absent, never null; empty lists are empty arrays.
 */

export interface Parcel {
  /**
   * National parcel id (MaThuaDat). Its format is not public: treat it as opaque. Absent on records not yet given one.
   */
  parcelId?: string;
  /**
   * 2 digits (2025 catalog of 34 provinces; historic records may carry codes of the 63-province list).
   */
  provinceCode?: string;
  /**
   * 5 digits.
   */
  communeCode: string;
  communeName?: string;
  /**
   * Digits; leading zeros are ignored (012 = 12).
   */
  mapSheet: string;
  /**
   * Digits; leading zeros are ignored.
   */
  parcelNumber: string;
  /**
   * Decimal number of m² (the land database prints it with a decimal comma: "152,5").
   */
  area?: number;
  /**
   * DiaChiChiTiet: where the parcel lies, free text.
   */
  address?: string;
  landUses: LandUse[];
  origin?: CodedValue;
  useForm?: CodedValue;
  owners: LandOwner[];
  certificates: LandCertificateSummary[];
  encumbrances: LandEncumbrance[];
  landTaxNotices: LandTaxNotice[];
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  updatedOn?: string;
}

export interface LandUse {
  purpose: CodedValue;
  /**
   * Decimal number of m² (the land database prints it with a decimal comma: "152,5").
   */
  area?: number;
  term?: LandUseTerm;
}

export interface LandUseTerm {
  /**
   * Lâu dài: no end date.
   */
  longTerm: boolean;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  until?: string;
  /**
   * The term as the certificate words it (ThoiHanSuDung).
   */
  text?: string;
}

export interface LandCertificateSummary {
  /**
   * Two capital letters and the printed number, written without the space the certificate shows ("DA 123456" → DA123456).
   */
  serial: string;
  /**
   * Số vào sổ cấp giấy chứng nhận (SoVaoSo).
   */
  registryNumber?: string;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  issuedOn?: string;
  /**
   * CoQuanCap.
   */
  issuer?: string;
  status?: CodedValue;
}

export interface LandEncumbrance {
  kind: CodedValue;
  /**
   * False once the registration was cancelled (NgayXoaDangKy set).
   */
  active: boolean;
  /**
   * Beneficiary, e.g. the lending bank (BenNhanQuyen).
   */
  holder?: string;
  contractNumber?: string;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  registeredOn?: string;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  cancelledOn?: string;
}

export interface LandTaxNotice {
  /**
   * SoThongBaoThue.
   */
  noticeNumber: string;
  /**
   * HoTenChu, as the tax system prints it.
   */
  ownerName?: string;
  taxType?: CodedValue;
  taxYear?: string;
  /**
   * VND.
   */
  amount?: number;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  dueDate?: string;
  /**
   * TrangThaiNop as recorded.
   */
  paymentStatus?: string;
}

// from contracts/land/v1/certificate.json

/**
 * Parcels at a commune, map sheet and parcel number. Usually one; none when the land database holds no such parcel (an empty list, not an error).
 */

export interface LandParcelSearchResult {
  parcels: Parcel[];
}
/**
 * A land parcel (thửa đất) from the provincial land database, normalized: English field names, areas as numbers of m², ISO dates, codes with their labels. Fields the source leaves empty are absent, never null; empty lists are empty arrays.
 */

// from contracts/land/v1/parcel-search-result.json

/**
 * A land parcel (thửa đất) from the provincial land database, normalized: English field names, areas as numbers of m², ISO dates, codes with their labels. Fields the source leaves empty are absent, never null; empty lists are empty arrays.
 */

export interface LandParcel {
  /**
   * National parcel id (MaThuaDat). Its format is not public: treat it as opaque. Absent on records not yet given one.
   */
  parcelId?: string;
  /**
   * 2 digits (2025 catalog of 34 provinces; historic records may carry codes of the 63-province list).
   */
  provinceCode?: string;
  /**
   * 5 digits.
   */
  communeCode: string;
  communeName?: string;
  /**
   * Digits; leading zeros are ignored (012 = 12).
   */
  mapSheet: string;
  /**
   * Digits; leading zeros are ignored.
   */
  parcelNumber: string;
  /**
   * Decimal number of m² (the land database prints it with a decimal comma: "152,5").
   */
  area?: number;
  /**
   * DiaChiChiTiet: where the parcel lies, free text.
   */
  address?: string;
  landUses: LandUse[];
  origin?: CodedValue;
  useForm?: CodedValue;
  owners: LandOwner[];
  certificates: LandCertificateSummary[];
  encumbrances: LandEncumbrance[];
  landTaxNotices: LandTaxNotice[];
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  updatedOn?: string;
}

// from contracts/land/v1/parcel.json

/**
 * A payment of a dossier's fees and charges through the national payment platform. The payer's name is personal data: it is sent to the platform (HoTenNguoiNop of the receipt) and kept by the gateway only as a keyed hash and a masked form. Send an Idempotency-Key: the same key with the same body is the same payment.
 */

export interface PaymentCreate {
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  dossierCode: string;
  /**
   * The national procedure database code: a level digit, a six-digit number and the agency suffix, e.g. 1.003560.000.00.00.H56 (ministry-level codes end in a letter group such as H56; local ones may carry a unit code).
   */
  procedureCode: string;
  /**
   * Unit code of the national electronic document exchange (Circular 10/2016/TT-BTTTT style), e.g. 000.00.01.H22 (a provincial department) or G06 (a ministry).
   */
  agencyCode?: string;
  payer: {
    /**
     * HoTenNguoiNop: the payer's full name.
     */
    name: string;
  };
  /**
   * ThongTinGiaoDich shown to the payer; a text naming the dossier when absent.
   */
  description?: string;
  /**
   * The fees and charges, in VND.
   *
   * @minItems 1
   * @maxItems 50
   */
  items: [FeeItem, ...FeeItem[]];
}

export interface FeeItem {
  /**
   * MaPhiLePhi: the fee's code as the procedure catalog lists it (PHILEPHI.MAPHILEPHI); when the catalog lists this code, the amount must be one it lists.
   */
  code: string;
  /**
   * TenPhiLePhi.
   */
  name: string;
  /**
   * An integer number of đồng, greater than zero (VND has no minor unit).
   */
  amount: number;
  /**
   * LoaiPhiLePhi: fee (phí) or charge (lệ phí); charge when absent.
   */
  kind?: 'fee' | 'charge';
}

// from contracts/paygov/v1/payment-create.json

/**
 * The electronic receipt (biên lai) of a paid payment as the platform issues it (GET_BILL). It names the payer: personal data, audited.
 */

export interface PaymentReceipt {
  /**
   * The gateway's reference of one payment, sent to the payment platform as MaThamChieu: 1-20 upper-case letters and digits.
   */
  reference: string;
  /**
   * SoBienLai.
   */
  receiptNumber: string;
  /**
   * KyHieu: the receipt's series symbol.
   */
  receiptSeries?: string;
  /**
   * Where the platform serves the receipt document.
   */
  receiptUrl?: string;
  /**
   * HoTenNguoiNop as printed on the receipt.
   */
  payerName?: string;
  /**
   * MaGiaoDich.
   */
  platformTransactionId?: string;
  /**
   * An integer number of đồng, greater than zero (VND has no minor unit).
   */
  totalAmount: number;
  currency: 'VND';
  /**
   * PhiLePhi lines as printed.
   */
  items?: {
    code: string;
    name: string;
    amount: number;
  }[];
  /**
   * RFC 3339 date-time.
   */
  paidAt: string;
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  dossierCode?: string;
  /**
   * MaTTHC as the receipt states it.
   */
  procedureCode?: string;
}

// from contracts/paygov/v1/payment-receipt.json

/**
 * One payment as the gateway holds it: its state and the history of its transitions. The payer appears only in masked form.
 */

export interface Payment {
  /**
   * The gateway's reference of one payment, sent to the payment platform as MaThamChieu: 1-20 upper-case letters and digits.
   */
  reference: string;
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  dossierCode: string;
  /**
   * The national procedure database code: a level digit, a six-digit number and the agency suffix, e.g. 1.003560.000.00.00.H56 (ministry-level codes end in a letter group such as H56; local ones may carry a unit code).
   */
  procedureCode: string;
  /**
   * Unit code of the national electronic document exchange (Circular 10/2016/TT-BTTTT style), e.g. 000.00.01.H22 (a provincial department) or G06 (a ministry).
   */
  agencyCode?: string;
  payer: {
    /**
     * The payer's name masked as the audit trail masks a subject.
     */
    masked: string;
  };
  items: FeeItem[];
  /**
   * An integer number of đồng, greater than zero (VND has no minor unit).
   */
  totalAmount: number;
  currency: 'VND';
  /**
   * created (stored, the platform not yet told), pending (the platform holds it, the payer has not finished), paid (final), failed (final), expired (final: never paid within its validity), cancelled (final: the payer cancelled). Only these moves happen: created → pending; created or pending → any final state. A final state never changes.
   */
  state: 'created' | 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled';
  /**
   * UrlThanhToan: where to send the payer (present once the platform registered the payment).
   */
  paymentUrl?: string;
  /**
   * MaGiaoDich: the platform's transaction id, once known.
   */
  platformTransactionId?: string;
  /**
   * MaNganHang: the bank or wallet that paid, once known.
   */
  bankCode?: string;
  /**
   * RFC 3339 date-time.
   */
  paidAt?: string;
  /**
   * RFC 3339 date-time.
   */
  createdAt: string;
  /**
   * RFC 3339 date-time.
   */
  expiresAt: string;
  /**
   * RFC 3339 date-time.
   */
  finalAt?: string;
  /**
   * Create only: matched (every item the catalog lists has a listed amount), not_listed (the catalog lists none of the items), catalog_unavailable (the catalog could not be asked; the amounts were not checked).
   */
  feeCheck?: 'matched' | 'not_listed' | 'catalog_unavailable';
  /**
   * Create only: true when this request repeats one already accepted with the same Idempotency-Key (no new payment was made).
   */
  duplicate?: boolean;
  history: {
    /**
     * created (stored, the platform not yet told), pending (the platform holds it, the payer has not finished), paid (final), failed (final), expired (final: never paid within its validity), cancelled (final: the payer cancelled). Only these moves happen: created → pending; created or pending → any final state. A final state never changes.
     */
    from?: 'created' | 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled';
    /**
     * created (stored, the platform not yet told), pending (the platform holds it, the payer has not finished), paid (final), failed (final), expired (final: never paid within its validity), cancelled (final: the payer cancelled). Only these moves happen: created → pending; created or pending → any final state. A final state never changes.
     */
    to: 'created' | 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled';
    /**
     * RFC 3339 date-time.
     */
    at: string;
    /**
     * What moved it: the create request, the platform's INIT answer, its callback (IPN), a reconciliation QUERY, the expiry rule, an operator.
     */
    source: 'create' | 'init' | 'ipn' | 'query' | 'expiry' | 'manual';
    note?: string;
  }[];
}

// from contracts/paygov/v1/payment.json

/**
 * The attributes a citizen declared, checked against the national population database (XacThucThongTinCongDan): id and full name, and the birth date and sex when the caller has them. A birth date left out is not sent upstream (no placeholder) and is not reported in the result.
 */

export interface CitizenVerificationRequest {
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId: string;
  /**
   * Compared case-insensitively after Unicode normalization; diacritics count.
   */
  fullName: string;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  dateOfBirth?: string;
  sex?: 'male' | 'female';
}

// from contracts/population/v1/citizen-verify-request.json

/**
 * true confirmed, false the upstream said it differs, null not confirmed either way.
 */

export type FieldMatch = boolean | null;

/**
 * What the population database confirmed, and nothing of the record itself (data minimization: prefer this call when the officer only needs to verify). The documented upstream answers for the whole combination (TonTai): true confirms the id with every attribute given; false says only that this combination does not match, so no attribute is claimed to differ (its match is null) and whether the id exists is unknown (null). An upstream that also answers per attribute is reported per attribute. `basis` says which kind of answer this is. Readers written for v1 before `basis` keep working: true still means confirmed, and false is only ever said when the upstream said it.
 */

export interface CitizenVerificationResult {
  /**
   * true: a citizen with this personal id exists; false: the upstream said none does; null: the upstream did not say (a combined answer that did not match).
   */
  exists: boolean | null;
  /**
   * The upstream confirmed that the id exists together with every given attribute.
   */
  allMatch: boolean;
  /**
   * per-field: the upstream judged each attribute; combined: the upstream answered for the combination only (TonTai).
   */
  basis?: 'per-field' | 'combined';
  /**
   * One entry per attribute given in the request: true confirmed, false the upstream said it differs, null not confirmed either way.
   */
  matches: {
    fullName?: FieldMatch;
    dateOfBirth?: FieldMatch;
    sex?: FieldMatch;
  };
}

// from contracts/population/v1/citizen-verify-response.json

/**
 * A citizen's record from the national population database (CSDL quốc gia về dân cư), normalized: English field names, ISO dates (partial where the source is partial), codes kept with their labels. Fields the source leaves empty are absent, never null.
 */

export interface Citizen {
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId: string;
  /**
   * 9 digits (12 for the last CMND generation).
   */
  legacyIdNumber?: string;
  /**
   * Full name as recorded (HoVaTen), family name first.
   */
  fullName: string;
  nameParts?: {
    /**
     * Họ
     */
    familyName?: string;
    /**
     * Chữ đệm
     */
    middleName?: string;
    /**
     * Tên
     */
    givenName?: string;
  };
  sex?: CodedValue;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  dateOfBirth: string;
  ethnicity?: CodedValue;
  religion?: CodedValue;
  maritalStatus?: CodedValue;
  bloodType?: CodedValue;
  nationality?: CodedValue;
  /**
   * SoSoHoKhau (historic household book).
   */
  householdBookNumber?: string;
  birthRegistrationPlace?: Address;
  hometown?: Address;
  permanentResidence?: Address;
  currentResidence?: Address;
  father?: Relative;
  mother?: Relative;
  spouse?: Relative;
  representative?: Relative;
  /**
   * ChuHo: the head of the household and this citizen's relationship to them.
   */
  householdHead?: {
    relationship?: CodedValue;
    /**
     * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
     */
    personalId?: string;
    fullName?: string;
  };
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

export interface Relative {
  fullName?: string;
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId?: string;
  /**
   * 9 digits (12 for the last CMND generation).
   */
  legacyIdNumber?: string;
  nationality?: string;
}

// from contracts/population/v1/citizen.json

/**
 * A request to return a dossier's result to the applicant by the public postal service. One shipment per dossier: sending the same request again (a retry, a duplicate from the one-stop system, a timeout after VNPost created it) answers the shipment VNPost already holds.
 */

export interface PostalShipmentRequest {
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  dossierCode: string;
  recipient: Recipient;
  address: DeliveryAddress;
  /**
   * What the envelope holds (Description), e.g. the result documents' names.
   */
  contents: string;
  /**
   * Amount VNPost collects from the recipient on delivery (CODAmount), in VND; 0 or absent when nothing is collected.
   */
  codAmountVnd?: number;
  /**
   * A note for the postman (SenderDesc).
   */
  note?: string;
}
/**
 * Who receives the result: the applicant or the person they named. Personal data: sent to VNPost and nowhere else, never logged.
 */

export interface Recipient {
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId: string;
  fullName: string;
  /**
   * Vietnamese phone number: 10 digits starting with 0, or +84 and 9 digits.
   */
  phone: string;
  email?: string;
}
/**
 * Where the result goes, under the two-level units in force since 1 July 2025: a province and one of its communes from config/catalogs/administrative-units-2025.json (checked by the gateway before anything is sent), and the house number and street or hamlet.
 */

export interface DeliveryAddress {
  /**
   * 2 digits (2025 catalog of 34 provinces; historic records may carry codes of the 63-province list).
   */
  provinceCode: string;
  /**
   * 5 digits.
   */
  communeCode: string;
  street: string;
}

// from contracts/postal-delivery/v1/shipment-request.json

/**
 * A dossier's result shipment as VNPost holds it now: its numbers and its current state. Nothing of the recipient (the state is what the one-stop system needs for the dossier's delivery information).
 */

export interface PostalShipment {
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  dossierCode: string;
  /**
   * Our number of the shipment at VNPost, derived from the dossier code: one dossier, one order number, so a repeated create finds the order instead of making a second one.
   */
  orderNumber: string;
  /**
   * VNPost's item code (số hiệu bưu gửi, ItemCode), printed on the envelope and tracked on VNPost's public site.
   */
  itemCode?: string;
  /**
   * VNPost's status code normalized: created (order received, not yet picked up), picked-up (the post office holds the item), in-transit, out-for-delivery, delivered, delivery-failed (the postman could not deliver; another attempt or return follows), returned (back at the sender), cancelled, unknown (a code this gateway does not know; the code and VNPost's message are kept in status).
   */
  state:
    | 'created'
    | 'picked-up'
    | 'in-transit'
    | 'out-for-delivery'
    | 'delivered'
    | 'delivery-failed'
    | 'returned'
    | 'cancelled'
    | 'unknown';
  status: CodedValue;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  statusAt?: string;
  /**
   * On a create only: true when this request created the order, false when VNPost already held it for this dossier (a repeated request).
   */
  created?: boolean;
  /**
   * The shipment in one Vietnamese sentence (item code, state, when), for the dossier's delivery information on the portal: the one-stop system sends it as the dossier's returnInfo (ThongTinTra) on the next sync, or as a processing step's content, through the portal's outbox. Nothing of the recipient.
   */
  deliveryNote?: string;
  /**
   * Whether a cancel can still succeed (only before the post office picks the item up).
   */
  cancellable?: boolean;
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

// from contracts/postal-delivery/v1/shipment.json

/**
 * The agencies the national catalog knows (LayDanhMucCoQuan): the codes the procedure search's agencyCode takes, with their names.
 */

export interface AgencyList {
  /**
   * MADONVI with TENDONVI.
   */
  items: Agency[];
}

export interface Agency {
  /**
   * MADONVI (a unit code when the portal has one).
   */
  code: string;
  /**
   * TENDONVI.
   */
  name?: string;
}

// from contracts/public-service-portal/v1/agency-list.json

/**
 * One processing step of a dossier as the National Public Service Portal records it (CapNhatTienDoHoSoMC): who did what, when, and the dossier's status after it. Steps reach the portal in the order they were taken. The officer's name is personal data.
 */

export interface DossierProgress {
  /**
   * NguoiXuLy: the officer who took the step.
   */
  officer: string;
  /**
   * ChucDanh: the officer's job title.
   */
  title?: string;
  /**
   * PhongBanXuLy: the department or unit.
   */
  department: string;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  at: string;
  /**
   * NoiDungXuLy: what was done.
   */
  content: string;
  /**
   * The portal's codes 1-10: new (1, mới), received (2, đã tiếp nhận), refused (3, từ chối tiếp nhận), processing (4, đang xử lý), supplement_requested (5, yêu cầu bổ sung), awaiting_payment (6, chờ thực hiện nghĩa vụ tài chính), withdrawn (7, công dân yêu cầu rút hồ sơ), stopped (8, dừng xử lý), processed (9, đã xử lý xong), result_returned (10, đã trả kết quả).
   */
  status:
    | 'new'
    | 'received'
    | 'refused'
    | 'processing'
    | 'supplement_requested'
    | 'awaiting_payment'
    | 'withdrawn'
    | 'stopped'
    | 'processed'
    | 'result_returned';
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  startedAt?: string;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  dueAt?: string;
}

// from contracts/public-service-portal/v1/dossier-progress.json

/**
 * A dossier or a processing step accepted for delivery to the National Public Service Portal: stored durably in the gateway's outbox, delivered later in the order accepted for this dossier (the dossier before its steps), retried until the portal holds it. Follow it with GET .../dossiers/{dossierCode}/sync.
 */

export interface DossierSyncAccepted {
  /**
   * This message's id in the outbox.
   */
  syncId: string;
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  key: string;
  /**
   * Position of this message among the dossier's messages.
   */
  sequence: number;
  /**
   * State when answered (a duplicate may already be delivered).
   */
  state: 'pending' | 'delivering' | 'delivered' | 'dead' | 'cancelled';
  /**
   * True when this request repeats one already accepted (same Idempotency-Key, or the same body as the dossier's latest message): nothing new was stored.
   */
  duplicate: boolean;
}

// from contracts/public-service-portal/v1/dossier-sync-accepted.json

/**
 * What became of every dossier version and processing step accepted for one dossier, oldest first: pending (not tried yet), delivering, retrying (with the next attempt and the kind of the last failure), delivered (when, and the portal's short answer), dead (given up: why; an administrator can re-drive it), cancelled.
 */

export interface DossierSyncStatus {
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  key: string;
  /**
   * Oldest first. `answer`: The portal's short answer (created, updated, accepted), no personal data.
   */
  messages: OutboxMessage[];
  /**
   * Only with ?portal=true: what the portal holds now (TraCuuHoSo), asked at this request.
   */
  upstream?: {
    /**
     * Whether the portal holds a dossier with this code.
     */
    held: boolean;
    /**
     * The portal's codes 1-10: new (1, mới), received (2, đã tiếp nhận), refused (3, từ chối tiếp nhận), processing (4, đang xử lý), supplement_requested (5, yêu cầu bổ sung), awaiting_payment (6, chờ thực hiện nghĩa vụ tài chính), withdrawn (7, công dân yêu cầu rút hồ sơ), stopped (8, dừng xử lý), processed (9, đã xử lý xong), result_returned (10, đã trả kết quả).
     */
    status?:
      | 'new'
      | 'received'
      | 'refused'
      | 'processing'
      | 'supplement_requested'
      | 'awaiting_payment'
      | 'withdrawn'
      | 'stopped'
      | 'processed'
      | 'result_returned';
  };
}
/**
 * A write the gateway accepted (202) and its delivery to the upstream: state, attempts, when it was delivered or why it died; nothing of what the message carries.
 */

// from contracts/public-service-portal/v1/dossier-sync-status.json

/**
 * A dossier received at a one-stop desk as the National Public Service Portal keeps it (DongBoHoSoMC item; TraCuuHoSo answers the same). Codes in their national formats, dates with their offset (the gateway converts to the portal's yyyyMMddHHmmss in Asia/Ho_Chi_Minh), status as a word mapped to the portal's codes 1-10 in one table. The applicant's id and name are personal data.
 */

export interface Dossier {
  /**
   * The national dossier code of Circular 01/2018/TT-VPCP: the receiving unit's code, the receipt date as YYMMDD and a sequence number of 4 to 6 digits, e.g. 000.00.01.H22-250714-0001 (MaHoSo).
   */
  dossierCode: string;
  /**
   * The national procedure database code: a level digit, a six-digit number and the agency suffix, e.g. 1.003560.000.00.00.H56 (ministry-level codes end in a letter group such as H56; local ones may carry a unit code).
   */
  procedureCode: string;
  /**
   * TenTTHC. When absent the gateway fills it from the national catalog (LayThuTuc TENTTHC).
   */
  procedureName?: string;
  field?: CodedValue;
  /**
   * SoBienNhan: the receipt's number at the one-stop desk.
   */
  receiptNumber?: string;
  /**
   * ChuHoSo, LoaiDoiTuong, MaDoiTuong: who the dossier is for.
   */
  applicant: {
    /**
     * LoaiDoiTuong: 1 citizen, 2 business (or other organisation).
     */
    kind: 'citizen' | 'business';
    /**
     * MaDoiTuong: the personal id (12 digits) of a citizen, the enterprise or tax code of a business.
     */
    id: string;
    /**
     * ChuHoSo: the applicant's full name or the business's name.
     */
    name: string;
  };
  /**
   * TrichYeuHoSo: what the dossier asks for, in a line.
   */
  summary: string;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  receivedAt: string;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  dueAt: string;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  returnedAt?: string;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  processingEndedAt?: string;
  /**
   * The portal's codes 1-10: new (1, mới), received (2, đã tiếp nhận), refused (3, từ chối tiếp nhận), processing (4, đang xử lý), supplement_requested (5, yêu cầu bổ sung), awaiting_payment (6, chờ thực hiện nghĩa vụ tài chính), withdrawn (7, công dân yêu cầu rút hồ sơ), stopped (8, dừng xử lý), processed (9, đã xử lý xong), result_returned (10, đã trả kết quả).
   */
  status:
    | 'new'
    | 'received'
    | 'refused'
    | 'processing'
    | 'supplement_requested'
    | 'awaiting_payment'
    | 'withdrawn'
    | 'stopped'
    | 'processed'
    | 'result_returned';
  /**
   * HinhThuc: true = the result goes back by public postal service (1), false = collected at the desk (0).
   */
  deliveryByPost?: boolean;
  /**
   * DonViXuLy: the unit handling the dossier.
   */
  handlingUnit?: string;
  /**
   * DanhSachLePhi.
   *
   * @maxItems 100
   */
  fees?: Fee[];
  /**
   * TaiLieuNop.
   *
   * @maxItems 200
   */
  submittedDocuments?: SubmittedDocument[];
  /**
   * DanhSachTepDinhKemKhac.
   *
   * @maxItems 200
   */
  otherAttachments?: OtherAttachment[];
  /**
   * DanhSachGiayToKetQua.
   *
   * @maxItems 200
   */
  resultDocuments?: ResultDocument[];
  /**
   * DanhSachHoSoBoSung.
   *
   * @maxItems 50
   */
  supplementRequests?: SupplementRequest[];
  /**
   * Email: the applicant's contact address.
   */
  email?: string;
  /**
   * SoDienThoai.
   */
  phone?: string;
  /**
   * Fax.
   */
  fax?: string;
  /**
   * ThongTinTra: where and how the result is handed back.
   */
  returnInfo?: string;
  /**
   * ThongTinKhac.
   */
  otherInfo?: string;
  /**
   * GhiChu.
   */
  note?: string;
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

export interface Fee {
  /**
   * MaPhiLePhi: the fee's code in the procedure catalog (LayThuTuc PHILEPHI.MAPHILEPHI).
   */
  code?: string;
  /**
   * TenPhiLePhi.
   */
  name: string;
  /**
   * Gia: the amount in đồng (no fractions).
   */
  amountVnd: number;
  /**
   * HinhThucThu: how it was collected, the portal's code as the one-stop system keeps it.
   */
  collectionMethod?: string;
  /**
   * LoaiPhiLePhi: fee (phí) or charge (lệ phí), the portal's code as the one-stop system keeps it.
   */
  feeType?: string;
}

export interface SubmittedDocument {
  /**
   * TepDinhKemId: the file's id in the one-stop system.
   */
  fileId?: string;
  /**
   * TenTepDinhKem.
   */
  name: string;
  /**
   * MaThanhPhanHoSo: the required-document component of the procedure this file answers.
   */
  componentCode?: string;
  /**
   * DuongDanTaiTepTin: where the portal downloads the file.
   */
  url?: string;
  /**
   * IsDeleted: the file was withdrawn from the dossier.
   */
  deleted?: boolean;
}

export interface OtherAttachment {
  /**
   * TenGiayTo.
   */
  name: string;
  /**
   * SoLuong.
   */
  quantity?: number;
  /**
   * LoaiGiayTo, the portal's code as the one-stop system keeps it.
   */
  kind?: string;
}

export interface ResultDocument {
  /**
   * GiayToId.
   */
  documentId?: string;
  /**
   * TenGiayTo.
   */
  name: string;
  /**
   * MaThanhPhanHoSo.
   */
  componentCode?: string;
  /**
   * DuongDanTepTinKetQua.
   */
  url?: string;
}

export interface SupplementRequest {
  /**
   * HoSoBoSungId: the request's id in the one-stop system.
   */
  requestId: string;
  /**
   * NguoiYeuCauBoSung: the officer asking.
   */
  requestedBy?: string;
  /**
   * NoiDungBoSung: what is missing.
   */
  content: string;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  requestedAt: string;
  /**
   * NguoiTiepNhanBoSung: the officer who received the supplement.
   */
  receivedBy?: string;
  /**
   * ThongTinTiepNhan.
   */
  receiptNote?: string;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  receivedAt?: string;
  /**
   * TrangThaiBoSung, the portal's code as the one-stop system keeps it.
   */
  status?: string;
  /**
   * DanhSachGiayToBoSung.
   *
   * @maxItems 200
   */
  documents?: SubmittedDocument[];
  /**
   * DanhSachLePhiBoSung.
   *
   * @maxItems 100
   */
  fees?: Fee[];
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  previousDueAt?: string;
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm), e.g. 2025-07-14T08:30:00+07:00. The portal keeps yyyyMMddHHmmss in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7): the gateway converts, so any offset may be sent; fractions of a second are dropped.
   */
  newDueAt?: string;
}

// from contracts/public-service-portal/v1/dossier.json

/**
 * The procedure fields (lĩnh vực) of the national catalog (LayDanhMucLinhVuc): the codes the procedure search's fieldCode takes, with their labels.
 */

export interface FieldList {
  /**
   * MALINHVUC with TENLINHVUC.
   */
  items: CodedValue[];
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

// from contracts/public-service-portal/v1/field-list.json

/**
 * One page of the procedure catalog matching a keyword, field and/or agency (LayDanhSachTTHC). An empty page is not an error.
 */

export interface ProcedureSearchResult {
  items: ProcedureSummary[];
  page: number;
  pageSize: number;
  /**
   * Procedures matching, over all pages (TONGSO).
   */
  total: number;
}
/**
 * What a catalog search lists for each procedure; the full record is GET /public-service-portal/procedures/{procedureCode}.
 */

export interface ProcedureSummary {
  /**
   * The national procedure database code: a level digit, a six-digit number and the agency suffix, e.g. 1.003560.000.00.00.H56 (ministry-level codes end in a letter group such as H56; local ones may carry a unit code).
   */
  procedureCode: string;
  /**
   * TENTTHC.
   */
  name: string;
  /**
   * LINHVUCTHUCHIEN: MALINHVUC with TENLINHVUC.
   */
  fields: CodedValue[];
  agencies?: Agency[];
  status: Status;
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

export interface Status {
  code: string;
  label?: string;
  inForce: boolean;
}

// from contracts/public-service-portal/v1/procedure-search-result.json

/**
 * An administrative procedure (thủ tục hành chính) as the national procedure database publishes it through the public-service portal (LayThuTuc): fields, agencies, ways to carry it out with processing times and fees (integers, VND), required documents. Reference data, not personal data: served from the gateway's cache (Age / Warning headers).
 */

export interface Procedure {
  /**
   * The national procedure database code: a level digit, a six-digit number and the agency suffix, e.g. 1.003560.000.00.00.H56 (ministry-level codes end in a letter group such as H56; local ones may carry a unit code).
   */
  procedureCode: string;
  /**
   * TENTTHC.
   */
  name: string;
  level?: CodedValue;
  /**
   * LINHVUCTHUCHIEN: MALINHVUC with TENLINHVUC.
   */
  fields: CodedValue[];
  /**
   * COQUANTHUCHIEN.
   */
  agencies: Agency[];
  /**
   * DOITUONGTHUCHIEN: who may apply, as published (Công dân Việt Nam, Doanh nghiệp...).
   */
  applicants?: string[];
  /**
   * CACHTHUCTHUCHIEN: each way to carry the procedure out, with its processing times and fees.
   */
  channels: {
    /**
     * KENH 1: at the one-stop desk (in-person), 2: online on the public-service portal, 3: by public postal service.
     */
    channel: 'in-person' | 'online' | 'post';
    /**
     * KENH as the portal sends it.
     */
    channelCode: '1' | '2' | '3';
    /**
     * THOIGIAN: one entry per case the publication distinguishes.
     */
    processingTimes: {
      /**
       * THOIGIANGIAIQUYET (absent when the publication gives only text).
       */
      duration?: number;
      /**
       * DONVITINH as published (Ngày làm việc, Ngày, Giờ...).
       */
      unit?: string;
      /**
       * MOTA: the case and conditions, as published.
       */
      description?: string;
      /**
       * PHILEPHI: fees and charges of this case; empty when free.
       */
      fees: {
        /**
         * MAPHILEPHI.
         */
        code?: string;
        /**
         * SOTIEN, in đồng (VND).
         */
        amount: number;
        /**
         * MOTA of the fee.
         */
        description?: string;
      }[];
    }[];
  }[];
  /**
   * THANHPHANHOSO: documents of the dossier.
   */
  requiredDocuments: {
    /**
     * TENGIAYTO.
     */
    name: string;
    /**
     * SOBANCHINH.
     */
    originals?: number;
    /**
     * SOBANSAO.
     */
    copies?: number;
    /**
     * MAUDON: the form's name, when the document is a form.
     */
    form?: string;
  }[];
  status: Status;
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

// from contracts/public-service-portal/v1/procedure.json

/**
 * A person's record at Vietnam Social Security (BHXH Việt Nam), normalized: participation status, health-insurance card with its validity and registered initial-care facility, and a summary of contributions. Codes keep the labels the upstream sends; dates are ISO 8601 (partial where the source is partial); fields the source leaves empty are absent, never null.
 */

export interface SocialInsuranceParticipant {
  /**
   * 10 digits, issued once per person by Vietnam Social Security; also the last 10 characters of the health-insurance card number.
   */
  socialInsuranceCode: string;
  /**
   * 12 digits: 3 for the birth-registration province under the old list (001-096), 1 for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, ...), 2 for the birth year, 6 random. No check digit.
   */
  personalId?: string;
  /**
   * As recorded by BHXH: upper case, legacy records without diacritics.
   */
  fullName: string;
  /**
   * ISO 8601 calendar date with the precision the source has: YYYY-MM-DD, YYYY-MM or YYYY.
   */
  dateOfBirth?: string;
  sex?: CodedValue;
  participationStatus: CodedValue;
  healthInsuranceCard?: {
    /**
     * Category (2 letters), benefit level, province, then the social insurance code; newer cards print the 10-digit code alone.
     */
    cardNumber: string;
    beneficiaryCategory?: CodedValue;
    benefitLevel?: CodedValue;
    validFrom: string;
    validTo: string;
    fiveConsecutiveYearsFrom?: string;
    initialCareFacility?: {
      code: string;
      name?: string;
      /**
       * 2 digits (2025 catalog of 34 provinces; historic records may carry codes of the 63-province list).
       */
      provinceCode?: string;
    };
  };
  contributions?: {
    monthsContributed?: number;
    /**
     * The contribution unit currently paying for the person; absent for voluntary participants and pensioners.
     */
    employer?: {
      /**
       * BHXH's code of the contribution unit.
       */
      unitCode?: string;
      name?: string;
      taxCode?: string;
    };
    /**
     * The last month contributed for (YYYY-MM).
     */
    lastContributionPeriod?: string;
  };
  /**
   * When BHXH last changed the record (Vietnam time).
   */
  updatedAt?: string;
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

// from contracts/social-insurance/v1/participant.json

/**
 * What a taxpayer still owes, by budget sub-item (tiểu mục of the state budget index), as the tax ledger shows it: self-assessed amounts carry no decision, assessments and penalties carry the decision number and date. A taxpayer that owes nothing has an empty list.
 */

export interface OutstandingTaxObligations {
  /**
   * What identifies a taxpayer to the tax authority: a business tax code (see taxCode: 10 digits with check digit, or 10 + '-NNN'), or, since 1 July 2025, the 12-digit personal id that replaces the tax code of an individual, and that of a household or household business (its representative's) (Thông tư 86/2024/TT-BTC, Art. 5). A personal id has no check digit; its first three digits are a birth-registration province of the pre-2025 list (001-096). Personal data when it is a personal id.
   */
  taxCode: string;
  currency: 'VND';
  /**
   * Whole đồng (VND has no minor unit). Negative for an overpayment the ledger still holds.
   */
  totalOutstanding: number;
  /**
   * When the tax ledger was last updated (Vietnam time).
   */
  asOf?: string;
  items: {
    subItem: CodedValue;
    /**
     * MA_CHUONG of the state budget index.
     */
    budgetChapter?: string;
    /**
     * KY_THUE as recorded: MM/yyyy, Qn/yyyy or yyyy.
     */
    taxPeriod?: string;
    /**
     * Whole đồng (VND has no minor unit). Negative for an overpayment the ledger still holds.
     */
    amount: number;
    /**
     * SO_QUYET_DINH: the assessment, penalty or notice decision.
     */
    decisionNumber?: string;
    decisionDate?: string;
    dueDate?: string;
  }[];
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

// from contracts/tax/v1/obligations.json

/**
 * A taxpayer's registration with the tax authority: status and the tax office that manages it. An individual or a household business may be looked up by the personal id that is its tax code since July 2025. Names come as the tax registry keys them (upper case, often without diacritics). Fields the source leaves empty are absent, never null.
 */

export interface Taxpayer {
  /**
   * What identifies a taxpayer to the tax authority: a business tax code (see taxCode: 10 digits with check digit, or 10 + '-NNN'), or, since 1 July 2025, the 12-digit personal id that replaces the tax code of an individual, and that of a household or household business (its representative's) (Thông tư 86/2024/TT-BTC, Art. 5). A personal id has no check digit; its first three digits are a birth-registration province of the pre-2025 list (001-096). Personal data when it is a personal id.
   */
  taxCode: string;
  /**
   * TEN_NNT, as recorded.
   */
  name: string;
  taxpayerType?: CodedValue;
  /**
   * 10 digits whose last is a check digit (d10 = 10 − (Σ d_i·[31,29,23,19,17,13,7,5,3] mod 11)), or those 10 digits + '-NNN' for a dependent unit (branch, representative office, business location).
   */
  headUnitTaxCode?: string;
  /**
   * active: operating; suspended: temporarily stopped (tạm ngừng); closed: stopped for good or not operating at its address (the tax code is or is being terminated).
   */
  status: 'active' | 'suspended' | 'closed';
  statusDetail: CodedValue;
  statusChangedOn?: string;
  registeredOn?: string;
  managingTaxOffice: {
    code: string;
    name?: string;
  };
  address?: Address;
  /**
   * NGUOI_DAI_DIEN: the legal representative or owner as the tax registry records the name (personal data).
   */
  representativeName?: string;
  /**
   * When the tax registry last changed this record (Vietnam time).
   */
  updatedAt?: string;
}
/**
 * Upstream codes are kept alongside their Vietnamese labels, so callers never need a private code table.
 */

// from contracts/tax/v1/taxpayer.json
