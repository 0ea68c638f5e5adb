import type { RestAnswer } from '../../../simulators/kit/rest-sandbox.js';
import type { HoSo, TienDo } from '../upstream-types.js';
import { portalErrors, type PortalRequest } from './operations.js';

/**
 * The portal's side of dossier sync: every dossier and every progress step it
 * accepted, in the order it accepted them, so tests can compare what the
 * gateway delivered with what the portal holds (no duplicate, no step out of
 * order, no step before its dossier).
 *
 * ASSUMPTIONS (listed in ../README.md): an update (`isUpdating` "True") or a
 * step for a dossier the portal does not hold is refused with error_code 5;
 * a create for a dossier it holds answers error_code -3 "... đã tồn tại"; the
 * success answer carries `result[{MaHoSo, IdHoSo}]`; the portal checks the
 * codes' formats, the status codes and the dates, nothing against its catalog.
 */

export interface StoredDossier {
  /** The portal's own id, given at creation. */
  id: string;
  /** The latest version. */
  item: HoSo;
  /** Every version accepted, creation first. */
  versions: HoSo[];
  /** Every progress step accepted, in order. */
  progress: TienDo[];
}

/** One accepted write, in the order the portal accepted it across all dossiers. */
export interface JournalEntry {
  service: 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC';
  dossierCode: string;
  kind: 'created' | 'updated' | 'progress';
}

export const dossierErrors = {
  alreadyExists: (code: string) => ({ error_code: -3, message: `Hồ sơ ${code} đã tồn tại trên hệ thống` }),
  unknownDossier: { error_code: 5, message: 'Hồ sơ không tồn tại trên hệ thống' },
} as const;

const dossierCodePattern = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,6}$/;
const procedureCodePattern = /^[0-9]\.[0-9]{6}(\.[0-9A-Z]{1,3}){4}$/;

export class DossierRegistry {
  private readonly stored = new Map<string, StoredDossier>();
  private readonly accepted: JournalEntry[] = [];
  private nextId = 1;

  /** `error_code` of a success: 0 in some portal versions, "00" in others. */
  constructor(private readonly successCode: 0 | '00' = 0) {}

  get dossiers(): ReadonlyMap<string, StoredDossier> {
    return this.stored;
  }

  get journal(): readonly JournalEntry[] {
    return this.accepted;
  }

  clear(): void {
    this.stored.clear();
    this.accepted.length = 0;
  }

  readonly services: Record<string, (request: PortalRequest) => RestAnswer> = {
    TraCuuHoSo: (request) => {
      const code = text(request.mahoso);
      if (!code || !dossierCodePattern.test(code)) return ok(portalErrors.invalidParameter);
      const found = this.stored.get(code);
      return ok({ error_code: this.successCode, message: 'Thành công', result: found ? [structuredClone(found.item)] : [] });
    },
    DongBoHoSoMC: (request) => {
      const updating = text(request.isUpdating)?.toLowerCase();
      if (updating !== 'true' && updating !== 'false') return ok(portalErrors.invalidParameter);
      const items = Array.isArray(request.data) ? (request.data as HoSo[]) : undefined;
      if (!items || items.length === 0 || !items.every(validDossier)) return ok(portalErrors.invalidParameter);
      // All or nothing: a batch with one conflicting item stores none of them.
      for (const item of items) {
        const code = String(item.MaHoSo);
        if (updating === 'false' && this.stored.has(code)) return ok(dossierErrors.alreadyExists(code));
        if (updating === 'true' && !this.stored.has(code)) return ok(dossierErrors.unknownDossier);
      }
      const result = items.map((item) => this.store(structuredClone(item), updating === 'true'));
      return ok({ error_code: this.successCode, message: 'Thành công', result });
    },
    CapNhatTienDoHoSoMC: (request) => {
      const steps = Array.isArray(request.data) ? (request.data as TienDo[]) : undefined;
      if (!steps || steps.length === 0 || !steps.every(validStep)) return ok(portalErrors.invalidParameter);
      if (!steps.every((step) => this.stored.has(String(step.MaHoSo)))) return ok(dossierErrors.unknownDossier);
      const result = steps.map((step) => {
        const dossier = this.stored.get(String(step.MaHoSo))!;
        dossier.progress.push(structuredClone(step));
        this.accepted.push({ service: 'CapNhatTienDoHoSoMC', dossierCode: String(step.MaHoSo), kind: 'progress' });
        return { MaHoSo: step.MaHoSo, IdHoSo: dossier.id };
      });
      return ok({ error_code: this.successCode, message: 'Thành công', result });
    },
  };

  private store(item: HoSo, updating: boolean): { MaHoSo: string; IdHoSo: string } {
    const code = String(item.MaHoSo);
    const existing = this.stored.get(code);
    if (existing) {
      existing.item = item;
      existing.versions.push(item);
    } else {
      this.stored.set(code, { id: String(this.nextId++), item, versions: [item], progress: [] });
    }
    this.accepted.push({ service: 'DongBoHoSoMC', dossierCode: code, kind: updating ? 'updated' : 'created' });
    return { MaHoSo: code, IdHoSo: this.stored.get(code)!.id };
  }
}

function validDossier(item: HoSo): boolean {
  if (!item || typeof item !== 'object') return false;
  return (
    dossierCodePattern.test(text(item.MaHoSo) ?? '') &&
    procedureCodePattern.test(text(item.MaTTHC) ?? '') &&
    text(item.ChuHoSo) !== undefined &&
    ['1', '2'].includes(text(item.LoaiDoiTuong) ?? '') &&
    text(item.MaDoiTuong) !== undefined &&
    text(item.TrichYeuHoSo) !== undefined &&
    statusCode(item.TrangThaiHoSo) &&
    portalDate(item.NgayTiepNhan) &&
    portalDate(item.NgayHenTra) &&
    optional(item.NgayTra, portalDate) &&
    optional(item.HinhThuc, (value) => ['0', '1'].includes(text(value) ?? ''))
  );
}

function validStep(step: TienDo): boolean {
  if (!step || typeof step !== 'object') return false;
  return (
    dossierCodePattern.test(text(step.MaHoSo) ?? '') &&
    text(step.NguoiXuLy) !== undefined &&
    text(step.NoiDungXuLy) !== undefined &&
    statusCode(step.TrangThai) &&
    portalDate(step.ThoiDiemXuLy) &&
    optional(step.NgayBatDau, portalDate) &&
    optional(step.NgayKetThucTheoQuyDinh, portalDate)
  );
}

function statusCode(value: unknown): boolean {
  const code = Number(text(value));
  return Number.isInteger(code) && code >= 1 && code <= 10;
}

/** yyyyMMddHHmmss, a real calendar date and clock time. */
function portalDate(value: unknown): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text(value) ?? '');
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
}

function optional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || value === null || value === '' || check(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function ok(body: unknown): RestAnswer {
  return { status: 200, body };
}
