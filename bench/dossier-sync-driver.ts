/**
 * The one-stop system's side of dossier sync, at volume: many dossiers, each
 * created (PUT) then moved through its processing steps (POST …/progress),
 * one request at a time per dossier (a desk does not send step 3 before step
 * 2 was accepted) and many dossiers at once. Shared by the load acceptance
 * test (test/e2e/dossier-sync-load.e2e.test.ts) and the benchmark
 * (bench/dossier-sync.ts), so both drive the gateway the same way.
 */

export interface DossierLoad {
  /** Dossier codes, in the order they were handed out. */
  codes: string[];
  /** Per dossier: the step contents sent, in order. */
  steps: Map<string, string[]>;
}

export interface AcceptedMessage {
  dossierCode: string;
  sequence: number;
  /** performance.now() when the 202 arrived. */
  acceptedAt: number;
}

/** A national dossier code (`unit-yyMMdd-serial`), distinct per index. */
export const loadDossierCode = (index: number, day = '250801') => `000.00.01.H22-${day}-${String(index + 1).padStart(4, '0')}`;

export function loadDossier(dossierCode: string): Record<string, unknown> {
  return {
    dossierCode,
    procedureCode: '1.003560.000.00.00.H56',
    receiptNumber: dossierCode,
    applicant: { kind: 'citizen', id: '001090012345', name: 'Nguyễn Văn An' },
    // The procedure's name and field are sent: no catalog call per delivery.
    procedureName: 'Cấp Phiếu lý lịch tư pháp',
    field: { code: 'G22-TP06', label: 'Lý lịch tư pháp' },
    summary: 'Cấp Phiếu lý lịch tư pháp',
    receivedAt: '2025-08-01T08:30:00+07:00',
    dueAt: '2025-08-11T17:00:00+07:00',
    status: 'received',
    deliveryByPost: false,
    handlingUnit: 'Sở Tư pháp',
    fees: [{ code: 'LP-LLTP', name: 'Phí cung cấp thông tin lý lịch tư pháp', amountVnd: 200000 }],
    submittedDocuments: [{ fileId: 'F-1', name: 'Tờ khai', componentCode: 'TP-01' }],
  };
}

export function loadStep(index: number): Record<string, unknown> {
  const hour = String(8 + Math.floor(index / 6)).padStart(2, '0');
  const minute = String((index % 6) * 10).padStart(2, '0');
  return {
    officer: 'Trần Thị Bình',
    title: 'Chuyên viên',
    department: 'Phòng Hành chính tư pháp',
    at: `2025-08-02T${hour}:${minute}:00+07:00`,
    content: `Bước ${index + 1}`,
    status: 'processing',
  };
}

/**
 * Sends `dossiers` dossiers with `stepsPerDossier` steps each through the
 * API, `concurrency` dossiers at a time. Every request must be accepted
 * (202); anything else throws, with the status and problem code.
 */
export async function sendDossierLoad(options: {
  url: string;
  token: string;
  dossiers: number;
  stepsPerDossier: number;
  concurrency: number;
  day?: string;
  /** Which gateway takes each request (replicas): index of the dossier, index of the request within it. */
  pickUrl?: (dossierIndex: number, requestIndex: number) => string;
}): Promise<{ load: DossierLoad; accepted: AcceptedMessage[] }> {
  const load: DossierLoad = { codes: [], steps: new Map() };
  const accepted: AcceptedMessage[] = [];
  let next = 0;
  const send = async (base: string, method: string, path: string, dossierCode: string, body: unknown) => {
    const response = await fetch(`${base}/api/v1/public-service-portal/dossiers/${dossierCode}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.token}`, 'x-end-user': 'officer01', 'x-purpose': dossierCode, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { sequence?: number; code?: string };
    if (response.status !== 202) throw new Error(`${method} ${dossierCode}${path}: ${response.status} ${answer.code ?? ''}`);
    accepted.push({ dossierCode, sequence: answer.sequence!, acceptedAt: performance.now() });
  };
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= options.dossiers) return;
      const code = loadDossierCode(index, options.day);
      load.codes.push(code);
      const url = (request: number) => options.pickUrl?.(index, request) ?? options.url;
      await send(url(0), 'PUT', '', code, loadDossier(code));
      const contents: string[] = [];
      load.steps.set(code, contents);
      for (let step = 0; step < options.stepsPerDossier; step += 1) {
        const body = loadStep(step);
        await send(url(step + 1), 'POST', '/progress', code, body);
        contents.push(body.content as string);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.dossiers) }, worker));
  return { load, accepted };
}
