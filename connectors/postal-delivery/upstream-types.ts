/**
 * VNPost's order API as the gateway reaches it (field names in VNPost's
 * spelling). Marks as in REFERENCE.md: [seen] = in OpenCPS's VNPost
 * integration (see README.md, "Known of the real upstream"); the rest is
 * [guess], kept in this one file so a real specification replaces it here.
 */

/** apiPostOrder's body. [seen] the MOrder fields; [guess] the ward fields replacing the districts abolished in July 2025, and ServiceName. */
export interface VnpostOrder {
  CustomerCode: string;
  OrderNumber: string;
  CODAmount: number;
  SenderProvince: string;
  /** [guess] the 2025 commune code; the seen SDK sends SenderDistrict (an integer district code). */
  SenderWard: string;
  SenderAddress: string;
  SenderName: string;
  SenderEmail?: string;
  SenderTel: string;
  SenderDesc?: string;
  Description: string;
  ReceiverName: string;
  ReceiverAddress: string;
  ReceiverTel: string;
  ReceiverProvince: string;
  /** [guess] as SenderWard. */
  ReceiverWard: string;
  ReceiverEmail?: string;
  /** [guess] the public-administration service ("HCC": hành chính công), as [seen] in the price request's mainSrv. */
  ServiceName: string;
}

/** apiCancelOrder's body. [seen] customer code and order number. */
export interface VnpostCancelRequest {
  CustomerCode: string;
  OrderNumber: string;
}

/** What apiPostOrder and apiCancelOrder answer. [guess] Code "00" for success, as VNPost-era Vietnamese APIs do. */
export interface VnpostResult {
  Code?: unknown;
  Message?: unknown;
  OrderNumber?: unknown;
  ItemCode?: unknown;
}

/** One order's tracking document. [seen] orderNumber, statusCode, statusMessage and the _id.$oid paging key; [guess] itemCode and statusTime. */
export interface VnpostTrackingDoc {
  _id?: { $oid?: unknown };
  orderNumber?: unknown;
  itemCode?: unknown;
  statusCode?: unknown;
  statusMessage?: unknown;
  /** [guess] dd/MM/yyyy HH:mm:ss in Vietnam's time. */
  statusTime?: unknown;
}

/** apiGetOrderTracking's answer. [seen] the RESTHeart-style page `_embedded["rh:doc"]`. */
export interface VnpostTrackingPage {
  _embedded?: { 'rh:doc'?: unknown };
  _returned?: unknown;
}
