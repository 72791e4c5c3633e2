/**
 * Checks shared by the identity use cases. The HTTP schemas check shapes first; these repeat the
 * rules that must hold whatever the entry point (the seed and the operator script call the use
 * cases directly).
 */

import { CAPABILITIES, ROLES, type Role } from './actor.ts';
import { isCountry } from './countries.ts';
import { type FieldError, ValidationError } from './errors.ts';
import { LIMITS } from './limits.ts';

export const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Collects field errors and throws them together, so a client sees every problem at once. */
export class FieldErrors {
  private readonly errors: FieldError[] = [];
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }
  check(ok: boolean, path: string, message: string): void {
    if (!ok) this.add(path, message);
  }
  throwIfAny(): void {
    if (this.errors.length > 0) throw new ValidationError(this.errors);
  }
}

export const isText = (value: string, max: number): boolean => value.trim().length > 0 && value.length <= max;

export const isEmail = (value: string): boolean =>
  value.length <= LIMITS.email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

/** A member's identity within its org: email addresses compare case-insensitively. */
export const normalizeEmail = (value: string): string => value.trim().toLowerCase();

export const isSub = (value: string): boolean =>
  value.length > 0 && value.length <= 128 && value.trim() === value;

export const checkPerson = (
  errors: FieldErrors,
  prefix: string,
  person: { sub?: string; email: string; name: string },
) => {
  if (person.sub !== undefined) {
    errors.check(
      isSub(person.sub),
      `${prefix}sub`,
      'Give the user subject (1-128 characters, no surrounding spaces).',
    );
  }
  errors.check(isEmail(person.email.trim()), `${prefix}email`, 'Give a valid email address.');
  errors.check(isText(person.name, LIMITS.personName), `${prefix}name`, 'Give a name of 1-200 characters.');
};

export const checkRoles = (errors: FieldErrors, roles: readonly Role[]): void => {
  errors.check(roles.length > 0, 'roles', 'Give at least one role.');
  roles.forEach((role, index) => {
    errors.check(
      (ROLES as readonly string[]).includes(role),
      `roles.${index}`,
      `Use one of ${ROLES.join(', ')}.`,
    );
  });
};

export const checkLocations = (
  errors: FieldErrors,
  locations: readonly string[],
  path = 'locations',
): void => {
  errors.check(
    locations.length <= LIMITS.locationsPerUser,
    path,
    `At most ${LIMITS.locationsPerUser} locations.`,
  );
  locations.forEach((location, index) => {
    errors.check(
      isCountry(location),
      `${path}.${index}`,
      'Use an ISO 3166-1 alpha-2 country code, e.g. "DE".',
    );
  });
};

export const checkCapabilities = (errors: FieldErrors, capabilities: readonly string[]): void => {
  capabilities.forEach((capability, index) => {
    errors.check(
      (CAPABILITIES as readonly string[]).includes(capability),
      `capabilities.${index}`,
      `Use one of ${CAPABILITIES.join(', ')}.`,
    );
  });
};
