import type { ApiRequest } from './api-request.js';
import { ProblemError } from '../errors/index.js';

export interface PersonalDataHeaders {
  endUser: string;
  purpose: string;
}

const endUserPattern = /^[A-Za-z0-9._@:-]{1,128}$/;
const purposePattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Like X-Road's userId and issue, but enforced: a personal-data call must say
 * which officer asks and for which dossier or purpose, or it goes nowhere.
 * (Which purposes a consumer may use is the grant check's job.)
 */
export function requirePersonalDataHeaders(req: Pick<ApiRequest, 'header'>): PersonalDataHeaders {
  const endUser = req.header('x-end-user')?.trim();
  const purpose = req.header('x-purpose')?.trim();
  if (!endUser) throw new ProblemError('LGSP_END_USER_REQUIRED', { errors: [{ field: 'header:X-End-User', message: 'is required' }] });
  if (!endUserPattern.test(endUser)) {
    throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'header:X-End-User', message: 'must be an account id of 1-128 letters, digits or ._@:-' }] });
  }
  if (!purpose) throw new ProblemError('LGSP_PURPOSE_REQUIRED', { errors: [{ field: 'header:X-Purpose', message: 'is required' }] });
  if (!purposePattern.test(purpose)) {
    throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'header:X-Purpose', message: 'must be a dossier or purpose code of 1-128 letters, digits or ._:-' }] });
  }
  return { endUser, purpose };
}
