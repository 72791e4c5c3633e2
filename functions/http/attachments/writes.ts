/** The attachments context's writes: one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as download from './download.ts';
import * as list from './list.ts';
import * as requestUpload from './request-upload.ts';

export const handler = contextFunction('attachments', 'writes', {
  'attachments/request-upload': requestUpload,
  'attachments/list': list,
  'attachments/download': download,
});
