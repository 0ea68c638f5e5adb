/**
 * The national public-service portal's JSON as the provincial bus adapter
 * passes it (field names as on the wire). Everything may be missing, empty or
 * null, and numbers may arrive as strings, so everything is optional here and
 * mapping.ts decides what a gap means.
 */
export type Text = string | number | null | undefined;

/**
 * Every call is a JSON POST `{session, madonvi, service, ...parameters}`; the
 * answer is this envelope: error_code 0 ok (REFERENCE.md) with `result[]`.
 */
export interface PortalEnvelope<Item> {
  error_code?: number | string;
  message?: string;
  result?: Item[] | null;
  /** LayDanhSachTTHC: matches over all pages. ASSUMPTION: the total's field name. */
  TONGSO?: Text;
}

/** The request body of one service call, minus the session (added by the client). */
export interface PortalCall {
  service: string;
  [parameter: string]: string | number | undefined;
}

export interface LinhVuc {
  MALINHVUC?: Text;
  TENLINHVUC?: Text;
}

export interface CoQuan {
  MADONVI?: Text;
  TENDONVI?: Text;
}

export interface PhiLePhi {
  MAPHILEPHI?: Text;
  /** In đồng; "50000", 50000 or "50.000" depending on who typed it. */
  SOTIEN?: Text;
  MOTA?: Text;
}

export interface ThoiGian {
  THOIGIANGIAIQUYET?: Text;
  DONVITINH?: Text;
  MOTA?: Text;
  PHILEPHI?: PhiLePhi[] | null;
}

export interface CachThuc {
  /** 1 in person, 2 online, 3 post. */
  KENH?: Text;
  THOIGIAN?: ThoiGian[] | null;
}

export interface GiayTo {
  TENGIAYTO?: Text;
  SOBANCHINH?: Text;
  SOBANSAO?: Text;
  MAUDON?: Text;
}

/** LayDanhSachTTHC item. */
export interface ThuTucTomTat {
  MATTHC?: Text;
  TENTTHC?: Text;
  LINHVUCTHUCHIEN?: LinhVuc[] | null;
  COQUANTHUCHIEN?: CoQuan[] | null;
  TRANGTHAI?: Text;
}

/** LayThuTuc item. */
export interface ThuTuc extends ThuTucTomTat {
  CAPTHUCHIEN?: Text;
  TENCAPTHUCHIEN?: Text;
  DOITUONGTHUCHIEN?: Text[] | Text | null;
  CACHTHUCTHUCHIEN?: CachThuc[] | null;
  THANHPHANHOSO?: GiayTo[] | null;
}
