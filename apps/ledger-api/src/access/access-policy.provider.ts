// The access policy the edge decides with; one value for the whole process (a policy file is future work).
import { defaultAccessPolicy, type AccessPolicy } from '@ledger/domain';

export const ACCESS_POLICY = Symbol('ACCESS_POLICY');

export const accessPolicyProvider = { provide: ACCESS_POLICY, useValue: defaultAccessPolicy as AccessPolicy };
