// Trustworthy information (守信信息): honours, commendations, demonstration status.
import type { IsoDate } from '../calendar/iso-date';

export type HonourCategory =
  'advanced_collective' | 'advanced_individual' | 'commendation' | 'demonstration_school' | 'other';

export interface HonourDetails {
  readonly title: string;
  readonly category: HonourCategory;
  readonly awardingBody: { readonly name: string; readonly uscc?: string };
  readonly awardedOn: IsoDate;
  readonly documentNumber?: string;
  readonly description?: string;
}

export const correctableHonourFields = ['title', 'documentNumber', 'description'] as const;

export type HonourCorrections = Partial<Pick<HonourDetails, (typeof correctableHonourFields)[number]>>;
