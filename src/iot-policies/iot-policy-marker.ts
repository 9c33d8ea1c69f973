/** Markers of the policy lists: a keyset position in creation order, (creation time, policy name). */
import { InvalidRequestError } from '../errors.ts';
import { decodeMarker } from '../request/pagination.ts';
import type { PolicyPosition } from './iot-policy.repository.ts';

export function markerOfPosition(position: PolicyPosition): [string, string] {
  return [position.createdAt.toISOString(), position.policyName];
}

/** Decodes a marker of markerOfPosition; a well-formed cursor with a bad timestamp is as invalid as garbage. */
export function positionOfMarker(marker: string): PolicyPosition {
  const [createdAtText, policyName] = decodeMarker(marker, 2) as [string, string];
  const createdAt = new Date(createdAtText);
  if (Number.isNaN(createdAt.getTime())) {
    throw new InvalidRequestError('The marker is not valid: pass the nextMarker of a previous response unchanged');
  }
  return { createdAt, policyName };
}
