// The roles of the organization's members and keys, weakest first (docs/api.md "Roles").
import type { Schemas } from "./api";

export type Role = Schemas["Me"]["role"];

export const ROLES: readonly Role[] = ["viewer", "editor", "admin", "owner"];

/** Whether ``role`` is ``least`` or stronger; false while the role is not known. */
export function atLeast(role: Role | null | undefined, least: Role): boolean {
  return !!role && ROLES.indexOf(role) >= ROLES.indexOf(least);
}
