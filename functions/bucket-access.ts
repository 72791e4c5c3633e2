/**
 * What each function does to the attachments bucket, declared once: the CDK stack grants exactly
 * this (on the bucket's objects) and gives exactly these functions the bucket's name; every other
 * function has no way to the bucket. Presigned URLs carry the signer's permissions, so a function
 * that issues upload URLs needs `s3:PutObject` and one that issues download URLs `s3:GetObject`.
 */
import { type HttpFunction, type RouteDefinition, routeKey } from './http/routes.ts';

/** IAM actions on the bucket's objects (HeadObject is `s3:GetObject`; the scan verdict is a tag). */
export const BUCKET_ACTIONS = [
  's3:PutObject',
  's3:GetObject',
  's3:GetObjectTagging',
  's3:AbortMultipartUpload',
] as const;
export type BucketAction = (typeof BUCKET_ACTIONS)[number];

/**
 * Looking at an object (HeadObject, then its scan tag). HeadObject of a missing key answers 404 only
 * to a caller that may list the bucket, 403 otherwise: so inspecting also needs `s3:ListBucket`,
 * granted on the bucket itself (infra/stacks/api-stack.ts).
 */
const INSPECT: readonly BucketAction[] = ['s3:GetObject', 's3:GetObjectTagging'];

export const ROUTE_BUCKET_ACCESS: Readonly<Record<string, readonly BucketAction[]>> = {
  /** Signs the upload URL. */
  'POST /v1/deals/{id}/attachments': ['s3:PutObject'],
  /** Sees whether each file arrived and what the scan said. */
  'GET /v1/deals/{id}/attachments': INSPECT,
  /** The same, then signs the download URL. */
  'GET /v1/deals/{id}/attachments/{attachmentId}': INSPECT,
  /**
   * A registration names only files that arrived, and copies each where no upload URL reaches
   * (CopyObject: `s3:GetObject` on the upload, `s3:PutObject` on the copy).
   */
  'POST /v1/deals/{id}/registration': [...INSPECT, 's3:PutObject'],
};

/** A route's bucket actions; none for a route that does not touch the bucket. */
export const routeBucketAccess = (route: RouteDefinition): readonly BucketAction[] =>
  ROUTE_BUCKET_ACCESS[routeKey(route)] ?? [];

/** What a function of the HTTP API does to the bucket: what any of its routes does. */
export const httpFunctionBucketAccess = (fn: HttpFunction): readonly BucketAction[] =>
  BUCKET_ACTIONS.filter((action) => fn.routes.some((route) => routeBucketAccess(route).includes(action)));

/** Whether looking at objects is among the actions (then `s3:ListBucket` goes with them). */
export const inspectsObjects = (actions: readonly BucketAction[]): boolean =>
  actions.includes('s3:GetObject');

/**
 * Where export files live (functions/adapters/s3/export-files.ts): their own prefix, which the
 * bucket's lifecycle rule expires and the export grants are limited to, so nothing that handles
 * exports reaches an attachment.
 */
export const EXPORT_PREFIX = 'exports/';

/** What each route does to export files (only on EXPORT_PREFIX). */
export const ROUTE_EXPORT_ACCESS: Readonly<Record<string, readonly BucketAction[]>> = {
  /** Signs the download URL of a ready export. */
  'GET /v1/deals/exports/{id}': ['s3:GetObject'],
};

export const routeExportAccess = (route: RouteDefinition): readonly BucketAction[] =>
  ROUTE_EXPORT_ACCESS[routeKey(route)] ?? [];

export const httpFunctionExportAccess = (fn: HttpFunction): readonly BucketAction[] =>
  BUCKET_ACTIONS.filter((action) => fn.routes.some((route) => routeExportAccess(route).includes(action)));

/** The export function streams its file as a multipart upload, and aborts one it could not finish. */
export const EXPORT_FUNCTION_BUCKET_ACCESS: readonly BucketAction[] = [
  's3:PutObject',
  's3:AbortMultipartUpload',
];
