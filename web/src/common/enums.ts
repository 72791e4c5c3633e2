/**
 * The members of one of the API's enumerations (a union type of the typed client), listed in the
 * order written: a member left out or one the API does not know does not compile, so the console's
 * choices follow the OpenAPI document without importing the server's code.
 */
export const membersOf = <T extends string>(members: Record<T, true>): T[] => Object.keys(members) as T[];
