/**
 * The tax lookup's answers as the SOAP client parses them (field names as on
 * the wire, see tax.wsdl). Every leaf may be missing or empty upstream, so
 * everything is optional here and mapping.ts decides what a gap means.
 */
export type Text = string | undefined;

export interface DiaChiNNT {
  MA_TINH?: Text;
  MA_XA?: Text;
  DIA_CHI_CHI_TIET?: Text;
}

export interface NNT {
  MA_SO_THUE?: Text;
  TEN_NNT?: Text;
  LOAI_NNT?: Text;
  TEN_LOAI_NNT?: Text;
  MST_DV_CHU_QUAN?: Text;
  TRANG_THAI?: Text;
  TEN_TRANG_THAI?: Text;
  /** dd/MM/yyyy */
  NGAY_THAY_DOI_TRANG_THAI?: Text;
  /** dd/MM/yyyy */
  NGAY_CAP_MST?: Text;
  MA_CQT_QL?: Text;
  TEN_CQT_QL?: Text;
  DIA_CHI?: DiaChiNNT;
  NGUOI_DAI_DIEN?: Text;
  /** yyyyMMddHHmmss, Vietnam time */
  NGAY_CAP_NHAT?: Text;
}

export interface KetQuaTraCuuNNT {
  MA_YEU_CAU?: Text;
  /** 00 found, 01 not found (an assumption of the sandbox: see README.md). */
  MA_KET_QUA?: Text;
  MO_TA_KET_QUA?: Text;
  NNT?: NNT;
}

export interface NghiaVuRow {
  MA_SO_THUE?: Text;
  MA_CHUONG?: Text;
  MA_TIEUMUC?: Text;
  TEN_TIEUMUC?: Text;
  KY_THUE?: Text;
  SO_QUYET_DINH?: Text;
  NGAY_QUYET_DINH?: Text;
  HAN_NOP?: Text;
  /** VND, digits with an optional minus sign. */
  SO_TIEN?: Text;
}

export interface KetQuaNghiaVuThue {
  MA_YEU_CAU?: Text;
  MA_KET_QUA?: Text;
  MO_TA_KET_QUA?: Text;
  MA_SO_THUE?: Text;
  TONG_SO_TIEN?: Text;
  NGAY_CAP_NHAT?: Text;
  /** Missing, empty, or holding one ROW (an object) or several (an array). */
  ROW_LIST?: { ROW?: NghiaVuRow | NghiaVuRow[] } | string | null;
}
